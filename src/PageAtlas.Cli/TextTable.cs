namespace PageAtlas.Cli;

/// <summary>
/// Every text table of PageAtlas, from ps's few hundred rows to maps of 20,000 VMAs, laid out for
/// the width the report has (<see cref="TextLayout.Width"/>): columns keep what their widest cell
/// needs; when the rows do not fit, paths and then other text are shortened, and then the columns
/// of lowest priority are hidden, said in one line under the table (<see cref="ColumnFit"/>).
/// Addresses and numbers are never cut or split, and right-aligned. With no width (a pipe,
/// --wide) nothing is shortened or hidden; in every case no line ends in blanks.
/// <para>
/// One engine for every table, and no Spectre.Console: a Spectre table wraps inside cells (a number
/// split over two lines reads as two wrong numbers), keeps every cell of every row until it prints
/// (327 MiB for 20,000 VMAs), and took 1.5 MB of the 12.8 MB native binary. This one holds one row: the
/// rows are a list the report holds anyway, so widths come from a first pass that only measures each
/// row (<see cref="RowCells.Measuring"/>: a number's width from its value, text's from its length,
/// nothing formatted or copied); the second pass formats it, once, and writes it. A row's cells go
/// into one reused buffer (<see cref="RowCells"/>), never into strings of their own.
/// </para>
/// Cells must already be escaped for a terminal (<see cref="PageAtlas.Rendering.TerminalText.Escape(string?, bool)"/>);
/// a cell's colour (<see cref="RowCells.Colour"/>) is written around its text, never counted in its width.
/// </summary>
internal sealed class TextTable
{
    private readonly TextOutput _output;
    private readonly Column[] _columns;
    private readonly int[] _natural;
    private readonly RowCells _cells;
    private readonly LineBuffer _line = new();
    private readonly List<(int Start, int End, string Code)> _colours = [];
    private ColumnFit? _fit;

    private TextTable(TextOutput output, Column[] columns)
    {
        _output = output;
        _columns = columns;
        _natural = columns.Select(c => c.Name.Length).ToArray();
        _cells = new RowCells(columns.Length);
    }

    /// <summary>As <see cref="WriteCells"/>, with each row's cells given as strings.</summary>
    public static void Write<T>(TextOutput output, Column[] columns, IReadOnlyList<T> rows, Action<T, string[]> fill, params string[][] footer)
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
    /// into the <see cref="RowCells"/> it is given, emptied for each row), then, after a blank
    /// line, <paramref name="footer"/>'s rows (a total), and the line naming hidden columns if any.
    /// </summary>
    public static void WriteCells<T>(TextOutput output, Column[] columns, IReadOnlyList<T> rows, Action<T, RowCells> fill, params string[][] footer) =>
        WriteCells(output, columns, rows, fill, RowFill.OneThread, measured: null, footer);

