using System.Text;
using PageAtlas.Paging;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>
/// Writes a page-table tree as a Graphviz graph, drawn the way seed 000 draws it: one cluster per
/// level the machine uses (a folded P4D is simply absent), each table a record whose top cell names
/// it and whose other cells are its used entries, an arrow from each pointer entry to the table it
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
        writer.WriteLine("  node [shape=record, fontname=\"monospace\", fontsize=10];");
        writer.WriteLine("  edge [arrowsize=0.6];");

        var drawn = view.DrawnTables().ToArray();
        var position = new Dictionary<PageTable, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < tree.Tables.Count; i++) position[tree.Tables[i]] = i;
        var edges = new StringBuilder();
        var hiddenNodes = new List<(PageTableLevel Level, string Node)>();
        int hiddenCount = 0;

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
                // seed 000's picture: with the kernel companion the top cell is the table's physical address
                string tableAddress = tree.KernelTableOf(table) is { } kernelTable ? $"PA 0x{kernelTable.PhysicalAddress:x}\\l" : "";
                var label = new StringBuilder($"<h> {tableAddress}{Escape(table.Name)}\\l{Escape(PageTableText.Span(table.SpanStart, table.SpanSize))}\\l");
                int cellNumber = 0;
                foreach (var cell in view.Cells(table))
                {
                    string port = $"c{cellNumber++}";
                    label.Append($"| <{port}> ");
                    if (cell.Hidden is { } hidden)
                    {
                        string node = $"hidden{hiddenCount++}";
                        label.Append(Escape($"{PageTableText.Entries(hidden.FirstIndex, hidden.LastIndex)}: {hidden.Tables} tables not drawn")).Append("\\l");
                        hiddenNodes.Add((hidden.Level, $"    {node} [shape=note, style=dashed, label=\"{Escape(PageTableText.Describe(hidden))}\"];"));
                        edges.AppendLine($"  t{id}:{port} -> {node} [style=dashed];");
                        continue;
                    }
                    var run = cell.Run!.Value;
                    if (tree.KernelEntryOf(table, run.FirstIndex) is { } entry)
                        label.Append(Escape($"entry @0x{entry.EntryPhysical:x} = 0x{entry.Entry.Value:x}")).Append("\\l");
                    label.Append(Escape(PageTableText.Describe(tree, table, run))).Append("\\l");
                    if (run.Kind == TableEntryKind.Table) edges.AppendLine($"  t{id}:{port} -> t{run.Child}:h;");
                    else if (run.VmaIndex >= 0)
                    {
                        if (PageTableText.PhysicalRange(tree, table, run) is { } physical) label.Append(Escape(physical)).Append("\\l");
                        label.Append(Escape(tree.Vmas[run.VmaIndex].Vma.ToMapsLine())).Append("\\l");
                    }
                }
                writer.WriteLine($"    t{id} [label=\"{label}\"];");
            }
            foreach (var summary in summaries) writer.WriteLine(summary.Node);
            writer.WriteLine("  }");
        }
        writer.Write(edges);
        writer.WriteLine("}");
    }

    private static string Title(PageTableTree tree)
    {
        var counts = string.Join(", ", tree.Levels.Select(l => $"{PageTableText.Upper(l.Level)} {l.Tables}"));
        string vmPte = tree.Accounting.VmPteBytes is { } b ? $"; VmPTE {b / 1024} kB" : "";
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
