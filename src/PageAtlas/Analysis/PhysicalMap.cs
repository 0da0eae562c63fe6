using System.Numerics;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>Physical memory at a glance: iomem ranges, zones, and a grid of cells, each a run of frames.</summary>
/// <param name="PageSize">Bytes per frame.</param>
/// <param name="FrameLimit">max_pfn.</param>
/// <param name="FramesPerCell">Frames each cell covers (a power of two).</param>
/// <param name="Cells">The cells, from PFN 0 to max_pfn.</param>
/// <param name="Ranges">/proc/iomem's top level, with RAM ranges' contents.</param>
/// <param name="Zones">/proc/zoneinfo's zones that have frames.</param>
/// <param name="Total">Every frame by kind.</param>
/// <param name="BuddyinfoFreePages">Free pages by /proc/buddyinfo, to weigh the free estimate against.</param>
public sealed record PhysicalMapReport(
    int PageSize, ulong FrameLimit, ulong FramesPerCell, IReadOnlyList<KindCounts> Cells, IReadOnlyList<RangeContents> Ranges,
    IReadOnlyList<MemoryZone> Zones, KindCounts Total, ulong BuddyinfoFreePages);

/// <summary>A stretch of physical memory in cells of equal size, each counted by kind (the explorer's zoomable map).</summary>
/// <param name="StartPfn">First frame of the first cell.</param>
/// <param name="EndPfn">One past the last frame of the last cell.</param>
/// <param name="FramesPerCell">Frames each cell covers (the last may cover fewer).</param>
/// <param name="Cells">The cells, in frame order.</param>
/// <param name="SingleFrames">Read frame by frame now; false: summed from the cells a snapshot kept, which no zoom refines.</param>
public sealed record PhysicalMapCells(ulong StartPfn, ulong EndPfn, ulong FramesPerCell, IReadOnlyList<KindCounts> Cells, bool SingleFrames)
{
    /// <summary>Bytes per frame.</summary>
    public int PageSize { get; init; }

    /// <summary>max_pfn: the whole map's end.</summary>
    public ulong FrameLimit { get; init; }

    /// <summary>/proc/zoneinfo's zones that have frames (the whole machine's: a view marks those in its range).</summary>
    public IReadOnlyList<MemoryZone> Zones { get; init; } = [];

    /// <summary>/proc/iomem's top-level ranges (physical addresses), as read now or as a snapshot kept them.</summary>
    public IReadOnlyList<PhysicalRange> Ranges { get; init; } = [];
}

/// <summary>
/// Draws what every physical frame holds (RAMMap's "Physical Ranges" at a glance): one pass over
/// kpageflags, each frame given a kind, counted per cell of a grid and per /proc/iomem range.
/// kpageflags marks only the head of a free block, so the frames after a head are counted free
/// while they carry no flags, up to the largest block the head's alignment allows (2^10 frames);
/// the estimate is shown beside /proc/buddyinfo's exact count.
/// </summary>
public static class PhysicalMap
{
    private const int MaxOrder = 10;
    private static readonly int s_kinds = Enum.GetValues<FrameKind>().Length;

    /// <summary>
    /// Maps every frame: a scan of a source that reads frames, or the map a source keeps (a snapshot
    /// keeps its cells as drawn then, whatever <paramref name="targetCells"/> asks now).
    /// </summary>
    /// <param name="source">The frames and the machine files.</param>
    /// <param name="targetCells">About how many cells the grid should have.</param>
    public static PhysicalMapReport Draw(IFrameSource source, int targetCells = 3072)
    {
        ulong limit = source.FrameLimit;
        var zones = source.ReadZones();
        var (perCell, cells, ranges) = source.Tallies is { } kept
            ? (kept.FramesPerCell, kept.Cells, kept.Ranges)
            : Scan(source, limit, source.ReadIomem(), UninitialisedMemory.Locate(source, zones), targetCells);
        var total = new KindCounts(0, limit, Enumerable.Range(0, s_kinds).Select(k => cells.Aggregate(0UL, (s, c) => s + c.Counts[k])).ToArray());
        return new PhysicalMapReport(source.Machine.PageSize, limit, perCell, cells, ranges, zones.Where(z => z.Spanned > 0).ToArray(), total,
            ProcBuddyinfo.FreePages(source.ReadBuddyinfo()));
    }

