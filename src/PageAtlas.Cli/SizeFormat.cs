using System.Globalization;

namespace PageAtlas.Cli;

/// <summary>The unit sizes are shown in: human (<see cref="HumanOutput"/>), or exact integers of bytes or of pages.</summary>
internal enum SizeUnit { Human, Bytes, Pages }

/// <summary>
/// How a text report writes a size: the unit the user chose and the page size that counts pages.
/// In pages, a size that is not a whole number of pages (a PSS) is rounded to the nearest page.
/// </summary>
internal readonly record struct SizeFormat(SizeUnit Unit, int PageSize)
{
    /// <summary>Writes <paramref name="bytes"/> in this unit (24 characters always suffice).</summary>
    public bool TryWrite(ulong bytes, Span<char> destination, out int written) => Unit switch
    {
        SizeUnit.Bytes => bytes.TryFormat(destination, out written, provider: CultureInfo.InvariantCulture),
        SizeUnit.Pages => ((bytes + (ulong)PageSize / 2) / (ulong)PageSize).TryFormat(destination, out written, provider: CultureInfo.InvariantCulture),
        _ => HumanOutput.TryWriteBytes(bytes, destination, out written),
    };

    /// <summary><paramref name="bytes"/> in this unit, as a string (for a heading or a total).</summary>
    public string Text(ulong bytes)
    {
        Span<char> text = stackalloc char[24];
        TryWrite(bytes, text, out int written);
        return text[..written].ToString();
    }

    /// <summary>"bytes", "pages" or "" (human sizes carry their unit): for a heading that says what a figure counts.</summary>
    public string UnitName => Unit switch { SizeUnit.Bytes => "bytes", SizeUnit.Pages => $"{PageSize}-byte pages", _ => "" };
}
