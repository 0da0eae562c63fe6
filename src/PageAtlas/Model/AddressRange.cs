using System.Globalization;

namespace PageAtlas.Model;

/// <summary>A virtual address range [Start, End).</summary>
/// <param name="Start">First byte.</param>
/// <param name="End">One past the last byte.</param>
public readonly record struct AddressRange(ulong Start, ulong End)
{
    /// <summary>Length in bytes.</summary>
    public ulong Length => End - Start;

    /// <summary>
    /// The whole pages this range touches: the start rounded down to its page, the end up to the next
    /// page boundary (an end inside the very last page of the address space stays where it is).
    /// </summary>
    public AddressRange ToWholePages(int pageSize)
    {
        ulong mask = (ulong)pageSize - 1;
        ulong end = (End & mask) == 0 || (End | mask) == ulong.MaxValue ? End : (End | mask) + 1;
        return new AddressRange(Start & ~mask, end);
    }

    /// <summary>The forms <see cref="Parse"/> accepts, as a bad range's message lists them.</summary>
    public const string AcceptedForms =
        "ADDR, ADDR..END, ADDR-END (as /proc/<pid>/maps prints), ADDR\u2013END (as PageAtlas prints), ADDR+LEN; " +
        "END is exclusive; addresses are hexadecimal with or without 0x; LEN is decimal, 0x-hexadecimal, or ends in K, M or G";

    /// <summary>The separators between a range's start and its exclusive end: "..", /proc's '-', PageAtlas's en dash.</summary>
    private static readonly string[] EndSeparators = ["..", "-", "\u2013"];

    /// <summary>
    /// Parses "ADDR" (one byte), "ADDR..END", "ADDR-END" (a line of /proc/&lt;pid&gt;/maps),
    /// "ADDR–END" (as PageAtlas prints a range, e.g. <c>PageTableText.Span</c>) or "ADDR+LEN".
    /// END is exclusive in every form, as maps and PageAtlas print it. Addresses are always hexadecimal,
    /// with or without 0x (an address is never decimal, so "1000" is 0x1000); a length is decimal unless
    /// it starts with 0x, and may end in K, M or G.
    /// </summary>
    /// <exception cref="InvalidRequestException">The text is not of one of those forms; the message lists them.</exception>
    public static AddressRange Parse(string text)
    {
        try
        {
            return ParseForm(text);
        }
        catch (InvalidRequestException e)
        {
            throw new InvalidRequestException($"bad range '{text}': {e.Message}; accepted forms: {AcceptedForms}");
        }
    }

    private static AddressRange ParseForm(string text)
    {
        foreach (var separator in EndSeparators)
        {
            int at = text.IndexOf(separator, StringComparison.Ordinal);
            if (at < 0) continue;
            ulong start = ParseAddress(text[..at]), end = ParseAddress(text[(at + separator.Length)..]);
            if (end <= start) throw new InvalidRequestException("it ends before it starts");
            return new AddressRange(start, end);
        }
        int plus = text.IndexOf('+');
        if (plus >= 0)
        {
            ulong start = ParseAddress(text[..plus]), length = ParseLength(text[(plus + 1)..]);
            if (length == 0 || length > ulong.MaxValue - start) throw new InvalidRequestException("its length is empty or runs past the top of the address space");
            return new AddressRange(start, start + length);
        }
        ulong address = ParseAddress(text);
        // The range is end-exclusive, so the very last byte of the address space has no end to give it.
        if (address == ulong.MaxValue) throw new InvalidRequestException("it is the last byte of the address space, which no end-exclusive range can hold");
        return new AddressRange(address, address + 1);
    }

    /// <summary>Parses a hexadecimal address, with or without 0x.</summary>
    public static ulong ParseAddress(string text)
    {
        var digits = text.Trim().AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.IsEmpty || digits.Length > 16
            || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
            throw new InvalidRequestException($"'{text}' is not a hexadecimal address (like 0x7ffd12345000)");
        return value;
    }

    /// <summary>Parses a length: decimal or 0x-hex, with an optional K/M/G suffix (powers of 1024).</summary>
    public static ulong ParseLength(string text)
    {
        var t = text.Trim();
        ulong unit = 1;
        if (t.Length > 0 && char.ToUpperInvariant(t[^1]) is 'K' or 'M' or 'G')
        {
            unit = char.ToUpperInvariant(t[^1]) switch { 'K' => 1UL << 10, 'M' => 1UL << 20, _ => 1UL << 30 };
            t = t[..^1];
        }
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value > ulong.MaxValue / unit) throw new InvalidRequestException($"'{text}' is not a length (like 4096, 0x1000, 64K, 2M)");
        return value * unit;
    }
}
