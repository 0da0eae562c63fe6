using System.Buffers.Binary;
using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>
/// Writes <see cref="PhysicalMapCells"/> as the "pageatlas/physmap-cells" document (docs/explorer.md):
/// the counts compactly, one base64 block of 32-bit words for every cell and kind, since a map of
/// 65,536 cells by 12 kinds would be hundreds of thousands of JSON numbers.
/// </summary>
public static class PhysicalMapCellsJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, PhysicalMapCells map)
    {
        var kinds = Enum.GetValues<FrameKind>();
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "physmap-cells");
        json.WriteNumber("pageSize", map.PageSize);
        JsonRecords.WriteHex(json, "frameLimit", map.FrameLimit);
        JsonRecords.WriteHex(json, "startPfn", map.StartPfn);
        JsonRecords.WriteHex(json, "endPfn", map.EndPfn);
        json.WriteNumber("framesPerCell", map.FramesPerCell);
        json.WriteNumber("cellCount", map.Cells.Count);
        json.WriteBoolean("singleFrames", map.SingleFrames);
        JsonRecords.WriteObjects(json, "kinds", kinds, (w, kind) =>
        {
            w.WriteString("name", kind.ToString());
            w.WriteString("description", PhysicalMapText.Describe(kind));
        });
        // cell-major: the word of cell c and kind k is at c × kinds + k
        var words = new byte[map.Cells.Count * kinds.Length * sizeof(uint)];
        for (int c = 0; c < map.Cells.Count; c++)
            for (int k = 0; k < kinds.Length; k++)
                BinaryPrimitives.WriteUInt32LittleEndian(words.AsSpan(((c * kinds.Length) + k) * sizeof(uint)), (uint)map.Cells[c].Counts[k]);
        json.WriteBase64String("counts", words);
        JsonRecords.WriteObjects(json, "zones", map.Zones, (w, zone) =>
        {
            w.WriteNumber("node", zone.Node);
            w.WriteString("name", zone.Name);
            JsonRecords.WriteHex(w, "startPfn", zone.StartPfn);
            JsonRecords.WriteHex(w, "endPfn", zone.EndPfn);
        });
        JsonRecords.WriteObjects(json, "ranges", map.Ranges, (w, range) =>
        {
            JsonRecords.WriteHex(w, "start", range.Start);
            JsonRecords.WriteHex(w, "end", range.End);
            w.WriteString("name", range.Name);
        });
        json.WriteEndObject();
    }
}
