using PageAtlas.Paging;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>What lies under page tables that a view does not draw one by one.</summary>
/// <param name="FirstIndex">First entry of the parent pointing to a hidden table.</param>
/// <param name="LastIndex">Last such entry.</param>
/// <param name="Tables">Hidden tables directly under the parent.</param>
/// <param name="Level">Their level.</param>
/// <param name="TablesBelow">Tables under them, per level (theirs included).</param>
/// <param name="PresentPages">4 KiB pages present under them (a 2 MiB leaf counts 512).</param>
/// <param name="SwappedPages">Pages swapped under them.</param>
public sealed record HiddenTables(
    int FirstIndex, int LastIndex, int Tables, PageTableLevel Level, IReadOnlyDictionary<PageTableLevel, int> TablesBelow,
    long PresentPages, long SwappedPages);

/// <summary>One cell of a table as a view shows it: a run of entries, or a group of hidden child tables.</summary>
/// <param name="Run">The entries, when drawn.</param>
/// <param name="Hidden">The child tables folded into one cell, when not.</param>
public readonly record struct TableCell(TableEntryRun? Run, HiddenTables? Hidden);

/// <summary>
/// Decides what a picture or listing of a tree shows. With <c>full</c> every table is drawn; by
/// default a table with many child tables shows the first few and the last ones and folds the rest
/// into one cell, so a 4 GiB process stays a picture a person (and a browser) can open.
/// </summary>
public sealed class PageTableView
{
    /// <summary>A table with more child tables than this has the middle ones folded.</summary>
    public const int MaxChildrenDrawn = 8;
    private const int LeadingChildren = 3, TrailingChildren = 2;

    private readonly PageTableTree _tree;
    private readonly bool _full;
    // Cells are asked for twice per table (to find the drawn tables, then to draw them), and a
    // summary walks a whole subtree: each table's cells are worked out once.
    private readonly Dictionary<PageTable, IReadOnlyList<TableCell>> _cells = new(ReferenceEqualityComparer.Instance);

    /// <summary>A view of <paramref name="tree"/>.</summary>
    public PageTableView(PageTableTree tree, bool full)
    {
        _tree = tree;
        _full = full;
    }

    /// <summary>The tree.</summary>
    public PageTableTree Tree => _tree;

    /// <summary>Every table is drawn (--full).</summary>
    public bool Full => _full;

    /// <summary>The cells of <paramref name="table"/>, in entry order.</summary>
    public IReadOnlyList<TableCell> Cells(PageTable table)
    {
        if (!_cells.TryGetValue(table, out var cells)) _cells[table] = cells = WorkOutCells(table);
        return cells;
    }

    private IReadOnlyList<TableCell> WorkOutCells(PageTable table)
    {
        var pointers = table.Runs.Where(r => r.Kind == TableEntryKind.Table).ToArray();
        if (_full || pointers.Length <= MaxChildrenDrawn) return table.Runs.Select(r => new TableCell(r, null)).ToArray();

        int hideFrom = pointers[LeadingChildren].FirstIndex, hideTo = pointers[^(TrailingChildren + 1)].FirstIndex;
        var cells = new List<TableCell>();
        bool hiddenAdded = false;
        foreach (var run in table.Runs)
        {
            bool hide = run.Kind == TableEntryKind.Table && run.FirstIndex >= hideFrom && run.FirstIndex <= hideTo;
            if (!hide) cells.Add(new TableCell(run, null));
            else if (!hiddenAdded)
            {
                cells.Add(new TableCell(null, Summarise(pointers.Where(p => p.FirstIndex >= hideFrom && p.FirstIndex <= hideTo).ToArray())));
                hiddenAdded = true;
            }
        }
        return cells;
    }

    /// <summary>Tables the view draws, in pre-order (the root first).</summary>
    public IEnumerable<PageTable> DrawnTables()
    {
        if (_tree.Tables.Count == 0) yield break;
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            var table = _tree.Tables[stack.Pop()];
            yield return table;
            var children = Cells(table).Where(c => c.Run is { Kind: TableEntryKind.Table }).Select(c => c.Run!.Value.Child).ToArray();
            for (int i = children.Length - 1; i >= 0; i--) stack.Push(children[i]);
        }
    }

    private HiddenTables Summarise(TableEntryRun[] pointers)
    {
        var below = new Dictionary<PageTableLevel, int>();
        long present = 0, swapped = 0;
        int pageSize = _tree.Machine.PageSize;
        var pending = new Stack<int>(pointers.Select(p => p.Child));
        while (pending.Count > 0)
        {
            var table = _tree.Tables[pending.Pop()];
            below[table.Level] = below.GetValueOrDefault(table.Level) + 1;
            long pagesPerLeaf = (long)(_tree.Machine.Paging.EntrySpan(table.Level) / (ulong)pageSize);
            foreach (var run in table.Runs)
            {
                if (run.Kind == TableEntryKind.Table) pending.Push(run.Child);
                else if (run.MapsFrames) present += run.Count * pagesPerLeaf;
                else if (run.Kind == TableEntryKind.Swap) swapped += run.Count;
            }
        }
        var level = _tree.Tables[pointers[0].Child].Level;
        return new HiddenTables(pointers[0].FirstIndex, pointers[^1].FirstIndex, pointers.Length, level, below, present, swapped);
    }
}
