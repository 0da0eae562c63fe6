using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas diff &lt;a&gt; &lt;b&gt;: what changed in a process between two snapshots.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        var first = new Argument<string>("before") { Description = "The earlier snapshot file" };
        var second = new Argument<string>("after") { Description = "The later snapshot file" };
        var pid = new Option<int?>("--pid", "-p") { Description = "The process to compare when the snapshots hold several (the same pid in both)", CustomParser = Pids.ParseNumber };
        var force = new Option<bool>("--force") { Description = "Compare even snapshots of different processes, machines or boots (the report says so)" };
        var json = CommonOptions.Json();
        var layout = LayoutOptions.Wide();
        var command = new Command("diff", "Compare two snapshots of a process: VMAs added, removed, resized; pages that became present, left, were swapped, copied or moved; totals per segment class")
        {
            first, second, pid, force, json,
        };
        layout.AddTo(command);
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
            MemoryDiffText.Write(console, report, before, after, layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
