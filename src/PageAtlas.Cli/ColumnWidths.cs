namespace PageAtlas.Cli;

/// <summary>
/// The widest cell of each column of a <see cref="TextTable"/>, measured row by row as rows arrive
/// (maps measures each VMA's row as soon as its pages are counted, while the next pages are still
/// read on another thread), so that the table need not measure its rows again before writing them.
/// Measuring formats nothing (<see cref="RowCells.Measuring"/>).
/// </summary>
internal sealed class ColumnWidths
{
    private readonly RowCells _cells;
    private readonly int[] _widest;

    public ColumnWidths(int columns)
    {
        _cells = new RowCells(columns) { Measuring = true };
        _widest = new int[columns];
    }

    /// <summary>How many columns are measured.</summary>
    public int Count => _widest.Length;

    /// <summary>The widest cell so far of column <paramref name="column"/> (0 before any row).</summary>
    public int this[int column] => _widest[column];

    /// <summary>Measures one row, whose cells <paramref name="fill"/> writes as the table will.</summary>
    public void Add<T>(T row, Action<T, RowCells> fill)
    {
        _cells.Clear();
        fill(row, _cells);
        for (int i = 0; i < _widest.Length; i++) _widest[i] = Math.Max(_widest[i], _cells.LengthOf(i));
    }

    /// <summary>The widths of some of the columns, in the order given: the columns a table shows of those measured.</summary>
    public ColumnWidths Select(IReadOnlyList<int> columns)
    {
        var chosen = new ColumnWidths(columns.Count);
        for (int i = 0; i < columns.Count; i++) chosen._widest[i] = _widest[columns[i]];
        return chosen;
    }
}
