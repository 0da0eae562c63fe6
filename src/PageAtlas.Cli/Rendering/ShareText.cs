using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Rendering;

/// <summary>share's text: per class (and VMA) each process's resident and own pages and the frames they share.</summary>
internal static class ShareText
{
    public static void Write(CliConsole console, ShareReport report, bool listVmas)
    {
        var tables = console.Tables();
        tables.WriteLine("processes: " + string.Join(", ", report.Participants.Select(p => $"{p.Pid} ({TerminalText.Escape(p.Command)}, parent {p.ParentPid})")));
        tables.WriteLine("counts are 4 KiB pages. Frames in all: distinct frames every process maps in that class. Own: pages whose frame no other process maps there.");
        tables.Write(Table("Class", report, report.Classes));
        if (listVmas) tables.Write(Table("VMA (class #rank)", report, report.Vmas));
        foreach (var note in report.Notes) tables.WriteLine($"note: {TerminalText.Escape(note)}");
    }

    private static Table Table(string first, ShareReport report, IReadOnlyList<ShareGroup> groups)
    {
        bool fork = report.ForkedFrom is not null;
        var table = new Table().Border(TableBorder.Simple).AddColumn(first);
        foreach (var p in report.Participants) table.AddColumn(new TableColumn($"Rss {p.Pid}").RightAligned());
        table.AddColumn(new TableColumn("Frames in all").RightAligned());
        foreach (var p in report.Participants) table.AddColumn(new TableColumn($"Own {p.Pid}").RightAligned());
        table.AddColumn(new TableColumn(fork ? "COW shared" : "Same VA, same frame").RightAligned());
        table.AddColumn(new TableColumn(fork ? "Copied" : "Same VA, other frames").RightAligned());
        foreach (var group in groups.Append(new ShareGroup("total", [], report.Total)))
        {
            var c = group.Counts;
            table.AddRow([HumanOutput.Cell(group.Key), .. c.Resident.Select(r => r.ToString()), c.FramesInAll.ToString(),
                .. c.Private.Select(p => p.ToString()), c.SameAddressSameFrame.ToString(), c.SameAddressDifferentFrames.ToString()]);
        }
        return table;
    }
}