    /// <summary>
    /// The frames of [<paramref name="startPfn"/>, <paramref name="endPfn"/>) in at most
    /// <paramref name="cells"/> cells of equal size, each counted by kind: the map zoomed to a range,
    /// down to one frame a cell. A source that reads frames is scanned now; a snapshot answers from the
    /// cells it kept, never finer than they were (<see cref="PhysicalMapCells.SingleFrames"/> says which).
    /// </summary>
    /// <exception cref="InvalidRequestException">The range is empty or past max_pfn, or cells is not 1 to <see cref="MaxCells"/>.</exception>
    public static PhysicalMapCells Cells(IFrameSource source, ulong startPfn, ulong endPfn, int cells)
    {
        ulong limit = source.FrameLimit;
        if (cells < 1 || cells > MaxCells) throw new InvalidRequestException($"cells is 1 to {MaxCells:N0}");
        if (startPfn >= endPfn || endPfn > limit)
            throw new InvalidRequestException($"the frames 0x{startPfn:x}..0x{endPfn:x} are not a range within max_pfn 0x{limit:x}");
        var zones = source.ReadZones();
        var cellsOf = source.Tallies is { } kept ? FromKept(kept, startPfn, endPfn, cells) : ScanRange(source, startPfn, endPfn, cells, zones);
        return cellsOf with
        {
            PageSize = source.Machine.PageSize,
            FrameLimit = limit,
            Zones = zones.Where(z => z.Spanned > 0).ToArray(),
            Ranges = source.Tallies is { } saved ? saved.Ranges.Select(r => r.Range).ToArray() : source.ReadIomem(),
        };
    }

    /// <summary>The frames of the range read and classified now.</summary>
    private static PhysicalMapCells ScanRange(IFrameSource source, ulong startPfn, ulong endPfn, int cells, IReadOnlyList<MemoryZone> zones)
    {
        ulong length = endPfn - startPfn;
        ulong perCell = Math.Max(1, (length + (ulong)cells - 1) / (ulong)cells);
        int count = (int)((length + perCell - 1) / perCell);
        var counts = new ulong[count * s_kinds];
        var notInitialised = UninitialisedMemory.Locate(source, zones).ToArray();
        // From the max-order boundary at or below the start: the free block a frame lies in begins there or after.
        ulong scanFrom = startPfn & ~((1UL << MaxOrder) - 1);
        source.Scan(scanFrom, endPfn, MapCountReading.None, () => (Cell: new ulong[s_kinds], Range: new ulong[s_kinds]),
            (scratch, firstPfn, flags, _) => Classify(firstPfn, flags, startPfn, perCell, counts, scratch.Cell, [], [], scratch.Range, notInitialised),
            _ => { });
        return new PhysicalMapCells(startPfn, endPfn, perCell, CellsOf(counts, count, startPfn, endPfn, perCell), SingleFrames: true);
    }

    /// <summary>The most cells one answer holds.</summary>
    public const int MaxCells = 65536;

    /// <summary>A snapshot's kept cells summed into cells of a whole number of them.</summary>
    private static PhysicalMapCells FromKept(FrameTallies kept, ulong startPfn, ulong endPfn, int cells)
    {
        ulong keptCell = kept.FramesPerCell;
        ulong first = startPfn / keptCell * keptCell, end = Math.Min((endPfn + keptCell - 1) / keptCell * keptCell, kept.Cells[^1].FirstPfn + kept.Cells[^1].Frames);
        ulong perCell = Math.Max(keptCell, ((end - first + (ulong)cells - 1) / (ulong)cells + keptCell - 1) / keptCell * keptCell);
        int count = (int)((end - first + perCell - 1) / perCell);
        var counts = new ulong[count * s_kinds];
        foreach (var cell in kept.Cells)
        {
            if (cell.FirstPfn < first || cell.FirstPfn >= end) continue;
            int row = (int)((cell.FirstPfn - first) / perCell);
            for (int k = 0; k < s_kinds; k++) counts[row * s_kinds + k] += cell.Counts[k];
        }
        return new PhysicalMapCells(first, end, perCell, CellsOf(counts, count, first, end, perCell), SingleFrames: false);
    }

    private static KindCounts[] CellsOf(ulong[] counts, int count, ulong start, ulong end, ulong perCell) =>
        Enumerable.Range(0, count).Select(c =>
        {
            ulong first = start + (ulong)c * perCell;
            return new KindCounts(first, Math.Min(perCell, end - first), counts.AsSpan(c * s_kinds, s_kinds).ToArray());
        }).ToArray();

    /// <summary>Classifies every frame, counted per cell of about <paramref name="targetCells"/> and per /proc/iomem range.</summary>
    private static (ulong PerCell, KindCounts[] Cells, RangeContents[] Ranges) Scan(IFrameSource source, ulong limit,
        IReadOnlyList<PhysicalRange> ranges, IReadOnlyList<FrameRange> uninitialised, int targetCells)
    {
        int pageSize = source.Machine.PageSize;
        var notInitialised = uninitialised.ToArray();
        ulong perCell = BitOperations.RoundUpToPowerOf2(Math.Max(1, (limit + (ulong)targetCells - 1) / (ulong)targetCells));
        perCell = Math.Clamp(perCell, 1UL << MaxOrder, 128UL * 1024);   // a cell within one scan chunk, at least one max-order block
        int cellCount = (int)((limit + perCell - 1) / perCell);
        var cellCounts = new ulong[cellCount * s_kinds];
        // Each RAM range's frames are counted exactly, frame by frame, as they are classified.
        var ram = ranges.Where(r => r.IsSystemRam).Select(r => (Start: r.Start / (ulong)pageSize, End: r.End / (ulong)pageSize + 1)).ToArray();
        var ramCounts = new ulong[ram.Length * s_kinds];

        source.Scan(0, limit, MapCountReading.None, () => (Cell: new ulong[s_kinds], Range: new ulong[s_kinds]),
            (scratch, firstPfn, flags, _) => Classify(firstPfn, flags, 0, perCell, cellCounts, scratch.Cell, ram, ramCounts, scratch.Range, notInitialised),
            _ => { });

        var cells = CellsOf(cellCounts, cellCount, 0, limit, perCell);
        int ramIndex = 0;
        var contents = ranges.Select(r =>
        {
            ulong start = r.Start / (ulong)pageSize, end = r.End / (ulong)pageSize + 1;
            var counts = r.IsSystemRam ? ramCounts.AsSpan(ramIndex++ * s_kinds, s_kinds).ToArray() : new ulong[s_kinds];
            return new RangeContents(r, new KindCounts(start, end - start, counts));
        }).ToArray();
        return (perCell, cells, contents);
    }

