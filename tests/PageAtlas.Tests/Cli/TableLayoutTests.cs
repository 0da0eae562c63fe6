using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PageAtlas.Cli;
using static PageAtlas.Tests.Cli.CliSnapshotFixture;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// Every table laid out for 80, 120 and 200 columns (as a terminal or COLUMNS asks) on the saved
/// processes, whose facts are known: no line is wider than the width, every address and number
/// in the text is the one the JSON has, columns hidden are named under the table exactly when some
/// are, --wide shows them all, and in a pipe nothing is cut and no line ends in blanks.
/// </summary>
public partial class TableLayoutTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    public static readonly TheoryData<int> Widths = [80, 120, 200];

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();

    [GeneratedRegex(@"^(\d+) columns? hidden \((.*)\): --wide shows them$")]
    private static partial Regex HiddenNote();

    /// <summary>Every command with a table, on the saved processes and machine.</summary>
    private string[][] Commands() =>
    [
        ["maps", "--snapshot", snapshots.Wide],
        ["maps", "--snapshot", snapshots.Wide, "--bytes"],
        ["maps", "--snapshot", snapshots.After],
        ["composition", "--snapshot", snapshots.Wide, "--vmas"],
        ["frames", "--snapshot", snapshots.After],
        ["frames", "--snapshot", snapshots.After, "--by-flags"],
        ["share", "--snapshot", snapshots.Two],
        ["frame", "0x77", "--snapshot", snapshots.After],
        ["diff", snapshots.Before, snapshots.After],
        ["walk", "--snapshot", snapshots.Wide, $"0x{Libraries:x}"],
        ["pages", "--snapshot", snapshots.Wide],
        ["translate", "--snapshot", snapshots.Wide, $"0x{Libraries:x}+64K"],
        ["physmap", "--snapshot", snapshots.After],
        ["lab"],
    ];

    [Theory]
    [MemberData(nameof(Widths))]
    public void NoLineIsWiderThanTheWidth(int width)
    {
        foreach (var args in Commands())
        {
            var run = InProcessCli.RunAt(width, args);
            Assert.True(run.Code == 0, $"{string.Join(' ', args)}: {run.Err}");
            // The one-line hidden-columns note is wrapped like prose, so it too stays within the width.
            string? wide = run.Lines.FirstOrDefault(l => l.Length > width);
            Assert.True(wide is null, $"{string.Join(' ', args)} at {width}: a line of {wide?.Length} characters: {wide}");
        }
    }

    [Fact]
    public void InAPipeNothingIsCutOrHiddenAndNoLineEndsInBlanks()
    {
        foreach (var args in Commands())
        {
            var run = InProcessCli.Run(args);
            Assert.True(run.Code == 0, $"{string.Join(' ', args)}: {run.Err}");
            Assert.DoesNotContain(run.Lines, l => l.EndsWith(' '));
            Assert.DoesNotContain('…', run.Out);
            // As a terminal wider than every line would show it (frame's own search time aside).
            if (args[0] != "frame") Assert.Equal(InProcessCli.RunAt(1000, args).Out, run.Out);
            Assert.DoesNotContain("hidden", run.Out);
        }
        Assert.Contains(LongPath, InProcessCli.Run("maps", "--snapshot", snapshots.Wide).Out);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MapsAtAWidthShowsTheSavedAddressesAndCountsWhole(int width)
    {
        var json = InProcessCli.Run("maps", "--snapshot", snapshots.Wide, "--json").Json().GetProperty("vmas").EnumerateArray().ToList();
        var all = Table(InProcessCli.Run("maps", "--snapshot", snapshots.Wide, "--wide")).Header;
        foreach (string? unit in new[] { null, "--bytes", "--pages" })
        {
            var run = InProcessCli.RunAt(width, ["maps", "--snapshot", snapshots.Wide, .. unit is null ? Array.Empty<string>() : [unit]]);
            var (header, rows, _, note) = Table(run);
            Assert.Equal(json.Count, rows.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                var cell = Cells(header, rows[i]);
                var vma = json[i];
                Assert.Equal(vma.GetProperty("start").GetString(), $"0x{cell["Start"]}");
                if (cell.TryGetValue("End", out string? end)) Assert.Equal(vma.GetProperty("end").GetString(), $"0x{end}");
                Assert.Equal(vma.GetProperty("presentPages").GetUInt64().ToString(CultureInfo.InvariantCulture), cell["Present"]);
                ulong size = vma.GetProperty("sizeBytes").GetUInt64();
                Assert.Equal(unit switch { "--bytes" => $"{size}", "--pages" => $"{size / 4096}", _ => HumanOutput.Bytes(size) }, cell["Size"]);
                string path = vma.GetProperty("path").GetString()!;
                if (cell.TryGetValue("Path", out string? shown) && shown != path)
                {
                    // Shortened: the file name kept whole after an ellipsis for its directories, or, too long
                    // for the column itself, its start between ellipses.
                    string name = "/" + Path.GetFileName(path);
                    if (shown.EndsWith(name, StringComparison.Ordinal))
                        Assert.Equal(path[..shown.IndexOf('…')] + "…" + name, shown);
                    else
                        Assert.Equal("…" + name[..(shown.Length - 2)] + "…", shown);
                }
            }
            // Hidden columns are named under the table exactly when some are, and they are the ones missing.
            var hidden = all.Except(header).ToList();
            if (hidden.Count == 0) Assert.Null(note);
            else Assert.Equal($"{hidden.Count} column{(hidden.Count == 1 ? "" : "s")} hidden ({string.Join(", ", hidden)})", note);
            if (width == 80) Assert.NotEmpty(hidden);
        }
        // --wide: every column, every path whole, whatever the width.
        var wide = InProcessCli.RunAt(80, "maps", "--snapshot", snapshots.Wide, "--wide");
        Assert.Equal(all, Table(wide).Header);
        Assert.Contains(LongPath, wide.Out);
        Assert.Null(Table(wide).Note);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CompositionFiguresAtAWidthAreTheJsonsInBytes(int width)
    {
        var total = InProcessCli.Run("composition", "--snapshot", snapshots.Wide, "--json").Json().GetProperty("total");
        var (header, _, row, _) = Table(InProcessCli.RunAt(width, "composition", "--snapshot", snapshots.Wide, "--bytes"));
        var cell = Cells(header, row!);
        // The figures kept at every width: Rss, Pss and Uss (JSON in bytes, whether its key says so or not).
        foreach (var name in new[] { "Rss", "Pss", "Uss" })
        {
            string key = name.ToLowerInvariant();
            var figure = total.TryGetProperty(key, out var plain) ? plain : total.GetProperty(key + "Bytes");
            Assert.Equal(figure.GetUInt64().ToString(CultureInfo.InvariantCulture), cell[name]);
        }
    }

    [Fact]
    public void ClassesAreColouredOnATerminalOnlyAndColourNeverCountsInTheWidth()
    {
        bool noColour = Environment.GetEnvironmentVariable("NO_COLOR") is not null;
        var plain = InProcessCli.RunAt(120, "maps", "--snapshot", snapshots.Wide);
        Assert.DoesNotContain('\e', plain.Out);
        var coloured = InProcessCli.RunOnTerminal("maps", "--snapshot", snapshots.Wide);
        Assert.Equal(!noColour, coloured.Out.Contains("\e[31mlib-code", StringComparison.Ordinal));
        // The same table once the colour codes are taken out: escapes are written around cells, never counted in widths.
        Assert.Equal(InProcessCli.RunAt(200, "maps", "--snapshot", snapshots.Wide).Out, Regex.Replace(coloured.Out, @"\e\[[0-9;]*m", ""));
        // physmap: each kind's letter in its colour (the saved machine's first frames are anonymous: 'a', magenta as anon classes).
        var physmap = InProcessCli.RunOnTerminal("physmap", "--snapshot", snapshots.After);
        Assert.Equal(!noColour, physmap.Out.Contains("\e[35ma", StringComparison.Ordinal));
        Assert.Equal(InProcessCli.RunAt(200, "physmap", "--snapshot", snapshots.After).Out, Regex.Replace(physmap.Out, @"\e\[[0-9;]*m", ""));
        Assert.DoesNotContain('\e', InProcessCli.Run("physmap", "--snapshot", snapshots.After).Out);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(30)]
    [InlineData(12)]
    public void ProseBreaksBetweenWordsAndAfterCommasNeverInsideOne(int width)
    {
        const string Text = "VA 0x7f1234560000 -> PFN 0x3000 (PA 0x3000000)      present       [exclusive] map=1 flags=uptodate,lru,mmap,anonymous,swapbacked 123456789012345";
        var lines = Paragraph.Lines(Text, width, indent: 4).ToList();
        string[] words = Text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        // The same words in the same order, each whole on one line; a line is wider only when one word alone is.
        Assert.Equal(words, lines.SelectMany(l => l.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)));
        Assert.All(lines, l => Assert.True(l.Length <= width || l.Trim().Split(' ').Length == 1, $"'{l}' at {width}"));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l));
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libc.so.6", 20, "/usr/lib/…/libc.so.6")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", 16, "…/libpython3.11…")]
    [InlineData("[anon:a very long name given by prctl]", 16, "[anon:a very l…]")]
    [InlineData("lib-rodata libexample.so", 10, "lib-rodat…")]
    [InlineData("/short", 20, "/short")]
    public void ACellTooWideKeepsWhatIdentifiesIt(string text, int width, string shown)
    {
        var kind = text.StartsWith('/') || text.StartsWith('[') ? ColumnKind.Path : ColumnKind.Text;
        Assert.Equal(shown, CellShortening.Shorten(text, width, kind));
        Assert.True(shown.Length <= width);
    }

    [Fact]
    public void ColumnsGiveWayPathsFirstThenTheLeastImportantNeverNumbers()
    {
        Column[] columns = [new("Start", ColumnKind.Address), new("Rare", ColumnKind.Number, 1), new("Class", ColumnKind.Text, 5), new("Path", ColumnKind.Path)];
        int[] natural = [12, 4, 20, 60];
        // 102 wide with gaps: at 80 the path shortens (to 38) and nothing is hidden.
        var fit = ColumnFit.Of(columns, natural, 80);
        Assert.Equal([12, 4, 20, 38], fit.Widths);
        Assert.Empty(fit.Hidden(columns));
        // At 60 text gives way before any column: the path to its 28, then the class.
        fit = ColumnFit.Of(columns, natural, 60);
        Assert.Empty(fit.Hidden(columns));
        Assert.Equal([12, 4, 10, 28], fit.Widths);
        // At 50 even the shortest text does not fit beside them all: the least important columns go, and the path takes the room.
        fit = ColumnFit.Of(columns, natural, 50);
        Assert.Equal(["Rare", "Class"], fit.Hidden(columns));
        Assert.Equal(12, fit.Widths[0]);
        Assert.Equal(36, fit.Widths[3]);
        // No width: every column whole.
        Assert.Equal(natural, ColumnFit.Of(columns, natural, null).Widths);
    }

    /// <summary>A table's column names, its rows (up to the blank line before its total), its total row and its hidden-columns note (wrapping undone).</summary>
    private static (List<string> Header, List<string> Rows, string? Total, string? Note) Table(CliRun run)
    {
        Assert.True(run.Code == 0, run.Err);
        var lines = run.Lines;
        int rule = Array.FindIndex(lines, l => l.StartsWith('─'));
        var header = ColumnGap().Split(lines[rule - 1].Trim()).ToList();
        var rows = lines.Skip(rule + 1).TakeWhile(l => l.Length > 0).ToList();
        string? total = lines.Skip(rule + 2 + rows.Count).FirstOrDefault(l => l.StartsWith("total", StringComparison.Ordinal));
        int at = Array.FindIndex(lines, l => l.Contains(" hidden (", StringComparison.Ordinal));
        if (at < 0) return (header, rows, total, null);
        string note = lines[at].EndsWith("shows them", StringComparison.Ordinal) ? lines[at] : $"{lines[at]} {lines[at + 1].Trim()}";
        var match = HiddenNote().Match(note);
        Assert.True(match.Success, note);
        return (header, rows, total, $"{match.Groups[1].Value} column{(match.Groups[1].Value == "1" ? "" : "s")} hidden ({match.Groups[2].Value})");
    }

    /// <summary>A row's cells by column name (a row with an empty last cell has one fewer).</summary>
    private static Dictionary<string, string> Cells(List<string> header, string row)
    {
        var cells = ColumnGap().Split(row.Trim());
        return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
    }
}
