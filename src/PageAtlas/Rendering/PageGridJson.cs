using System.Buffers.Binary;
using System.Text.Json;
using PageAtlas.Model;

namespace PageAtlas.Rendering;

/// <summary>
/// A run of consecutive pages as one compact cell per page (the "pageatlas/page-grid" document):
/// what a page grid needs to colour a million pages without a JSON object per page. Each cell is a
/// 16-bit little-endian word, sent base64-encoded: the low 3 bits the page's state (an index into
/// <c>states</c>), each higher bit one attribute named in <c>bits</c>. A page's PFN, flags and map count
/// in full come from the translation of its address (one request, when a user points at it).
/// </summary>
public static class PageGridJson
{
    /// <summary>The most pages one document holds: 2 MiB of cells (a client asks for a large VMA in parts).</summary>
    public const int MaxPages = 1 << 20;

    /// <summary>Cell state codes, in order (the low 3 bits).</summary>
    public static readonly PageState[] States =
        [PageState.NotPopulated, PageState.Present, PageState.Swapped, PageState.Guard, PageState.Marker, PageState.SharedSwapped, PageState.SharedResident];

    /// <summary>Attribute bits above the state: name → bit number, as sent in <c>bits</c>.</summary>
    public static readonly (string Name, int Bit)[] Bits =
    [
        ("hugeLeaf", 3), ("anonymous", 4), ("fileOrSharedAnon", 5), ("dirty", 6), ("thp", 7), ("ksm", 8), ("zeroPage", 9),
        ("shared", 10), ("exclusive", 11), ("softDirty", 12), ("swapBacked", 13), ("mlocked", 14), ("active", 15),
    ];

    /// <summary>One page's cell word.</summary>
    public static ushort Cell(in PageRecord page)
    {
        int state = Array.IndexOf(States, page.State);
        uint cell = (uint)Math.Max(state, 0);
        var flags = page.Flags;
        if (page.IsHugeLeaf) cell |= 1u << 3;
        if ((flags & FrameFlags.Anonymous) != 0) cell |= 1u << 4;
        if (page.Entry.IsFileOrSharedAnon) cell |= 1u << 5;
        if ((flags & FrameFlags.Dirty) != 0) cell |= 1u << 6;
        if ((flags & FrameFlags.Thp) != 0) cell |= 1u << 7;
        if ((flags & FrameFlags.Ksm) != 0) cell |= 1u << 8;
        if ((flags & FrameFlags.ZeroPage) != 0) cell |= 1u << 9;
        if (page.MapCount > 1) cell |= 1u << 10;
        if (page.Entry.IsExclusive) cell |= 1u << 11;
        if (page.Entry.IsSoftDirty) cell |= 1u << 12;
        if ((flags & FrameFlags.SwapBacked) != 0) cell |= 1u << 13;
        if ((flags & FrameFlags.Mlocked) != 0) cell |= 1u << 14;
        if ((flags & FrameFlags.Active) != 0) cell |= 1u << 15;
        return (ushort)cell;
    }

    /// <summary>
    /// Writes the document for <paramref name="count"/> pages from <paramref name="start"/> (page
    /// aligned): pages outside every VMA are cells of 0 (not populated), as are pages no read returned.
    /// </summary>
    public static void Write(Utf8JsonWriter json, IMemoryTarget target, ulong start, int count)
    {
        int pageSize = target.Machine.PageSize;
        if (count <= 0 || count > MaxPages) throw new InvalidRequestException($"a page grid holds 1 to {MaxPages} pages");
        if (start % (ulong)pageSize != 0) throw new InvalidRequestException($"0x{start:x} is not page aligned");
        ulong end = checked(start + ((ulong)count * (ulong)pageSize));
        var cells = new byte[count * 2];
        foreach (var batch in target.ReadPages(start, end, new PageReadOptions(PopulatedOnly: true, WithFrames: true)))
        {
            foreach (ref readonly var page in batch.Pages.Span)
            {
                if (page.Address < start || page.Address >= end) continue;
                int index = (int)((page.Address - start) / (ulong)pageSize);
                BinaryPrimitives.WriteUInt16LittleEndian(cells.AsSpan(index * 2), Cell(page));
            }
        }
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "page-grid", target.Pid, target.Facts.Name, target.Machine, target.Visibility);
        JsonRecords.WriteHex(json, "start", start);
        json.WriteNumber("spanPages", count);
        json.WriteStartArray("states");
        foreach (var state in States) json.WriteStringValue(JsonRecords.StateName(state));
        json.WriteEndArray();
        json.WriteStartObject("bits");
        foreach (var (name, bit) in Bits) json.WriteNumber(name, bit);
        json.WriteEndObject();
        json.WriteBase64String("cells", cells);
        json.WriteEndObject();
    }
}
