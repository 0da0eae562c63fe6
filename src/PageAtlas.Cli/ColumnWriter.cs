namespace PageAtlas.Cli;

/// <summary>A column of a <see cref="ColumnWriter"/> table: its heading and which side its cells keep to.</summary>
internal readonly record struct Column(string Name, bool RightAligned = false);

/// <summary>
/// Long listings (a process can have tens of thousands of VMAs) as aligned text, row by row. A
/// Spectre table keeps every cell of every row until it prints (327 MiB for 20,000 VMAs); this
/// writer holds one row. The rows are a list the answer holds anyway, so widths come from a first
/// pass that formats each row and keeps only the lengths; the second pass formats it again and
/// writes it. A left-aligned last column is not padded (it is the free-form one: a path, a list of flags).
/// Cells must already be escaped for a terminal (<see cref="PageAtlas.Rendering.TerminalText.Escape(string?, bool)"/>).
/// A row's cells go into one reused buffer (<see cref="RowCells"/>), never into strings of their own.
/// </summary>
internal sealed class ColumnWriter
{
    private const string Gap = "  ";
    private readonly TextWriter _output;
    private readonly Column[] _columns;
    private readonly int[] _widths;
    private readonly RowCells _cells;
    private readonly LineBuffer _line = new();

    private ColumnWriter(TextWriter output, Column[] columns)
    {
        _output = output;
        _columns = columns;
        _widths = columns.Select(c => c.Name.Length).ToArray();
        _cells = new RowCells(columns.Length);
    }

    /// <summary>As <see cref="WriteCells"/>, with each row's cells given as strings.</summary>
    public static void Write<T>(TextWriter output, Column[] columns, IReadOnlyList<T> rows, Action<T, string[]> fill, params string[][] footer)
    {
        var strings = new string[columns.Length];
        WriteCells(output, columns, rows, (row, cells) =>
        {
            fill(row, strings);
            for (int i = 0; i < strings.Length; i++) cells.At(i).Text(strings[i]);
        }, footer);
    }

    /// <summary>
    /// Writes the heading, a rule, one line per row (<paramref name="fill"/> writes a row's cells
    /// into the <see cref="RowCells"/> it is given, emptied for each row) and then, after a blank
    /// line, <paramref name="footer"/>'s rows (a total).
    /// </summary>
    public static void WriteCells<T>(TextWriter output, Column[] columns, IReadOnlyList<T> rows, Action<T, RowCells> fill, params string[][] footer)
    {
        var writer = new ColumnWriter(output, columns);
        foreach (var row in rows) writer.Measure(writer.Fill(row, fill));
        foreach (var cells in footer) writer.Measure(writer.Fill(cells));
        writer.WriteLine(writer.Fill(columns.Select(c => c.Name).ToArray()));
        writer.WriteLine(writer.Fill(writer._widths.Select(w => new string('─', w)).ToArray()));
        foreach (var row in rows) writer.WriteLine(writer.Fill(row, fill));
        if (footer.Length == 0) return;
        output.WriteLine();
        foreach (var cells in footer) writer.WriteLine(writer.Fill(cells));
    }

    private RowCells Fill<T>(T row, Action<T, RowCells> fill)
    {
        _cells.Clear();
        fill(row, _cells);
        return _cells;
    }

    private RowCells Fill(string[] strings)
    {
        _cells.Clear();
        for (int i = 0; i < strings.Length; i++) _cells.At(i).Text(strings[i]);
        return _cells;
    }

    private void Measure(RowCells cells)
    {
        for (int i = 0; i < _columns.Length; i++)
            if (!IsFree(i)) _widths[i] = Math.Max(_widths[i], cells[i].Length);
    }

    /// <summary>A left-aligned last column is free-form: not measured, not padded.</summary>
    private bool IsFree(int column) => column == _columns.Length - 1 && !_columns[column].RightAligned;

    private void WriteLine(RowCells cells)
    {
        _line.Clear();
        for (int i = 0; i < _columns.Length; i++)
        {
            if (i > 0) _line.Append(Gap);
            var cell = cells[i];
            int pad = IsFree(i) ? 0 : _widths[i] - cell.Length;
            if (_columns[i].RightAligned) _line.Append(' ', pad).Append(cell);
            else _line.Append(cell).Append(' ', pad);
        }
        // Trailing blanks (an empty last cell) are noise in a file.
        int length = _line.Span.TrimEnd(' ').Length;
        _output.WriteLine(_line.Span[..length]);
    }
}
