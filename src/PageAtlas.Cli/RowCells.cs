namespace PageAtlas.Cli;

/// <summary>
/// The cells of one row of a <see cref="ColumnWriter"/> table, written into one reused buffer: a
/// cell is opened with <see cref="At"/> and then written whole (text, numbers) before the next is
/// opened. A cell not written in a row is empty. Text must already be escaped for a terminal.
/// </summary>
internal sealed class RowCells
{
    private readonly LineBuffer _text = new();
    private readonly int[] _start;
    private readonly int[] _length;
    private int _open;

    public RowCells(int columns)
    {
        _start = new int[columns];
        _length = new int[columns];
    }

    /// <summary>Cell <paramref name="column"/>'s text.</summary>
    public ReadOnlySpan<char> this[int column] => _text.Span.Slice(_start[column], _length[column]);

    /// <summary>Empties every cell.</summary>
    public void Clear()
    {
        _text.Clear();
        Array.Clear(_length);
    }

    /// <summary>Opens cell <paramref name="column"/> (anew): what follows is written into it.</summary>
    public RowCells At(int column)
    {
        _open = column;
        _start[column] = _text.Length;
        _length[column] = 0;
        return this;
    }

    /// <summary>Appends text to the open cell.</summary>
    public RowCells Text(ReadOnlySpan<char> text) => Grown(_text.Append(text));

    /// <summary>Appends a number in lower-case hexadecimal, at least <paramref name="minDigits"/> digits.</summary>
    public RowCells Hex(ulong value, int minDigits = 1) => Grown(_text.Hex(value, minDigits));

    /// <summary>Appends a number in decimal.</summary>
    public RowCells Number(ulong value) => Grown(_text.Number(value));

    /// <summary>Appends a size as <see cref="HumanOutput.Bytes"/> writes it.</summary>
    public RowCells Bytes(ulong bytes) => Grown(_text.Bytes(bytes));

    private RowCells Grown(LineBuffer text)
    {
        _length[_open] = text.Length - _start[_open];
        return this;
    }
}
