namespace PageAtlas.Cli;

/// <summary>
/// How a <see cref="TextTable"/>'s columns share the width it has: each column's width (what its
/// widest cell needs, or less for text that is shortened) and which columns are hidden.
/// </summary>
internal sealed class ColumnFit
{
    /// <summary>Characters between two columns.</summary>
    public const int Gap = 2;

    private ColumnFit(int[] widths, bool[] shown)
    {
        Widths = widths;
        Shown = shown;
    }

    /// <summary>Each column's width; a cell wider than its column is shortened (only text and path columns ever are).</summary>
    public int[] Widths { get; }

    /// <summary>Whether each column is shown.</summary>
    public bool[] Shown { get; }

    /// <summary>
    /// Fits columns whose widest cells are <paramref name="natural"/> into <paramref name="width"/>
    /// characters (null: no limit, every cell whole). First paths, then other text, are shortened
    /// towards <see cref="Column.MinimumWidth"/>; when that is not enough, the column of lowest
    /// priority (the rightmost of equals) is hidden and the fit tried again. Addresses and numbers
    /// are never shortened: when the columns that are never hidden do not fit even so, the lines
    /// are longer than the width rather than wrong.
    /// </summary>
    public static ColumnFit Of(Column[] columns, int[] natural, int? width)
    {
        var widths = (int[])natural.Clone();
        var shown = new bool[columns.Length];
        Array.Fill(shown, true);
        if (width is not { } limit) return new ColumnFit(widths, shown);
        while (true)
        {
            int needed = -Gap, shortest = -Gap;
            for (int i = 0; i < columns.Length; i++)
            {
                if (!shown[i]) continue;
                needed += natural[i] + Gap;
                shortest += (columns[i].Shortens ? Math.Min(natural[i], columns[i].MinimumWidth(limit)) : natural[i]) + Gap;
            }
            if (needed <= limit) return new ColumnFit(widths, shown);
            int hide = LeastImportant(columns, shown);
            if (shortest <= limit || hide < 0)
            {
                Shorten(columns, natural, shown, widths, needed - limit, limit);
                return new ColumnFit(widths, shown);
            }
            shown[hide] = false;
        }
    }

    /// <summary>The names of the hidden columns, in table order.</summary>
    public IEnumerable<string> Hidden(Column[] columns) => columns.Where((_, i) => !Shown[i]).Select(c => c.Name);

    /// <summary>Takes <paramref name="excess"/> characters from paths first, then from other text, each no narrower than its minimum.</summary>
    private static void Shorten(Column[] columns, int[] natural, bool[] shown, int[] widths, int excess, int limit)
    {
        // When the columns that are never hidden need it, text gives up even its readable stem, down to its heading.
        foreach (bool toHeading in (ReadOnlySpan<bool>)[false, true])
        {
            foreach (var kind in (ReadOnlySpan<ColumnKind>)[ColumnKind.Path, ColumnKind.Text])
            {
                for (int i = columns.Length - 1; i >= 0 && excess > 0; i--)
                {
                    if (!shown[i] || columns[i].Kind != kind) continue;
                    int floor = toHeading ? Math.Max(columns[i].Name.Length, 4) : columns[i].MinimumWidth(limit);
                    int take = Math.Min(excess, Math.Max(0, widths[i] - floor));
                    widths[i] -= take;
                    excess -= take;
                }
            }
        }
    }

    /// <summary>The shown column of lowest priority (the rightmost of equals), or -1 when every shown one is kept always.</summary>
    private static int LeastImportant(Column[] columns, bool[] shown)
    {
        int least = -1;
        for (int i = 0; i < columns.Length; i++)
        {
            if (shown[i] && columns[i].Priority != Column.Always && (least < 0 || columns[i].Priority <= columns[least].Priority)) least = i;
        }
        return least;
    }
}
