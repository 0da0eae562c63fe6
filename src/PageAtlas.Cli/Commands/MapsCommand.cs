using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas maps &lt;pid&gt;: every VMA with its segment class and residency.</summary>
internal static class MapsCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot();
        var json = CommonOptions.Json();
        var command = new Command("maps", "List every VMA with its segment class and how many pages are present, swapped or not populated") { json };
        source.AddTo(command);
        command.SetHandler((result, token) =>
        {
            using var target = source.Open(result);
            ResidencyReport report;
            using (var progress = ProgressDisplay.Start(console, $"maps of {target.Pid}", "pages of address space", result.GetValue(json)))
                report = Residency.Measure(ProgressTarget.Track(target, progress, token));
            if (result.GetValue(json)) return CommonOptions.WriteJsonReport(console, writer => ResidencyJson.Write(writer, report, target.Visibility));
            ResidencyText.Write(console, report);
            return ExitCodes.Ok;
        });
        return command;
    }
}
