using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>ps's text: a row per process, sizes in at most five characters (<see cref="HumanOutput"/>), within 80 columns.</summary>
internal static class ProcessListText
{
    public static void Write(CliConsole console, IReadOnlyList<ProcessSummary> processes, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        var sizes = layout.Sizes(Environment.SystemPageSize);
        Column[] columns = [new("PID", ColumnKind.Number), new("USER", ColumnKind.Text, 3), new("RSS", ColumnKind.Size), new("PSS", ColumnKind.Size),
            new("USS", ColumnKind.Size), new("SWAP", ColumnKind.Size, 2), new("THP", ColumnKind.Size, 1), new("VMAS", ColumnKind.Number, 1), new("NAME")];
        TextTable.WriteCells(output, columns, processes, (p, cells) =>
        {
            cells.At(0).Number((ulong)p.Pid);
            cells.At(1).Text(TerminalText.Escape(p.User));
            cells.At(2).Size(p.Rss, sizes);
            cells.At(3).Size(p.Pss, sizes);
            cells.At(4).Size(p.Uss, sizes);
            cells.At(5).Size(p.Swap, sizes);
            cells.At(6).Size(p.Thp, sizes);
            cells.At(7).Number((ulong)p.Vmas);
            cells.At(8).Text(TerminalText.Escape(p.Command));
        });
    }
}
