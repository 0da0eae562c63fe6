using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using Spectre.Console;

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
            else Render(console, report);
            return report.Holds ? ExitCodes.Ok : ExitCodes.ClaimDoesNotHold;
        });
        return command;
    }

    private static void Render(CliConsole console, MaptestReport report)
    {
        var tables = console.Tables();
        string Pfn(ulong? pfn) => pfn is { } p ? $"0x{p:x}" : "none";
        tables.WriteLine($"the kernel companion's page, mapped at 0x{report.Address:x} in pageatlas (pid {Environment.ProcessId})");
        tables.WriteLine($"  magic string:           \"{TerminalText.Escape(report.Magic)}\" {(report.MagicMatches ? "HOLDS" : "FAILS")}");
        tables.WriteLine($"  PFN written by kernel:  0x{report.WrittenPfn:x}");
        tables.WriteLine($"  PFN from pagemap:       {Pfn(report.PagemapPfn)}");
        tables.WriteLine($"  PFN from the walk:      {Pfn(report.WalkPfn)}  {(report.FramesAgree ? "HOLDS: one frame, seen from both sides" : "FAILS")}");
        tables.WriteLine($"  pattern intact:         {(report.PatternIntact ? "HOLDS" : "FAILS")}");
        tables.WriteLine($"  pages alive:            {report.PagesBefore} before, {report.PagesWhileMapped} mapped, {report.PagesAfter} after munmap " +
            (report.FreedWithMapping ? "HOLDS: freed with its last mapping" : "FAILS"));
    }
}
