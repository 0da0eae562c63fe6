using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="FrameCensusReport"/> as the "pageatlas/frames" document.</summary>
public static class FrameCensusJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, FrameCensusReport report, string kernel)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "frames");
        json.WriteString("kernel", kernel);
        json.WriteNumber("pageSize", report.PageSize);
        JsonRecords.WriteHex(json, "startPfn", report.StartPfn);
        JsonRecords.WriteHex(json, "endPfn", report.EndPfn);
        json.WriteBoolean("wholeMachine", report.WholeMachine);
        json.WriteString("filter", report.Filter.Text);
        json.WriteNumber("matchedFrames", report.MatchedFrames);
        json.WriteStartArray("rows");
        foreach (var row in report.Rows)
        {
            json.WriteStartObject();
            json.WriteString("kind", row.Id);
            json.WriteString("label", row.Name);
            json.WriteString("definition", row.Definition);
            json.WriteNumber("frames", row.Frames);
            json.WriteNumber("bytes", row.Frames * (ulong)report.PageSize);
            if (row.MeminfoFields is { } fields) json.WriteString("meminfoFields", fields); else json.WriteNull("meminfoFields");
            if (row.MeminfoBytes is { } bytes) json.WriteNumber("meminfoBytes", bytes); else json.WriteNull("meminfoBytes");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("flagCombinations");
        foreach (var c in report.Combinations)
        {
            json.WriteStartObject();
            JsonRecords.WriteHex(json, "kpageflags", (ulong)c.Flags);
            json.WriteString("letters", FrameFlagNames.ToLetters(c.Flags));
            json.WriteString("flags", FrameFlagNames.ToLongNames(c.Flags));
            json.WriteNumber("frames", c.Frames);
            json.WriteNumber("mappedFrames", c.MappedFrames);
            if (c.MapCountSum is { } sum) json.WriteNumber("mapCountSum", sum); else json.WriteNull("mapCountSum");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("buddyinfo");
        foreach (var zone in report.FreeZones)
        {
            json.WriteStartObject();
            json.WriteNumber("node", zone.Node);
            json.WriteString("zone", zone.Zone);
            json.WriteStartArray("freeBlocksPerOrder");
            foreach (var count in zone.FreeBlocks) json.WriteNumberValue(count);
            json.WriteEndArray();
            json.WriteNumber("freePages", zone.FreePages);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }
}
