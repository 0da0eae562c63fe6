using System.CommandLine;
using PageAtlas.Cli.Help;
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
        var cells = new Option<int>("--cells") { Description = "About how many cells the map has (more: finer)", HelpName = "n", DefaultValueFactory = _ => 3072 };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("physmap", "What lies where in physical memory? A map of RAM with one character per stretch of frames, showing what most of them hold, with the ranges of /proc/iomem and the memory zones") { cells, json, snapshot };
        CommandExamples.Add(command,
            ("pageatlas physmap", "the map, the zones and the /proc/iomem ranges"),
            ("pageatlas physmap --cells 512", "a coarser map of about 512 cells"));
        command.Conflicts(cells, snapshot, "a snapshot keeps the grid it was taken with");
        command.SetHandler((result, token) =>
        {
            int target = result.GetValue(cells);
            if (target < 64 || target > 1_000_000) throw new InvalidRequestException("--cells must be between 64 and 1000000");
            using var machine = FrameMachine.Open(result.GetValue(snapshot));
            var map = PhysicalMap.Draw(machine.Frames, target);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => PhysicalMapJson.Write(w, map));
            PhysicalMapOutput.Write(console, map);
            return ExitCodes.Ok;
        });
        return command;
    }
}
