using System.Text;
using PageAtlas.Paging;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>
/// Writes a page-table tree as a Graphviz graph, drawn the way seed 000 draws it: one cluster per
/// level the machine uses (a folded P4D is simply absent), each table a table-shaped node whose top cell names
/// it and whose other cells are its used entries (leaves filled by <see cref="PageTableStyles"/>, with a legend), an arrow from each pointer entry to the table it
/// points to, and at the PTE level each entry's physical address and the /proc/&lt;pid&gt;/maps line
/// of its VMA. Left to right, root first.
/// </summary>
public static class PageTableDot
{
    /// <summary>Writes the graph of <paramref name="view"/> to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, PageTableView view)
    {
        var tree = view.Tree;
        writer.WriteLine("digraph pagetables {");
        writer.WriteLine($"  graph [rankdir=LR, fontname=\"monospace\", labelloc=t, nodesep=0.2, ranksep=1.0, label=\"{Escape(Title(tree))}\"];");
        writer.WriteLine("  node [fontname=\"monospace\", fontsize=10];");
        writer.WriteLine("  edge [arrowsize=0.6];");

        var drawn = view.DrawnTables().ToArray();
        var position = new Dictionary<PageTable, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < tree.Tables.Count; i++) position[tree.Tables[i]] = i;
        var edges = new StringBuilder();
        var hiddenNodes = new List<(PageTableLevel Level, string Node)>();
        int hiddenCount = 0;
        var styles = new SortedSet<PageTableStyle>();

