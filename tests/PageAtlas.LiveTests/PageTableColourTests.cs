using System.Xml.Linq;

namespace PageAtlas.LiveTests;

/// <summary>
/// Colour in pagetable: runs coloured by class and huge leaves marked, on a terminal only (never in
/// a pipe, never with NO_COLOR), and in the picture with a legend naming each colour.
/// </summary>
public class PageTableColourTests
{
    private const string HugeLeafAnsi = "\e[1;93m";

    [SkippableFact]
    public void TextIsColouredOnATerminalOnlyAndNeverWithNoColor()
    {
        using var specimen = Specimen.Start("--thp");
        ulong thp = specimen["thp"];
        string[] args = ["pagetable", specimen.Pid.ToString(), "--range", $"0x{thp:x}+4M"];
        // script(1) gives the program a pseudo-terminal as stdout, as an interactive shell does.
        string command = string.Join(' ', new[] { "dotnet", CliErrorTests.CliDll }.Concat(args));
        // COLUMNS wide enough that no line is broken at the terminal's width (LineWrappingWriter): each run's colour starts and ends on its line.
        var (code, onTerminal, err) = CliProcess.Run(["script", "-qfec", command, "/dev/null"], null, new Dictionary<string, string?> { ["NO_COLOR"] = null, ["COLUMNS"] = "300" });
        Assert.True(code == 0, err);
        string hugeLine = onTerminal.Split('\n').Single(l => l.Contains("× 2 MiB leaf", StringComparison.Ordinal));
        Assert.StartsWith($"{HugeLeafAnsi}entries", hugeLine.TrimStart(' '), StringComparison.Ordinal);
        Assert.Contains("\e[0m", hugeLine, StringComparison.Ordinal);

        (code, string noColor, err) = CliProcess.Run(["script", "-qfec", command, "/dev/null"], null, new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["COLUMNS"] = "300" });
        Assert.True(code == 0, err);
        Assert.Contains("× 2 MiB leaf", noColor, StringComparison.Ordinal);
        Assert.DoesNotContain('\e', noColor);

        (code, string piped, err) = CliErrorTests.Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("× 2 MiB leaf", piped, StringComparison.Ordinal);
        Assert.DoesNotContain('\e', piped);
    }

    [SkippableFact]
    public void PictureColoursHugeLeavesAndClassesAsItsLegendSays()
    {
        using var specimen = Specimen.Start("--thp");
        string svgPath = Path.Combine(Path.GetTempPath(), $"pageatlas-colour-{specimen.Pid}.svg");
        var (code, _, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--format", "svg", "-o", svgPath);
        Assert.True(code == 0, err);
        var svg = XDocument.Load(svgPath);
        File.Delete(svgPath);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var nodes = svg.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "node").ToArray();
        var legend = nodes.Single(n => n.Element(ns + "title")?.Value == "legend");

        // Each legend row: a filled cell, then its words.
        var legendFills = Fills(legend, ns);
        Assert.Equal("#ffd966", legendFills["huge leaf (2 MiB PMD, 1 GiB PUD)"]);
        Assert.Equal("#f4cccc", legendFills["code"]);
        Assert.Equal("#cfe2f3", legendFills["stack"]);
        // The cells take the legend's colours: the THP's 2 MiB leaves, the executable's code, the stack.
        var cells = nodes.Where(n => n != legend).SelectMany(n => Fills(n, ns)).ToArray();
        Assert.Contains(cells, c => c.Key.Contains("× 2 MiB leaf", StringComparison.Ordinal) && c.Value == legendFills["huge leaf (2 MiB PMD, 1 GiB PUD)"]);
        Assert.Contains(cells, c => c.Key.Contains("[stack]", StringComparison.Ordinal) && c.Value == legendFills["stack"]);
        Assert.Contains(cells, c => c.Key.Contains("r-xp", StringComparison.Ordinal) && c.Key.Contains("layout", StringComparison.Ordinal) && c.Value == legendFills["code"]);
        // Every fill a cell uses is one the legend names.
        Assert.All(cells.Select(c => c.Value).Distinct(), f => Assert.Contains(f, legendFills.Values));
    }

    /// <summary>Each filled cell of a node (a polygon with a fill) with the text drawn over it, up to the next cell.</summary>
    private static Dictionary<string, string> Fills(XElement node, XNamespace ns)
    {
        var cells = new Dictionary<string, string>();
        string? fill = null;
        var text = new List<string>();
        void Close()
        {
            if (fill is not null && text.Count > 0) cells[string.Join(" ", text).Replace('\u00a0', ' ')] = fill;
            text.Clear();
        }
        foreach (var element in node.Elements())
        {
            if (element.Name == ns + "polygon" && (string?)element.Attribute("fill") is { } f && f.StartsWith('#')) { Close(); fill = f; }
            // An unfilled polygon right after a filled one is that cell's border; elsewhere it is an unfilled cell.
            else if (element.Name == ns + "polygon" && !(fill is not null && text.Count == 0)) { Close(); fill = null; }
            else if (element.Name == ns + "text") text.Add(element.Value);
        }
        Close();
        return cells;
    }
}
