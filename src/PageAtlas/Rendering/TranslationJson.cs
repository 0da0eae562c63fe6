using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>One JSON line per translated page (the "pageatlas/translate" stream).</summary>
public static class TranslationJson
{
    /// <summary>Writes one row as an object.</summary>
    public static void WriteRow(Utf8JsonWriter json, PageTranslation row, FrameVisibility visibility)
    {
        json.WriteStartObject();
        JsonRecords.WriteHex(json, "address", row.Address);
        if (row.State == PageState.Unmapped)
        {
            json.WriteString("state", "unmapped");
            json.WriteNumber("pages", row.Pages);
        }
        else
        {
            JsonRecords.WritePageFields(json, row.Page, row.PageSize, visibility);
            if (row.PhysicalAddress is { } pa) JsonRecords.WriteHex(json, "physicalAddress", pa); else json.WriteNull("physicalAddress");
            JsonRecords.WriteVma(json, "vma", row.Vma!);
        }
        json.WriteEndObject();
    }
}
