using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli.Rendering;

/// <summary>maptest's text: what the kernel companion's mapped page shows from both sides, each claim with HOLDS or FAILS.</summary>
internal static class MaptestText
{
    public static void Write(CliConsole console, MaptestReport report)
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
