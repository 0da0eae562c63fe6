using PageAtlas.Labs;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>lab's text: each claim with HOLDS or FAILS and its evidence.</summary>
internal static class LabText
{
    /// <summary>The labs there are, a name and a title a line (`pageatlas lab` without a name).</summary>
    public static void WriteCatalog(CliConsole console, IEnumerable<ILab> labs)
    {
        foreach (var lab in labs) console.Out.WriteLine($"{lab.Name,-10} {lab.Title}");
    }

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
