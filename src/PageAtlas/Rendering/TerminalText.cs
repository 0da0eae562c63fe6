using System.Globalization;
using System.Text;

namespace PageAtlas.Rendering;

/// <summary>
/// Makes text that other users control (process names, file names, snapshot contents) safe to put
/// on a terminal: control characters would let a process move the cursor, rewrite lines or retitle
/// the window of the root user looking at it. C0 and C1 controls, DEL and the bidirectional
/// overrides that reorder what is shown become visible escapes (\n, \r, \t, \e, \xHH, \u{HHHH});
/// everything else, including non-ASCII letters, is kept. JSON output does not use this: it keeps
/// names exactly, escaped by the JSON writer.
/// </summary>
public static class TerminalText
{
    /// <summary>The text with every character a terminal would act on shown as an escape.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = IndexOfUnsafe(text);
        if (first < 0) return text;
        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c)) escaped.Append(c);
            else escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\e' => "\\e",
                < '\u0100' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u{" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) + "}",
            });
        }
        return escaped.ToString();
    }

    /// <summary>Whether <paramref name="c"/> would act on a terminal instead of being shown.</summary>
    public static bool IsUnsafe(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f'
        || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069'
        || c is '\u200e' or '\u200f' or '\u061c';

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
            if (IsUnsafe(text[i])) return i;
        return -1;
    }
}
