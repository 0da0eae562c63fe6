namespace PageAtlas.Cli;

/// <summary>How a text or path cell too wide for its column is shortened: an ellipsis marks what was left out.</summary>
internal static class CellShortening
{
    /// <summary>The mark of left-out text.</summary>
    public const char Ellipsis = '…';

    /// <summary>As <see cref="Append"/>, for text on its own: <paramref name="text"/> in at most <paramref name="width"/> characters (whole when null).</summary>
    public static string Shorten(string text, int? width, ColumnKind kind)
    {
        if (width is not { } w || text.Length <= w) return text;
        var line = new LineBuffer();
        Append(line, text, Math.Max(w, 1), kind);
        return line.Span.ToString();
    }

    /// <summary>
    /// Appends <paramref name="cell"/> to <paramref name="line"/> in at most <paramref name="width"/>
    /// characters. A path keeps its file name and cuts its directories ("/usr/lib/…/libc.so.6", or
    /// "…/libpython3.1…" when the name alone is too long); a
    /// bracketed name keeps its closing bracket ("[anon:very long…]"); other text keeps its start.
    /// </summary>
    public static void Append(LineBuffer line, ReadOnlySpan<char> cell, int width, ColumnKind kind)
    {
        if (cell.Length <= width)
        {
            line.Append(cell);
            return;
        }
        if (width <= 1)
        {
            line.Append(Ellipsis, width);
            return;
        }
        if (kind == ColumnKind.Path)
        {
            int slash = cell.LastIndexOf('/');
            // The file name with its slash, and at least one character of the directories before the ellipsis.
            if (slash > 0 && cell.Length - slash + 2 <= width)
            {
                var name = cell[slash..];
                line.Append(cell[..(width - name.Length - 1)]).Append(Ellipsis).Append(name);
                return;
            }
            // A file name too long for the column: its start, after an ellipsis for the directories.
            if (slash > 0 && width >= 4)
            {
                line.Append(Ellipsis).Append(cell.Slice(slash, width - 2)).Append(Ellipsis);
                return;
            }
            if (cell[0] == '[' && cell[^1] == ']' && width >= 3)
            {
                line.Append(cell[..(width - 2)]).Append(Ellipsis).Append(']');
                return;
            }
        }
        line.Append(cell[..(width - 1)]).Append(Ellipsis);
    }
}
