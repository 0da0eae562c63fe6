using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>physmap's text: the library's picture (<see cref="PhysicalMapText"/>), its prose lines broken at the terminal's width.</summary>
internal static class PhysicalMapOutput
{
    public static void Write(CliConsole console, PhysicalMapReport map)
    {
        using var output = console.OpenText(LayoutOptions.Default(console));
        // The picture is a few hundred lines: made whole, then written line by line. Its rows of
        // letters are one word each, within 80 columns; the lines that can be longer are prose.
        var picture = new StringWriter();
        PhysicalMapText.Write(picture, map, HumanOutput.Bytes);
        foreach (var line in picture.ToString().Split('\n').SkipLast(1)) output.WriteParagraph(line, indent: 4);
    }
}
