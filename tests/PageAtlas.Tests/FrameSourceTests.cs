using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>
/// The frame analyses run on any <see cref="IFrameSource"/>: here frames held in arrays, with no /proc
/// behind them (the seam the web explorer and the metrics exporter will host them on).
/// </summary>
public class FrameSourceTests
{
    private const ulong Anonymous = (ulong)(FrameFlags.Anonymous | FrameFlags.Mmap | FrameFlags.Lru | FrameFlags.SwapBacked);
    private const ulong File = (ulong)(FrameFlags.Lru | FrameFlags.Mmap);
    private const ulong Slab = (ulong)FrameFlags.Slab;

    private static readonly Dictionary<MachineFile, string> s_files = new()
    {
        [MachineFile.Meminfo] = "MemTotal:          12000 kB\nMemFree:            400 kB\nAnonPages:         4000 kB\nMapped:            4000 kB\n",
        [MachineFile.Buddyinfo] = "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      0\n",
        [MachineFile.Zoneinfo] = "Node 0, zone   Normal\n  pages free     0\n        spanned  3000\n        present  3000\n        managed  3000\n  start_pfn:           0\n",
        [MachineFile.Iomem] = "00000000-00bb7fff : System RAM\n00bb8000-00bbffff : Reserved\n",
    };

    /// <summary>3,000 frames: 1,000 anonymous (mapped twice each), 1,000 file pages mapped once, 500 slab, 500 without flags.</summary>
    private static FakeFrameSource Frames()
    {
        var flags = new ulong[3000];
        var counts = new ulong[3000];
        for (int i = 0; i < 1000; i++) (flags[i], counts[i]) = (Anonymous, 2);
        for (int i = 1000; i < 2000; i++) (flags[i], counts[i]) = (File, 1);
        for (int i = 2000; i < 2500; i++) flags[i] = Slab;
        return new FakeFrameSource(flags, counts, s_files);
    }

    private static ulong Row(FrameCensusReport report, string name) => report.Rows.Single(r => r.Name == name).Frames;

    [Fact]
    public void TheCensusCountsFramesFromAFakeSourceWithoutProc()
    {
        using var frames = Frames();
        var report = FrameCensus.Take(frames, FrameFilter.Parse([]));
        Assert.True(report.WholeMachine);
        Assert.Equal(3000UL, report.ScannedFrames);
        Assert.Equal(1000UL, Row(report, "anonymous"));
        Assert.Equal(1000UL, Row(report, "anonymous, mapped"));
        Assert.Equal(1000UL, Row(report, "file-backed (page cache)"));
        Assert.Equal(500UL, Row(report, "slab"));
        Assert.Equal(500UL, Row(report, "no flags"));
        Assert.Equal(2000UL, Row(report, "mapped by a process"));
        Assert.Equal(3000UL, Row(report, "page-table mappings of frames"));
        // Beside the meminfo the source gave, not this machine's.
        Assert.Equal(12000UL * 1024, report.Rows.Single(r => r.Name == "frames (PFN range)").MeminfoBytes);
        Assert.Equal([(FrameFlags)Anonymous, (FrameFlags)File, (FrameFlags)Slab, FrameFlags.None],
            report.Combinations.OrderBy(c => c.Flags == FrameFlags.None).ThenByDescending(c => c.MapCountSum).ThenByDescending(c => c.Frames).Select(c => c.Flags));
    }

