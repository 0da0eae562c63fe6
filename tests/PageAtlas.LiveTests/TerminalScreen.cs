using System.Text;

namespace PageAtlas.LiveTests;

/// <summary>
/// What a terminal shows of text written to it: a carriage return sends the cursor back to the
/// line's start, so a progress line (on stderr, which is the terminal too: a loaded machine makes
/// maps or frames take over a second, and PageAtlas then shows progress) is overwritten in place and
/// blanked as a person sees it, not read as one long line. Codes (colour) are kept.
/// </summary>
internal static class TerminalScreen
{
    /// <summary><paramref name="written"/> (what script(1) captured) as the terminal's lines show it, trailing blanks removed.</summary>
    public static string Shown(string written) => string.Join('\n', written.Split('\n').Select(Line));

    private static string Line(string line)
    {
        var cells = new StringBuilder();
        foreach (string part in line.Split('\r'))
        {
            if (part.Length >= cells.Length) cells.Clear().Append(part);
            else cells.Remove(0, part.Length).Insert(0, part);
        }
        return cells.ToString().TrimEnd(' ');
    }
}
