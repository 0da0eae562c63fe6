using System.Runtime.InteropServices;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// The machine's frames as a snapshot taken with --frames keeps them, checked: the census within the
/// machine's frames, the physical map's cells covering them exactly, iomem ranges in order and within
/// the physical address space, each count within what its cell or range can hold.
/// </summary>
internal sealed record SavedFrames(SavedFrameLimits Limits, IReadOnlyList<FlagCombination> Census, IReadOnlyList<KindCounts> Cells,
    IReadOnlyList<RangeContents> Ranges, string MeminfoText, string BuddyinfoText, string ZoneinfoText, IReadOnlyList<FrameRange> Uninitialised)
{
    private static readonly int s_kinds = Enum.GetValues<FrameKind>().Length;
    private static readonly string[] s_files = ["buddyinfo", "meminfo", "uninitialised", "zoneinfo"];

    /// <summary>Reads the frame tables through <paramref name="rows"/> (which checks each table's checksum).</summary>
    /// <returns>Null when the snapshot was taken without --frames (and its frame tables are empty).</returns>
    public static SavedFrames? Read(SnapshotMeta meta, Func<SnapshotTable, List<StoredRow>> rows)
    {
        var files = rows(SnapshotFormat.MachineFiles);
        var census = rows(SnapshotFormat.FrameCensus);
        var cells = rows(SnapshotFormat.PhysmapCells);
        var ranges = rows(SnapshotFormat.PhysmapRanges);
        if (meta.Frames is not { } limits)
        {
            foreach (var (table, list) in new[] { (SnapshotFormat.MachineFiles, files), (SnapshotFormat.FrameCensus, census), (SnapshotFormat.PhysmapCells, cells), (SnapshotFormat.PhysmapRanges, ranges) })
                if (list.Count > 0) throw new SnapshotContentException(table.Name, "rows, in a snapshot that meta says was taken without --frames");
            return null;
        }
        var texts = ReadFiles(files);
        // The files are kept as text (the frame source hands them out as the live machine does), parsed here once to refuse bad ones.
        Parse(texts, "meminfo", t => ProcMeminfo.Parse(t, "the saved meminfo"));
        Parse(texts, "buddyinfo", t => ProcBuddyinfo.Parse(t, "the saved buddyinfo"));
        Parse(texts, "zoneinfo", t => ProcZoneinfo.Parse(t, "the saved zoneinfo"));
        return new SavedFrames(limits, ReadCensus(census, limits), ReadCells(cells, limits), ReadRanges(ranges, meta.Machine.PageSize),
            texts["meminfo"], texts["buddyinfo"], texts["zoneinfo"], ReadUninitialised(texts["uninitialised"], limits));
    }

    /// <summary>Where memory not yet initialised lay: ordered runs within the machine's frames.</summary>
    private static IReadOnlyList<FrameRange> ReadUninitialised(string text, SavedFrameLimits limits)
    {
        try
        {
            var runs = UninitialisedMemory.Parse(text);
            if (runs.Count > 0 && runs[^1].EndPfn > limits.FrameLimit)
                throw new InvalidDataException($"uninitialised memory ends at frame 0x{runs[^1].EndPfn:x}, beyond the last frame 0x{limits.FrameLimit:x}");
            return runs;
        }
        catch (InvalidDataException e)
        {
            throw new SnapshotContentException(SnapshotFormat.MachineFiles.Name, e.Message);
        }
    }

    private static Dictionary<string, string> ReadFiles(List<StoredRow> rows)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows) texts[row.Text(0)] = row.Text(1);
        if (!texts.Keys.Order(StringComparer.Ordinal).SequenceEqual(s_files))
            throw new SnapshotContentException(SnapshotFormat.MachineFiles.Name, $"files {string.Join(", ", texts.Keys.Select(SnapshotMeta.Shown))}, not {string.Join(", ", s_files)}");
        return texts;
    }

    private static T Parse<T>(Dictionary<string, string> texts, string name, Func<string, T> parse)
    {
        try
        {
            return parse(texts[name]);
        }
        catch (KernelDataException e)
        {
            throw new SnapshotContentException(SnapshotFormat.MachineFiles.Name, e.Message);
        }
    }

    /// <summary>Flag sets with their frames: no more frames than the census covers, mapped ones among them.</summary>
    private static List<FlagCombination> ReadCensus(List<StoredRow> rows, SavedFrameLimits limits)
    {
        var census = new List<FlagCombination>(rows.Count);
        ulong total = 0, covered = limits.CensusEnd - limits.CensusStart;
        foreach (var row in rows)
        {
            ulong frames = (ulong)row.Integer(1, 1, (long)MachineLimits.FrameLimit);
            ulong mapped = (ulong)row.Integer(2, 0, (long)frames);
            total += frames;
            if (total > covered) throw row.Invalid($"its flag sets count more frames than the {covered} of the census");
            census.Add(new FlagCombination((FrameFlags)row.Integer(0), frames, mapped, (ulong)row.Integer(3, 0, long.MaxValue)));
        }
        return census;
    }

    /// <summary>The cells: one per <see cref="SavedFrameLimits.FramesPerCell"/> frames from 0 to the frame limit, none missing.</summary>
    private static List<KindCounts> ReadCells(List<StoredRow> rows, SavedFrameLimits limits)
    {
        ulong perCell = limits.FramesPerCell;
        ulong expected = limits.FrameLimit / perCell + (limits.FrameLimit % perCell == 0 ? 0UL : 1);
        if ((ulong)rows.Count != expected)
            throw new SnapshotContentException(SnapshotFormat.PhysmapCells.Name, $"{rows.Count} cells, where {limits.FrameLimit} frames in cells of {perCell} make {expected}");
        var cells = new List<KindCounts>(rows.Count);
        foreach (var row in rows)
        {
            ulong first = (ulong)cells.Count * perCell;
            if ((ulong)row.Integer(0) != first) throw row.Invalid($"cell {cells.Count} starts at frame {row.Integer(0)}, not {first}");
            ulong frames = Math.Min(perCell, limits.FrameLimit - first);
            if ((ulong)row.Integer(1) != frames) throw row.Invalid($"cell {cells.Count} covers {row.Integer(1)} frames, not {frames}");
            cells.Add(new KindCounts(first, frames, Counts(row, 2, frames)));
        }
        return cells;
    }

    /// <summary>The top-level iomem ranges: in order, apart, within the physical address space.</summary>
    private static List<RangeContents> ReadRanges(List<StoredRow> rows, int pageSize)
    {
        var ranges = new List<RangeContents>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Integer(0) != ranges.Count) throw row.Invalid($"range {row.Integer(0)} follows range {ranges.Count - 1}");
            ulong start = (ulong)row.Integer(1), end = (ulong)row.Integer(2);
            if (start > end || end >> MachineLimits.PhysicalAddressBits != 0)
                throw row.Invalid($"range {ranges.Count} (0x{start:x}-0x{end:x}) is not a range of the {MachineLimits.PhysicalAddressBits}-bit physical address space");
            if (ranges.Count > 0 && start <= ranges[^1].Range.End) throw row.Invalid($"range {ranges.Count} (0x{start:x}-0x{end:x}) overlaps or precedes the range before it");
            ulong first = start / (ulong)pageSize, frames = end / (ulong)pageSize + 1 - first;
            ranges.Add(new RangeContents(new PhysicalRange(start, end, row.Text(3)), new KindCounts(first, frames, Counts(row, 4, frames))));
        }
        return ranges;
    }

    /// <summary>Frames per kind, as the writer packed them (one 64-bit count per <see cref="FrameKind"/>): no more than <paramref name="frames"/> in all.</summary>
    private static ulong[] Counts(StoredRow row, int column, ulong frames)
    {
        byte[] bytes = row.Blob(column);
        if (bytes.Length != s_kinds * sizeof(ulong)) throw row.Invalid($"{bytes.Length} bytes of counts, where {s_kinds} kinds take {s_kinds * sizeof(ulong)}");
        var counts = MemoryMarshal.Cast<byte, ulong>(bytes).ToArray();
        ulong sum = 0;
        foreach (ulong count in counts)
        {
            if (count > frames - sum) throw row.Invalid($"its counts add up to more than its {frames} frames");
            sum += count;
        }
        return counts;
    }
}
