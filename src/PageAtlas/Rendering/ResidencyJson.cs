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
            WriteCounts(json, row.Pages, row.Present, row.Swapped, row.NotPopulated, row.HugeLeafPages, report.Machine.PageSize);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("totals");
        var t = report.Total;
        json.WriteNumber("vmas", report.Vmas.Count);
        WriteCounts(json, t.Pages, t.Present, t.Swapped, t.NotPopulated, t.HugeLeafPages, report.Machine.PageSize);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, ulong pages, ulong present, ulong swapped, ulong notPopulated, ulong huge, int pageSize)
    {
        json.WriteNumber("size", pages * (ulong)pageSize);
        json.WriteNumber("pages", pages);
        json.WriteNumber("present", present);
        json.WriteNumber("swapped", swapped);
        json.WriteNumber("notPopulated", notPopulated);
        json.WriteNumber("hugeLeafPages", huge);
    }
}
