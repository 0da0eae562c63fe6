using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// A process read back from a snapshot: the same model a live process gives (VMAs with classes,
/// facts, page batches with frames), so every analysis gives the result it gave live. Pages
/// stream chunk by chunk: however large a VMA, a read holds one chunk and one batch.
/// </summary>
internal sealed class SnapshotTarget : IMemoryTarget
{
    private const int BatchPages = SnapshotFormat.MaxChunkPages;
    private readonly Snapshot _snapshot;
    private readonly SavedProcess _process;
    /// <summary>Where chunks are decoded, sized for the largest; reused, as a live reader reuses its buffers.</summary>
    private PageRecord[]? _decoded;
    /// <summary>Where pages with the gaps between them are gathered into batches.</summary>
    private PageRecord[]? _batch;

    public SnapshotTarget(Snapshot snapshot, SavedProcess process)
    {
        _snapshot = snapshot;
        _process = process;
        Vmas = process.Vmas.Select(v => v.Vma).ToArray();
    }

    public int Pid => _process.Pid;
    public MachineInfo Machine => _snapshot.Machine;
    public ProcessFacts Facts => _process.Facts;
    public IReadOnlyList<ClassifiedVma> Vmas { get; }
    public FrameVisibility Visibility => _process.Visibility;

    /// <summary>A snapshot opened for this target alone, closed with it.</summary>
    internal Snapshot? Owned { get; set; }

    /// <summary>Found by address in the sorted VMAs (a dictionary of 20,000 records cost more than opening the file).</summary>
    public ulong KernelPageSize(ClassifiedVma vma)
    {
        int index = VmaLookup.FirstEndingAfter(Vmas, vma.Vma.Start);
        return index < Vmas.Count && Vmas[index].Equals(vma) ? _process.Vmas[index].KernelPageSize : (ulong)Machine.PageSize;
    }

    public SharedMemorySwap SharedMemorySwap => _process.SharedMemory.Swap;

    /// <summary>The saved runs of <paramref name="vma"/>'s object that lie in [start, endAddress), cut to it in whole pages.</summary>
    public IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong endAddress)
    {
        if (!_process.SharedMemory.Runs.TryGetValue(vma, out var runs)) return [];
        ulong pageSize = (ulong)Machine.PageSize;
        ulong from = start & ~(pageSize - 1);
        var within = new List<ObjectPageRun>();
        foreach (var run in runs)
        {
            ulong first = Math.Max(run.Start, from), last = Math.Min(run.End(Machine.PageSize), endAddress);
            if (first < last) within.Add(run with { Start = first, Pages = (last - first + pageSize - 1) / pageSize });
        }
        return within;
    }

    public IEnumerable<PageBatch> ReadPages(ulong start, ulong endAddress, PageReadOptions options)
    {
        ulong pageSize = (ulong)Machine.PageSize;
        // Vmas holds _process.Vmas' areas in the same order, sorted and without overlaps (the catalogue checks it).
        var (first, last) = VmaLookup.Overlapping(Vmas, start, endAddress);
        for (int index = first; index < last; index++)
        {
            var saved = _process.Vmas[index];
            var vma = saved.Vma;
            // Whole pages, as a live read gives them: the page holding an unaligned start is the first.
            ulong from = Math.Max(start, vma.Vma.Start) & ~(pageSize - 1), to = Math.Min(endAddress, vma.Vma.End);
            var populated = Populated(saved, from, to, options.WithFrames);
            var batches = options.PopulatedOnly ? populated : WithGaps(populated, from, to, pageSize, _batch ??= new PageRecord[BatchPages]);
            foreach (var pages in batches) yield return new PageBatch(vma, pages);
        }
    }

    /// <summary>The populated pages of one VMA within [from, to), one slice of a decoded chunk at a time.</summary>
    private IEnumerable<ReadOnlyMemory<PageRecord>> Populated(SavedVma saved, ulong from, ulong to, bool withFrames)
    {
        foreach (var chunk in saved.Chunks)
        {
            if (chunk.Last < from || chunk.First >= to) continue;
            var pages = Decode(chunk, from, to, withFrames);
            if (pages.Length > 0) yield return pages;
        }
    }

    /// <summary>The pages of one chunk that lie in [from, to), decoded into the target's buffer.</summary>
    private ReadOnlyMemory<PageRecord> Decode(PageChunk chunk, ulong from, ulong to, bool withFrames)
    {
        _decoded ??= new PageRecord[_process.Vmas.SelectMany(v => v.Chunks).Max(c => c.Count)];
        var pages = _decoded.AsSpan(0, chunk.Count);
        _snapshot.DecodeChunk(chunk, Pid, pages);
        // Only the chunks at either end of [from, to) hold pages outside it.
        int lo = 0, hi = pages.Length;
        while (lo < hi && pages[lo].Address < from) lo++;
        while (hi > lo && pages[hi - 1].Address >= to) hi--;
        if (!withFrames)
        {
            // A live read without frames has no flags or map counts; neither has this one.
            for (int i = lo; i < hi; i++) pages[i] = pages[i] with { Flags = FrameFlags.None, MapCount = 0 };
        }
        return _decoded.AsMemory(lo, hi - lo);
    }

    /// <summary>Every page of [from, to): the populated ones, and empty entries between them, as a live read returns them.</summary>
    private static IEnumerable<ReadOnlyMemory<PageRecord>> WithGaps(IEnumerable<ReadOnlyMemory<PageRecord>> populated, ulong from, ulong to, ulong pageSize,
        PageRecord[] batch)
    {
        int fill = 0;
        ulong next = from;
        foreach (var pages in populated)
        {
            for (int i = 0; i < pages.Length; i++)
            {
                var page = pages.Span[i];
                for (; next <= page.Address; next += pageSize)
                {
                    batch[fill++] = next == page.Address ? page : new PageRecord(next, default, FrameFlags.None, 0, false);
                    if (fill == BatchPages)
                    {
                        yield return batch;
                        fill = 0;
                    }
                }
            }
        }
        for (; next < to; next += pageSize)
        {
            batch[fill++] = new PageRecord(next, default, FrameFlags.None, 0, false);
            if (fill == BatchPages)
            {
                yield return batch;
                fill = 0;
            }
        }
        if (fill > 0) yield return batch.AsMemory(0, fill);
    }

    public void Dispose() => Owned?.Dispose();
}
