using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas diff &lt;a&gt; &lt;b&gt;: what changed in a process between two snapshots.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        var first = new Argument<string>("before") { Description = "The earlier snapshot file" };
        var second = new Argument<string>("after") { Description = "The later snapshot file" };
        var pid = new Option<int?>("--pid", "-p") { Description = "The process to compare when the snapshots hold several (the same pid in both)", CustomParser = Pids.ParseOne };
        var force = new Option<bool>("--force") { Description = "Compare even snapshots of different processes, machines or boots (the report says so)" };
        var json = CommonOptions.Json();
        var command = new Command("diff", "Compare two snapshots of a process: VMAs added, removed, resized; pages that became present, left, were swapped, copied or moved; totals per segment class")
        {
            first, second, pid, force, json,
        };
        command.SetHandler((result, token) =>
        {
            int? id = result.GetValue(pid);
            using var before = Snapshot.Open(result.GetValue(first)!);
            using var after = Snapshot.Open(result.GetValue(second)!);
            using var a = id is { } p ? before.OpenProcess(p) : before.OpenOnlyProcess();
            using var b = id is { } q ? after.OpenProcess(q) : after.OpenOnlyProcess();
            var doubts = SnapshotComparison.Doubts(before, a, after, b);
            if (doubts.Count > 0 && !result.GetValue(force))
                throw new InvalidRequestException($"{before.Path} and {after.Path} are not two moments of one process: {string.Join("; ", doubts)} (--force compares them anyway)");
            var report = MemoryDiff.Compare(a, b);
            report = report with { Notes = [.. doubts.Select(d => $"compared with --force although {d}"), .. report.Notes] };
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => MemoryDiffJson.Write(w, report));
            Render(console, report, before, after);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(CliConsole console, MemoryDiffReport report, Snapshot before, Snapshot after)
    {
        var tables = console.Tables();
        tables.WriteLine($"before: pid {report.Before.Pid} ({TerminalText.Escape(report.Before.Command)}) at {before.Created:yyyy-MM-dd HH:mm:ss}; after: pid {report.After.Pid} ({TerminalText.Escape(report.After.Command)}) at {after.Created:yyyy-MM-dd HH:mm:ss}");
        if (report.Vmas.Count == 0) tables.WriteLine("VMAs: unchanged");
        foreach (var v in report.Vmas)
        {
            string was = v.Before is { } b ? b.Vma.ToMapsLine() : "", now = v.After is { } a ? a.Vma.ToMapsLine() : "";
            tables.WriteLine(TerminalText.Escape($"VMA {v.Change,-8} {(v.Before ?? v.After)!.Class}: {(was.Length > 0 && now.Length > 0 && was != now ? $"{was}  ->  {now}" : was.Length > 0 ? was : now)}"));
        }
        var changes = Enum.GetValues<PageChange>();
        var table = new Table().Border(TableBorder.Simple).AddColumn("Class").AddColumn(new TableColumn("Before").RightAligned()).AddColumn(new TableColumn("After").RightAligned());
        foreach (var change in changes) table.AddColumn(new TableColumn(MemoryDiffJson.Name(change)).RightAligned());
        foreach (var c in report.Classes)
            table.AddRow([HumanOutput.Cell(c.Class), c.PresentBefore.ToString(), c.PresentAfter.ToString(), .. changes.Select(x => c.Changes[x].ToString())]);
        table.AddRow(["total", "", "", .. changes.Select(x => report.Totals[x].ToString())]);
        tables.Write(table);
        foreach (var run in report.Pages)
        {
            string moved = run.MovedFrom is { } from ? $" (from 0x{from:x})" : "";
            tables.WriteLine(TerminalText.Escape($"  {MemoryDiffJson.Name(run.Change),-15} 0x{run.Start:x} +{run.Pages} page(s){moved}  {run.Vma.Class}"));
        }
        foreach (var note in report.Notes) tables.WriteLine($"note: {TerminalText.Escape(note)}");
    }
}
