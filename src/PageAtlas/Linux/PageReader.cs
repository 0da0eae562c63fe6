using System.Buffers;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>The part [Start, End) of one VMA to read.</summary>
internal readonly record struct VmaSpan(ClassifiedVma Vma, ulong Start, ulong End);

/// <summary>
/// Reads the pages of a live process's VMAs in batches: PAGEMAP_SCAN finds the populated ranges
/// (so an untouched 64 GiB reservation costs almost nothing), pread of pagemap gives their
/// entries, and <see cref="FrameJoiner"/> adds frame flags and map counts.
/// </summary>
internal sealed class PageReader(Pagemap pagemap, KernelPageFrames? frames, int pageSize) : IDisposable
{
    /// <summary>Pages per batch: 16 Ki entries keep the buffers in L2 while amortising system calls.</summary>
    internal const int BatchPages = 16 * 1024;

    /// <summary>
    /// Areas this large may hold a huge leaf, which only PAGEMAP_SCAN reveals, and are worth a scan
    /// first to skip what is untouched; smaller ones are read whole with one pread.
    /// </summary>
    private const ulong ScanThresholdBytes = 2 * 1024 * 1024;

    /// <summary>Small areas this close together are read with one pread across the gap (which reads as empty).</summary>
    private const int MaxGroupGapPages = 64;

    // Pooled, so opening many processes (or one small one) does not allocate and zero a megabyte each time.
    private readonly ulong[] _entries = ArrayPool<ulong>.Shared.Rent(BatchPages);
    private readonly PageRecord[] _records = ArrayPool<PageRecord>.Shared.Rent(BatchPages);
    private readonly int[] _groupEnds = ArrayPool<int>.Shared.Rent(BatchPages);
    private readonly FrameJoiner? _joiner = frames is null ? null : new FrameJoiner(frames, BatchPages);
    private readonly List<PopulatedRange> _ranges = [];
    // Set once by Dispose: the pooled arrays then belong to someone else and must not be touched.
    private int _disposed;

