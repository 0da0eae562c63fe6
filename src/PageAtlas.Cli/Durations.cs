using System.Globalization;

namespace PageAtlas.Cli;

/// <summary>Times given on the command line: seconds ("0.5") or with a unit ("200ms", "2s", "1m", "1h").</summary>
internal static class Durations
{
    /// <summary><paramref name="text"/> as a time from <paramref name="min"/> to <paramref name="max"/>; else an <see cref="InvalidRequestException"/> naming <paramref name="option"/> and the bounds (given as <paramref name="bounds"/>).</summary>
    public static TimeSpan Parse(string text, string option, TimeSpan min, TimeSpan max, string bounds)
    {
        double scale = 1;
        string number = text;
        if (text.EndsWith("ms", StringComparison.Ordinal)) { scale = 0.001; number = text[..^2]; }
        else if (text.EndsWith('s')) number = text[..^1];
        else if (text.EndsWith('m')) { scale = 60; number = text[..^1]; }
        else if (text.EndsWith('h')) { scale = 3600; number = text[..^1]; }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || value * scale < min.TotalSeconds || value * scale > max.TotalSeconds)
            throw new InvalidRequestException($"{option} '{PageAtlas.Rendering.TerminalText.Escape(text)}' is not a time between {bounds}");
        return TimeSpan.FromSeconds(value * scale);
    }
}
