using PageAtlas.Paging;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>
/// Words for tables and entries, shared by the text listing and the Graphviz picture, and the
/// text listing itself: an indented tree, one line per drawn table and per cell.
/// </summary>
public static class PageTableText
{
    /// <summary>"PMD", "PTE"…</summary>
    public static string Upper(PageTableLevel level) => PageTableNames.Of(level).ToUpperInvariant();

    /// <summary>"entry 5" or "entries 0–511".</summary>
    public static string Entries(int first, int last) => first == last ? $"entry {first}" : $"entries {first}–{last}";

    /// <summary>"0x7f0000000000–0x7f0000200000".</summary>
    public static string Span(ulong start, ulong size) => $"0x{start:x}–0x{start + size:x}";

    /// <summary>1 GiB, 2 MiB, 4 KiB, 512 GiB…</summary>
    public static string Size(ulong bytes) => bytes switch
    {
        >= 1UL << 40 when bytes % (1UL << 40) == 0 => $"{bytes >> 40} TiB",
        >= 1UL << 30 when bytes % (1UL << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1UL << 20 when bytes % (1UL << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1UL << 10 when bytes % (1UL << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>
    /// One run in words: "entries 0–511: 512 present, PFN 0x12a000–0x12a1ff contiguous",
    /// "entries 0–511: 512 present, PFNs within 0x3000–0x9fff, not contiguous" (a set, not a range),
    /// "entries 0–511: 512 map the zero page (PFN 0x3b34)", "entry 7: 2 MiB leaf, PFN 0x3c000",
    /// "entry 3 → pgd[255]/pud[3]/pmd".
    /// </summary>
    public static string Describe(PageTableTree tree, PageTable table, TableEntryRun run)
    {
        string entries = Entries(run.FirstIndex, run.LastIndex);
        ulong leafSpan = tree.Machine.Paging.EntrySpan(table.Level);
        string each = table.Level == PageTableLevel.Pte ? "" : $" × {Size(leafSpan)}";
        switch (run.Kind)
        {
            case TableEntryKind.Table: return $"{entries} → {tree.ChildOf(run).Name}";
            case TableEntryKind.Swap: return $"{entries}: {run.Count}{each} swapped";
            case TableEntryKind.Guard: return $"{entries}: {Counted(run.Count, "guard marker")}{each} (MADV_GUARD_INSTALL: any access faults, no memory)";
            case TableEntryKind.Marker: return $"{entries}: {Counted(run.Count, "kernel marker")}{each} (page under migration, poisoned, or userfaultfd)";
            case TableEntryKind.ZeroPage:
                string zero = table.Level == PageTableLevel.Pte ? "the zero page" : "the huge zero page";
                string zeroFrame = tree.Visibility.PfnsVisible && run.MinFrame != 0 ? $" (PFN 0x{run.MinFrame:x}, shared by every process)" : "";
                return $"{entries}: {run.Count}{each} map {zero}{zeroFrame}";
        }
        string what = table.Level == PageTableLevel.Pte ? $"{run.Count} present" : $"{run.Count} × {Size(leafSpan)} leaf";
        if (run.Count == 1 && table.Level == PageTableLevel.Pte) what = "present";
        if (!tree.Visibility.PfnsVisible || run.MaxFrame == 0) return $"{entries}: {what} (PFN hidden)";
        ulong lastFrame = run.Contiguous ? run.MinFrame + (ulong)(run.Count - 1) * (leafSpan / (ulong)tree.Machine.PageSize) : run.MaxFrame;
        string frames = run.Count == 1 ? $"PFN 0x{run.MinFrame:x}"
            : run.Contiguous ? $"PFN 0x{run.MinFrame:x}–0x{lastFrame:x} contiguous"
            : run.MinFrame == run.MaxFrame ? $"every entry PFN 0x{run.MinFrame:x}"
            : $"PFNs within 0x{run.MinFrame:x}–0x{run.MaxFrame:x}, not contiguous";
        return $"{entries}: {what}, {frames}";
    }

    private static string Counted(int count, string noun) => count == 1 ? noun : $"{count} {noun}s";

    /// <summary>
    /// Physical addresses of a leaf run: "PA 0x12a000000–0x12a1fffff" for contiguous frames (or one
    /// address); for frames that are not contiguous only the bounds of the set, said as such.
    /// </summary>
    public static string? PhysicalRange(PageTableTree tree, PageTable table, TableEntryRun run)
    {
        if (!run.MapsFrames || run.MaxFrame == 0) return null;
        ulong pageSize = (ulong)tree.Machine.PageSize;
        ulong leafSpan = tree.Machine.Paging.EntrySpan(table.Level);
        ulong first = run.MinFrame * pageSize;
        if (run.Count == 1 || run.MinFrame == run.MaxFrame) return $"PA 0x{first:x}";
        if (!run.Contiguous) return $"PAs within 0x{first:x}–0x{run.MaxFrame * pageSize + leafSpan - 1:x}, not contiguous";
        return $"PA 0x{first:x}–0x{first + (ulong)run.Count * leafSpan - 1:x}";
    }

    /// <summary>"entries 3–508: 504 PTE tables not drawn (2 PTE tables below… 258048 pages present)".</summary>
    public static string Describe(HiddenTables hidden)
    {
        var below = string.Join(", ", hidden.TablesBelow.OrderBy(p => p.Key).Select(p => $"{p.Value} {Upper(p.Key)}"));
        string swapped = hidden.SwappedPages > 0 ? $", {hidden.SwappedPages} swapped" : "";
        return $"{Entries(hidden.FirstIndex, hidden.LastIndex)}: {hidden.Tables} {Upper(hidden.Level)} tables not drawn " +
               $"(tables: {below}; {hidden.PresentPages} pages present{swapped}; --full draws them)";
    }

    /// <summary>Writes the tree as an indented listing followed by the counts and the VmPTE comparison.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="view">What to list.</param>
    /// <param name="setStyle">
    /// Called with a run's style before its line and with null after it, when the host colours the
    /// text (a terminal): the host writes its own codes, so none pass through <paramref name="writer"/>.
    /// </param>
    public static void Write(TextWriter writer, PageTableView view, Action<PageTableStyle?>? setStyle = null)
    {
        var tree = view.Tree;
        WriteHeader(writer, tree);
        foreach (var table in view.DrawnTables())
        {
            string indent = new(' ', 2 * Depth(tree, table));
            string physical = view.Tree.KernelTableOf(table) is { } kernelTable ? $" at PA 0x{kernelTable.PhysicalAddress:x}" : "";
            writer.WriteLine($"{indent}{Upper(table.Level)} {table.Name}{physical}  covers {Span(table.SpanStart, table.SpanSize)}, {table.UsedEntries} of 512 entries used");
            foreach (var cell in view.Cells(table))
            {
                if (cell.Hidden is { } hidden) { writer.WriteLine($"{indent}  {Describe(hidden)}"); continue; }
                var run = cell.Run!.Value;
                string line = Describe(tree, table, run);
                if (run.Kind != TableEntryKind.Table && run.VmaIndex >= 0) line += $"  [{TerminalText.Escape(tree.Vmas[run.VmaIndex].Class.ToString())}]";
                var style = setStyle is null ? null : PageTableStyles.Of(tree, table, run);
                writer.Write($"{indent}  ");
                if (style is not null) setStyle!(style);
                writer.Write(line);
                if (style is not null) setStyle!(null);
                writer.WriteLine();
            }
        }
        WriteCounts(writer, tree);
    }

    /// <summary>The first lines: whose tree, which paging mode, which range.</summary>
    public static void WriteHeader(TextWriter writer, PageTableTree tree)
    {
        writer.WriteLine($"page tables of pid {tree.Pid} ({TerminalText.Escape(tree.Command)}), {tree.Machine.Paging} paging, range {Span(tree.Range.Start, tree.Range.Length)}");
        if (tree.Tables.Count == 0) writer.WriteLine("no populated page in this range: no table below the PGD is needed");
    }

    /// <summary>Tables per level, leaf sizes, VmPTE and the notes.</summary>
    public static void WriteCounts(TextWriter writer, PageTableTree tree)
    {
        writer.WriteLine();
        writer.WriteLine("level  tables  pointer entries  leaf entries  leaf size  swap entries  markers");
        foreach (var level in tree.Levels)
        {
            writer.WriteLine($"{Upper(level.Level),-5}  {level.Tables,6}  {level.TableEntries,15}  {level.Leaves,12}  {Size(tree.Machine.Paging.EntrySpan(level.Level)),9}  {level.SwapEntries,12}  {level.MarkerEntries,7}");
        }
        var accounting = tree.Accounting;
        string whole = accounting.WholeProcess ? "" : ", the whole process's";
        string vmPte = accounting.VmPteBytes is { } b ? $"{b / 1024} kB ({b / 4096} tables){whole}" : "not reported";
        string reserved = accounting.DepositedTables > 0 ? $", plus {accounting.DepositedTables} reserved under THPs" : "";
        string part = accounting.WholeProcess ? "" : " in this range";
        writer.WriteLine($"PUD + PMD + PTE tables reconstructed{part}: {accounting.ReconstructedTables} ({accounting.ReconstructedBytes / 1024} kB){reserved}; kernel's VmPTE: {vmPte}");
        foreach (var line in accounting.Explanation) writer.WriteLine($"  {line}");
        foreach (var note in tree.Notes) writer.WriteLine($"note: {TerminalText.Escape(note)}");
    }

    private static int Depth(PageTableTree tree, PageTable table)
    {
        int depth = 0;
        for (int parent = table.Parent; parent >= 0; parent = tree.Tables[parent].Parent) depth++;
        return depth;
    }
}
