using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Rendering;

/// <summary>share's text: per class (and VMA) each process's resident and own pages and the frames they share.</summary>
internal static class ShareText
{
    public static void Write(CliConsole console, ShareReport report, bool listVmas, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        output.WriteParagraph("processes: " + string.Join(", ", report.Participants.Select(p => $"{p.Pid} ({TerminalText.Escape(p.Command)}, parent {p.ParentPid})")), indent: 11);
        output.WriteParagraph("counts are 4 KiB pages. Frames in all: distinct frames every process maps in that class. Own: pages whose frame no other process maps there.");
        output.WriteLine();
        Table(output, "Class", report, report.Classes);
        if (listVmas)
        {
            output.WriteLine();
            Table(output, "VMA (class #rank)", report, report.Vmas);
        }
        foreach (var note in report.Notes) output.WriteParagraph($"note: {TerminalText.Escape(note)}", indent: 6);
    }

    private static void Table(TextOutput output, string first, ShareReport report, IReadOnlyList<ShareGroup> groups)
    {
        bool fork = report.ForkedFrom is not null;
        int n = report.Participants.Count;
        Column[] columns = [new(first) { Keeps = 24 }, .. report.Participants.Select(p => new Column($"Rss {p.Pid}", ColumnKind.Number)), new("Frames in all", ColumnKind.Number),
            .. report.Participants.Select(p => new Column($"Own {p.Pid}", ColumnKind.Number, 3)),
            new(fork ? "COW shared" : "Same VA, same frame", ColumnKind.Number, 2), new(fork ? "Copied" : "Same VA, other frames", ColumnKind.Number, 1)];
        TextTable.WriteCells(output, columns, groups.Append(new ShareGroup("total", [], report.Total)).ToList(), (group, cells) =>
        {
            var c = group.Counts;
            cells.At(0).Text(TerminalText.Escape(group.Key));
            for (int i = 0; i < n; i++) cells.At(1 + i).Number(c.Resident[i]);
            cells.At(1 + n).Number(c.FramesInAll);
            for (int i = 0; i < n; i++) cells.At(2 + n + i).Number(c.Private[i]);
            cells.At(2 + 2 * n).Number(c.SameAddressSameFrame);
            cells.At(3 + 2 * n).Number(c.SameAddressDifferentFrames);
        });
    }
}
