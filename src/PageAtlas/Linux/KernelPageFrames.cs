using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// /proc/kpageflags and /proc/kpagecount: one 64-bit word per page frame, at offset PFN × 8.
/// Both need CAP_SYS_ADMIN (the files are mode 0400 root).
/// </summary>
public sealed class KernelPageFrames : IDisposable
{
    /// <summary>/proc/kpageflags</summary>
    public const string FlagsPath = "/proc/kpageflags";
    /// <summary>/proc/kpagecount</summary>
    public const string CountPath = "/proc/kpagecount";

    private readonly SafeFileHandle _flags;
    private readonly SafeFileHandle _counts;

    /// <summary>Opens both files.</summary>
    /// <exception cref="PrivilegeRequiredException">Either file cannot be opened.</exception>
    public KernelPageFrames()
    {
        _flags = ProcFs.OpenForRead(FlagsPath, 0);
        try
        {
            _counts = ProcFs.OpenForRead(CountPath, 0);
        }
        catch
        {
            _flags.Dispose();
            throw;
        }
    }

    /// <summary>Opens both files, or returns null with the reason when they cannot be opened.</summary>
    public static KernelPageFrames? TryOpen(out string? reason)
    {
        try
        {
            reason = null;
            return new KernelPageFrames();
        }
        catch (PrivilegeRequiredException e)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>Reads flags and map counts of the <paramref name="flags"/>.Length frames from <paramref name="firstPfn"/>.</summary>
    public void Read(ulong firstPfn, Span<ulong> flags, Span<ulong> counts)
    {
        ReadWords(_flags, FlagsPath, firstPfn, flags);
        ReadWords(_counts, CountPath, firstPfn, counts);
    }

    /// <summary>
    /// One past the highest frame the kernel reports (max_pfn): reads past it return nothing. Found by
    /// a binary search of one-word reads, since the file reports size 0.
    /// </summary>
    public ulong FrameLimit()
    {
        Span<ulong> word = stackalloc ulong[1];
        var bytes = MemoryMarshal.AsBytes(word);
        ulong low = 0, high = 1UL << 40;    // 4 PiB of 4 KiB frames: beyond any machine
        while (low < high)
        {
            ulong middle = low + (high - low) / 2;
            if (RandomAccess.Read(_flags, bytes, (long)middle * sizeof(ulong)) > 0) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>Where <see cref="Scan{TState}"/> counts the frames it has read (a machine has millions: the CLI shows how far it is).</summary>
    public WorkProgress? Progress { get; set; }

    /// <summary>When cancelled, <see cref="Scan{TState}"/> stops between chunks (no chunk is started after it) with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>
    /// Reads the flags (and the map counts <paramref name="counts"/> names) of every frame in
    /// [<paramref name="startPfn"/>, <paramref name="endPfn"/>) in chunks of 128 Ki frames, on as many
    /// threads as there are processors: the kernel's work per frame is the cost, and two files read in
    /// parallel halves it. Each thread gets its own state from <paramref name="createState"/>, sees its
    /// chunks (in no particular order) and is handed to <paramref name="merge"/> once, under a lock.
    /// </summary>
    public void Scan<TState>(ulong startPfn, ulong endPfn, MapCountReading counts, Func<TState> createState,
        FrameChunkAction<TState> onChunk, Action<TState> merge)
    {
        if (endPfn <= startPfn) return;
        Progress?.AddTotal((long)(endPfn - startPfn));
        const int chunk = 128 * 1024;
        long chunks = (long)((endPfn - startPfn + chunk - 1) / chunk);
        var gate = new object();
        Parallel.For(0L, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = Cancellation },
            // Rented, not new: Parallel.For calls this for every task replica it starts (many per
            // scan, not one per thread), and each 1 MiB array lands on the large object heap, which
            // only a full collection frees — a census allocated tens of MiB of them and a server
            // that takes one every minute kept them until its next full collection.
            () => (State: createState(), Flags: ArrayPool<ulong>.Shared.Rent(chunk), Counts: counts != MapCountReading.None ? ArrayPool<ulong>.Shared.Rent(chunk) : []),
            (index, _, local) =>
            {
                // Parallel.For sees the token through a callback that runs after the token is set:
                // a worker may start one more chunk in between. Asking the token itself first keeps
                // the stop to the chunks already under way, one per worker.
                Cancellation.ThrowIfCancellationRequested();
                ulong first = startPfn + (ulong)index * chunk;
                int length = (int)Math.Min(chunk, endPfn - first);
                ReadWords(_flags, FlagsPath, first, local.Flags.AsSpan(0, length));
                if (counts != MapCountReading.None) ReadCounts(counts, first, local.Flags.AsSpan(0, length), local.Counts.AsSpan(0, length));
                onChunk(local.State, first, local.Flags.AsSpan(0, length), counts != MapCountReading.None ? local.Counts.AsSpan(0, length) : default);
                Progress?.Advance(length);
                return local;
            },
            local =>
            {
                lock (gate) merge(local.State);
                ArrayPool<ulong>.Shared.Return(local.Flags);
                if (counts != MapCountReading.None) ArrayPool<ulong>.Shared.Return(local.Counts);
            });
    }

    /// <summary>Frames closer than this between two runs read are read with them: one read costs more than a few frames.</summary>
    private const int MaxCountGap = 16;

    /// <summary>
    /// The map counts of consecutive frames whose <paramref name="flags"/> are read: only runs of the
    /// frames <paramref name="reading"/> asks for are read, the rest are 0. kpagecount reports a
    /// frame's own map count, which is 0 for a frame no page table maps (fs/proc/page.c), and costs the
    /// kernel as much per frame as kpageflags: reading every frame's count doubled the kernel's work for
    /// `frames`, reading every mapped frame's added a tenth. A frame mapped between the two reads is
    /// missed, as it would be a moment later.
    /// </summary>
    private void ReadCounts(MapCountReading reading, ulong firstPfn, ReadOnlySpan<ulong> flags, Span<ulong> counts)
    {
        counts.Clear();
        int i = 0;
        while (true)
        {
            while (i < flags.Length && !reading.Reads(flags[i])) i++;
            if (i == flags.Length) return;
            int start = i, end = i + 1;
            for (int j = end; j < flags.Length && j - end <= MaxCountGap; j++)
                if (reading.Reads(flags[j])) end = j + 1;
            ReadWords(_counts, CountPath, firstPfn + (ulong)start, counts[start..end]);
            i = end;
        }
    }

    /// <summary>Reads the flags of consecutive frames.</summary>
    public void ReadFlags(ulong firstPfn, Span<ulong> flags) => ReadWords(_flags, FlagsPath, firstPfn, flags);

    /// <summary>Reads the map counts of consecutive frames.</summary>
    public void ReadCounts(ulong firstPfn, Span<ulong> counts) => ReadWords(_counts, CountPath, firstPfn, counts);

    private static void ReadWords(SafeFileHandle handle, string path, ulong firstPfn, Span<ulong> words)
    {
        var bytes = MemoryMarshal.AsBytes(words);
        long offset = (long)firstPfn * sizeof(ulong);
        int done = 0;
        while (done < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes[done..], offset + done);
            if (n == 0)
            {
                // Past the last PFN the kernel knows: report no flags rather than inventing any.
                bytes[done..].Clear();
                return;
            }
            done += n;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _flags.Dispose();
        _counts.Dispose();
    }
}