    /// <summary>
    /// The pages of each span, in order, batch by batch; a batch never holds two VMAs. Neighbouring
    /// small areas (a process can have tens of thousands) are read together: one pagemap pread
    /// and one frame join for the group, then one batch per area. <paramref name="isHugetlb"/> is
    /// asked only where the kernel has no PAGEMAP_SCAN: every page of a hugetlbfs VMA is under a
    /// huge leaf, which is then the one huge leaf user space can still recognise.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reader was disposed (also when it happens between batches).</exception>
    /// <param name="spans">The parts of VMAs to read, in address order.</param>
    /// <param name="options">What each page record holds.</param>
    /// <param name="isHugetlb">Whether a VMA is mapped by hugetlbfs pages (asked without PAGEMAP_SCAN only).</param>
    /// <param name="groupPages">The most pages a group of small areas spans (at most <see cref="BatchPages"/>):
    /// smaller groups hand out their first batches sooner, which a reader on another thread wants (<see cref="PageReadAhead"/>).</param>
    public IEnumerable<PageBatch> Read(IEnumerable<VmaSpan> spans, PageReadOptions options, Func<ClassifiedVma, bool> isHugetlb, int groupPages = BatchPages)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(groupPages, BatchPages);
        var group = new List<VmaSpan>();
        foreach (var span in spans)
        {
            bool small = span.Vma.Vma.Size < ScanThresholdBytes;
            if (group.Count > 0 && (!small || !Fits(group, span, groupPages)))
            {
                foreach (var batch in ReadGroup(group, options)) yield return batch;
                group.Clear();
            }
            if (small)
            {
                group.Add(span);
                continue;
            }
            foreach (var batch in ReadLarge(span.Vma, span.Start, span.End, options, isHugetlb)) yield return batch;
        }
        if (group.Count > 0)
            foreach (var batch in ReadGroup(group, options)) yield return batch;
    }

    /// <summary>Whether <paramref name="next"/> can join the group: a small gap, and the whole span within <paramref name="groupPages"/>.</summary>
    private bool Fits(List<VmaSpan> group, VmaSpan next, int groupPages) =>
        next.Start - group[^1].End <= (ulong)(MaxGroupGapPages * pageSize)
        && next.End - group[0].Start <= (ulong)groupPages * (ulong)pageSize;

    /// <summary>Reads a group of small areas with one pagemap read and one frame join.</summary>
    private IEnumerable<PageBatch> ReadGroup(List<VmaSpan> group, PageReadOptions options)
    {
        ThrowIfDisposed();
        ulong first = group[0].Start;
        pagemap.Read(first, _entries.AsSpan(0, (int)((group[^1].End - first) / (ulong)pageSize)));
        int fill = 0;
        for (int g = 0; g < group.Count; g++)
        {
            for (ulong address = group[g].Start; address < group[g].End; address += (ulong)pageSize)
            {
                var entry = new PagemapEntry(_entries[(address - first) / (ulong)pageSize]);
                if (options.PopulatedOnly && !entry.IsPopulated) continue;
                _records[fill++] = new PageRecord(address, entry, FrameFlags.None, 0, IsHugeLeaf: false);
            }
            _groupEnds[g] = fill;
        }
        if (options.WithFrames) _joiner?.Join(_records.AsSpan(0, fill), options.WithMapCounts, options.ZeroPageOnly);
        int start = 0;
        for (int g = 0; g < group.Count; g++)
        {
            if (_groupEnds[g] > start) yield return new PageBatch(group[g].Vma, _records.AsMemory(start, _groupEnds[g] - start));
            start = _groupEnds[g];
        }
    }

    /// <summary>The pages of a large area within [start, end): scanned first, then read range by range.</summary>
    private IEnumerable<PageBatch> ReadLarge(ClassifiedVma vma, ulong start, ulong end, PageReadOptions options, Func<ClassifiedVma, bool> isHugetlb)
    {
        _ranges.Clear();
        bool scanned = pagemap.TryScanPopulated(start, end, _ranges);
        bool readScanned = scanned && options.PopulatedOnly;
        bool everyPageHuge = !scanned && isHugetlb(vma);
        // The scanned ranges in address order, as the pages are read: a cursor says whether a page is under a huge leaf.
        var huge = new RangeCursor(scanned ? _ranges : []);

        int fill = 0;
        for (int r = 0; r < (readScanned ? _ranges.Count : 1); r++)
        {
            var range = readScanned ? _ranges[r] : new PopulatedRange(start, end, false, false, false);
            ulong address = range.Start;
            while (address < range.End)
            {
                ThrowIfDisposed();
                int n = (int)Math.Min((ulong)(BatchPages - fill), (range.End - address) / (ulong)pageSize);
                pagemap.Read(address, _entries.AsSpan(0, n));
                for (int i = 0; i < n; i++, address += (ulong)pageSize)
                {
                    var entry = new PagemapEntry(_entries[i]);
                    // Re-check: a page the scan saw may have gone since.
                    if (options.PopulatedOnly && !entry.IsPopulated) continue;
                    _records[fill++] = new PageRecord(address, entry, FrameFlags.None, 0, everyPageHuge || huge.IsHuge(address));
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
        ThrowIfDisposed();
        if (options.WithFrames) _joiner?.Join(_records.AsSpan(0, count), options.WithMapCounts, options.ZeroPageOnly);
        return new PageBatch(vma, _records.AsMemory(0, count));
    }

    /// <summary>
    /// Walks sorted ranges alongside ascending addresses: each page costs O(1) amortised, where
    /// searching every huge range for every page made a dense THP area quadratic.
    /// </summary>
    private struct RangeCursor(List<PopulatedRange> ranges)
    {
        private int _next;

        /// <summary>Whether <paramref name="address"/> (never below the last one asked) lies in a huge range.</summary>
        public bool IsHuge(ulong address)
        {
            while (_next < ranges.Count && ranges[_next].End <= address) _next++;
            return _next < ranges.Count && ranges[_next].IsHuge && address >= ranges[_next].Start;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Releases the files and returns the pooled arrays, once: a second call does nothing.</summary>
    public void Dispose()
    {
        // Returning an array twice would hand it to two renters at once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        pagemap.Dispose();
        frames?.Dispose();
        _joiner?.Dispose();
        ArrayPool<ulong>.Shared.Return(_entries);
        ArrayPool<PageRecord>.Shared.Return(_records);
        ArrayPool<int>.Shared.Return(_groupEnds);
    }
}
