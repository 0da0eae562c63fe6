using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas maptest: seed 002's task 2 through the kernel companion: a kernel page mapped here, its PFN from both sides.</summary>
internal static class MaptestCommand
{
    public static Command Create(CliConsole console)
    {
        var json = CommonOptions.Json();
        var command = new Command("maptest", "Map a page the kernel companion allocated into pageatlas itself and show its PFN as the kernel wrote it and as pagemap and the walk find it (seed 002, task 2)") { json };
        command.SetHandler((result, token) =>
        {
            using var kernel = KernelCompanion.TryOpen(out string? unavailable)
                ?? throw new ExternalToolException($"maptest needs the kernel companion: {unavailable}; {KernelCompanion.HowToLoad}");
            var report = KernelMaptest.Run(kernel);
            if (result.GetValue(json)) CommonOptions.WriteJsonDocument(console, writer => MaptestJson.Write(writer, report));
            else MaptestText.Write(console, report, LayoutOptions.Default(console));
            return report.Holds ? ExitCodes.Ok : ExitCodes.ClaimDoesNotHold;
        });
        return command;
    }
}
