using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Reads the pages of a live process's VMAs in batches: PAGEMAP_SCAN finds the populated ranges
/// (so an untouched 64 GiB reservation costs almost nothing), pread of pagemap gives their
/// entries, and <see cref="FrameJoiner"/> adds frame flags and map counts.
/// </summary>
internal sealed class PageReader(Pagemap pagemap, KernelPageFrames? frames, int pageSize) : IDisposable
{
    /// <summary>Pages per batch: 16 Ki entries keep the buffers in L2 while amortising system calls.</summary>
    internal const int BatchPages = 16 * 1024;

    /// <summary>Below this many pages one pread of the whole area is cheaper than a scan first.</summary>
    private const int ScanThresholdPages = 512;

    private const ulong HugeLeafSize = 2 * 1024 * 1024;

    private readonly ulong[] _entries = new ulong[BatchPages];
    private readonly PageRecord[] _records = new PageRecord[BatchPages];
    private readonly FrameJoiner? _joiner = frames is null ? null : new FrameJoiner(frames, BatchPages);
    private readonly List<PopulatedRange> _ranges = [];

    /// <summary>The pages of <paramref name="vma"/> within [start, end), batch by batch.</summary>
    public IEnumerable<PageBatch> Read(ClassifiedVma vma, ulong start, ulong end, PageReadOptions options)
    {
        ulong pages = (end - start) / (ulong)pageSize;
        _ranges.Clear();
        // Scan large ranges to skip what is untouched, and any range of an area big enough to hold a
        // huge leaf, since only the scan tells a 2 MiB leaf from 512 PTEs.
        bool worthScanning = pages >= ScanThresholdPages || vma.Vma.Size >= HugeLeafSize;
        bool scanned = worthScanning && pagemap.TryScanPopulated(start, end, _ranges);
        var ranges = scanned && options.PopulatedOnly
            ? _ranges.ToArray()
            : [new PopulatedRange(start, end, false, false, false)];
        var hugeRanges = scanned ? _ranges.Where(r => r.IsHuge).ToArray() : [];

        int fill = 0;
        foreach (var range in ranges)
        {
            ulong address = range.Start;
            while (address < range.End)
            {
                int n = (int)Math.Min((ulong)(BatchPages - fill), (range.End - address) / (ulong)pageSize);
                pagemap.Read(address, _entries.AsSpan(0, n));
                for (int i = 0; i < n; i++, address += (ulong)pageSize)
                {
                    var entry = new PagemapEntry(_entries[i]);
                    // Re-check: a page the scan saw may have gone since.
                    if (options.PopulatedOnly && !entry.IsPopulated) continue;
                    _records[fill++] = new PageRecord(address, entry, FrameFlags.None, 0, IsIn(hugeRanges, address));
                }
                if (fill == BatchPages)
                {
                    yield return Complete(vma, fill, options);
                    fill = 0;
                }
            }
        }
        if (fill > 0) yield return Complete(vma, fill, options);
    }

    private PageBatch Complete(ClassifiedVma vma, int count, PageReadOptions options)
    {
        if (options.WithFrames) _joiner?.Join(_records.AsSpan(0, count));
        return new PageBatch(vma, _records.AsMemory(0, count));
    }

    private static bool IsIn(PopulatedRange[] ranges, ulong address)
    {
        foreach (var r in ranges)
            if (address >= r.Start && address < r.End) return true;
        return false;
    }

    public void Dispose()
    {
        pagemap.Dispose();
        frames?.Dispose();
    }
}
