using FsCheck;
using FsCheck.Fluent;
using PageAtlas.Model;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests;

/// <summary>
/// The page chunk codec on what a snapshot file may hold: chunks it wrote come back unchanged, and
/// any other bytes (random, or a real chunk mutated) decode to pages a chunk can hold or are refused
/// with the snapshot's own error, never another exception, and never with memory sized by what the
/// bytes claim.
/// </summary>
public sealed class PageChunkCodecTests
{
    private const int PageSize = 4096;
    /// <summary>What a decoding may allocate: its error message, never the pages a run claims (those go into the caller's buffer).</summary>
    private const long AllocationBound = 64 * 1024;

    [Fact]
    public void WrittenChunksDecodeToThePagesWritten()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var pages = Chunk(new Random(seed));
            byte[] data = PageChunkCodec.Encode(pages, PageSize);
            var decoded = new PageRecord[pages.Length];
            PageChunkCodec.Decode(data, pages[0].Address, pages[^1].Address, PageSize, decoded);
            return decoded.AsSpan().SequenceEqual(pages);
        }).Check(FuzzCases.Config(300));
    }

    [Fact]
    public void ArbitraryBytesDecodeToPossiblePagesOrAreRefused()
    {
        var cases = from data in ArbMap.Default.GeneratorFor<byte[]>()
                    from count in Gen.Choose(1, 64)
                    from firstPage in Gen.Choose(0, int.MaxValue)
                    from extraPages in Gen.Choose(0, 200)
                    select (data, count, firstPage, extraPages);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            ulong first = (ulong)c.firstPage * PageSize;
            DecodesToPossiblePagesOrIsRefused(c.data, first, first + (ulong)(c.count - 1 + c.extraPages) * PageSize, c.count);
        }).Check(FuzzCases.Config(1000));
    }

    [Fact]
    public void MutatedChunksDecodeToPossiblePagesOrAreRefused()
    {
        int decoded = 0, refused = 0;
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var pages = Chunk(random);
            var data = PageChunkCodec.Encode(pages, PageSize).ToList();
            for (int mutations = random.Next(1, 4); mutations > 0; mutations--) Mutate(data, random);
            // The chunk's bounds are checked too: a count or a last address that disagree with the data.
            int count = random.Next(4) == 0 ? random.Next(1, SnapshotFormat.MaxChunkPages + 1) : pages.Length;
            ulong last = random.Next(4) == 0 ? pages[^1].Address + (ulong)random.Next(0, 64) * PageSize : pages[^1].Address;
            if (DecodesToPossiblePagesOrIsRefused([.. data], pages[0].Address, last, count)) decoded++;
            else refused++;
        }).Check(FuzzCases.Config(1000));
        // Both outcomes were tried: the mutations neither always break the chunk nor never do.
        Assert.True(decoded > 0 && refused > 0, $"{decoded} decoded, {refused} refused");
    }

    [Fact]
    public void AChunkClaimingMillionsOfPagesInAFewBytesIsRefusedWithoutAllocatingThem()
    {
        // header: pagemap bits follow · 0 skipped · 20,000,000 pages · frame delta 0 · bits 55–63 = present
        byte[] data = [0b100, 0, 0x80, 0xDA, 0xC4, 0x09, 0, 0x80, 0x02];
        var into = new PageRecord[SnapshotFormat.MaxChunkPages];
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SnapshotContentException>(() => PageChunkCodec.Decode(data, 0x10000, 0x10000 + 100UL * PageSize, PageSize, into));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
        Assert.Equal("pages", e.Table);
        Assert.Contains("more than its 16384 pages", e.Message);
    }

    /// <summary>
    /// The property: either the decoding throws the snapshot's error, or it gave exactly
    /// <paramref name="count"/> pages from <paramref name="first"/> to <paramref name="last"/>, ascending,
    /// page aligned, each present or swapped and every frame one a machine can have; in both cases
    /// with no more memory than an error message needs.
    /// </summary>
    /// <returns>Whether the bytes decoded.</returns>
    private static bool DecodesToPossiblePagesOrIsRefused(byte[] data, ulong first, ulong last, int count)
    {
        var into = new PageRecord[count];
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            PageChunkCodec.Decode(data, first, last, PageSize, into);
        }
        catch (SnapshotContentException e)
        {
            Assert.Equal("pages", e.Table);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
            return false;
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
        Assert.Equal(first, into[0].Address);
        Assert.Equal(last, into[^1].Address);
        for (int i = 0; i < into.Length; i++)
        {
            var page = into[i];
            Assert.True(page.Address % PageSize == 0 && page.Address >= first && page.Address <= last);
            if (i > 0) Assert.True(page.Address > into[i - 1].Address);
            // Exactly one of pagemap's present and swap bits (a swap-bit entry may be swap, a guard region or another marker).
            Assert.True(((page.Entry.Raw & PagemapEntry.PresentBit) != 0) != ((page.Entry.Raw & PagemapEntry.SwappedBit) != 0));
            Assert.True(page.Entry.Pfn < MachineLimits.FrameLimit);
        }
        return true;
    }

    /// <summary>Populated pages as a live batch gives them: ascending, with runs of contiguous frames or swap slots, THPs, changing flags.</summary>
    private static PageRecord[] Chunk(Random random)
    {
        var pages = new PageRecord[random.Next(1, 600)];
        ulong page = (ulong)random.NextInt64(0, 1L << 35), pfn = 0, swap = 0;
        var flags = FrameFlags.Anonymous;
        ulong mapCount = 1;
        bool huge = false;
        for (int i = 0; i < pages.Length; i++)
        {
            page += random.Next(3) == 0 ? (ulong)random.Next(1, 40) : 1;
            if (random.Next(8) == 0) flags = (FrameFlags)random.NextInt64();
            if (random.Next(8) == 0) mapCount = (ulong)random.Next(0, 5);
            if (random.Next(16) == 0) huge = !huge;
            ulong extra = random.Next(4) == 0 ? PagemapEntry.ExclusiveBit | PagemapEntry.SoftDirtyBit : PagemapEntry.FileOrSharedAnonBit;
            ulong raw;
            if (random.Next(10) == 0)
            {
                swap = random.Next(3) == 0 ? swap + 1 : (ulong)random.NextInt64(0, 1L << 40);
                raw = PagemapEntry.SwappedBit | (swap << 5) | (uint)random.Next(32);
            }
            else
            {
                pfn = random.Next(3) > 0 ? pfn + 1 : (ulong)random.NextInt64(0, (long)MachineLimits.FrameLimit - 1000);
                raw = PagemapEntry.PresentBit | pfn;
            }
            pages[i] = new PageRecord(page * PageSize, new PagemapEntry(raw | extra), flags, mapCount, huge);
        }
        return pages;
    }

    private static void Mutate(List<byte> data, Random random)
    {
        if (data.Count == 0)
        {
            data.Add((byte)random.Next(256));
            return;
        }
        int at = random.Next(data.Count);
        switch (random.Next(5))
        {
            case 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                data[at] = (byte)random.Next(256);
                break;
            case 2:
                data.Insert(at, (byte)random.Next(256));
                break;
            case 3:
                if (data.Count > 1) data.RemoveAt(at);
                break;
            default:
                data.RemoveRange(at, data.Count - at);
                break;
        }
    }
}
