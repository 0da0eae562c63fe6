namespace PageAtlas.Cli;

/// <summary>
/// The cells of one row of a <see cref="TextTable"/> table, written into one reused buffer: a
/// cell is opened with <see cref="At"/> and then written whole (text, numbers) before the next is
/// opened. A cell not written in a row is empty. Text must already be escaped for a terminal.
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

    /// <summary>Cell <paramref name="column"/>'s text.</summary>
    public ReadOnlySpan<char> this[int column] => _length[column] == 0 ? default : _text.Span.Slice(_start[column], _length[column]);

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
    public RowCells Text(ReadOnlySpan<char> text) => Grown(_text.Append(text));

    /// <summary>Appends a number in lower-case hexadecimal, at least <paramref name="minDigits"/> digits.</summary>
    public RowCells Hex(ulong value, int minDigits = 1) => Grown(_text.Hex(value, minDigits));

    /// <summary>Appends a number in decimal.</summary>
    public RowCells Number(ulong value) => Grown(_text.Number(value));

    /// <summary>Appends a size in the unit <paramref name="format"/> chose.</summary>
    public RowCells Size(ulong bytes, SizeFormat format) => Grown(_text.Size(bytes, format));

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

    private RowCells Grown(LineBuffer text)
    {
        _length[_open] = text.Length - _start[_open];
        return this;
    }
}
