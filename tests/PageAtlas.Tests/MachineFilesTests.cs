using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>The machine-wide /proc files and the frame filter, on captured text.</summary>
public class MachineFilesTests
{
    [Fact]
    public void MeminfoReadsKilobytesAsBytesAndCountsAsCounts()
    {
        var meminfo = ProcMeminfo.Parse("MemTotal:       24684096 kB\nAnonPages:          5044 kB\nHugePages_Total:       3\nHugepagesize:       2048 kB\n");
        Assert.Equal(24684096UL * 1024, meminfo["MemTotal"]);
        Assert.Equal(3UL, meminfo["HugePages_Total"]);
        Assert.Null(meminfo["Unaccepted"]);
        Assert.Throws<KernelDataException>(() => ProcMeminfo.Parse("MemTotal: lots kB\n"));
    }

    [Fact]
    public void BuddyinfoCountsEveryPageOfEveryFreeBlock()
    {
        var zones = ProcBuddyinfo.Parse(
            "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n" +
            "Node 0, zone   Normal  11508   6184   3715   1431    983    922    515    290    133     35    953 \n");
        Assert.Equal(["DMA", "Normal"], zones.Select(z => z.Zone));
        Assert.Equal(256UL + 512 + 3 * 1024, zones[0].FreePages);
        Assert.Equal(11508UL + 6184 * 2 + 3715 * 4 + 1431 * 8 + 983 * 16 + 922 * 32 + 515 * 64 + 290 * 128 + 133 * 256 + 35 * 512 + 953 * 1024, zones[1].FreePages);
        Assert.Throws<KernelDataException>(() => ProcBuddyinfo.Parse("Node 0 zone DMA x\n"));
    }

    [Fact]
    public void ZoneinfoGivesEachZonesExtent()
    {
        var zones = ProcZoneinfo.Parse("Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 77\n  pages free     3840\n        spanned  4095\n        present  3998\n        managed  3840\n  start_pfn:           1\n" +
                                       "Node 0, zone  Movable\n  pages free     0\n        spanned  0\n        present  0\n        managed  0\n");
        Assert.Equal(new MemoryZone(0, "DMA", 1, 4095, 3998, 3840), zones[0]);
        Assert.Equal(4096UL, zones[0].EndPfn);
        Assert.Equal(0UL, zones[1].Spanned);
    }

    [Fact]
    public void IomemKeepsTheTopLevelOnly()
    {
        var ranges = ProcIomem.Parse("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n00100000-bfffffff : System RAM\n  01000000-01ffffff : Kernel code\n100000000-63fffffff : System RAM\n");
        Assert.Equal(4, ranges.Count);
        Assert.Equal(new PhysicalRange(0x100000000, 0x63fffffff, "System RAM"), ranges[3]);
        Assert.True(ranges[1].IsSystemRam);
        Assert.False(ranges[0].IsSystemRam);
        Assert.Throws<KernelDataException>(() => ProcIomem.Parse("nonsense\n"));
    }

    [Theory]
    [InlineData("anon,lru", 0x1000UL, true)]           // any of them
    [InlineData("anon,lru", 0x20UL, true)]
    [InlineData("anon,lru", 0x400UL, false)]
    [InlineData("anon,~lru", 0x1000UL, true)]          // anon set, lru clear
    [InlineData("anon,~lru", 0x1020UL, false)]
    [InlineData("=anon,mmap", 0x1800UL, true)]         // exactly these
    [InlineData("=anon,mmap", 0x1820UL, false)]
    [InlineData("anonymous;~slab", 0x1000UL, true)]    // both expressions must hold
    [InlineData("anonymous;~slab", 0x1080UL, false)]
    [InlineData("0x400", 0x400UL, true)]
    public void FilterFollowsPageTypesSyntax(string expression, ulong flags, bool matches) =>
        Assert.Equal(matches, FrameFilter.Parse([expression]).Matches(flags));

    [Fact]
    public void FilterRejectsUnknownNames()
    {
        var e = Assert.Throws<InvalidRequestException>(() => FrameFilter.Parse(["anon,bogus"]));
        Assert.Contains("bogus", e.Message);
        Assert.True(FrameFilter.Parse([]).IsAll);
    }

    [Theory]
    [InlineData(0x0UL, FrameKind.Unflagged)]
    [InlineData(0x400UL, FrameKind.Free)]
    [InlineData(0x5828UL, FrameKind.Anonymous)]
    [InlineData(0x1080UL, FrameKind.Slab)]               // slab with the overloaded anonymous bit
    [InlineData(0x4000000028UL, FrameKind.File)]         // uptodate, lru, mappedtodisk
    [InlineData(0x4028UL, FrameKind.Shmem)]              // swapbacked, not anonymous
    [InlineData(0x4000000UL, FrameKind.PageTable)]
    [InlineData(0x28000UL, FrameKind.Hugetlb)]
    [InlineData(0x100000000UL, FrameKind.Reserved)]
    [InlineData(0x100000UL, FrameKind.Absent)]
    public void PhysicalMapKinds(ulong flags, FrameKind kind) => Assert.Equal(kind, PhysicalMap.KindOf((FrameFlags)flags));
}
