using Spectre.Console;
using PageAtlas.Rendering;


namespace PageAtlas.Cli;

/// <summary>How human-readable text spells sizes and table cells (where it goes: <see cref="CliConsole"/>).</summary>
internal static class HumanOutput
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>"4 KiB", "1.5 GiB".</summary>
    public static string Bytes(ulong bytes)
    {
        Span<char> text = stackalloc char[32];
        TryWriteBytes(bytes, text, out int written);
        return text[..written].ToString();
    }

    /// <summary>
    /// Writes <see cref="Bytes"/>'s text into <paramref name="destination"/> (32 characters always
    /// suffice). A whole number of its unit, as nearly every VMA's size is, is written as an integer
    /// (what "0.#" prints for it) without the floating-point formatter, which a listing of 20,000
    /// VMAs would otherwise run 20,000 times.
    /// </summary>
    public static bool TryWriteBytes(ulong bytes, Span<char> destination, out int written)
    {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        // Below 2^53 a double holds every integer, and dividing by 1024 is exact: value is whole exactly when bytes is a multiple of the unit.
        return unit == 0 || (bytes < 1UL << 53 && bytes % (1UL << (10 * unit)) == 0)
            ? destination.TryWrite(invariant, $"{bytes >> (10 * unit)} {s_units[unit]}", out written)
            : destination.TryWrite(invariant, $"{value:0.#} {s_units[unit]}", out written);
    }

    /// <summary>Text another user chose (a name, a path) as a table cell: terminal controls and Spectre markup escaped.</summary>
    public static string Cell(string text) => Markup.Escape(TerminalText.Escape(text));

}
