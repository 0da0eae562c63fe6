using System.Text;
using PageAtlas.Linux;

namespace PageAtlas.Tests;

/// <summary>
/// The process list's parsers over the bytes the kernel writes (fs/proc/task_mmu.c __show_smap,
/// fs/proc/array.c proc_pid_status): what each line becomes, what a missing or garbled line does.
/// </summary>
public class SmapsRollupParseTests
{
    /// <summary>A 6.18 kernel's smaps_rollup, the header's "00:00" colon included.</summary>
    private const string Rollup = """
        55728d4b0000-7ffd7bd5c000 ---p 00000000 00:00 0                          [rollup]
        Rss:                1756 kB
        Pss:                 251 kB
        Pss_Dirty:           112 kB
        Pss_Anon:            112 kB
        Pss_File:            139 kB
        Pss_Shmem:             0 kB
        Shared_Clean:       1596 kB
        Shared_Dirty:          0 kB
        Private_Clean:        48 kB
        Private_Dirty:       112 kB
        Referenced:         1756 kB
        Anonymous:           112 kB
        KSM:                   8 kB
        LazyFree:              0 kB
        AnonHugePages:      2048 kB
        ShmemPmdMapped:        0 kB
        FilePmdMapped:      4096 kB
        Shared_Hugetlb:        0 kB
        Private_Hugetlb:       0 kB
        Swap:                 12 kB
        SwapPss:               6 kB
        Locked:                0 kB

        """;

    private static SmapsRollup Parse(string text) => SmapsRollup.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void EveryLineReadBecomesBytes()
    {
        var r = Parse(Rollup);
        Assert.Equal(new SmapsRollup(1756 * 1024, 251 * 1024, 112 * 1024, 139 * 1024, 0, 1596 * 1024, 0, 48 * 1024, 112 * 1024, 112 * 1024,
            2048 * 1024, 0, 4096 * 1024, 12 * 1024, 6 * 1024, 8 * 1024), r);
        Assert.Equal(160UL * 1024, r.Uss);
        Assert.Equal((1756UL - 112) * 1024, r.FileBacked);
        Assert.Equal(6144UL * 1024, r.ThpMapped);
    }

    [Fact]
    public void LinesAnOlderKernelLacksAreNullNotZero()
    {
        string older = string.Join('\n', Rollup.Split('\n').Where(l => !l.StartsWith("Pss_", StringComparison.Ordinal) && !l.StartsWith("KSM", StringComparison.Ordinal) && !l.StartsWith("FilePmd", StringComparison.Ordinal)));
        var r = Parse(older);
        Assert.Null(r.PssAnon);
        Assert.Null(r.PssFile);
        Assert.Null(r.PssShmem);
        Assert.Null(r.Ksm);
        Assert.Null(r.FilePmdMapped);
        Assert.Equal(2048UL * 1024, r.ThpMapped);
    }

    [Theory]
    [InlineData("Rss:")]
    [InlineData("Pss:")]
    [InlineData("SwapPss:")]
    public void AMissingLineThatIsNeededIsMalformedKernelData(string line)
    {
        string without = string.Join('\n', Rollup.Split('\n').Where(l => !l.StartsWith(line, StringComparison.Ordinal)));
        var e = Assert.Throws<KernelDataException>(() => Parse(without));
        Assert.Contains(line.TrimEnd(':'), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rss:                 x kB")]
    [InlineData("Rss:                 kB")]
    [InlineData("Rss:   99999999999999999999 kB")]
    [InlineData("Rss:   18014398509481984 kB")]
    public void AFigureThatIsNotANumberOfKilobytesIsMalformedKernelData(string line)
    {
        string garbled = Rollup.Replace("Rss:                1756 kB", line, StringComparison.Ordinal);
        Assert.Throws<KernelDataException>(() => Parse(garbled));
    }

    [Fact]
    public void StatusGivesTheEffectiveUidAndVmPte()
    {
        var figures = StatusFigures.Parse("Name:\tsleep\nUid:\t1000\t65534\t1000\t1000\nVmPTE:\t      44 kB\nThreads:\t1\n"u8);
        Assert.Equal(new StatusFigures(65534, 44 * 1024), figures);
        Assert.Null(StatusFigures.Parse("Uid:\t0\t0\t0\t0\n"u8).PageTableBytes);
        Assert.Throws<KernelDataException>(() => StatusFigures.Parse("Name:\tx\nUid:\t0\n"u8));
    }

    [Fact]
    public void CgroupBytesGiveTheUnifiedLineOnly()
    {
        Assert.Equal("/system.slice/a b.service", ProcCgroup.UnifiedPath("12:cpu:/v1\n0::/system.slice/a b.service\n"u8));
        Assert.Null(ProcCgroup.UnifiedPath("12:cpu:/v1\n"u8));
        byte[] hostile = [.. "0::/bad"u8, 0xff];
        Assert.Equal("/bad\uDCFF", ProcCgroup.UnifiedPath(hostile.AsSpan()));
    }
}
