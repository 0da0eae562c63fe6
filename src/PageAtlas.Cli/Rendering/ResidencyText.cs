using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>maps's text: every VMA with its class and page counts, streamed row by row (<see cref="TextTable"/>), then the notes.</summary>
internal static class ResidencyText
{
    // Which columns give way first at a narrow width: device and inode (the path names the file),
    // then the offset, the rarer counts, swap, the end (start and size say it), permissions; the start, present pages and the path stay.
    private const int DeviceAndInode = 0, OffsetPriority = 1, NotPopulated = 2, RareCounts = 3, SwappedPriority = 4, EndPriority = 5, PermsPriority = 6, ClassPriority = 7, SizePriority = 8;

    public static void Write(CliConsole console, ResidencyReport report, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        int pageSize = report.Machine.PageSize;
        var sizes = layout.Sizes(pageSize);
        output.WriteParagraph($"pid {report.Pid} ({TerminalText.Escape(report.Command)}) — {report.Vmas.Count} VMAs, page size {pageSize}, {report.Machine.Paging} paging");
        output.WriteLine();
        // Shared swap, guard regions, kernel markers and zero-page mappings are rare: their columns appear only when some page is one.
        var t = report.Total;
        var counts = new List<(Column Column, Action<ResidencyCounts, RowCells> Cell)>
        {
            (new("Present", ColumnKind.Number), (c, cell) => Pages(cell, c.Present, c.HugeLeafPages)),
            (new("Swapped", ColumnKind.Number, SwappedPriority), (c, cell) => cell.Number(c.Swapped)),
        };
        if (t.SharedSwapped > 0) counts.Add((new("Shared swap", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.SharedSwapped)));
        if (t.ZeroPage > 0) counts.Add((new("Zero page", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.ZeroPage)));
        if (t.Guard > 0) counts.Add((new("Guard", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.Guard)));
        if (t.Markers > 0) counts.Add((new("Markers", ColumnKind.Number, RareCounts), (c, cell) => cell.Number(c.Markers)));
        counts.Add((new("Not populated", ColumnKind.Number, NotPopulated), (c, cell) => cell.Number(c.NotPopulated)));

        Column[] columns = [
            new("Start", ColumnKind.Address), new("End", ColumnKind.Address, EndPriority), new("Perms", ColumnKind.Text, PermsPriority),
            new("Offset", ColumnKind.Address, OffsetPriority), new("Dev", ColumnKind.Text, DeviceAndInode), new("Inode", ColumnKind.Number, DeviceAndInode),
            new("Class", ColumnKind.Text, ClassPriority), new("Size", ColumnKind.Size, SizePriority),
            .. counts.Select(c => c.Column), new("Path", ColumnKind.Path)];
        const int FirstCount = 8;
        string[] footer = ["total", "", "", "", "", "", $"{report.Vmas.Count} VMAs", sizes.Text(t.Pages * (ulong)pageSize),
            .. counts.Select(c => CellText(c.Cell, t)), $"resident {sizes.Text(t.Present * (ulong)pageSize)}"];
        TextTable.WriteCells(output, columns, report.Vmas, (row, cells) =>
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
            for (int i = 0; i < counts.Count; i++) counts[i].Cell(row.Counts, cells.At(FirstCount + i));
            cells.At(columns.Length - 1).Text(TerminalText.Escape(vma.Path));
            if (vma.IsDeleted) cells.Text(" (deleted)");
        }, footer);
        output.WriteLine();
        output.WriteParagraph("Page columns count pages; 'thp' marks pages mapped by 2 MiB leaves. Resident excludes zero-page mappings, as smaps' Rss does.");
        foreach (var note in report.Notes) output.WriteParagraph($"note: {note}", indent: 6);
        foreach (var row in report.Vmas)
        {
            if (row.Vma.Note is { } vmaNote)
                output.WriteParagraph($"note: {row.Vma.Vma.Start:x}-{row.Vma.Vma.End:x} {TerminalText.Escape(row.Vma.Vma.Path)}: {TerminalText.Escape(vmaNote)}", indent: 6);
        }
    }

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
