using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>composition's text: the figures per class (and per VMA with --vmas), counted as smaps counts them.</summary>
internal static class CompositionText
{
    // The figures in smaps's order, with how much each matters at a narrow width: Rss, Pss and Uss stay.
    private static readonly (string Name, int Priority)[] s_figures =
        [("Rss", Column.Always), ("Pss", Column.Always), ("Uss", Column.Always), ("Shared", 6), ("Dirty", 4), ("Swap", 5),
         ("Anon", 3), ("File", 3), ("THP", 2), ("KSM", 1), ("Zero pg", 1), ("Hugetlb", 1)];

    public static void Write(CliConsole console, CompositionReport report, bool listVmas, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        var sizes = layout.Sizes(report.Machine.PageSize);
        string unit = sizes.UnitName is { Length: > 0 } name ? name : "human sizes (K = 1024 bytes)";
        output.WriteParagraph($"pid {report.Pid} ({TerminalText.Escape(report.Command)}): {unit}, counted as /proc/{report.Pid}/smaps counts them");
        output.WriteLine();
        // The part of Swap that shared-memory objects keep gets a column of its own only when there is some.
        bool sharedSwap = report.Total.SharedSwapped > 0;
        Column[] classColumns = [new("Class") { Keeps = 24 }, new("VMAs", ColumnKind.Number, 2), .. Figures(sharedSwap)];
        TextTable.WriteCells(output, classColumns, report.Classes, (c, cells) =>
        {
            cells.At(0).Text(TerminalText.Escape(c.Class.ToString())).Colour(TerminalColours.Of(c.Class));
            cells.At(1).Number((ulong)c.Vmas);
            Figures(c.Counts, sizes, sharedSwap, cells, 2);
        }, Total(report, sizes, sharedSwap, classColumns.Length));
        if (listVmas)
        {
            // One line per VMA, streamed: a process can have tens of thousands.
            output.WriteLine();
            Column[] vmaColumns = [new("Start", ColumnKind.Address), new("End", ColumnKind.Address, 3), new("Perms", ColumnKind.Text, 2), new("Class", ColumnKind.Text, 7),
                .. Figures(sharedSwap), new("Path", ColumnKind.Path)];
            TextTable.WriteCells(output, vmaColumns, report.Vmas, (v, cells) =>
            {
                var vma = v.Vma.Vma;
                cells.At(0).Hex(vma.Start);
                cells.At(1).Hex(vma.End);
                cells.At(2).Text(vma.Permissions.ToMapsString());
                cells.At(3).Text(TerminalText.Escape(v.Vma.Class.ToString())).Colour(TerminalColours.Of(v.Vma.Class));
                Figures(v.Counts, sizes, sharedSwap, cells, 4);
                cells.At(vmaColumns.Length - 1).Text(TerminalText.Escape(vma.Path));
            });
        }
        output.WriteLine();
        output.WriteParagraph("Pss: each page's size divided by the number of page tables mapping it; Uss: pages mapped only here; Shared: mapped elsewhere too.");
        foreach (var note in report.Notes) output.WriteParagraph($"note: {TerminalText.Escape(note)}", indent: 6);
    }

    /// <summary>The figures' columns (with "of it shm" after Swap when shared memory holds some).</summary>
    private static IEnumerable<Column> Figures(bool sharedSwap) => s_figures.SelectMany(f => sharedSwap && f.Name == "Swap"
        ? new[] { new Column(f.Name, ColumnKind.Size, f.Priority), new Column("of it shm", ColumnKind.Size, f.Priority) }
        : [new Column(f.Name, ColumnKind.Size, f.Priority)]);

    /// <summary>The total row: the VMA count and every figure of the whole process.</summary>
    private static string[] Total(CompositionReport report, SizeFormat sizes, bool sharedSwap, int columns)
    {
        var cells = new RowCells(columns);
        cells.At(0).Text("total");
        cells.At(1).Number((ulong)report.Vmas.Count);
        Figures(report.Total, sizes, sharedSwap, cells, 2);
        return Enumerable.Range(0, columns).Select(i => cells[i].ToString()).ToArray();
    }

    /// <summary>Writes the figures into <paramref name="cells"/> from column <paramref name="first"/> on, straight into the row's buffer: tens of thousands of rows pass through here twice.</summary>
    private static void Figures(CompositionCounts c, SizeFormat sizes, bool sharedSwap, RowCells cells, int first)
    {
        ulong page = (ulong)sizes.PageSize;
        int i = first;
        cells.At(i++).Size(c.Resident * page, sizes);
        cells.At(i++).Size(c.PssBytes, sizes);
        cells.At(i++).Size(c.Unique * page, sizes);
        cells.At(i++).Size(c.Shared * page, sizes);
        cells.At(i++).Size(c.Dirty * page, sizes);
        cells.At(i++).Size(c.AllSwapped * page, sizes);
        if (sharedSwap) cells.At(i++).Size(c.SharedSwapped * page, sizes);
        cells.At(i++).Size(c.Anonymous * page, sizes);
        cells.At(i++).Size(c.FileBacked * page, sizes);
        cells.At(i++).Size(c.AnonymousHuge * page, sizes);
        cells.At(i++).Size(c.Ksm * page, sizes);
        cells.At(i++).Size(c.ZeroPage * page, sizes);
        cells.At(i).Size(c.Hugetlb * page, sizes);
    }
}
