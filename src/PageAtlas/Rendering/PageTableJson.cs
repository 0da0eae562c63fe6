using System.Text.Json;
using PageAtlas.Paging;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>
/// Writes a <see cref="PageTableTree"/> as the "pageatlas/pagetable" document: every table (never
/// folded away; leaf runs as the tree holds them), the counts per level and the VmPTE comparison.
/// </summary>
public static class PageTableJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, PageTableTree tree)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "pagetable", tree.Pid, tree.Command, tree.Machine, tree.Visibility);
        JsonRecords.WriteHex(json, "rangeStart", tree.Range.Start);
        JsonRecords.WriteHex(json, "rangeEnd", tree.Range.End);
        json.WriteBoolean("foldedRuns", tree.Folded);
        json.WriteStartArray("levels");
        foreach (var level in tree.Levels)
        {
            json.WriteStartObject();
            json.WriteString("level", PageTableText.Upper(level.Level));
            json.WriteNumber("entrySpanBytes", tree.Machine.Paging.EntrySpan(level.Level));
            json.WriteNumber("tableCount", level.Tables);
            json.WriteNumber("pointerEntries", level.TableEntries);
            json.WriteNumber("leafEntries", level.Leaves);
            json.WriteNumber("swapEntries", level.SwapEntries);
            json.WriteNumber("markerEntries", level.MarkerEntries);
            if (tree.Kernel is { } kernel) json.WriteNumber("kernelTables", kernel.CountAt(level.Level)); else json.WriteNull("kernelTables");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteAccounting(json, tree.Accounting);
        json.WriteStartArray("tables");
        for (int i = 0; i < tree.Tables.Count; i++)
        {
            WriteTable(json, tree, i);
            // Utf8JsonWriter holds everything until flushed: a whole 4 GiB process's tables are megabytes.
            if (json.BytesPending > 1 << 16) json.Flush();
        }
        json.WriteEndArray();
        json.WriteStartArray("vmas");
        foreach (var vma in tree.Vmas) JsonRecords.WriteVma(json, null, vma);
        json.WriteEndArray();
        JsonRecords.WriteStrings(json, "notes", tree.Notes);
        json.WriteEndObject();
    }

    private static void WriteAccounting(Utf8JsonWriter json, PageTableAccounting accounting)
    {
        json.WriteStartObject("vmPte");
        json.WriteNumber("reconstructedTables", accounting.ReconstructedTables);
        json.WriteNumber("reconstructedBytes", accounting.ReconstructedBytes);
        json.WriteNumber("depositedTables", accounting.DepositedTables);
        if (accounting.VmPteBytes is { } b) json.WriteNumber("kernelBytes", b); else json.WriteNull("kernelBytes");
        json.WriteBoolean("wholeProcess", accounting.WholeProcess);
        if (accounting.ExtraKernelTables is { } extra) json.WriteNumber("extraKernelTables", extra); else json.WriteNull("extraKernelTables");
        JsonRecords.WriteStrings(json, "explanation", accounting.Explanation);
        json.WriteEndObject();
    }

    private static void WriteTable(Utf8JsonWriter json, PageTableTree tree, int position)
    {
        var table = tree.Tables[position];
        json.WriteStartObject();
        json.WriteNumber("id", position);
        json.WriteString("level", PageTableText.Upper(table.Level));
        json.WriteString("name", table.Name);
        JsonRecords.WriteHex(json, "spanStart", table.SpanStart);
        JsonRecords.WriteHex(json, "spanEnd", table.SpanStart + table.SpanSize);
        if (table.Parent >= 0) json.WriteNumber("parent", table.Parent); else json.WriteNull("parent");
        if (table.IndexInParent >= 0) json.WriteNumber("indexInParent", table.IndexInParent); else json.WriteNull("indexInParent");
        json.WriteNumber("usedEntries", table.UsedEntries);
        if (tree.KernelTableOf(table) is { } kernelTable) JsonRecords.WriteHex(json, "physicalAddress", kernelTable.PhysicalAddress);
        else json.WriteNull("physicalAddress");
        json.WriteStartArray("entries");
        foreach (var run in table.Runs)
        {
            json.WriteStartObject();
            json.WriteNumber("first", run.FirstIndex);
            if (tree.KernelEntryOf(table, run.FirstIndex) is { } entry)
            {
                // the run's first entry as the kernel holds it
                JsonRecords.WriteHex(json, "entryPhysicalAddress", entry.EntryPhysical);
                JsonRecords.WriteHex(json, "entryValue", entry.Entry.Value);
            }
            json.WriteNumber("count", run.Count);
            json.WriteString("kind", KindName(run.Kind));
            if (run.Kind == TableEntryKind.Table) json.WriteNumber("child", run.Child);
            else
            {
                json.WriteNumber("vma", run.VmaIndex);
                json.WriteNumber("leafBytes", tree.Machine.Paging.EntrySpan(table.Level));
                if (run.MapsFrames && tree.Visibility.PfnsVisible)
                {
                    JsonRecords.WriteHex(json, "minPfn", run.MinFrame);
                    JsonRecords.WriteHex(json, "maxPfn", run.MaxFrame);
                    json.WriteBoolean("contiguous", run.Contiguous);
                }
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string KindName(TableEntryKind kind) => kind switch
    {
        TableEntryKind.Table => "table",
        TableEntryKind.Leaf => "leaf",
        TableEntryKind.ZeroPage => "zero-page",
        TableEntryKind.Swap => "swap",
        TableEntryKind.Guard => "guard",
        _ => "marker",
    };
}
