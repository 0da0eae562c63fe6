using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// Packs the populated pages of one batch (one VMA, address order) into bytes, run by run. A run is
/// pages at consecutive addresses whose pagemap bits, frame flags, map count and leaf size are equal
/// and whose frames (or swap offsets) follow each other, so a THP or any contiguous allocation costs
/// one run. Each run is:
/// <code>
/// header byte   bit 0 flags follow · bit 1 map count follows · bit 2 pagemap high bits follow · bit 3 huge leaf
/// varint        pages skipped since the previous run (0 when adjacent)
/// varint        pages in the run
/// varint        zigzag(first frame − the frame the previous run would have continued with)
/// [varint]      frame flags, map count, pagemap bits 55–63 — only those that changed
/// </code>
/// Random frames cost about 6 bytes a page; contiguous ones next to nothing.
/// </summary>
internal static class PageChunkCodec
{
    private const ulong LowMask = PagemapEntry.PfnMask;
    private const int HighShift = 55;

    /// <summary>The step between consecutive pages' low entry bits: 1 frame, or 1 swap offset (bits 5+).</summary>
    private static ulong Step(ulong high) => (high & (PagemapEntry.PresentBit >> HighShift)) != 0 ? 1UL
        : (high & (PagemapEntry.SwappedBit >> HighShift)) != 0 ? 1UL << 5 : 0;

    /// <summary>Encodes <paramref name="pages"/> (populated, ascending addresses).</summary>
    public static byte[] Encode(ReadOnlySpan<PageRecord> pages, int pageSize)
    {
        using var output = new MemoryStream(pages.Length * 4 + 16);
        ulong previousEndPage = pages.Length > 0 ? pages[0].Address / (ulong)pageSize : 0;
        ulong nextLow = 0, flags = 0, mapCount = 0, high = 0;
        int i = 0;
        while (i < pages.Length)
        {
            var first = pages[i];
            ulong firstHigh = first.Entry.Raw >> HighShift, firstLow = first.Entry.Raw & LowMask, step = Step(firstHigh);
            int count = 1;
            while (i + count < pages.Length)
            {
                var next = pages[i + count];
                if (next.Address != first.Address + (ulong)count * (ulong)pageSize || next.Entry.Raw >> HighShift != firstHigh
                    || (next.Entry.Raw & LowMask) != firstLow + (ulong)count * step || next.Flags != first.Flags
                    || next.MapCount != first.MapCount || next.IsHugeLeaf != first.IsHugeLeaf) break;
                count++;
            }
            byte header = 0;
            if ((ulong)first.Flags != flags) header |= 1;
            if (first.MapCount != mapCount) header |= 2;
            if (firstHigh != high) header |= 4;
            if (first.IsHugeLeaf) header |= 8;
            output.WriteByte(header);
            ulong page = first.Address / (ulong)pageSize;
            WriteVarint(output, page - previousEndPage);
            WriteVarint(output, (ulong)count);
            long delta = (long)firstLow - (long)nextLow;
            WriteVarint(output, (ulong)((delta << 1) ^ (delta >> 63)));
            if ((header & 1) != 0) WriteVarint(output, flags = (ulong)first.Flags);
            if ((header & 2) != 0) WriteVarint(output, mapCount = first.MapCount);
            if ((header & 4) != 0) WriteVarint(output, high = firstHigh);
            previousEndPage = page + (ulong)count;
            nextLow = firstLow + (ulong)count * step;
            i += count;
        }
        return output.ToArray();
    }

    /// <summary>Decodes pages encoded from a batch whose first page is at <paramref name="firstAddress"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes end inside a run.</exception>
    public static void Decode(ReadOnlySpan<byte> data, ulong firstAddress, int pageSize, List<PageRecord> into)
    {
        ulong previousEndPage = firstAddress / (ulong)pageSize;
        ulong nextLow = 0, flags = 0, mapCount = 0, high = 0;
        int at = 0;
        while (at < data.Length)
        {
            byte header = data[at++];
            ulong page = previousEndPage + ReadVarint(data, ref at);
            ulong count = ReadVarint(data, ref at);
            ulong zigzag = ReadVarint(data, ref at);
            long delta = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            if ((header & 1) != 0) flags = ReadVarint(data, ref at);
            if ((header & 2) != 0) mapCount = ReadVarint(data, ref at);
            if ((header & 4) != 0) high = ReadVarint(data, ref at);
            ulong low = (ulong)((long)nextLow + delta), step = Step(high);
            for (ulong k = 0; k < count; k++)
            {
                var entry = new PagemapEntry((high << HighShift) | ((low + k * step) & LowMask));
                into.Add(new PageRecord((page + k) * (ulong)pageSize, entry, (FrameFlags)flags, mapCount, (header & 8) != 0));
            }
            previousEndPage = page + count;
            nextLow = low + count * step;
        }
    }

    /// <summary>FNV-1a, 64 bits: stored beside each chunk so that a damaged one is refused, not misread.</summary>
    public static long Hash(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data) hash = (hash ^ b) * 1099511628211UL;
        return (long)hash;
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw new InvalidDataException("a page chunk ends in the middle of a number");
            byte b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("a page chunk holds a number longer than 64 bits");
    }
}
