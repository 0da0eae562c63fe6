using System.Text;

namespace PageAtlas.Cli;

/// <summary>A column of a <see cref="ColumnWriter"/> table: its heading and which side its cells keep to.</summary>
internal readonly record struct Column(string Name, bool RightAligned = false);

/// <summary>
/// Long listings (a process can have tens of thousands of VMAs) as aligned text, row by row. A
/// Spectre table keeps every cell of every row until it prints (327 MiB for 20,000 VMAs); this
/// writer holds one row. The rows are a list the answer holds anyway, so widths come from a first
/// pass that formats each row and keeps only the lengths; the second pass formats it again and
/// writes it. A left-aligned last column is not padded (it is the free-form one: a path, a list of flags).
/// Cells must already be escaped for a terminal (<see cref="Rendering.TerminalText.Escape(string?, bool)"/>).
/// </summary>
internal sealed class ColumnWriter
{
    private const string Gap = "  ";
    private readonly TextWriter _output;
    private readonly Column[] _columns;
    private readonly int[] _widths;
    private readonly string[] _cells;
    private readonly StringBuilder _line = new();

    private ColumnWriter(TextWriter output, Column[] columns)
    {
        _output = output;
        _columns = columns;
        _widths = columns.Select(c => c.Name.Length).ToArray();
        _cells = new string[columns.Length];
    }

    /// <summary>
    /// Writes the heading, a rule, one line per row (<paramref name="fill"/> puts a row's cells in the
    /// array it is given) and then, after a blank line, <paramref name="footer"/>'s rows (a total).
    /// </summary>
    public static void Write<T>(TextWriter output, Column[] columns, IReadOnlyList<T> rows, Action<T, string[]> fill, params string[][] footer)
    {
        var writer = new ColumnWriter(output, columns);
        foreach (var row in rows)
        {
            fill(row, writer._cells);
            writer.Measure(writer._cells);
        }
        foreach (var cells in footer) writer.Measure(cells);
        writer.WriteLine(columns.Select(c => c.Name).ToArray());
        writer.WriteLine(writer._widths.Select(w => new string('─', w)).ToArray());
        foreach (var row in rows)
        {
            fill(row, writer._cells);
            writer.WriteLine(writer._cells);
        }
        if (footer.Length == 0) return;
        output.WriteLine();
        foreach (var cells in footer) writer.WriteLine(cells);
    }

    private void Measure(string[] cells)
    {
        for (int i = 0; i < _columns.Length; i++)
            if (!IsFree(i)) _widths[i] = Math.Max(_widths[i], cells[i].Length);
    }

    /// <summary>A left-aligned last column is free-form: not measured, not padded.</summary>
    private bool IsFree(int column) => column == _columns.Length - 1 && !_columns[column].RightAligned;

    private void WriteLine(string[] cells)
    {
        _line.Clear();
        for (int i = 0; i < _columns.Length; i++)
        {
            if (i > 0) _line.Append(Gap);
            string cell = cells[i];
            int pad = IsFree(i) ? 0 : _widths[i] - cell.Length;
            if (_columns[i].RightAligned) _line.Append(' ', pad).Append(cell);
            else _line.Append(cell).Append(' ', pad);
        }
        // Trailing blanks (an empty last cell) are noise in a file.
        while (_line.Length > 0 && _line[^1] == ' ') _line.Length--;
        _output.WriteLine(_line.ToString());
    }
}
