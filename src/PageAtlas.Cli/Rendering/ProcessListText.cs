using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>ps's text: a row per process, sizes in at most five characters, within 80 columns.</summary>
internal static class ProcessListText
{
    /// <summary>A name longer than this (escaped bytes grow fourfold) is cut, so a line stays within 80 columns.</summary>
    private const int NameWidth = 18;

    public static void Write(CliConsole console, IReadOnlyList<ProcessSummary> processes)
    {
        using var output = console.OpenText();
        Column[] columns = [new("PID", RightAligned: true), new("USER"), new("RSS", true), new("PSS", true), new("USS", true),
            new("SWAP", true), new("THP", true), new("VMAS", true), new("NAME")];
        ColumnWriter.Write(output, columns, processes, (p, cells) =>
        {
            cells[0] = p.Pid.ToString(CultureInfo.InvariantCulture);
            cells[1] = Shorten(TerminalText.Escape(p.User), 8);
            cells[2] = Size(p.Rss);
            cells[3] = Size(p.Pss);
            cells[4] = Size(p.Uss);
            cells[5] = Size(p.Swap);
            cells[6] = Size(p.Thp);
            cells[7] = p.Vmas.ToString(CultureInfo.InvariantCulture);
            cells[8] = Shorten(TerminalText.Escape(p.Command), NameWidth);
        });
    }

    /// <summary>Cut to <paramref name="width"/> characters, the last one '+' when something was cut (as ps marks a long user name).</summary>
    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "+";

    /// <summary>
    /// A size in at most five characters, "12.3M"-style (powers of 1024): one decimal below 100 of
    /// the unit, none above; "0" for nothing.
    /// </summary>
    internal static string Size(ulong bytes)
    {
        if (bytes == 0) return "0";
        if (bytes < 1024) return $"{bytes}B";
        const string Units = "KMGTPE";
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(value < 99.95 ? "0.0" : "0", CultureInfo.InvariantCulture) + Units[unit];
    }
}