    /// <summary>The kind of a frame with <paramref name="flags"/>, free blocks aside.</summary>
    public static FrameKind KindOf(FrameFlags flags)
    {
        if ((flags & (FrameFlags.NoPage | FrameFlags.Offline | FrameFlags.HwPoison)) != 0) return FrameKind.Absent;
        if ((flags & FrameFlags.Buddy) != 0) return FrameKind.Free;
        if ((flags & FrameFlags.Slab) != 0) return FrameKind.Slab;
        if ((flags & FrameFlags.PageTable) != 0) return FrameKind.PageTable;
        if ((flags & FrameFlags.Huge) != 0) return FrameKind.Hugetlb;
        if ((flags & FrameFlags.Anonymous) != 0) return FrameKind.Anonymous;
        if ((flags & FrameFlags.SwapBacked) != 0) return FrameKind.Shmem;
        if ((flags & (FrameFlags.Lru | FrameFlags.Mmap)) != 0) return FrameKind.File;
        if ((flags & FrameFlags.Reserved) != 0) return FrameKind.Reserved;
        return flags == FrameFlags.None ? FrameKind.Unflagged : FrameKind.Other;
    }

    /// <summary>
    /// Gives each frame of a chunk its kind, counted per cell and per RAM range in local tallies that
    /// reach the shared totals only when the frame moves into another cell or range.
    /// </summary>
    /// <remarks>
    /// Frames below <paramref name="origin"/> (cell 0's first frame) are read only for the free blocks
    /// they begin: a scan starts at a max-order boundary, so a block's head is always seen.
    /// </remarks>
    private static void Classify(ulong firstPfn, ReadOnlySpan<ulong> flags, ulong origin, ulong perCell, ulong[] cellCounts, ulong[] scratch,
        (ulong Start, ulong End)[] ram, ulong[] ramCounts, ulong[] rangeScratch, FrameRange[] notInitialised)
    {
        int freeLeft = 0;
        int range = 0;
        int run = 0;        // the first uninitialised run that does not end before the current frame
        int inRange = -1;   // the RAM range whose tally rangeScratch holds, −1 outside RAM
        ulong cell = firstPfn < origin ? 0 : (firstPfn - origin) / perCell;
        for (int i = 0; i < flags.Length; i++)
        {
            ulong pfn = firstPfn + (ulong)i;
            while (run < notInitialised.Length && notInitialised[run].EndPfn <= pfn) run++;
            var kind = KindOf((FrameFlags)flags[i]);
            if (kind == FrameKind.Unflagged && run < notInitialised.Length && pfn >= notInitialised[run].StartPfn) kind = FrameKind.Uninitialised;
            else if (kind == FrameKind.Free)
            {
                // The block can be no larger than the head's alignment allows.
                int order = pfn == 0 ? MaxOrder : Math.Min(BitOperations.TrailingZeroCount(pfn), MaxOrder);
                freeLeft = (1 << order) - 1;
            }
            else if (kind == FrameKind.Unflagged && freeLeft > 0)
            {
                kind = FrameKind.Free;
                freeLeft--;
            }
            else freeLeft = 0;
            if (pfn < origin) continue;
            if ((pfn - origin) / perCell != cell)
            {
                Flush((int)cell, scratch, cellCounts);
                cell = (pfn - origin) / perCell;
            }
            while (range < ram.Length && ram[range].End <= pfn) range++;
            int nowIn = range < ram.Length && pfn >= ram[range].Start ? range : -1;
            if (nowIn != inRange)
            {
                if (inRange >= 0) Flush(inRange, rangeScratch, ramCounts);
                inRange = nowIn;
            }
            scratch[(int)kind]++;
            if (inRange >= 0) rangeScratch[(int)kind]++;
        }
        Flush((int)cell, scratch, cellCounts);
        if (inRange >= 0) Flush(inRange, rangeScratch, ramCounts);
    }

    /// <summary>Adds a local tally into row <paramref name="row"/> of the shared totals, and clears it.</summary>
    private static void Flush(int row, ulong[] scratch, ulong[] totals)
    {
        for (int k = 0; k < scratch.Length; k++)
        {
            if (scratch[k] == 0) continue;
            Interlocked.Add(ref totals[row * scratch.Length + k], scratch[k]);
            scratch[k] = 0;
        }
    }
}
