using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>composition's text: the figures per class (and per VMA with --vmas) in kB, as smaps spells them.</summary>
internal static class CompositionText
{
    private static readonly string[] s_columns = ["Rss", "Pss", "Uss", "Shared", "Dirty", "Swap", "Anon", "File", "THP", "KSM", "Zero pg", "Hugetlb"];

    public static void Write(CliConsole console, CompositionReport report, bool listVmas)
    {
        using var output = console.OpenText();
        int pageSize = report.Machine.PageSize;
        output.WriteLine($"pid {report.Pid} ({TerminalText.Escape(report.Command)}): sizes in kB, as in /proc/{report.Pid}/smaps");
        output.WriteLine();
        // The part of Swap that shared-memory objects keep gets a column of its own only when there is some.
        bool sharedSwap = report.Total.SharedSwapped > 0;
        var columns = Columns("Class", "VMAs", sharedSwap);
        ColumnWriter.Write(output, columns, report.Classes, (c, cells) =>
        {
            cells[0] = TerminalText.Escape(c.Class.ToString());
            cells[1] = c.Vmas.ToString();
            Cells(c.Counts, pageSize, sharedSwap, cells);
        }, ["total", report.Vmas.Count.ToString(), .. Cells(report.Total, pageSize, sharedSwap, new string[columns.Length])[2..]]);
        if (listVmas)
        {
            // One line per VMA, streamed: a process can have tens of thousands.
            output.WriteLine();
            ColumnWriter.Write(output, Columns("VMA", "Class", sharedSwap), report.Vmas, (v, cells) =>
            {
                var vma = v.Vma.Vma;
                cells[0] = TerminalText.Escape($"{vma.Start:x}-{vma.End:x} {vma.Permissions.ToMapsString()} {vma.Path}");
                cells[1] = TerminalText.Escape(v.Vma.Class.ToString());
                Cells(v.Counts, pageSize, sharedSwap, cells);
            });
        }
        output.WriteLine();
        output.WriteLine("Pss: each page's size divided by the number of page tables mapping it; Uss: pages mapped only here; Shared: mapped elsewhere too.");
        foreach (var note in report.Notes) output.WriteLine($"note: {TerminalText.Escape(note)}");
    }

    /// <summary>Two text columns, then the figures (with "of it shm" after Swap when shared memory holds some); the last figure is not padded, as the last column never is.</summary>
    private static Column[] Columns(string first, string second, bool sharedSwap) =>
        [new(first), new(second), .. s_columns.SelectMany(c => sharedSwap && c == "Swap"
            ? new[] { new Column(c, RightAligned: true), new Column("of it shm", RightAligned: true) }
            : [new Column(c, RightAligned: true)])];

    /// <summary>Puts the figures in <paramref name="cells"/> after the two text columns.</summary>
    private static string[] Cells(CompositionCounts c, int pageSize, bool sharedSwap, string[] cells)
    {
        // Written straight into the row's cells: tens of thousands of rows pass through here twice.
        ulong kb = (ulong)pageSize / 1024;
        int i = 2;
        cells[i++] = (c.Resident * kb).ToString();
        cells[i++] = (c.PssBytes / 1024).ToString();
        cells[i++] = (c.Unique * kb).ToString();
        cells[i++] = (c.Shared * kb).ToString();
        cells[i++] = (c.Dirty * kb).ToString();
        cells[i++] = (c.AllSwapped * kb).ToString();
        if (sharedSwap) cells[i++] = (c.SharedSwapped * kb).ToString();
        cells[i++] = (c.Anonymous * kb).ToString();
        cells[i++] = (c.FileBacked * kb).ToString();
        cells[i++] = (c.AnonymousHuge * kb).ToString();
        cells[i++] = (c.Ksm * kb).ToString();
        cells[i++] = (c.ZeroPage * kb).ToString();
        cells[i] = (c.Hugetlb * kb).ToString();
        return cells;
    }
}
