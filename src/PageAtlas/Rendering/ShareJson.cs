using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="ShareReport"/> as the "pageatlas/share" document; counts are pages and frames.</summary>
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
        WriteCounts(json, report, report.Total, vmas: null);
        json.WriteEndObject();
        WriteGroups(json, "classes", report, report.Classes, withVmas: false);
        WriteGroups(json, "vmas", report, report.Vmas, withVmas: true);
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    private static void WriteGroups(Utf8JsonWriter json, string name, ShareReport report, IReadOnlyList<ShareGroup> groups, bool withVmas)
    {
        json.WriteStartArray(name);
        foreach (var group in groups)
        {
            json.WriteStartObject();
            JsonRecords.WriteClass(json, group.Class);
            if (group.Rank is { } rank) json.WriteNumber("rank", rank);
            WriteCounts(json, report, group.Counts, withVmas ? group.Vmas : null);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The figures of all the processes together, then each process's own, keyed by its pid (with its VMA, for a VMA's group).</summary>
    private static void WriteCounts(Utf8JsonWriter json, ShareReport report, ShareCounts c, IReadOnlyList<IReadOnlyList<ClassifiedVma>>? vmas)
    {
        json.WriteNumber("commonFrames", c.FramesInAll);
        json.WriteNumber("sameAddressPages", c.SameAddressInAll);
        json.WriteNumber("sameAddressSameFramePages", c.SameAddressSameFrame);
        json.WriteNumber("sameAddressOtherFramePages", c.SameAddressDifferentFrames);
        json.WriteStartArray("perProcess");
        for (int i = 0; i < report.Participants.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", report.Participants[i].Pid);
            json.WriteNumber("residentPages", c.Resident[i]);
            json.WriteNumber("privatePages", c.Private[i]);
            if (vmas is not null)
            {
                // The process's first VMA of this class and rank (there is one at most), or null when it has none.
                if (vmas[i].Count == 0) json.WriteNull("vma");
                else JsonRecords.WriteVma(json, "vma", vmas[i][0]);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
