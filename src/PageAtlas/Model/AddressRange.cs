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

    /// <summary>
    /// Parses "ADDR" (one byte), "ADDR..ADDR" (inclusive of the first, exclusive of the second), or
    /// "ADDR+LEN". Addresses are hexadecimal with or without 0x; a length is decimal, or hexadecimal
    /// with 0x, and may end in K, M or G.
    /// </summary>
    /// <exception cref="InvalidRequestException">The text is not of that form.</exception>
    public static AddressRange Parse(string text)
    {
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots >= 0)
        {
            ulong start = ParseAddress(text[..dots]), end = ParseAddress(text[(dots + 2)..]);
            if (end <= start) throw new InvalidRequestException($"range '{text}' ends before it starts");
            return new AddressRange(start, end);
        }
        int plus = text.IndexOf('+');
        if (plus >= 0)
        {
            ulong start = ParseAddress(text[..plus]), length = ParseLength(text[(plus + 1)..]);
            if (length == 0 || length > ulong.MaxValue - start) throw new InvalidRequestException($"range '{text}' has an empty or overflowing length");
            return new AddressRange(start, start + length);
        }
        ulong address = ParseAddress(text);
        // The range is end-exclusive, so the very last byte of the address space has no end to give it.
        if (address == ulong.MaxValue) throw new InvalidRequestException($"address '{text}' is the last byte of the address space, which no range can end after");
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
