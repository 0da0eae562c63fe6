using System.Text.Json;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>
/// The page-table picture's palette as a document ("pageatlas/palette"): each style's fill and legend
/// words, and the style of every segment kind. A front end colours its classes from this, so a heap
/// looks the same in the browser as in `pagetable --format svg`.
/// </summary>
public static class PaletteJson
{
    /// <summary>Writes the document.</summary>
    public static void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "palette");
        json.WriteStartArray("styles");
        foreach (var style in Enum.GetValues<PageTableStyle>())
        {
            json.WriteStartObject();
            json.WriteString("style", StyleName(style));
            json.WriteString("name", PageTableStyles.Name(style));
            json.WriteString("fill", PageTableStyles.Fill(style));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("kinds");
        foreach (var kind in Enum.GetValues<SegmentKind>())
            json.WriteString(SegmentClass.KindNames[(int)kind], StyleName(PageTableStyles.OfKind(kind)));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A style's key in the document: its name in camel case ("hugeLeaf").</summary>
    public static string StyleName(PageTableStyle style) => JsonNamingPolicy.CamelCase.ConvertName(style.ToString());
}
