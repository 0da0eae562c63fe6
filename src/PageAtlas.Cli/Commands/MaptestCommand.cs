using System.CommandLine;
using PageAtlas.Cli.Help;
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
        var command = new Command("maptest", "Check the kernel companion (/dev/pageatlas, from kmod/): map a page it allocated into pageatlas itself and check that the kernel, pagemap and the page-table walk agree on its physical frame") { json };
        CommandExamples.Add(command,
            ("pageatlas maptest", "the page's frame number as the kernel wrote it, as pagemap gives it and as the walk ends on it"),
            ("pageatlas maptest --json", "as JSON"));
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
