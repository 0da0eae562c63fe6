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
        json.WriteNumber("vmas", report.Vmas.Count);
        WriteCounts(json, report.Total, report.Machine.PageSize);
        json.WriteEndObject();
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, ResidencyCounts c, int pageSize)
    {
        json.WriteNumber("size", c.Pages * (ulong)pageSize);
        json.WriteNumber("pages", c.Pages);
        json.WriteNumber("present", c.Present);
        json.WriteNumber("zeroPage", c.ZeroPage);
        json.WriteNumber("swapped", c.Swapped);
        json.WriteNumber("sharedSwapped", c.SharedSwapped);
        json.WriteNumber("guard", c.Guard);
        json.WriteNumber("markers", c.Markers);
        json.WriteNumber("notPopulated", c.NotPopulated);
        json.WriteNumber("hugeLeafPages", c.HugeLeafPages);
    }
}
