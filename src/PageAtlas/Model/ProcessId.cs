using System.Globalization;

namespace PageAtlas.Model;

/// <summary>Process ids as users write them.</summary>
public static class ProcessId
{
    /// <summary>Parses a positive decimal pid ("1234"; no sign, spaces or other digits).</summary>
    /// <exception cref="InvalidRequestException">The text is not one.</exception>
    public static int Parse(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : throw new InvalidRequestException($"'{text}' is not a process id (a positive decimal number)");
}
