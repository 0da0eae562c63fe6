using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Fills in the frame flags and map counts of a batch of page records. PFN look-ups are grouped
/// so the kernel is asked for contiguous runs: a batch whose frames lie close together is read
/// as one span; scattered frames are sorted and read run by run, tolerating small gaps (reading
/// a few unneeded words costs less than another system call).
/// </summary>
internal sealed class FrameJoiner(KernelPageFrames frames, int batchPages)
{
    private const int GapTolerance = 32;
    private readonly ulong[] _pfns = new ulong[batchPages];
    private readonly int[] _indices = new int[batchPages];
    private readonly ulong[] _flags = new ulong[ScratchFrames(batchPages)];
    private readonly ulong[] _counts = new ulong[ScratchFrames(batchPages)];

    private static int ScratchFrames(int batchPages) => batchPages * 4 + 256;

    /// <summary>Joins every present page of <paramref name="records"/> with its frame.</summary>
    public void Join(Span<PageRecord> records)
    {
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

        if (max - min + 1 <= (ulong)_flags.Length)
        {
            // Dense enough: one read of the whole span.
            ReadRun(min, (int)(max - min + 1));
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
                   && pfns[last + 1] - runStart < (ulong)_flags.Length)
                last++;
            ReadRun(runStart, (int)(pfns[last] - runStart + 1));
            for (int k = first; k <= last; k++) Assign(records, indices[k], (int)(pfns[k] - runStart));
            first = last + 1;
        }
    }

    private void ReadRun(ulong firstPfn, int length) =>
        frames.Read(firstPfn, _flags.AsSpan(0, length), _counts.AsSpan(0, length));

    private void Assign(Span<PageRecord> records, int index, int slot) =>
        records[index] = records[index] with { Flags = (FrameFlags)_flags[slot], MapCount = _counts[slot] };
}
