using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="SharePageListing"/> as the "pageatlas/share-pages" document (the explorer's sharing view lists the pages behind a figure).</summary>
public static class SharePagesJson
{
    /// <summary>The JSON name of each figure a listing is of, as the API's <c>figure</c> parameter takes it.</summary>
    public static readonly IReadOnlyDictionary<string, SharePageKind> FigureNames = new Dictionary<string, SharePageKind>(StringComparer.Ordinal)
    {
        ["common"] = SharePageKind.Common,
        ["private"] = SharePageKind.Private,
        ["same-frame"] = SharePageKind.SameFrame,
        ["other-frame"] = SharePageKind.OtherFrame,
    };

    /// <summary>Writes the document: which listing, the slice, and per row the page of each process the row involves (a private page's row: its owner's alone).</summary>
    public static void Write(Utf8JsonWriter json, IReadOnlyList<int> pids, string figure, SharePageListing listing, FrameVisibility visibility)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "share-pages");
        json.WriteString("figure", figure);
        json.WriteStartArray("pids");
        foreach (int pid in pids) json.WriteNumberValue(pid);
        json.WriteEndArray();
        json.WriteNumber("totalRows", listing.Total);
        json.WriteNumber("offset", listing.Offset);
        json.WriteStartArray("rows");
        foreach (var row in listing.Rows)
        {
            json.WriteStartArray();
            for (int i = 0; i < row.Pages.Count; i++)
            {
                if (row.Pages[i] is not { } p) continue;
                json.WriteStartObject();
                json.WriteNumber("pid", pids[i]);
                JsonRecords.WriteHex(json, "address", p.Address);
                JsonRecords.WriteHex(json, "pfn", p.Pfn);
                if (visibility.FrameFlagsVisible)
                {
                    json.WriteString("flags", FrameFlagNames.ToLongNames(p.Flags));
                    json.WriteNumber("mapCount", p.MapCount);
                }
                else
                {
                    json.WriteNull("flags");
                    json.WriteNull("mapCount");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
