using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>
/// The physical map zoomed to a range (the explorer's /api/{source}/physmap): cells that add up to
/// the frames of the range, one frame a cell at the closest zoom with each frame's own kind, and a
/// free block's frames counted free even when the range starts after the block's head.
/// </summary>
public class PhysicalMapCellsTests
{
    private static readonly Dictionary<MachineFile, string> s_files = new()
    {
        [MachineFile.Zoneinfo] = "Node 0, zone   Normal\n  pages free     0\n        spanned  4096\n        present  4096\n        managed  4096\n  start_pfn:           0\n",
        [MachineFile.Iomem] = "00000000-00ffffff : System RAM\n",
    };

    /// <summary>4,096 frames: anonymous, file and slab thirds, then a free block whose head is frame 2,048 (the rest of it unflagged), a slab frame at 2,056.</summary>
    private static FakeFrameSource Frames()
    {
        var flags = new ulong[4096];
        for (int i = 0; i < 700; i++) flags[i] = (ulong)FrameFlags.Anonymous;
        for (int i = 700; i < 1400; i++) flags[i] = (ulong)FrameFlags.Lru;
        for (int i = 1400; i < 2048; i++) flags[i] = (ulong)FrameFlags.Slab;
        flags[2048] = (ulong)FrameFlags.Buddy;
        flags[2056] = (ulong)FrameFlags.Slab;
        for (int i = 2057; i < 4096; i++) flags[i] = (ulong)FrameFlags.Lru;
        return new FakeFrameSource(flags, new ulong[4096], s_files);
    }

    private static ulong Sum(PhysicalMapCells map, FrameKind kind) => map.Cells.Aggregate(0UL, (s, c) => s + c[kind]);

    [Theory]
    [InlineData(0UL, 4096UL, 7)]
    [InlineData(650UL, 1450UL, 64)]
    [InlineData(1000UL, 1003UL, 4096)]
    public void CellsAddUpToTheFramesOfTheRange(ulong start, ulong end, int cells)
    {
        using var frames = Frames();
        var map = PhysicalMap.Cells(frames, start, end, cells);
        Assert.True(map.SingleFrames);
        Assert.Equal((start, end), (map.StartPfn, map.EndPfn));
        Assert.True(map.Cells.Count <= cells);
        Assert.Equal(end - start, map.Cells.Aggregate(0UL, (s, c) => s + c.Frames));
        Assert.All(map.Cells, c => Assert.Equal(c.Frames, c.Counts.Aggregate(0UL, (s, n) => s + n)));
        Assert.Equal(map.Cells.Select((_, i) => start + ((ulong)i * map.FramesPerCell)), map.Cells.Select(c => c.FirstPfn));
    }

    [Fact]
    public void TheWholeRangeCountsAsTheOverviewDoes()
    {
        using var frames = Frames();
        var overview = PhysicalMap.Draw(frames, targetCells: 4);
        var cells = PhysicalMap.Cells(frames, 0, 4096, 3);
        Assert.Equal(overview.Total.Counts, Enum.GetValues<FrameKind>().Select(k => Sum(cells, k)));
        Assert.Single(cells.Zones);
        Assert.Equal("System RAM", Assert.Single(cells.Ranges).Name);
    }

    [Fact]
    public void OneFrameACellGivesEachFrameItsKindAndAFreeBlockStartedBeforeTheRangeStaysFree()
    {
        using var frames = Frames();
        var map = PhysicalMap.Cells(frames, 2050, 2058, 4096);
        Assert.Equal(1UL, map.FramesPerCell);
        // 2,050–2,055 lie in the free block whose head (2,048) is before the range: free, not "no flags"
        FrameKind[] expected = [.. Enumerable.Repeat(FrameKind.Free, 6), FrameKind.Slab, FrameKind.File];
        Assert.Equal(expected, map.Cells.Select(c => c.Dominant));
    }

    [Theory]
    [InlineData(0UL, 0UL, 10)]
    [InlineData(10UL, 5000UL, 10)]
    [InlineData(0UL, 100UL, 0)]
    [InlineData(0UL, 100UL, PhysicalMap.MaxCells + 1)]
    public void ABadRangeOrCellCountIsRefused(ulong start, ulong end, int cells)
    {
        using var frames = Frames();
        Assert.Throws<InvalidRequestException>(() => PhysicalMap.Cells(frames, start, end, cells));
    }
}
