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
            (scratch, firstPfn, flags, _) => Classify(firstPfn, flags, perCell, cellCounts, scratch.Cell, ram, ramCounts, scratch.Range, notInitialised),
            _ => { });

        var cells = new KindCounts[cellCount];
        for (int c = 0; c < cellCount; c++)
        {
            ulong first = (ulong)c * perCell;
            cells[c] = new KindCounts(first, Math.Min(perCell, limit - first), cellCounts.AsSpan(c * s_kinds, s_kinds).ToArray());
        }
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
    private static void Classify(ulong firstPfn, ReadOnlySpan<ulong> flags, ulong perCell, ulong[] cellCounts, ulong[] scratch,
        (ulong Start, ulong End)[] ram, ulong[] ramCounts, ulong[] rangeScratch, FrameRange[] notInitialised)
    {
        int freeLeft = 0;
        int range = 0;
        int run = 0;        // the first uninitialised run that does not end before the current frame
        int inRange = -1;   // the RAM range whose tally rangeScratch holds, −1 outside RAM
        ulong cell = firstPfn / perCell;
        for (int i = 0; i < flags.Length; i++)
        {
            ulong pfn = firstPfn + (ulong)i;
            if (pfn / perCell != cell)
            {
                Flush((int)cell, scratch, cellCounts);
                cell = pfn / perCell;
            }
            while (range < ram.Length && ram[range].End <= pfn) range++;
            int nowIn = range < ram.Length && pfn >= ram[range].Start ? range : -1;
            if (nowIn != inRange)
            {
                if (inRange >= 0) Flush(inRange, rangeScratch, ramCounts);
                inRange = nowIn;
            }
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
