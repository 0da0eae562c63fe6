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
    /// <summary>The header bits a run may have set.</summary>
    private const byte HeaderBits = 0b1111;

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
            WriteVarint(output, unchecked((ulong)((delta << 1) ^ (delta >> 63)))); // zigzag: small negatives stay short
            if ((header & 1) != 0) WriteVarint(output, flags = (ulong)first.Flags);
            if ((header & 2) != 0) WriteVarint(output, mapCount = first.MapCount);
            if ((header & 4) != 0) WriteVarint(output, high = firstHigh);
            previousEndPage = page + (ulong)count;
            nextLow = firstLow + (ulong)count * step;
            i += count;
        }
        return output.ToArray();
    }

    /// <summary>
    /// Decodes one chunk into <paramref name="into"/>, exactly as long as the chunk's page count. Every
    /// run is checked against the chunk before a page is written: the pages ascend from
    /// <paramref name="first"/> to <paramref name="last"/> and fill <paramref name="into"/> exactly, each
    /// is populated (present or swapped, not both), its frame lies below what a machine can have.
    /// Nothing is allocated, so however many pages the bytes claim, the decoding costs no more memory
    /// than the caller sized <paramref name="into"/> with.
    /// </summary>
    /// <param name="data">The chunk's bytes.</param>
    /// <param name="first">Its first page's address (page aligned).</param>
    /// <param name="last">Its last page's address (page aligned, not below <paramref name="first"/>).</param>
    /// <param name="pageSize">Bytes per page.</param>
    /// <param name="into">Where the pages go.</param>
    /// <exception cref="SnapshotContentException">The bytes do not decode to such pages.</exception>
    public static void Decode(ReadOnlySpan<byte> data, ulong first, ulong last, int pageSize, Span<PageRecord> into)
    {
        ulong lastPage = last / (ulong)pageSize;
        ulong nextPage = first / (ulong)pageSize;
        ulong nextLow = 0, flags = 0, mapCount = 0, high = 0;
        int filled = 0, at = 0;
        while (at < data.Length)
        {
            byte header = data[at++];
            if ((header & ~HeaderBits) != 0) throw Invalid($"a run header has unknown bits (0x{header:x2})");
            ulong skip = ReadVarint(data, ref at);
            ulong count = ReadVarint(data, ref at);
            ulong zigzag = ReadVarint(data, ref at);
            if (count == 0) throw Invalid("a run holds no page");
            if (count > (ulong)(into.Length - filled)) throw Invalid($"its runs hold more than its {into.Length} pages");
            ulong left = lastPage + 1 - nextPage;
            if (skip > left || count > left - skip) throw Invalid("a run goes past its last page");
            if ((header & 1) != 0) flags = ReadVarint(data, ref at);
            if ((header & 2) != 0) mapCount = ReadVarint(data, ref at);
            if ((header & 4) != 0) high = ReadVarint(data, ref at);
            if (high >> (64 - HighShift) != 0) throw Invalid($"pagemap bits 0x{high:x} do not fit bits 55–63");
            bool present = (high & (PagemapEntry.PresentBit >> HighShift)) != 0, swapped = (high & (PagemapEntry.SwappedBit >> HighShift)) != 0;
            if (present == swapped) throw Invalid(present ? "a page is both present and swapped" : "a page is neither present nor swapped");
            long delta = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            // A forged delta may wrap below 0 or past 2^64: the check just below refuses whatever it wraps to.
            ulong low = unchecked(nextLow + (ulong)delta), step = Step(high);
            // count is at most MaxChunkPages and step at most 32: (count − 1) × step cannot overflow.
            if (low > LowMask || (count - 1) * step > LowMask - low) throw Invalid("its frame numbers run past pagemap's 55 bits");
            if (present && low + (count - 1) >= MachineLimits.FrameLimit)
                throw Invalid($"frame 0x{low + (count - 1):x} lies beyond the {MachineLimits.PhysicalAddressBits}-bit physical address space");
            ulong page = nextPage + skip;
            for (ulong k = 0; k < count; k++)
            {
                var entry = new PagemapEntry((high << HighShift) | (low + k * step));
                into[filled++] = new PageRecord((page + k) * (ulong)pageSize, entry, (FrameFlags)flags, mapCount, (header & 8) != 0);
            }
            nextPage = page + count;
            nextLow = low + count * step;
        }
        if (filled != into.Length) throw Invalid($"its data decodes to {filled} pages, not {into.Length}");
        if (filled > 0 && (into[0].Address != first || into[filled - 1].Address != last))
            throw Invalid($"its pages run from 0x{into[0].Address:x} to 0x{into[filled - 1].Address:x}, not 0x{first:x} to 0x{last:x}");
    }

    private static SnapshotContentException Invalid(string message) => new("pages", message);

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte(unchecked((byte)(value | 0x80))); // the low 7 bits, and a flag that more follow
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw Invalid("its data ends in the middle of a number");
            byte b = data[at++];
            // The tenth byte holds bit 63 alone.
            if (shift == 63 && b > 1) throw Invalid("its data holds a number longer than 64 bits");
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw Invalid("its data holds a number longer than 64 bits");
    }
}
