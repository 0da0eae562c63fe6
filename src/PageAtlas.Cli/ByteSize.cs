using System.CommandLine.Parsing;
using System.Globalization;

namespace PageAtlas.Cli;

/// <summary>A size given on the command line: bytes, or a number with K, M, G (or KiB, MiB, GiB: binary units either way).</summary>
internal static class ByteSize
{
    /// <summary>The option's one value as bytes; anything else is an error of the option.</summary>
    public static long Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(text, out long bytes)) return bytes;
        result.AddError($"{result.Parent?.ToString() ?? "a size"} takes a size in bytes or with K, M or G (256M, 1G), not '{PageAtlas.Rendering.TerminalText.Escape(text)}'");
        return 0;
    }

    /// <summary>"256M", "256MiB", "1G", "65536" → bytes (positive, at most 1 TiB).</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        string t = text.Trim();
        int shift = 0;
        foreach (var (suffix, bits) in new[] { ("KiB", 10), ("MiB", 20), ("GiB", 30), ("K", 10), ("M", 20), ("G", 30) })
        {
            if (!t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            t = t[..^suffix.Length];
            shift = bits;
            break;
        }
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number <= 0 || number > (1L << 40) >> shift) return false;
        bytes = number << shift;
        return true;
    }
}
