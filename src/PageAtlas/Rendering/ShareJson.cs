using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="ShareReport"/> as the "pageatlas/share" document; counts are pages.</summary>
public static class ShareJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, ShareReport report)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "share");
        json.WriteStartArray("processes");
        foreach (var p in report.Participants)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", p.Pid);
            json.WriteString("command", p.Command);
            json.WriteNumber("parentPid", p.ParentPid);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (report.ForkedFrom is { } parent) json.WriteNumber("forkedFrom", parent); else json.WriteNull("forkedFrom");
        json.WriteStartObject("total");
        WriteCounts(json, report.Total);
        json.WriteEndObject();
        WriteGroups(json, "classes", report.Classes, withVmas: false);
        WriteGroups(json, "vmas", report.Vmas, withVmas: true);
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    private static void WriteGroups(Utf8JsonWriter json, string name, IReadOnlyList<ShareGroup> groups, bool withVmas)
    {
        json.WriteStartArray(name);
        foreach (var group in groups)
        {
            json.WriteStartObject();
            json.WriteString("key", group.Key);
            WriteCounts(json, group.Counts);
            if (withVmas)
            {
                json.WriteStartArray("vmaPerProcess");
                foreach (var vmas in group.Vmas)
                {
                    if (vmas.Count == 0) json.WriteNullValue();
                    else JsonRecords.WriteVma(json, null, vmas[0]);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteCounts(Utf8JsonWriter json, ShareCounts c)
    {
        json.WriteStartArray("resident");
        foreach (var r in c.Resident) json.WriteNumberValue(r);
        json.WriteEndArray();
        json.WriteNumber("framesInAll", c.FramesInAll);
        json.WriteStartArray("private");
        foreach (var p in c.Private) json.WriteNumberValue(p);
        json.WriteEndArray();
        json.WriteNumber("sameAddressInAll", c.SameAddressInAll);
        json.WriteNumber("sameAddressSameFrame", c.SameAddressSameFrame);
        json.WriteNumber("sameAddressDifferentFrames", c.SameAddressDifferentFrames);
    }
}