        foreach (var level in tree.Machine.Paging.ActiveLevels)
        {
            var tables = drawn.Where(t => t.Level == level).ToArray();
            var summaries = hiddenNodes.Where(h => h.Level == level).ToArray();
            if (tables.Length == 0 && summaries.Length == 0) continue;
            writer.WriteLine($"  subgraph cluster_{PageTableNames.Of(level)} {{");
            writer.WriteLine($"    label=\"{PageTableText.Upper(level)} ({PageTableText.Size(tree.Machine.Paging.EntrySpan(level))} per entry)\"; style=rounded; color=gray50;");
            foreach (var table in tables)
            {
                int id = position[table];
                // An HTML-like label rather than a record: only its cells can each have a colour.
                var label = new StringBuilder("<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\">");
                AppendCell(label, "h", null, HeaderLines(tree, table));
                int cellNumber = 0;
                foreach (var cell in view.Cells(table))
                {
                    string port = $"c{cellNumber++}";
                    var style = cell.Run is { } run ? PageTableStyles.Of(tree, table, run) : null;
                    if (style is { } used) styles.Add(used);
                    AppendCell(label, port, style, CellLines(tree, table, cell));
                    if (cell.Hidden is { } hidden)
                    {
                        string node = $"hidden{hiddenCount++}";
                        hiddenNodes.Add((hidden.Level, $"    {node} [shape=note, style=dashed, label=\"{Escape(PageTableText.Describe(hidden))}\"];"));
                        edges.AppendLine($"  t{id}:{port} -> {node} [style=dashed];");
                    }
                    else if (cell.Run!.Value.Kind == TableEntryKind.Table) edges.AppendLine($"  t{id}:{port} -> t{cell.Run.Value.Child}:h;");
                }
                label.Append("</TABLE>");
                writer.WriteLine($"    t{id} [shape=plain, label=<{label}>];");
            }
            foreach (var summary in summaries) writer.WriteLine(summary.Node);
            writer.WriteLine("  }");
        }
        WriteLegend(writer, styles);
        writer.Write(edges);
        writer.WriteLine("}");
    }

    private static void AppendCell(StringBuilder label, string port, PageTableStyle? style, IEnumerable<string> lines)
    {
        string fill = style is { } s ? $" BGCOLOR=\"{PageTableStyles.Fill(s)}\"" : "";
        label.Append($"<TR><TD PORT=\"{port}\" ALIGN=\"LEFT\" BALIGN=\"LEFT\"{fill}>");
        label.Append(string.Join("<BR/>", lines.Select(HtmlEscape))).Append("</TD></TR>");
    }

    /// <summary>One node naming each colour the picture uses.</summary>
    private static void WriteLegend(TextWriter writer, SortedSet<PageTableStyle> styles)
    {
        if (styles.Count == 0) return;
        var rows = string.Concat(styles.Select(s => $"<TR><TD BGCOLOR=\"{PageTableStyles.Fill(s)}\" ALIGN=\"LEFT\">{HtmlEscape(PageTableStyles.Name(s))}</TD></TR>"));
        writer.WriteLine($"  legend [shape=plain, label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\"><TR><TD><B>legend</B></TD></TR>{rows}</TABLE>>];");
    }

    /// <summary>Escapes text for an HTML-like label: control characters as on a terminal, then the markup characters.</summary>
    public static string HtmlEscape(string text) =>
        TerminalText.Escape(text).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>The lines of a table's top cell: with the kernel companion its physical address (seed 000's picture), then its name and span.</summary>
    public static IEnumerable<string> HeaderLines(PageTableTree tree, PageTable table)
    {
        if (tree.KernelTableOf(table) is { } kernelTable) yield return $"PA 0x{kernelTable.PhysicalAddress:x}";
        yield return table.Name;
        yield return PageTableText.Span(table.SpanStart, table.SpanSize);
    }

    /// <summary>
    /// The lines of one cell: a group of hidden tables; or a run with (from the companion) its first
    /// raw entry, its description and, for leaves, the physical addresses and the VMA's maps line.
    /// </summary>
    public static IEnumerable<string> CellLines(PageTableTree tree, PageTable table, TableCell cell)
    {
        if (cell.Hidden is { } hidden)
        {
            yield return $"{PageTableText.Entries(hidden.FirstIndex, hidden.LastIndex)}: {hidden.Tables} tables not drawn";
            yield break;
        }
        var run = cell.Run!.Value;
        if (tree.KernelEntryOf(table, run.FirstIndex) is { } entry) yield return $"entry @0x{entry.EntryPhysical:x} = 0x{entry.Entry.Value:x}";
        yield return PageTableText.Describe(tree, table, run);
        if (run.Kind == TableEntryKind.Table || run.VmaIndex < 0) yield break;
        if (PageTableText.PhysicalRange(tree, table, run) is { } physical) yield return physical;
        yield return tree.Vmas[run.VmaIndex].Vma.ToMapsLine();
    }

    private static string Title(PageTableTree tree)
    {
        var counts = string.Join(", ", tree.Levels.Select(l => $"{PageTableText.Upper(l.Level)} {l.Tables}"));
        string vmPte = tree.Accounting.VmPteBytes is { } b ? $"; VmPTE {b / 1024} kB" : "";
        // The counts are of the part drawn; VmPTE is always the whole process's (mm_pgtables_bytes).
        if (!tree.Accounting.WholeProcess)
            return $"pid {tree.Pid} ({tree.Command}) page tables of {PageTableText.Span(tree.Range.Start, tree.Range.Length)} only, " +
                   $"{tree.Machine.Paging} paging: {counts} tables{vmPte}{(vmPte.Length > 0 ? " is the whole process's" : "")}";
        return $"pid {tree.Pid} ({tree.Command}) page tables, {tree.Machine.Paging} paging: {counts} tables{vmPte}";
    }

    /// <summary>
    /// Escapes text for a record label: first every control character, as on a terminal (a name's
    /// newline shows as \n, not as a line break of the label; the DOT text itself may be printed),
    /// then the characters that shape records, quotes and backslashes.
    /// </summary>
    public static string Escape(string text)
    {
        text = TerminalText.Escape(text);
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (c is '{' or '}' or '|' or '<' or '>' or '"' or '\\') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
