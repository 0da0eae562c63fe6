using System.Buffers;
using System.Globalization;
using System.Text;
using PageAtlas.Linux;

namespace PageAtlas.Rendering;

/// <summary>
/// Makes text that other users control (process names, file names, snapshot contents) safe to put
/// on a terminal: control characters would let a process move the cursor, rewrite lines or retitle
/// the window of the root user looking at it. C0 and C1 controls, DEL, the line and paragraph
/// separators and the bidirectional overrides that reorder what is shown become visible escapes
/// (\n, \r, \t, \e, \xHH, \u{HHHH}); a byte that was not valid UTF-8 (kept as U+DC80 + byte by
/// <see cref="KernelText.Decode"/>) is shown as \xHH, any other lone surrogate as \u{HHHH};
/// everything else, including non-ASCII letters, is kept. JSON output does not use this: it keeps
/// names exactly, escaped by the JSON writer.
/// </summary>
public static class TerminalText
{
    // Every character IsUnsafe may be true for, surrogates included (a pair is checked where found).
    private static readonly SearchValues<char> s_suspects = SearchValues.Create(Suspects());

    /// <summary>The text with every character a terminal would act on shown as an escape.</summary>
    public static string Escape(string? text) => Escape(text, keepLineBreaks: false);

    /// <summary>
    /// As <see cref="Escape(string?)"/>; with <paramref name="keepLineBreaks"/> a '\n' is kept, for
    /// a whole document whose own lines must stay lines.
    /// </summary>
    public static string Escape(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = IndexOfUnsafe(text, 0, keepLineBreaks);
        if (first < 0) return text;
        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        int i = first;
        while (i < text.Length)
        {
            AppendEscaped(escaped, text, i, out int length);
            i += length;
            int next = IndexOfUnsafe(text, i, keepLineBreaks);
            int end = next < 0 ? text.Length : next;
            escaped.Append(text, i, end - i);
            i = end;
        }
        return escaped.ToString();
    }

    /// <summary>Whether <paramref name="c"/>, on its own, would act on a terminal instead of being shown.</summary>
    public static bool IsUnsafe(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || IsBidiControl(c)
        || c is '\u2028' or '\u2029'
        || char.IsSurrogate(c);

    /// <summary>
    /// Whether <paramref name="scalar"/> is a bidirectional formatting character (U+061C, U+200E–U+200F,
    /// overrides U+202A–U+202E, isolates U+2066–U+2069): shown raw, it reorders the text around it.
    /// </summary>
    public static bool IsBidiControl(int scalar) =>
        scalar is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    /// <summary>Whether the text holds a character <see cref="Escape(string?)"/> would change.</summary>
    public static bool NeedsEscape(ReadOnlySpan<char> text) => NeedsEscape(text, keepLineBreaks: false);

    /// <summary>Whether the text holds a character <see cref="Escape(string?, bool)"/> would change.</summary>
    public static bool NeedsEscape(ReadOnlySpan<char> text, bool keepLineBreaks) => IndexOfUnsafe(text, 0, keepLineBreaks) >= 0;

    /// <summary>Appends the escape of the character (or unpaired surrogate) at <paramref name="index"/>; a valid surrogate pair is appended as it is.</summary>
    private static void AppendEscaped(StringBuilder escaped, string text, int index, out int length)
    {
        char c = text[index];
        length = 1;
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            escaped.Append(c).Append(text[index + 1]);
            length = 2;
            return;
        }
        if (KernelText.EscapedByte(c) is { } b)
        {
            escaped.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return;
        }
        escaped.Append(c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\e' => "\\e",
            < '\u0100' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
            _ => "\\u{" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) + "}",
        });
    }

    /// <summary>The index of the first character from <paramref name="start"/> that must be escaped, or -1.</summary>
    private static int IndexOfUnsafe(ReadOnlySpan<char> text, int start, bool keepLineBreaks)
    {
        int i = start;
        while (i < text.Length)
        {
            int found = text[i..].IndexOfAny(s_suspects);
            if (found < 0) return -1;
            i += found;
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i += 2; continue; }
            if (keepLineBreaks && c == '\n') { i++; continue; }
            return i;
        }
        return -1;
    }

    /// <summary>
    /// The characters <see cref="IsUnsafe"/> is true for, from its ranges (every command builds this
    /// set at start-up: testing all 65,536 characters one by one took a tenth of a small run).
    /// </summary>
    internal static string Suspects()
    {
        var all = new StringBuilder();
        static void Range(StringBuilder all, int first, int last)
        {
            for (int c = first; c <= last; c++) all.Append((char)c);
        }
        Range(all, 0, ' ' - 1);
        Range(all, 0x7f, 0x9f);
        all.Append('\u061C');
        Range(all, 0x200E, 0x200F);
        Range(all, 0x2028, 0x202E); // the line and paragraph separators, then the bidi embeddings and overrides
        Range(all, 0x2066, 0x2069);
        Range(all, 0xD800, 0xDFFF);
        return all.ToString();
    }
}
