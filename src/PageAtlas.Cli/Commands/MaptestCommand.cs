using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas maptest: seed 002's task 2 through the kernel companion: a kernel page mapped here, its PFN from both sides.</summary>
internal static class MaptestCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("maptest", "Map a page the kernel companion allocated into pageatlas itself and show its PFN as the kernel wrote it and as pagemap and the walk find it (seed 002, task 2)") { json };
        command.SetAction(result =>
        {
            using var kernel = KernelCompanion.TryOpen(out string? unavailable)
                ?? throw new ExternalToolException($"maptest needs the kernel companion: {unavailable}; {KernelCompanion.HowToLoad}");
            var report = KernelMaptest.Run(kernel);
            if (result.GetValue(json)) CommonOptions.WriteJsonDocument(writer => MaptestJson.Write(writer, report));
            else Render(report);
            return report.Holds ? ExitCodes.Ok : ExitCodes.ClaimDoesNotHold;
        });
        return command;
    }

    private static void Render(MaptestReport report)
    {
        var console = HumanOutput.Create();
        string Pfn(ulong? pfn) => pfn is { } p ? $"0x{p:x}" : "none";
        console.WriteLine($"the kernel companion's page, mapped at 0x{report.Address:x} in pageatlas (pid {Environment.ProcessId})");
        console.WriteLine($"  magic string:           \"{TerminalText.Escape(report.Magic)}\" {(report.MagicMatches ? "HOLDS" : "FAILS")}");
        console.WriteLine($"  PFN written by kernel:  0x{report.WrittenPfn:x}");
        console.WriteLine($"  PFN from pagemap:       {Pfn(report.PagemapPfn)}");
        console.WriteLine($"  PFN from the walk:      {Pfn(report.WalkPfn)}  {(report.FramesAgree ? "HOLDS: one frame, seen from both sides" : "FAILS")}");
        console.WriteLine($"  pattern intact:         {(report.PatternIntact ? "HOLDS" : "FAILS")}");
        console.WriteLine($"  pages alive:            {report.PagesBefore} before, {report.PagesWhileMapped} mapped, {report.PagesAfter} after munmap " +
            (report.FreedWithMapping ? "HOLDS: freed with its last mapping" : "FAILS"));
    }
}
