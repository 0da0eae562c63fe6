using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="CompositionReport"/> as the "pageatlas/composition" document; sizes in bytes.</summary>
public static class CompositionJson
{
    /// <summary>
    /// Writes the whole document; without <c>vmaRows</c>, all but its <c>vmas</c> array (the row of
    /// every VMA): the explorer's address view shows only the classes, and 20,000 VMAs' rows are 9.6 MB
    /// of JSON it would fetch and parse for nothing.
    /// </summary>
    public static void Write(Utf8JsonWriter json, CompositionReport report, bool vmaRows = true)
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
            JsonRecords.WriteClass(json, c.Class);
            json.WriteNumber("vmaCount", c.Vmas);
            WriteCounts(json, c.Counts, report.Machine.PageSize);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (vmaRows)
        {
            json.WriteStartArray("vmas");
            foreach (var v in report.Vmas)
            {
                json.WriteStartObject();
                JsonRecords.WriteVmaFields(json, v.Vma);
                WriteCounts(json, v.Counts, report.Machine.PageSize);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    /// <summary>The figures, each a number of pages but PSS (bytes already), under its name in bytes.</summary>
    private static readonly (JsonEncodedText Name, Func<CompositionCounts, ulong, ulong> Bytes)[] s_figures =
    [
        (JsonEncodedText.Encode("rssBytes"), (c, p) => c.Resident * p),
        (JsonEncodedText.Encode("pssBytes"), (c, _) => c.PssBytes),
        (JsonEncodedText.Encode("ussBytes"), (c, p) => c.Unique * p),
        (JsonEncodedText.Encode("sharedCleanBytes"), (c, p) => c.SharedClean * p),
        (JsonEncodedText.Encode("sharedDirtyBytes"), (c, p) => c.SharedDirty * p),
        (JsonEncodedText.Encode("privateCleanBytes"), (c, p) => c.PrivateClean * p),
        (JsonEncodedText.Encode("privateDirtyBytes"), (c, p) => c.PrivateDirty * p),
        (JsonEncodedText.Encode("swapBytes"), (c, p) => c.AllSwapped * p),
        (JsonEncodedText.Encode("sharedSwapBytes"), (c, p) => c.SharedSwapped * p),
        (JsonEncodedText.Encode("anonymousBytes"), (c, p) => c.Anonymous * p),
        (JsonEncodedText.Encode("fileBackedBytes"), (c, p) => c.FileBacked * p),
        (JsonEncodedText.Encode("anonHugePagesBytes"), (c, p) => c.AnonymousHuge * p),
        (JsonEncodedText.Encode("ksmBytes"), (c, p) => c.Ksm * p),
        (JsonEncodedText.Encode("zeroPageBytes"), (c, p) => c.ZeroPage * p),
        (JsonEncodedText.Encode("hugetlbBytes"), (c, p) => c.Hugetlb * p),
    ];

    /// <summary>The counts as byte figures, into the open object.</summary>
    public static void WriteCounts(Utf8JsonWriter json, CompositionCounts c, int pageSize)
    {
        foreach (var (name, bytes) in s_figures) json.WriteNumber(name, bytes(c, (ulong)pageSize));
    }
}
