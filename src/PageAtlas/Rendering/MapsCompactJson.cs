using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>
/// Writes a <see cref="ResidencyReport"/> as the "pageatlas/maps-compact" document: the figures of
/// "pageatlas/maps", each VMA a row of values in the order <see cref="Fields"/> names (not an object of
/// named keys) and each class written once (a row holds its index). The explorer's address view reads
/// it: 20,000 VMAs are 7.4 MB as "pageatlas/maps" and about a quarter of that here, and fetching and
/// parsing them was most of the view's time in the browser.
/// </summary>
public static class MapsCompactJson
{
    /// <summary>What each value of a row is, in order (written into the document as <c>fields</c>).</summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        "start", "end", "perms", "offset", "device", "inode", "path", "deleted", "class", "note",
        "sizePages", "presentPages", "zeroPages", "swappedPages", "sharedSwappedPages", "guardPages", "markerPages", "notPopulatedPages", "hugeLeafPages",
    ];

    private static readonly JsonEncodedText s_kind = JsonEncodedText.Encode("kind"), s_owner = JsonEncodedText.Encode("owner"), s_thread = JsonEncodedText.Encode("thread");

    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, ResidencyReport report, FrameVisibility visibility)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "maps-compact", report.Pid, report.Command, report.Machine, visibility);
        JsonRecords.WriteStrings(json, "fields", Fields);
        var classes = new Dictionary<SegmentClass, int>();
        json.WriteStartArray("classes");
        foreach (var row in report.Vmas)
        {
            var segment = row.Vma.Class;
            if (!classes.TryAdd(segment, classes.Count)) continue;
            json.WriteStartObject();
            json.WriteString(s_kind, segment.KindName);
            if (segment.Owner is { } owner) json.WriteString(s_owner, owner); else json.WriteNull(s_owner);
            if (segment.ThreadId is { } tid) json.WriteNumber(s_thread, tid); else json.WriteNull(s_thread);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("vmas");
        foreach (var row in report.Vmas) WriteRow(json, row, classes[row.Vma.Class]);
        ResidencyJson.WriteEnd(json, report.Vmas.Count, report.Total, report.Notes, report.Machine.PageSize);
    }

    /// <summary>One VMA's values in the order of <see cref="Fields"/>.</summary>
    private static void WriteRow(Utf8JsonWriter json, VmaResidency row, int classIndex)
    {
        var vma = row.Vma.Vma;
        var c = row.Counts;
        json.WriteStartArray();
        JsonRecords.WriteHexValue(json, vma.Start);
        JsonRecords.WriteHexValue(json, vma.End);
        json.WriteStringValue(vma.Permissions.ToMapsString());
        JsonRecords.WriteHexValue(json, vma.Offset);
        JsonRecords.WriteDeviceValue(json, vma);
        json.WriteNumberValue(vma.Inode);
        json.WriteStringValue(vma.Path);
        json.WriteBooleanValue(vma.IsDeleted);
        json.WriteNumberValue(classIndex);
        json.WriteStringValue(row.Vma.Note);
        foreach (ulong pages in (ReadOnlySpan<ulong>)[c.Pages, c.Present, c.ZeroPage, c.Swapped, c.SharedSwapped, c.Guard, c.Markers, c.NotPopulated, c.HugeLeafPages])
            json.WriteNumberValue(pages);
        json.WriteEndArray();
    }
}
