using System.Text;
using PageAtlas.Analysis;

namespace PageAtlas.Cli.Rendering;

/// <summary>
/// watch --top: each sample redraws one terminal screen (cursor home, clear) with the VMAs sorted by
/// how many pages came or went, largest first, as many as fit the terminal's height, each line cut
/// to its width so that no line wraps and scrolls the screen.
/// </summary>
internal static class TimelineTop
{
    /// <summary>Cursor home and erase the screen (ECMA-48 CUP, ED 2).</summary>
    public const string Clear = "\e[H\e[2J";
    /// <summary>Hide the cursor while screens are drawn, show it again at the end (DECTCEM).</summary>
    public const string HideCursor = "\e[?25l", ShowCursor = "\e[?25h";

    /// <summary>The whole screen as one string, written at once so that no half screen is ever shown.</summary>
    public static string Screen(TimelineSample s, int width, int height)
    {
        var screen = new StringBuilder(Clear);
        screen.Append(Cut(TimelineText.Header(s), width)).Append('\n');
        var sorted = s.Changes.OrderByDescending(c => c.BecamePresent + c.Left).ThenBy(c => c.Change == VmaChangeKind.None)
            .ThenByDescending(c => c.Present).ThenBy(c => c.Vma.Vma.Start);
        // The header takes a line, and the last line stays empty so that the cursor never scrolls the screen.
        foreach (var c in sorted.Take(Math.Max(0, height - 2)))
            screen.Append(Cut(TimelineText.VmaLine(c), width)).Append('\n');
        return screen.ToString();
    }

    private static string Cut(string line, int width) => line.Length <= width ? line : line[..Math.Max(0, width)];
}
