using PageAtlas.Labs;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>lab's text: each claim with HOLDS or FAILS and its evidence.</summary>
internal static class LabText
{
    public static void Write(CliConsole console, LabReport report)
    {
        console.Out.WriteLine($"lab {report.Name} (seed {report.Seed}): {report.Title}");
        foreach (var verdict in report.Verdicts)
        {
            console.Out.WriteLine($"  {(verdict.Holds ? "HOLDS " : "FAILS ")} {verdict.Claim}");
            console.Out.WriteLine($"         {verdict.Evidence}");
        }
        foreach (var observation in report.Observations) console.Out.WriteLine($"  note: {TerminalText.Escape(observation)}");
        console.Out.WriteLine();
    }
}
