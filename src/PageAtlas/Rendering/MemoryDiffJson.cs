using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="MemoryDiffReport"/> as the "pageatlas/diff" document; counts are pages.</summary>
public static class MemoryDiffJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, MemoryDiffReport report)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "diff");
        json.WriteStartObject("before");
        json.WriteNumber("pid", report.Before.Pid);
        json.WriteString("command", report.Before.Command);
        json.WriteEndObject();
        json.WriteStartObject("after");
        json.WriteNumber("pid", report.After.Pid);
        json.WriteString("command", report.After.Command);
        json.WriteEndObject();
        WriteChangedPages(json, report.Totals);
        json.WriteStartArray("vmas");
        foreach (var v in report.Vmas)
        {
            json.WriteStartObject();
            json.WriteString("change", VmaChangeWords.Diff(v.Change));
            if (v.Before is { } before) JsonRecords.WriteVma(json, "before", before); else json.WriteNull("before");
            if (v.After is { } after) JsonRecords.WriteVma(json, "after", after); else json.WriteNull("after");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("classes");
        foreach (var c in report.Classes)
        {
            json.WriteStartObject();
            JsonRecords.WriteClass(json, c.Segment);
            json.WriteNumber("presentBeforePages", c.PresentBefore);
            json.WriteNumber("presentAfterPages", c.PresentAfter);
            WriteChangedPages(json, c.Changes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("pages");
        foreach (var run in report.Pages)
        {
            json.WriteStartObject();
            json.WriteString("change", Name(run.Change));
            JsonRecords.WriteHex(json, "start", run.Start);
            json.WriteNumber("pages", run.Pages);
            JsonRecords.WriteHex(json, "vmaStart", run.Vma.Vma.Start);
            JsonRecords.WriteClass(json, run.Vma.Class);
            if (run.MovedFrom is { } from) JsonRecords.WriteHex(json, "movedFrom", from); else json.WriteNull("movedFrom");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    /// <summary>"changedPages": pages per kind of change, keyed by its name.</summary>
    private static void WriteChangedPages(Utf8JsonWriter json, IReadOnlyDictionary<PageChange, ulong> counts)
    {
        json.WriteStartObject("changedPages");
        foreach (var (change, count) in counts) json.WriteNumber(Name(change), count);
        json.WriteEndObject();
    }

    /// <summary>"became-present", "swapped-out"…</summary>
    public static string Name(PageChange change) => change switch
    {
        PageChange.BecamePresent => "became-present",
        PageChange.Dropped => "dropped",
        PageChange.LeftPageTable => "left-page-table",
        PageChange.Unmapped => "unmapped",
        PageChange.SwappedOut => "swapped-out",
        PageChange.SwappedIn => "swapped-in",
        PageChange.Copied => "copied",
        _ => "moved",
    };
}
