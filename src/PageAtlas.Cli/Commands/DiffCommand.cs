using System.CommandLine;
using PageAtlas.Cli.Help;
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
        var first = new Argument<string>("before") { Description = "The earlier snapshot file (pageatlas snapshot)" };
        var second = new Argument<string>("after") { Description = "The later snapshot file" };
        var pid = new Option<int?>("--pid", "-p") { Description = "The process to compare when the snapshots hold several (its pid, the same in both)", CustomParser = Pids.ParseNumber };
        var force = new Option<bool>("--force") { Description = "Compare even snapshots of different processes, machines or boots (the report says so)" };
        var json = CommonOptions.Json();
        var layout = LayoutOptions.Wide();
        var command = new Command("diff", "What changed in a process between two snapshots? Regions added, removed or resized; pages that came into RAM, left it, went to swap or came back, were copied or moved")
        {
            first, second, pid, force, json,
        };
        CommandExamples.Add(command,
            ("pageatlas diff before.db after.db", "what changed between the two snapshots, per kind of region and in total"),
            ("pageatlas diff before.db after.db --json", "as JSON"));
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            using var before = Snapshot.Open(result.GetValue(first)!);
            using var after = Snapshot.Open(result.GetValue(second)!);
            var report = SnapshotComparison.Compare(before, after, result.GetValue(pid), result.GetValue(force));
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => MemoryDiffJson.Write(w, report));
            MemoryDiffText.Write(console, report, before, after, layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
