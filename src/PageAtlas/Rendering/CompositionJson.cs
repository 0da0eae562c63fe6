using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="CompositionReport"/> as the "pageatlas/composition" document; sizes in bytes.</summary>
public static class CompositionJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, CompositionReport report)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "composition", report.Pid, report.Command, report.Machine, report.Visibility);
        json.WriteStartObject("total");
        WriteCounts(json, report.Total, report.Machine.PageSize);
        json.WriteEndObject();
        json.WriteStartArray("classes");
        foreach (var c in report.Classes)
        {
            json.WriteStartObject();
            json.WriteString("class", c.Class.ToString());
            json.WriteString("kind", c.Class.KindName);
            json.WriteNumber("vmas", c.Vmas);
            WriteCounts(json, c.Counts, report.Machine.PageSize);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("vmas");
        foreach (var v in report.Vmas)
        {
            json.WriteStartObject();
            JsonRecords.WriteVmaFields(json, v.Vma);
            WriteCounts(json, v.Counts, report.Machine.PageSize);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    /// <summary>The counts as byte figures, into the open object.</summary>
    public static void WriteCounts(Utf8JsonWriter json, CompositionCounts c, int pageSize)
    {
        ulong p = (ulong)pageSize;
        json.WriteNumber("rss", c.Resident * p);
        json.WriteNumber("pss", c.PssBytes);
        json.WriteNumber("uss", c.Unique * p);
        json.WriteNumber("sharedClean", c.SharedClean * p);
        json.WriteNumber("sharedDirty", c.SharedDirty * p);
        json.WriteNumber("privateClean", c.PrivateClean * p);
        json.WriteNumber("privateDirty", c.PrivateDirty * p);
        json.WriteNumber("swap", c.AllSwapped * p);
        json.WriteNumber("sharedSwap", c.SharedSwapped * p);
        json.WriteNumber("anonymous", c.Anonymous * p);
        json.WriteNumber("fileBacked", c.FileBacked * p);
        json.WriteNumber("anonHugePages", c.AnonymousHuge * p);
        json.WriteNumber("ksm", c.Ksm * p);
        json.WriteNumber("zeroPage", c.ZeroPage * p);
        json.WriteNumber("hugetlb", c.Hugetlb * p);
    }
}
