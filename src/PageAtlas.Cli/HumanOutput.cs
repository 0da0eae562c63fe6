using System.Globalization;

namespace PageAtlas.Cli;

/// <summary>
/// How human-readable text spells a size: one style everywhere, in at most five characters so that
/// a size column fits an 80-column table ("0", "512B", "4.0K", "132K", "12.3M", "1.5G"; powers of
/// 1024; one decimal below 100 of the unit, none above). Exact figures: --bytes or --pages (<see cref="SizeFormat"/>).
/// </summary>
internal static class HumanOutput
{
    private const string Units = "KMGTPE";

    /// <summary>"4.0K", "1.5G".</summary>
    public static string Bytes(ulong bytes)
    {
        Span<char> text = stackalloc char[8];
        TryWriteBytes(bytes, text, out int written);
        return text[..written].ToString();
    }

    /// <summary>
    /// Writes <see cref="Bytes"/>'s text into <paramref name="destination"/> (8 characters always
    /// suffice), in integers only: a listing of 20,000 VMAs formats a size per row, and the
    /// floating-point formatter was most of its cost. Rounded half up to the digit shown.
    /// </summary>
    public static bool TryWriteBytes(ulong bytes, Span<char> destination, out int written)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (bytes < 1024) return destination.TryWrite(invariant, $"{bytes}{(bytes == 0 ? "" : "B")}", out written);
        // The unit is the largest at which the value is below 1000 (1000K is shown as "1.0M", never "1000K").
        int unit = 0;
        while (unit < Units.Length - 1 && bytes >= 1000UL << (10 * (unit + 1))) unit++;
        UInt128 divisor = (UInt128)1 << (10 * (unit + 1));
        ulong tenths = (ulong)(((UInt128)bytes * 10 + divisor / 2) / divisor);
        if (tenths < 1000) return destination.TryWrite(invariant, $"{tenths / 10}.{tenths % 10}{Units[unit]}", out written);
        ulong whole = (ulong)(((UInt128)bytes + divisor / 2) / divisor);
        return destination.TryWrite(invariant, $"{whole}{Units[unit]}", out written);
    }
}