    /// <summary>
    /// Without --map-counts the census reads kpagecount only for the pages of mapped large folios and
    /// counts a small page mapped when it is marked mmap: every row but the sum is what reading every
    /// mapped frame's count gives, a partly mapped THP included (its unmapped pages carry mmap too).
    /// </summary>
    [Fact]
    public void TheMappedRowsFromFlagsAndLargeFolioCountsAreTheRowsFromEveryCount()
    {
        const ulong thp = (ulong)(FrameFlags.Anonymous | FrameFlags.Mmap | FrameFlags.Lru | FrameFlags.SwapBacked | FrameFlags.Thp);
        var flags = new ulong[3000];
        var counts = new ulong[3000];
        for (int i = 0; i < 1000; i++) (flags[i], counts[i]) = (Anonymous, 2);
        // A 2 MiB anonymous THP of which a process maps the first 100 pages.
        flags[1024] = thp | (ulong)FrameFlags.CompoundHead;
        for (int i = 1025; i < 1536; i++) flags[i] = thp | (ulong)FrameFlags.CompoundTail;
        for (int i = 1024; i < 1124; i++) counts[i] = 1;
        for (int i = 1536; i < 2000; i++) (flags[i], counts[i]) = (File, (ulong)(i % 3 + 1));
        for (int i = 2000; i < 2500; i++) flags[i] = (ulong)FrameFlags.Lru;
        using var frames = new FakeFrameSource(flags, counts, s_files);
        var every = FrameCensus.Take(frames, FrameFilter.Parse([]), sumMapCounts: true);
        var fromFlags = FrameCensus.Take(frames, FrameFilter.Parse([]), sumMapCounts: false);
        Assert.Equal(1100UL, Row(fromFlags, "anonymous, mapped"));
        Assert.Equal(1564UL, Row(fromFlags, "mapped by a process"));
        Assert.Equal(every.Rows.Where(r => r.Id != "map-count-sum"), fromFlags.Rows);
        Assert.Equal(every.Combinations.Select(c => (c.Flags, c.Frames, c.MappedFrames)), fromFlags.Combinations.Select(c => (c.Flags, c.Frames, c.MappedFrames)));
        Assert.All(fromFlags.Combinations, c => Assert.Null(c.MapCountSum));
        Assert.Equal(2000UL + 100 + 927, Row(every, "page-table mappings of frames"));
        Assert.Contains(fromFlags.Notes, n => n.Contains("--map-counts"));
    }

    /// <summary>
    /// A hugetlbfs page is dirty and, once mapped, carries the mmap flag, yet meminfo counts it under
    /// Hugetlb only: with a 1 GiB pool page reserved, "file dirty" read 1 GiB beside a Dirty of 6 MB.
    /// </summary>
    [Fact]
    public void HugetlbPagesAreNotCountedAsPageCacheOrFileDirty()
    {
        const ulong hugetlb = (ulong)(FrameFlags.Huge | FrameFlags.Dirty | FrameFlags.CompoundHead | FrameFlags.Mmap);
        const ulong dirtyFile = (ulong)(FrameFlags.Lru | FrameFlags.Dirty);
        var flags = new ulong[3000];
        for (int i = 0; i < 512; i++) flags[i] = hugetlb;
        for (int i = 512; i < 600; i++) flags[i] = dirtyFile;
        using var frames = new FakeFrameSource(flags, null, s_files);
        var report = FrameCensus.Take(frames, FrameFilter.Parse([]));
        Assert.Equal(512UL, Row(report, "hugetlbfs"));
        Assert.Equal(88UL, Row(report, "file dirty"));
        Assert.Equal(88UL, Row(report, "file-backed (page cache)"));
        Assert.Equal(600UL, Row(report, "dirty"));
    }

    [Fact]
    public void ACensusOfARangeCountsOnlyItsFrames()
    {
        using var frames = Frames();
        var report = FrameCensus.Take(frames, FrameFilter.Parse([]), 900, 1100);
        Assert.False(report.WholeMachine);
        Assert.Equal(100UL, Row(report, "anonymous"));
        Assert.Equal(100UL, Row(report, "file-backed (page cache)"));
    }

