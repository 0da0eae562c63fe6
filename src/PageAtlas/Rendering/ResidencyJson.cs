using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="ResidencyReport"/> as the "pageatlas/maps" document.</summary>
public static class ResidencyJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, ResidencyReport report, FrameVisibility visibility)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "maps", report.Pid, report.Command, report.Machine, visibility);
        json.WriteStartArray("vmas");
        foreach (var row in report.Vmas)
        {
            json.WriteStartObject();
            JsonRecords.WriteVmaFields(json, row.Vma);
            WriteCounts(json, row.Counts, report.Machine.PageSize);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("totals");
        json.WriteNumber("vmaCount", report.Vmas.Count);
        WriteCounts(json, report.Total, report.Machine.PageSize);
        json.WriteEndObject();
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    // Encoded once: ten counts per VMA, and a name given as a string is checked for escapes at every write.
    private static readonly JsonEncodedText s_size = JsonEncodedText.Encode("sizeBytes"), s_pages = JsonEncodedText.Encode("sizePages"),
        s_present = JsonEncodedText.Encode("presentPages"), s_zeroPage = JsonEncodedText.Encode("zeroPages"), s_swapped = JsonEncodedText.Encode("swappedPages"),
        s_sharedSwapped = JsonEncodedText.Encode("sharedSwappedPages"), s_guard = JsonEncodedText.Encode("guardPages"), s_markers = JsonEncodedText.Encode("markerPages"),
        s_notPopulated = JsonEncodedText.Encode("notPopulatedPages"), s_hugeLeafPages = JsonEncodedText.Encode("hugeLeafPages");

    private static void WriteCounts(Utf8JsonWriter json, ResidencyCounts c, int pageSize)
    {
        json.WriteNumber(s_size, c.Pages * (ulong)pageSize);
        json.WriteNumber(s_pages, c.Pages);
        json.WriteNumber(s_present, c.Present);
        json.WriteNumber(s_zeroPage, c.ZeroPage);
        json.WriteNumber(s_swapped, c.Swapped);
        json.WriteNumber(s_sharedSwapped, c.SharedSwapped);
        json.WriteNumber(s_guard, c.Guard);
        json.WriteNumber(s_markers, c.Markers);
        json.WriteNumber(s_notPopulated, c.NotPopulated);
        json.WriteNumber(s_hugeLeafPages, c.HugeLeafPages);
    }
}
