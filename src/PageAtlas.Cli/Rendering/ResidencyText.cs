using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>maps's text: every VMA with its class and page counts, streamed row by row (<see cref="ColumnWriter"/>), then the notes.</summary>
internal static class ResidencyText
{
    public static void Write(CliConsole console, ResidencyReport report)
    {
        using var output = console.OpenText();
        int pageSize = report.Machine.PageSize;
        output.WriteLine($"pid {report.Pid} ({TerminalText.Escape(report.Command)}) — {report.Vmas.Count} VMAs, page size {pageSize}, {report.Machine.Paging} paging");
        output.WriteLine();
        // Shared swap, guard regions, kernel markers and zero-page mappings are rare: their columns appear only when some page is one.
        var t = report.Total;
        var counts = new List<(string Name, Action<ResidencyCounts, RowCells> Cell)>
        {
            ("Present", (c, cell) => Pages(cell, c.Present, c.HugeLeafPages)),
            ("Swapped", (c, cell) => cell.Number(c.Swapped)),
        };
        if (t.SharedSwapped > 0) counts.Add(("Shared swap", (c, cell) => cell.Number(c.SharedSwapped)));
        if (t.ZeroPage > 0) counts.Add(("Zero page", (c, cell) => cell.Number(c.ZeroPage)));
        if (t.Guard > 0) counts.Add(("Guard", (c, cell) => cell.Number(c.Guard)));
        if (t.Markers > 0) counts.Add(("Markers", (c, cell) => cell.Number(c.Markers)));
        counts.Add(("Not populated", (c, cell) => cell.Number(c.NotPopulated)));

        Column[] columns = [
            new("Start"), new("End"), new("Perms"), new("Offset"), new("Dev"), new("Inode"), new("Class"), new("Size", RightAligned: true),
            .. counts.Select(c => new Column(c.Name, RightAligned: true)), new("Path")];
        const int FirstCount = 8;
        string[] footer = ["total", "", "", "", "", "", $"{report.Vmas.Count} VMAs", HumanOutput.Bytes(t.Pages * (ulong)pageSize),
            .. counts.Select(c => CellText(c.Cell, t)), $"resident {HumanOutput.Bytes(t.Present * (ulong)pageSize)}"];
        ColumnWriter.WriteCells(output, columns, report.Vmas, (row, cells) =>
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
            cells.At(6).Text(segment.Owner is null && segment.ThreadId is null ? segment.KindName : TerminalText.Escape(segment.ToString()));
            cells.At(7).Bytes(vma.Size);
            for (int i = 0; i < counts.Count; i++) counts[i].Cell(row.Counts, cells.At(FirstCount + i));
            cells.At(columns.Length - 1).Text(TerminalText.Escape(vma.Path));
            if (vma.IsDeleted) cells.Text(" (deleted)");
        }, footer);
        output.WriteLine();
        output.WriteLine("Columns count pages; 'thp' marks pages mapped by 2 MiB leaves. Resident excludes zero-page mappings, as smaps' Rss does.");
        foreach (var note in report.Notes) output.WriteLine($"note: {note}");
        foreach (var row in report.Vmas)
        {
            if (row.Vma.Note is { } vmaNote)
                output.WriteLine($"note: {row.Vma.Vma.Start:x}-{row.Vma.Vma.End:x} {TerminalText.Escape(row.Vma.Vma.Path)}: {TerminalText.Escape(vmaNote)}");
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
