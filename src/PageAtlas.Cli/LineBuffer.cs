using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace PageAtlas.Cli;

/// <summary>
/// A line of text built in one reused buffer: numbers are formatted straight into it, so a listing
/// of 20,000 VMAs or millions of pages makes no string per cell or per line (each one was an
/// allocation, and the garbage of a long listing was most of its memory and much of its time).
/// Text appended here is not escaped: escape names before (<see cref="PageAtlas.Rendering.TerminalText"/>).
/// </summary>
internal sealed class LineBuffer
{
    private const string HexDigits = "0123456789abcdef";

    /// <summary>The most characters a size takes (<see cref="Size"/>).</summary>
    public const int SizeRoom = 24;
    private char[] _chars = new char[256];

    /// <summary>Characters written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The line so far.</summary>
    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    /// <summary>Empties the line.</summary>
    public LineBuffer Clear()
    {
        Length = 0;
        return this;
    }

    /// <summary>Cuts the line back to its first <paramref name="length"/> characters.</summary>
    public void Truncate(int length) => Length = Math.Min(Length, length);

    /// <summary>Appends one character.</summary>
    public LineBuffer Append(char c)
    {
        Room(1)[0] = c;
        Length++;
        return this;
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="c"/> (none when count ≤ 0).</summary>
    public LineBuffer Append(char c, int count)
    {
        if (count <= 0) return this;
        Room(count)[..count].Fill(c);
        Length += count;
        return this;
    }

    /// <summary>Appends text as it is.</summary>
    public LineBuffer Append(ReadOnlySpan<char> text)
    {
        text.CopyTo(Room(text.Length));
        Length += text.Length;
        return this;
    }

    /// <summary>Appends <paramref name="value"/> in lower-case hexadecimal, at least <paramref name="minDigits"/> digits ("x12").</summary>
    public LineBuffer Hex(ulong value, int minDigits = 1)
    {
        int digits = HexDigitCount(value, minDigits);
        var room = Room(digits);
        for (int i = digits - 1; i >= 0; i--, value >>= 4) room[i] = HexDigits[(int)(value & 0xf)];
        Length += digits;
        return this;
    }

    /// <summary>Digits <see cref="Hex"/> writes for <paramref name="value"/>.</summary>
    public static int HexDigitCount(ulong value, int minDigits = 1) => Math.Max(minDigits, (67 - BitOperations.LeadingZeroCount(value | 1)) / 4);

    /// <summary>Appends <paramref name="value"/> in decimal.</summary>
    public LineBuffer Number(ulong value)
    {
        value.TryFormat(Room(20), out int written, provider: CultureInfo.InvariantCulture);
        Length += written;
        return this;
    }

    /// <summary>Appends a size in the unit <paramref name="format"/> chose.</summary>
    public LineBuffer Size(ulong bytes, SizeFormat format)
    {
        format.TryWrite(bytes, Room(SizeRoom), out int written);
        Length += written;
        return this;
    }

    /// <summary>Appends the VMA's line as /proc/&lt;pid&gt;/maps prints it (<see cref="Model.Vma.ToMapsLine"/>).</summary>
    public LineBuffer MapsLine(Model.Vma vma)
    {
        vma.TryWriteMapsLine(Room(Model.Vma.MapsLineRoom(vma.Path.Length)), out int written);
        Length += written;
        return this;
    }

    // Called for every piece of every cell: the check inlines, the growth (rare) does not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<char> Room(int count)
    {
        if (Length + count > _chars.Length) Grow(count);
        return _chars.AsSpan(Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count) => Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + count));
}
