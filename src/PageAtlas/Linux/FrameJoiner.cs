using System.Buffers;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Fills in the frame flags and map counts of a batch of page records. PFN look-ups are grouped
/// so the kernel is asked for contiguous runs: a batch whose frames lie close together is read
/// as one span; scattered frames are sorted and read run by run, tolerating small gaps (reading
/// a few unneeded words costs less than another system call).
/// </summary>
internal sealed class FrameJoiner(KernelPageFrames frames, int batchPages) : IDisposable
{
    private const int GapTolerance = 32;
    // Pooled: a fresh megabyte of scratch per opened process would cost more than walking a small one.
    private readonly ulong[] _pfns = ArrayPool<ulong>.Shared.Rent(batchPages);
    private readonly int[] _indices = ArrayPool<int>.Shared.Rent(batchPages);
    private readonly ulong[] _flags = ArrayPool<ulong>.Shared.Rent(ScratchFrames(batchPages));
    private readonly ulong[] _counts = ArrayPool<ulong>.Shared.Rent(ScratchFrames(batchPages));

    private readonly int _scratchFrames = ScratchFrames(batchPages);
    // Set once by Dispose: the pooled arrays then belong to someone else.
    private int _disposed;

    /// <summary>Scratch for one read: up to four frames per page of a batch, so a dense batch is one read.</summary>
    private static int ScratchFrames(int batchPages) => batchPages * 4 + 256;

    /// <summary>
    /// A batch is read as one span when the span is at most four frames per page looked up (plus a
    /// little): beyond that, reading the frames in between costs more than the extra system calls.
    /// </summary>
    private static bool IsDense(ulong span, int count) => span <= (ulong)count * 4 + 256;

    /// <summary>Joins every present page of <paramref name="records"/> with its frame (its map count only <paramref name="withCounts"/>, else 0).</summary>
    /// <exception cref="ObjectDisposedException">The joiner was disposed.</exception>
    public void Join(Span<PageRecord> records, bool withCounts = true)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int count = 0;
        ulong min = ulong.MaxValue, max = 0;
        for (int i = 0; i < records.Length; i++)
        {
            ulong pfn = records[i].Entry.Pfn;
            if (pfn == 0) continue;
            _pfns[count] = pfn;
            _indices[count++] = i;
            if (pfn < min) min = pfn;
            if (pfn > max) max = pfn;
        }
        if (count == 0) return;

        if (IsDense(max - min + 1, count))
        {
            // Dense enough: one read of the whole span.
            ReadRun(min, (int)(max - min + 1), withCounts);
            for (int k = 0; k < count; k++) Assign(records, _indices[k], (int)(_pfns[k] - min));
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
            ReadRun(runStart, (int)(pfns[last] - runStart + 1), withCounts);
            for (int k = first; k <= last; k++) Assign(records, indices[k], (int)(pfns[k] - runStart));
            first = last + 1;
        }
    }

    private void ReadRun(ulong firstPfn, int length, bool withCounts)
    {
        if (withCounts) frames.Read(firstPfn, _flags.AsSpan(0, length), _counts.AsSpan(0, length));
        else
        {
            frames.ReadFlags(firstPfn, _flags.AsSpan(0, length));
            _counts.AsSpan(0, length).Clear();
        }
    }

    private void Assign(Span<PageRecord> records, int index, int slot) =>
        records[index] = records[index] with { Flags = (FrameFlags)_flags[slot], MapCount = _counts[slot] };

    /// <summary>Returns the pooled arrays, once: a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ArrayPool<ulong>.Shared.Return(_pfns);
        ArrayPool<int>.Shared.Return(_indices);
        ArrayPool<ulong>.Shared.Return(_flags);
        ArrayPool<ulong>.Shared.Return(_counts);
    }
}
