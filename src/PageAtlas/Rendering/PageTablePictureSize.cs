using PageAtlas.Paging;

namespace PageAtlas.Rendering;

/// <summary>
/// How big the Graphviz picture of a view would be, counted before anything is drawn: the tables,
/// and the text lines of the tallest level. Graphviz stacks a level's records in one column
/// (rankdir=LR), so that column's lines set the picture's height: a whole 4 GiB process drawn
/// with --full was a 572,813-point-tall SVG no viewer opens.
/// </summary>
/// <param name="Tables">Records drawn.</param>
/// <param name="TallestLevelLines">Text lines of the level whose records stack highest.</param>
public readonly record struct PageTablePictureSize(int Tables, long TallestLevelLines)
{
    /// <summary>
    /// The most lines a picture may stack: about 40,000 points (14 m at 72 points an inch), which
    /// browsers and image viewers still open; beyond that the picture is refused, not cut.
    /// </summary>
    public const long MaxLines = 3000;

    /// <summary>Points Graphviz gives one line of a record at the picture's 10-point font (measured: 13.9–14.0).</summary>
    public const double PointsPerLine = 14;

    /// <summary>The picture's height in points, near enough to say how far over it is.</summary>
    public long HeightPoints => (long)(TallestLevelLines * PointsPerLine);

    /// <summary>Counts the picture of <paramref name="view"/>, with the same lines <see cref="PageTableDot"/> draws.</summary>
    public static PageTablePictureSize Of(PageTableView view)
    {
        var tree = view.Tree;
        var lines = new Dictionary<PageTableLevel, long>();
        int tables = 0;
        foreach (var table in view.DrawnTables())
        {
            tables++;
            long count = PageTableDot.HeaderLines(tree, table).Count();
            foreach (var cell in view.Cells(table)) count += PageTableDot.CellLines(tree, table, cell).Count();
            lines[table.Level] = lines.GetValueOrDefault(table.Level) + count;
        }
        return new PageTablePictureSize(tables, lines.Count == 0 ? 0 : lines.Values.Max());
    }

    /// <summary>
    /// Refuses a picture taller than <see cref="MaxLines"/>, with one line saying how big it would be
    /// and how to narrow it. Refused rather than cut: a cut picture would leave out tables the user
    /// asked for without showing where, and the text and JSON forms hold any size.
    /// </summary>
    /// <exception cref="InvalidRequestException">The picture would be too tall.</exception>
    public static void EnsureDrawable(PageTableView view)
    {
        var size = Of(view);
        if (size.TallestLevelLines <= MaxLines) return;
        string full = view.Full ? ", leave out --full" : "";
        throw new InvalidRequestException(
            $"the picture would be {size.HeightPoints:N0} points tall ({size.Tables:N0} tables, {size.TallestLevelLines:N0} lines in one column; " +
            $"at most {MaxLines:N0} are drawn): narrow it with --vma N or --range A-B{full}, or read it whole with --format text or --json");
    }
}
