using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas physmap: physical memory at a glance (RAMMap's Physical Ranges).</summary>
internal static class PhysmapCommand
{
    public static Command Create(CliConsole console)
    {
        var cells = new Option<int>("--cells") { Description = "About how many cells the grid has (more: finer)", DefaultValueFactory = _ => 3072 };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("physmap", "Draw physical memory: /proc/iomem ranges and zones, each stretch of frames shown by what most of its frames hold") { cells, json, snapshot };
        command.Conflicts(cells, snapshot, "a snapshot keeps the grid it was taken with");
        command.SetHandler((result, token) =>
        {
            int target = result.GetValue(cells);
            if (target < 64 || target > 1_000_000) throw new InvalidRequestException("--cells must be between 64 and 1000000");
            using var machine = FrameMachine.Open(result.GetValue(snapshot));
            var map = PhysicalMap.Draw(machine.Frames, target);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => PhysicalMapJson.Write(w, map));
            using var output = console.OpenText();
            PhysicalMapText.Write(output, map, HumanOutput.Bytes);
            return ExitCodes.Ok;
        });
        return command;
    }
}
