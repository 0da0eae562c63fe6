using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>maptest's text: what the kernel companion's mapped page shows from both sides, each claim with HOLDS or FAILS.</summary>
internal static class MaptestText
{
    public static void Write(CliConsole console, MaptestReport report, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        string Pfn(ulong? pfn) => pfn is { } p ? $"0x{p:x}" : "none";
        output.WriteParagraph($"the kernel companion's page, mapped at 0x{report.Address:x} in pageatlas (pid {Environment.ProcessId})");
        Claim(output, $"  magic string:           \"{TerminalText.Escape(report.Magic)}\"", report.MagicMatches, "");
        output.WriteLine($"  PFN written by kernel:  0x{report.WrittenPfn:x}");
        output.WriteLine($"  PFN from pagemap:       {Pfn(report.PagemapPfn)}");
        Claim(output, $"  PFN from the walk:      {Pfn(report.WalkPfn)}", report.FramesAgree, ": one frame, seen from both sides");
        Claim(output, "  pattern intact:        ", report.PatternIntact, "");
        output.WriteLine($"  pages alive:            {report.PagesBefore} before, {report.PagesWhileMapped} mapped, {report.PagesAfter} after munmap");
        Claim(output, "                         ", report.FreedWithMapping, ": freed with its last mapping");
    }

    /// <summary>A fact and its verdict, HOLDS (with why) in green or FAILS in red on a terminal.</summary>
    private static void Claim(TextOutput output, string fact, bool holds, string why)
    {
        output.Write(fact + " ");
        output.Write(holds ? "HOLDS" : "FAILS", holds ? TerminalColours.Holds : TerminalColours.Fails);
        output.WriteLine(holds ? why : "");
    }
}