    [Fact]
    public void ThePhysicalMapClassifiesFramesFromAFakeSourceWithoutProc()
    {
        using var frames = Frames();
        var map = PhysicalMap.Draw(frames, targetCells: 64);
        Assert.Equal(3000UL, map.FrameLimit);
        Assert.Equal((1000UL, 1000UL, 500UL, 500UL), (map.Total[FrameKind.Anonymous], map.Total[FrameKind.File], map.Total[FrameKind.Slab], map.Total[FrameKind.Unflagged]));
        var ram = Assert.Single(map.Ranges, r => r.Range.IsSystemRam);
        Assert.Equal(3000UL, ram.Kinds.Counts.Aggregate(0UL, (s, c) => s + c));
        Assert.Equal(3000UL, map.Cells.Aggregate(0UL, (s, c) => s + c.Frames));
    }

    /// <summary>
    /// A source that keeps only what the census and the map counted (as a snapshot does) answers the
    /// same census, filtered or not, and the same map as the frames they were counted from.
    /// </summary>
    [Fact]
    public void ASourceOfKeptTalliesAnswersAsTheFramesTheyWereCountedFrom()
    {
        using var frames = Frames();
        var census = FrameCensus.Take(frames, FrameFilter.Parse([]));
        var map = PhysicalMap.Draw(frames, targetCells: 64);
        using var kept = new FakeFrameSource(null, null, s_files,
            new FrameTallies(census.StartPfn, census.EndPfn, census.Combinations, map.FramesPerCell, map.Cells, map.Ranges, census.Uninitialised));

        Assert.Equal(Describe(census), Describe(FrameCensus.Take(kept, FrameFilter.Parse([]))));
        var anonymous = FrameFilter.Parse(["anon"]);
        Assert.Equal(Describe(FrameCensus.Take(frames, anonymous)), Describe(FrameCensus.Take(kept, anonymous)));
        var fromKept = PhysicalMap.Draw(kept);
        Assert.Equal(map.Total.Counts, fromKept.Total.Counts);
        Assert.Equal(map.Cells.Select(c => (c.FirstPfn, string.Join(',', c.Counts))), fromKept.Cells.Select(c => (c.FirstPfn, string.Join(',', c.Counts))));
        Assert.Throws<InvalidRequestException>(() => FrameCensus.Take(kept, FrameFilter.Parse([]), 0, 100));
    }

    private static string Describe(FrameCensusReport report) =>
        string.Join('\n', report.Rows.Select(r => $"{r.Name} {r.Frames} {r.MeminfoBytes}").Concat(report.Combinations.Select(c => $"{c.Flags} {c.Frames} {c.MappedFrames} {c.MapCountSum}")));

    /// <summary>
    /// Memory not yet initialised, found by the census's scan as it goes, is the run <see cref="UninitialisedMemory.Locate"/>
    /// finds reading the top of the zone: above the highest used frame of the zone's top present − managed
    /// frames, from a block boundary (chunks of 1,000 frames here, so the run crosses chunk edges).
    /// </summary>
    [Theory]
    [InlineData(5000)]      // a used frame inside the window: the run starts at the next block
    [InlineData(3500)]      // used frames only below the window (8192 − (8192 − 3700)): the run is the whole window from a block boundary
    [InlineData(8191)]      // the top frame used: no run
    public void TheCensusFindsUninitialisedMemoryAsLocateDoes(int highestUsed)
    {
        var flags = new ulong[8192];
        for (int i = 0; i <= highestUsed; i += 7) flags[i] = Slab;
        flags[highestUsed] = Slab;
        var files = new Dictionary<MachineFile, string>(s_files)
        {
            [MachineFile.Zoneinfo] = "Node 0, zone   Normal\n  pages free     0\n        spanned  8192\n        present  8192\n        managed  3700\n  start_pfn:           0\n",
        };
        using var frames = new FakeFrameSource(flags, null, files);
        var located = UninitialisedMemory.Locate(frames, frames.ReadZones());
        var census = FrameCensus.Take(frames, FrameFilter.All);
        Assert.Equal(located, census.Uninitialised);
        Assert.Equal(highestUsed == 8191 ? [] : new[] { new FrameRange(highestUsed < 3700 ? 4096UL : 5120UL, 8192) }, census.Uninitialised);
    }
}