    /// <summary>
    /// As <see cref="WriteCells{T}(TextOutput, Column[], IReadOnlyList{T}, Action{T, RowCells}, string[][])"/>;
    /// with <see cref="RowFill.AnyThread"/> (a <paramref name="fill"/> that only reads what it is given)
    /// a long table's rows are formatted on two threads (<see cref="TableRowsOnTwoThreads"/>); with
    /// <paramref name="measured"/> (the rows' widths, measured as they arrived) the rows are not measured again.
    /// </summary>
    public static void WriteCells<T>(TextOutput output, Column[] columns, IReadOnlyList<T> rows, Action<T, RowCells> fill, RowFill filling, ColumnWidths? measured,
        params string[][] footer)
    {
        var table = new TextTable(output, columns);
        table._cells.Measuring = true;
        if (measured is null)
        {
            foreach (var row in rows) table.Measure(table.Fill(row, fill));
        }
        else
        {
            if (measured.Count != columns.Length) throw new ArgumentException($"{measured.Count} columns measured for a table of {columns.Length}", nameof(measured));
            for (int i = 0; i < columns.Length; i++) table._natural[i] = Math.Max(table._natural[i], measured[i]);
        }
        foreach (var cells in footer) table.Measure(table.Fill(cells));
        table._cells.Measuring = false;
        var fit = table._fit = ColumnFit.Of(columns, table._natural, output.Layout.Width);
        table.WriteLine(table.Fill(columns.Select(c => c.Name).ToArray()));
        table.WriteLine(table.Fill(fit.Widths.Select(w => new string('─', w)).ToArray()));
        if (filling == RowFill.AnyThread && TableRowsOnTwoThreads.Worth(rows.Count)) TableRowsOnTwoThreads.Write(table, output, rows, fill);
        else foreach (var row in rows) table.WriteRow(row, fill);
        if (footer.Length > 0)
        {
            output.WriteLine();
            foreach (var cells in footer) table.WriteLine(table.Fill(cells), footer: true);
        }
        var hidden = fit.Hidden(columns).ToList();
        if (hidden.Count > 0)
            output.WriteParagraph($"{hidden.Count} column{(hidden.Count == 1 ? "" : "s")} hidden ({string.Join(", ", hidden)}): --wide shows them", indent: 2);
    }

    /// <summary>A table like this one, its widths fitted, that writes to <paramref name="output"/>: another thread's rows.</summary>
    internal TextTable ForOutput(TextOutput output) => new(output, _columns) { _fit = _fit };

    /// <summary>Writes one row, the widths fitted.</summary>
    internal void WriteRow<T>(T row, Action<T, RowCells> fill) => WriteLine(Fill(row, fill));

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
        for (int i = 0; i < _columns.Length; i++) _natural[i] = Math.Max(_natural[i], cells.LengthOf(i));
    }

    /// <summary>Writes a row; a <paramref name="footer"/> row's first cell is its label ("total"), kept to the left whatever its column holds.</summary>
    private void WriteLine(RowCells cells, bool footer = false)
    {
        var fit = _fit!;
        _line.Clear();
        _colours.Clear();
        int last = Array.LastIndexOf(fit.Shown, true);
        bool first = true;
        for (int i = 0; i <= last; i++)
        {
            if (!fit.Shown[i]) continue;
            if (!first) _line.Append(' ', ColumnFit.Gap);
            var column = _columns[i];
            bool rightAligned = column.RightAligned && !(footer && first);
            first = false;
            var cell = cells[i];
            int width = fit.Widths[i];
            int length = Math.Min(cell.Length, width);
            if (rightAligned) _line.Append(' ', width - cell.Length);
            int start = _line.Length;
            if (column.Shortens) CellShortening.Append(_line, cell, width, column.Kind);
            else _line.Append(cell);
            if (cells.ColourOf(i) is { } code) _colours.Add((start, _line.Length, code));
            // The last column, when left-aligned, is not padded: nothing follows it.
            if (!rightAligned && i != last) _line.Append(' ', width - length);
        }
        // Trailing blanks (an empty last cell) are noise in a file.
        var text = _line.Span.TrimEnd(' ');
        if (_colours.Count == 0 || !_output.Layout.Colour)
        {
            _output.WriteLine(text);
            return;
        }
        int at = 0;
        foreach (var (start, end, code) in _colours)
        {
            if (start >= end || start >= text.Length) continue;
            _output.Write(text[at..start]);
            _output.Colour(code);
            _output.Write(text[start..Math.Min(end, text.Length)]);
            _output.Colour(TerminalColours.Reset);
            at = Math.Min(end, text.Length);
        }
        _output.WriteLine(text[at..]);
    }
}

/// <summary>Where a table's rows may be filled.</summary>
internal enum RowFill
{
    /// <summary>On the caller's thread only (a fill that keeps state of its own).</summary>
    OneThread,
    /// <summary>On two threads at once: the fill only reads its row and what it captured.</summary>
    AnyThread,
}
