using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas share &lt;pid&gt; &lt;pid&gt;…: which physical frames processes share, per segment class and per VMA (seed 004).</summary>
internal static class ShareCommand
{
    public static Command Create(CliConsole console)
    {
        var pids = new PidList("Two or more process ids (with --snapshot: processes saved in it; all of them when none is named)", ArgumentArity.ZeroOrMore);
        var vmas = new Option<bool>("--vmas") { Description = "Also compare VMA by VMA (matched by class and rank within the class)" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("share", "Compare the physical frames of processes: frames all of them map, pages each has alone, and for a forked pair copy-on-write sharing versus pages already copied")
        {
            vmas, json, snapshot,
        };
        pids.AddTo(command);
        command.SetHandler((result, token) =>
        {
            var ids = pids.Chosen(result);
            if (ids.Distinct().Count() != ids.Length) throw new InvalidRequestException("share needs distinct processes");
            var targets = new List<IMemoryTarget>();
            using var saved = result.GetValue(snapshot) is { } file ? Snapshot.Open(file) : null;
            if (saved is not null && ids.Length == 0) ids = saved.Processes.Select(p => p.Pid).ToArray();
            if (ids.Length < 2) throw new InvalidRequestException("share needs at least two processes");
            try
            {
                foreach (int id in ids) targets.Add(saved is null ? LiveProcess.Open(id) : saved.OpenProcess(id));
                ShareReport report;
                using (var progress = ProgressDisplay.Start(console, "share", "pages of address space", result.GetValue(json)))
                    report = Sharing.Compare(targets.Select(t => ProgressTarget.Track(t, progress)).ToList());
                if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => ShareJson.Write(w, report));
                Render(console, report, result.GetValue(vmas));
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var target in targets) target.Dispose();
            }
        });
        return command;
    }

    private static void Render(CliConsole console, ShareReport report, bool listVmas)
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
