using System.Text.RegularExpressions;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>
/// physmap's text: the library's picture (<see cref="PhysicalMapText"/>), its prose lines broken at
/// the terminal's width, and on a terminal each kind's letter coloured, in the grid and the legend.
/// </summary>
internal static partial class PhysicalMapOutput
{
    private static readonly Dictionary<char, FrameKind> s_kinds = Enum.GetValues<FrameKind>().ToDictionary(PhysicalMapText.Letter);

    /// <summary>A row of the grid: its physical address, then a letter per cell.</summary>
    [GeneratedRegex(@"^(0x[0-9a-f]{10}  )(\S+)$")]
    private static partial Regex GridRow();

    /// <summary>A line of the legend: the letter quoted, its size, its words.</summary>
    [GeneratedRegex(@"^(  ')(.)('  .*)$")]
    private static partial Regex LegendLine();

    public static void Write(CliConsole console, PhysicalMapReport map)
    {
        using var output = console.OpenText(LayoutOptions.Default(console));
        // The picture is a few hundred lines: made whole, then written line by line. Its rows of
        // letters are one word each, within 80 columns; the lines that can be longer are prose.
        var picture = new StringWriter();
        PhysicalMapText.Write(picture, map, HumanOutput.Bytes);
        foreach (var line in picture.ToString().Split('\n').SkipLast(1))
        {
            if (output.Layout.Colour && GridRow().Match(line) is { Success: true } row)
            {
                output.Write(row.Groups[1].Value);
                Letters(output, row.Groups[2].Value);
                output.WriteLine();
            }
            else if (output.Layout.Colour && line.Length <= output.Layout.Width && LegendLine().Match(line) is { Success: true } legend)
            {
                output.Write(legend.Groups[1].Value);
                Letters(output, legend.Groups[2].Value);
                output.WriteLine(legend.Groups[3].Value);
            }
            else output.WriteParagraph(line, indent: 4);
        }
    }

    /// <summary>Writes a run of letters, each run of one kind in its colour.</summary>
    private static void Letters(TextOutput output, string letters)
    {
        for (int i = 0; i < letters.Length;)
        {
            int end = i;
            while (end < letters.Length && letters[end] == letters[i]) end++;
            output.Write(letters[i..end], s_kinds.TryGetValue(letters[i], out var kind) ? TerminalColours.Of(kind) : null);
            i = end;
        }
    }
}
