using PageAtlas.Labs;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>lab's text: each claim with HOLDS (green) or FAILS (red) and its evidence.</summary>
internal static class LabText
{
    /// <summary>The labs there are, a name and a title a line (`pageatlas lab` without a name).</summary>
    public static void WriteCatalog(CliConsole console, IEnumerable<ILab> labs)
    {
        using var output = console.OpenText(LayoutOptions.Default(console));
        foreach (var lab in labs) output.WriteParagraph($"{lab.Name,-10} {lab.Title}", indent: 11);
    }

    public static void Write(CliConsole console, LabReport report)
    {
        using var output = console.OpenText(LayoutOptions.Default(console));
        output.WriteParagraph($"lab {report.Name} (seed {report.Seed}): {report.Title}", indent: 4);
        foreach (var verdict in report.Verdicts)
        {
            output.Write("  ");
            output.Write(verdict.Holds ? "HOLDS" : "FAILS", verdict.Holds ? TerminalColours.Holds : TerminalColours.Fails);
            // The claim goes on after the verdict; a wrapped claim or its evidence is indented under it.
            output.WriteParagraph($"  {TerminalText.Escape(verdict.Claim)}", indent: 9, startColumn: 7);
            output.WriteParagraph($"         {TerminalText.Escape(verdict.Evidence)}", indent: 9);
        }
        foreach (var observation in report.Observations) output.WriteParagraph($"  note: {TerminalText.Escape(observation)}", indent: 8);
        output.WriteLine();
    }
}
