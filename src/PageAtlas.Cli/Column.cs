namespace PageAtlas.Cli;

/// <summary>What a column holds, which decides how its cells align and whether they may be shortened.</summary>
internal enum ColumnKind
{
    /// <summary>Free text (a class, a name): cut at its end with an ellipsis when the table must narrow.</summary>
    Text,
    /// <summary>A path: cut in its middle, keeping the file name ("/usr/lib/…/libc.so.6").</summary>
    Path,
    /// <summary>A hexadecimal address: right-aligned, never cut.</summary>
    Address,
    /// <summary>A count: right-aligned, never cut.</summary>
    Number,
    /// <summary>A size (human, bytes or pages as the user chose): right-aligned, never cut.</summary>
    Size,
}

/// <summary>
/// A column of a <see cref="TextTable"/>: its heading, what it holds, and how much it matters when
/// the table does not fit (the lowest <see cref="Priority"/> is hidden first; <see cref="Always"/> never).
/// </summary>
internal readonly record struct Column(string Name, ColumnKind Kind = ColumnKind.Text, int Priority = Column.Always)
{
    /// <summary>The priority of a column that is never hidden.</summary>
    public const int Always = int.MaxValue;

    /// <summary>Numbers and addresses keep to the right, so their digits line up.</summary>
    public bool RightAligned => Kind is ColumnKind.Address or ColumnKind.Number or ColumnKind.Size;

    /// <summary>Whether cells may be shortened to fit (text and paths; numbers and addresses never).</summary>
    public bool Shortens => Kind is ColumnKind.Text or ColumnKind.Path;

    /// <summary>
    /// The narrowest a shortened cell of this column gets in a table <paramref name="tableWidth"/>
    /// wide: a readable stem, never narrower than the heading; a path keeps a third of the line (and
    /// at least 28 characters), so that wider terminals hide rare columns before they hide paths.
    /// </summary>
    public int MinimumWidth(int tableWidth) => Math.Max(Name.Length, Kind == ColumnKind.Path ? Math.Max(28, tableWidth / 3) : Math.Max(8, Keeps));

    /// <summary>Characters a text column keeps at least when it is the row's name (a class in composition): its figures are hidden first.</summary>
    public int Keeps { get; init; }
}
