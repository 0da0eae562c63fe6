using System.Numerics;

namespace PageAtlas.Cli;

/// <summary>
/// The cells of one row of a <see cref="TextTable"/> table, written into one reused buffer: a
/// cell is opened with <see cref="At"/> and then written whole (text, numbers) before the next is
/// opened. A cell not written in a row is empty. Text must already be escaped for a terminal.
/// <para>
/// A row that is only <see cref="Measuring"/> keeps its cells' lengths and writes nothing: a number's
/// width follows from its value and text's from its length, so the table's first pass (the widths)
/// formats no number and copies no text; only the pass that writes the row formats it.
/// </para>
/// </summary>
internal sealed class RowCells
{
    private readonly LineBuffer _text = new();
    private readonly int[] _start;
    private readonly int[] _length;
    private readonly string?[] _colour;
    private int _open;

    public RowCells(int columns)
    {
        _start = new int[columns];
        _length = new int[columns];
        _colour = new string?[columns];
    }

    /// <summary>How many cells a row has.</summary>
    public int Count => _length.Length;

    /// <summary>Whether cells only count their lengths (<see cref="LengthOf"/>): their text is not kept.</summary>
    public bool Measuring { get; set; }

    /// <summary>Cell <paramref name="column"/>'s text (empty while <see cref="Measuring"/>).</summary>
    public ReadOnlySpan<char> this[int column] => _length[column] == 0 || Measuring ? default : _text.Span.Slice(_start[column], _length[column]);

    /// <summary>Cell <paramref name="column"/>'s length in characters.</summary>
    public int LengthOf(int column) => _length[column];

    /// <summary>Empties every cell.</summary>
    public void Clear()
    {
        _text.Clear();
        Array.Clear(_length);
        Array.Clear(_colour);
    }

    /// <summary>Opens cell <paramref name="column"/> (anew): what follows is written into it.</summary>
    public RowCells At(int column)
    {
        _open = column;
        _start[column] = _text.Length;
        _length[column] = 0;
        _colour[column] = null;
        return this;
    }

    /// <summary>Appends text to the open cell.</summary>
    public RowCells Text(ReadOnlySpan<char> text) => Measuring ? Counted(text.Length) : Grown(_text.Append(text));

    /// <summary>Appends a number in lower-case hexadecimal, at least <paramref name="minDigits"/> digits.</summary>
    public RowCells Hex(ulong value, int minDigits = 1) => Measuring ? Counted(LineBuffer.HexDigitCount(value, minDigits)) : Grown(_text.Hex(value, minDigits));

    /// <summary>Appends a number in decimal.</summary>
    public RowCells Number(ulong value) => Measuring ? Counted(DecimalDigits(value)) : Grown(_text.Number(value));

    /// <summary>Appends a size in the unit <paramref name="format"/> chose.</summary>
    public RowCells Size(ulong bytes, SizeFormat format)
    {
        if (!Measuring) return Grown(_text.Size(bytes, format));
        Span<char> scratch = stackalloc char[LineBuffer.SizeRoom];
        format.TryWrite(bytes, scratch, out int written);
        return Counted(written);
    }

    /// <summary>
    /// Gives the open cell a colour (an ANSI code of <see cref="TerminalColours"/>; null for none),
    /// shown only when the table is written to a terminal, and never counted in its width.
    /// </summary>
    public RowCells Colour(string? code)
    {
        _colour[_open] = code;
        return this;
    }

    /// <summary>Cell <paramref name="column"/>'s colour code, or null.</summary>
    public string? ColourOf(int column) => _colour[column];

    /// <summary>Digits of <paramref name="value"/> in decimal, as <see cref="LineBuffer.Number"/> writes it.</summary>
    internal static int DecimalDigits(ulong value)
    {
        if (value < 10) return 1;
        // log10 from log2 (1233/4096 ≈ log10 2), then one comparison corrects it (Hacker's Delight 11-4).
        int guess = ((64 - BitOperations.LeadingZeroCount(value)) * 1233) >> 12;
        return guess + 1 - (guess < PowersOfTen.Length && value < PowersOfTen[guess] ? 1 : 0);
    }

    private static ReadOnlySpan<ulong> PowersOfTen =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
        1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    private RowCells Counted(int characters)
    {
        _length[_open] += characters;
        return this;
    }

    private RowCells Grown(LineBuffer text)
    {
        _length[_open] = text.Length - _start[_open];
        return this;
    }
}
