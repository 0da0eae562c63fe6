using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="PhysicalMapReport"/> as the "pageatlas/physmap" document.</summary>
public static class PhysicalMapJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, PhysicalMapReport map)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "physmap");
        json.WriteNumber("pageSize", map.PageSize);
        JsonRecords.WriteHex(json, "frameLimit", map.FrameLimit);
        json.WriteNumber("framesPerCell", map.FramesPerCell);
        json.WriteStartArray("kinds");
        foreach (var kind in Enum.GetValues<FrameKind>())
        {
            json.WriteStartObject();
            json.WriteString("name", kind.ToString());
            json.WriteString("letter", PhysicalMapText.Letter(kind).ToString());
            json.WriteString("description", PhysicalMapText.Describe(kind));
            json.WriteNumber("frames", map.Total[kind]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("buddyinfoFreePages", map.BuddyinfoFreePages);
        json.WriteStartArray("ranges");
        foreach (var range in map.Ranges)
        {
            json.WriteStartObject();
            JsonRecords.WriteHex(json, "start", range.Range.Start);
            JsonRecords.WriteHex(json, "end", range.Range.End);
            json.WriteString("name", range.Range.Name);
            WriteCounts(json, range.Kinds);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("zones");
        foreach (var zone in map.Zones)
        {
            json.WriteStartObject();
            json.WriteNumber("node", zone.Node);
            json.WriteString("name", zone.Name);
            JsonRecords.WriteHex(json, "startPfn", zone.StartPfn);
            json.WriteNumber("spannedPages", zone.Spanned);
            json.WriteNumber("presentPages", zone.Present);
            json.WriteNumber("managedPages", zone.Managed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("cells");
        foreach (var cell in map.Cells)
        {
            json.WriteStartObject();
            JsonRecords.WriteHex(json, "firstPfn", cell.FirstPfn);
            json.WriteString("dominant", cell.Dominant.ToString());
            WriteCounts(json, cell);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, KindCounts counts)
    {
        json.WriteStartObject("framesByKind");
        foreach (var kind in Enum.GetValues<FrameKind>())
            if (counts[kind] > 0) json.WriteNumber(kind.ToString(), counts[kind]);
        json.WriteEndObject();
    }
}
