using System.Buffers;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Fills in the frame flags and map counts of a batch of page records. PFN look-ups are grouped
/// so the kernel is asked for contiguous runs: a batch whose frames lie close together is read
/// as one span; scattered frames are sorted and read run by run, tolerating small gaps (reading
/// a few unneeded words costs less than another system call). Only the frames whose answer
/// pagemap does not already give are looked up (see <see cref="KnownToBeMappedOnce"/> and
/// <see cref="CannotBeZeroPage"/>).
/// </summary>
internal sealed class FrameJoiner(KernelPageFrames frames, int batchPages) : IDisposable
{
    /// <summary>
    /// Frames closer than this are read in one run. The kernel's work per frame read (snapshot_page,
    /// stable_page_flags: fs/proc/page.c) is about a third of a system call's, so a run bridges a
    /// gap of a few frames and no more: a gap of 32 read three frames for every one asked for
    /// (20,000 one-page VMAs: 68,000 frames read for 20,000 pages).
    /// </summary>
    private const int GapTolerance = 4;
    // Pooled: a fresh megabyte of scratch per opened process would cost more than walking a small one.
    private readonly ulong[] _pfns = ArrayPool<ulong>.Shared.Rent(batchPages);
    private readonly int[] _indices = ArrayPool<int>.Shared.Rent(batchPages);
    private readonly ulong[] _words = ArrayPool<ulong>.Shared.Rent(ScratchFrames(batchPages));

    private readonly int _scratchFrames = ScratchFrames(batchPages);
    // Set once by Dispose: the pooled arrays then belong to someone else.
    private int _disposed;

    /// <summary>Which file a look-up reads.</summary>
    private enum FrameWord
    {
        Flags,
        MapCount,
    }

    /// <summary>Scratch for one read: up to four frames per page of a batch, so a dense batch is one read.</summary>
    private static int ScratchFrames(int batchPages) => batchPages * 4 + 256;

    /// <summary>
    /// A batch is read as one span when the span is at most four frames per page looked up (plus a
    /// little): beyond that, reading the frames in between costs more than the extra system calls.
    /// </summary>
    private static bool IsDense(ulong span, int count) => span <= (ulong)count * 4 + 256;

    /// <summary>
    /// Joins the present pages of <paramref name="records"/> with their frames: flags, and map counts
    /// when <paramref name="withCounts"/> (else 0). With <paramref name="zeroPageOnly"/> the flags are
    /// wanted only to tell the zero page apart: pages that cannot be it keep <see cref="FrameFlags.None"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The joiner was disposed.</exception>
    public void Join(Span<PageRecord> records, bool withCounts = true, bool zeroPageOnly = false)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int count = 0;
        for (int i = 0; i < records.Length; i++)
        {
            ulong pfn = records[i].Entry.Pfn;
            if (pfn == 0 || (zeroPageOnly && CannotBeZeroPage(records[i]))) continue;
            _pfns[count] = pfn;
            _indices[count++] = i;
        }
        if (count == 0) return;
        Lookup(records, count, FrameWord.Flags);
        if (!withCounts) return;

        // Only the frames whose count pagemap does not give are read from kpagecount.
        int uncounted = 0;
        for (int k = 0; k < count; k++)
        {
            int i = _indices[k];
            if (KnownToBeMappedOnce(records[i]))
            {
                records[i] = records[i] with { MapCount = 1 };
                continue;
            }
            _pfns[uncounted] = _pfns[k];
            _indices[uncounted++] = i;
        }
        if (uncounted > 0) Lookup(records, uncounted, FrameWord.MapCount);
    }

    /// <summary>
    /// A page of a small (order-0) folio that pagemap calls exclusively mapped (bit 56,
    /// PM_MMAP_EXCLUSIVE) has map count 1, so kpagecount need not be read for it: for such a folio
    /// the kernel sets the bit exactly when its map count is 1 (fs/proc/task_mmu.c,
    /// __folio_page_mapped_exclusively: folio_precise_page_mapcount() == 1, or
    /// !folio_maybe_mapped_shared(), which is folio_mapcount() &gt; 1 for a small folio), and
    /// kpagecount reports the same count (fs/proc/page.c, kpagecount_read). A page of a large folio
    /// (KPF_COMPOUND_HEAD or _TAIL) can be called exclusive with another count, so its count is read.
    /// </summary>
    internal static bool KnownToBeMappedOnce(in PageRecord page) =>
        page.Entry.IsExclusive && (page.Flags & (FrameFlags.CompoundHead | FrameFlags.CompoundTail)) == 0;

    /// <summary>
    /// An exclusively mapped anonymous page under a 4 KiB entry is never the zero page: the shared
    /// zero page has no folio pagemap can see (vm_normal_page() returns NULL for it, so neither
    /// PM_MMAP_EXCLUSIVE nor PM_FILE is set), and the huge zero page, under a huge leaf, is not
    /// anonymous (PM_FILE).
    /// </summary>
    internal static bool CannotBeZeroPage(in PageRecord page) =>
        page.Entry.IsExclusive && !page.Entry.IsFileOrSharedAnon && !page.IsHugeLeaf;

    /// <summary>Reads <paramref name="word"/> of the first <paramref name="count"/> frames of _pfns into the records _indices name.</summary>
    private void Lookup(Span<PageRecord> records, int count, FrameWord word)
    {
        ulong min = ulong.MaxValue, max = 0;
        for (int k = 0; k < count; k++)
        {
            ulong pfn = _pfns[k];
            if (pfn < min) min = pfn;
            if (pfn > max) max = pfn;
        }
        if (IsDense(max - min + 1, count))
        {
            // Dense enough: one read of the whole span.
            ReadRun(min, (int)(max - min + 1), word);
            for (int k = 0; k < count; k++) Assign(records, _indices[k], word, _words[(int)(_pfns[k] - min)]);
            return;
        }

        var pfns = _pfns.AsSpan(0, count);
        var indices = _indices.AsSpan(0, count);
        pfns.Sort(indices);
        int first = 0;
        while (first < count)
        {
            ulong runStart = pfns[first];
            int last = first;
            while (last + 1 < count && pfns[last + 1] - pfns[last] <= GapTolerance
                   && pfns[last + 1] - runStart < (ulong)_scratchFrames)
                last++;
            ReadRun(runStart, (int)(pfns[last] - runStart + 1), word);
            for (int k = first; k <= last; k++) Assign(records, indices[k], word, _words[(int)(pfns[k] - runStart)]);
            first = last + 1;
        }
    }

    private void ReadRun(ulong firstPfn, int length, FrameWord word)
    {
        if (word == FrameWord.Flags) frames.ReadFlags(firstPfn, _words.AsSpan(0, length));
        else frames.ReadCounts(firstPfn, _words.AsSpan(0, length));
    }

    private static void Assign(Span<PageRecord> records, int index, FrameWord word, ulong value) =>
        records[index] = word == FrameWord.Flags ? records[index] with { Flags = (FrameFlags)value } : records[index] with { MapCount = value };

    /// <summary>Returns the pooled arrays, once: a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ArrayPool<ulong>.Shared.Return(_pfns);
        ArrayPool<int>.Shared.Return(_indices);
        ArrayPool<ulong>.Shared.Return(_words);
    }
}
