using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>
/// maps's text: every VMA with its class and page counts, then the notes. Each row is measured as
/// soon as its VMA's pages are counted (<see cref="ColumnWidths"/>), while the reading thread goes on
/// with the next pages; once all are read the table is written (<see cref="TextTable"/>), its rows
/// formatted on two threads.
/// </summary>
internal static class ResidencyText
{
    // Which columns give way first at a narrow width: device and inode (the path names the file),
    // then the offset, the rarer counts, swap, the end (start and size say it), permissions; the start, present pages and the path stay.
    private const int DeviceAndInode = 0, OffsetPriority = 1, NotPopulated = 2, RareCounts = 3, SwappedPriority = 4, EndPriority = 5, PermsPriority = 6, ClassPriority = 7, SizePriority = 8;

    /// <summary>The columns before the page counts (Start … Size).</summary>
    private const int FirstCount = 8;

    /// <summary>A page-count column: its heading, its cell, and whether a process's totals call for it.</summary>
    internal sealed record CountColumn(Column Column, Action<ResidencyCounts, RowCells> Cell, Func<ResidencyCounts, bool> Shown);

    // Shared swap, guard regions, kernel markers and zero-page mappings are rare: their columns appear only when some page is one.
    private static readonly CountColumn[] s_counts =
    [
        new(new("Present", ColumnKind.Number), (c, cell) => Pages(cell, c.Present, c.HugeLeafPages), _ => true),
        new(new("Swapped", ColumnKind.Number, SwappedPriority), (c, cell) => cell.Number(c.Swapped), _ => true),
        new(new("Shared swap", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.SharedSwapped), t => t.SharedSwapped > 0),
        new(new("Zero page", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.ZeroPage), t => t.ZeroPage > 0),
        new(new("Guard", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.Guard), t => t.Guard > 0),
        new(new("Markers", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.Markers), t => t.Markers > 0),
        new(new("Not populated", ColumnKind.Number, NotPopulated), (c, cell) => cell.Number(c.NotPopulated), _ => true),
    ];

    /// <summary>A process's rows, counted and measured, to be written once nothing else is on the terminal (a progress line).</summary>
    internal sealed record Counted(ResidencyReport Report, CountColumn[] Counts, ColumnWidths Widths);

    /// <summary>
    /// Counts <paramref name="target"/>'s pages (<see cref="Residency.Measure(IMemoryTarget, Action{VmaResidency})"/>),
    /// measuring each row for <paramref name="layout"/>'s sizes as it comes.
    /// </summary>
    public static Counted Count(IMemoryTarget target, TextLayout layout)
    {
        // Every count column is measured; the totals then say which are shown.
        var everyFill = Fill(s_counts, layout.Sizes(target.Machine.PageSize));
        var measured = new ColumnWidths(FirstCount + s_counts.Length + 1);
        var report = Residency.Measure(target, row => measured.Add(row, everyFill));
        var shown = Enumerable.Range(0, s_counts.Length).Where(i => s_counts[i].Shown(report.Total)).ToList();
        List<int> measuredColumns = [.. Enumerable.Range(0, FirstCount), .. shown.Select(i => FirstCount + i), FirstCount + s_counts.Length];
        return new Counted(report, [.. shown.Select(i => s_counts[i])], measured.Select(measuredColumns));
    }

    /// <summary>Writes the rows <see cref="Count"/> counted.</summary>
    public static void Write(CliConsole console, Counted counted, TextLayout layout)
    {
        var (report, counts, measured) = counted;
        using var output = console.OpenText(layout);
        int pageSize = report.Machine.PageSize;
        var sizes = layout.Sizes(pageSize);
        output.WriteParagraph($"pid {report.Pid} ({TerminalText.Escape(report.Command)}) — {report.Vmas.Count} VMAs, page size {pageSize}, {report.Machine.Paging} paging");
        output.WriteLine();
        var t = report.Total;
        Column[] columns = [.. Columns(counts)];
        string[] footer = ["total", "", "", "", "", "", $"{report.Vmas.Count} VMAs", sizes.Text(t.Pages * (ulong)pageSize),
            .. counts.Select(c => CellText(c.Cell, t)), $"resident {sizes.Text(t.Present * (ulong)pageSize)}"];
        TextTable.WriteCells(output, columns, report.Vmas, Fill(counts, sizes), RowFill.AnyThread, measured, footer);
        output.WriteLine();
        output.WriteParagraph("Page columns count pages; 'thp' marks pages mapped by 2 MiB leaves. Resident excludes zero-page mappings, as smaps' Rss does.");
        foreach (var note in report.Notes) output.WriteParagraph($"note: {note}", indent: 6);
        foreach (var row in report.Vmas)
        {
            if (row.Vma.Note is { } vmaNote)
                output.WriteParagraph($"note: {row.Vma.Vma.Start:x}-{row.Vma.Vma.End:x} {TerminalText.Escape(row.Vma.Vma.Path)}: {TerminalText.Escape(vmaNote)}", indent: 6);
        }
    }

    private static IEnumerable<Column> Columns(CountColumn[] counts) =>
    [
        new("Start", ColumnKind.Address), new("End", ColumnKind.Address, EndPriority), new("Perms", ColumnKind.Text, PermsPriority),
        new("Offset", ColumnKind.Address, OffsetPriority), new("Dev", ColumnKind.Text, DeviceAndInode), new("Inode", ColumnKind.Number, DeviceAndInode),
        new("Class", ColumnKind.Text, ClassPriority), new("Size", ColumnKind.Size, SizePriority),
        .. counts.Select(c => c.Column), new("Path", ColumnKind.Path),
    ];

    /// <summary>A row's cells, with these count columns; it only reads its row (it may run on two threads at once).</summary>
    private static Action<VmaResidency, RowCells> Fill(CountColumn[] counts, SizeFormat sizes) => (row, cells) =>
    {
        var vma = row.Vma.Vma;
        cells.At(0).Hex(vma.Start);
        cells.At(1).Hex(vma.End);
        cells.At(2).Text(vma.Permissions.ToMapsString());
        cells.At(3).Hex(vma.Offset);
        cells.At(4).Hex(vma.DeviceMajor, 2).Text(":").Hex(vma.DeviceMinor, 2); // as Vma.Device spells it
        cells.At(5).Number(vma.Inode);
        // A class with no owner and no thread is its kind's name, a constant with nothing to escape.
        var segment = row.Vma.Class;
        cells.At(6).Text(segment.Owner is null && segment.ThreadId is null ? segment.KindName : TerminalText.Escape(segment.ToString())).Colour(TerminalColours.Of(segment));
        cells.At(7).Size(vma.Size, sizes);
        for (int i = 0; i < counts.Length; i++) counts[i].Cell(row.Counts, cells.At(FirstCount + i));
        cells.At(FirstCount + counts.Length).Text(TerminalText.Escape(vma.Path));
        if (vma.IsDeleted) cells.Text(" (deleted)");
    };

    private static void Pages(RowCells cell, ulong present, ulong huge)
    {
        cell.Number(present);
        if (huge != 0) cell.Text(" (").Number(huge).Text(" thp)");
    }

    /// <summary>A cell's text on its own (for the total row).</summary>
    private static string CellText(Action<ResidencyCounts, RowCells> write, ResidencyCounts counts)
    {
        var cell = new RowCells(1);
        write(counts, cell.At(0));
        return cell[0].ToString();
    }
}
