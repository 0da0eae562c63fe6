using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Labs;

/// <summary>Small measurements the labs share.</summary>
internal static class LabPages
{
    /// <summary>The page at <paramref name="address"/>, with its frame's flags and map count.</summary>
    public static PageRecord At(IMemoryTarget target, ulong address) =>
        AddressTranslation.Translate(target, new AddressRange(address, address + 1)).Single().Page;

    /// <summary>The pages of [start, end), one record per page.</summary>
    public static PageRecord[] Range(IMemoryTarget target, ulong start, ulong end) =>
        AddressTranslation.Translate(target, new AddressRange(start, end)).Select(t => t.Page).ToArray();

    /// <summary>"0x1a2b".</summary>
    public static string Hex(ulong value) => $"0x{value:x}";

    /// <summary>Parses "0x…" from a specimen's answer.</summary>
    public static ulong ParseHex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
