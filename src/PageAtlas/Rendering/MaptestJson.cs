using System.Text.Json;
using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="MaptestReport"/> as the "pageatlas/maptest" document.</summary>
public static class MaptestJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, MaptestReport report)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "maptest");
        JsonRecords.WriteHex(json, "address", report.Address);
        json.WriteString("magic", report.Magic);
        JsonRecords.WriteHex(json, "writtenPfn", report.WrittenPfn);
        if (report.PagemapPfn is { } pagemap) JsonRecords.WriteHex(json, "pagemapPfn", pagemap); else json.WriteNull("pagemapPfn");
        if (report.WalkPfn is { } walk) JsonRecords.WriteHex(json, "walkPfn", walk); else json.WriteNull("walkPfn");
        json.WriteBoolean("patternIntact", report.PatternIntact);
        json.WriteNumber("beforePages", report.PagesBefore);
        json.WriteNumber("whileMappedPages", report.PagesWhileMapped);
        json.WriteNumber("afterPages", report.PagesAfter);
        json.WriteBoolean("holds", report.Holds);
        json.WriteEndObject();
    }
}
