namespace PageAtlas.Cli;

/// <summary>
/// Prose (a note, a page's line of facts) broken into lines no wider than a width: between words, or
/// after a comma in a list ("flags=lru,mmap,…"), never inside a word, so that a number or an address
/// is never split. A word wider than the width gets a line of its own, whole.
/// </summary>
internal static class Paragraph
{
    /// <summary>
    /// The lines of <paramref name="text"/>, which starts at <paramref name="startColumn"/> of its first
    /// line (what the line already holds) and keeps its leading blanks; later lines are indented by
    /// <paramref name="indent"/> blanks. Runs of blanks inside are one blank once the text is broken.
    /// </summary>
    public static IEnumerable<string> Lines(string text, int width, int indent = 0, int startColumn = 0)
    {
        if (startColumn + text.Length <= width)
        {
            yield return text;
            yield break;
        }
        var line = new System.Text.StringBuilder(width);
        int pos = text.Length - text.TrimStart(' ').Length;
        line.Append(text, 0, pos);
        int column = startColumn + pos;
        bool pieceOnLine = false, blankBefore = false;
        while (pos < text.Length)
        {
            int space = text.IndexOf(' ', pos), comma = text.IndexOf(',', pos);
            int end = Math.Min(space < 0 ? text.Length : space, comma < 0 ? text.Length : comma + 1);
            int length = end - pos;
            if (pieceOnLine && column + (blankBefore ? 1 : 0) + length > width)
            {
                yield return line.ToString();
                line.Clear().Append(' ', indent);
                column = indent;
                blankBefore = false;
            }
            if (blankBefore)
            {
                line.Append(' ');
                column++;
            }
            line.Append(text, pos, length);
            column += length;
            pieceOnLine = true;
            pos = end;
            blankBefore = false;
            while (pos < text.Length && text[pos] == ' ')
            {
                pos++;
                blankBefore = true;
            }
        }
        yield return line.ToString();
    }
}
