using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas;

/// <summary>What <see cref="IFrameSource.Scan{TState}"/> calls for each chunk of frames.</summary>
/// <param name="state">The calling thread's state.</param>
/// <param name="firstPfn">Frame number of the first word.</param>
/// <param name="flags">kpageflags words, one per frame.</param>
/// <param name="counts">kpagecount words (empty when not asked for).</param>
public delegate void FrameChunkAction<in TState>(TState state, ulong firstPfn, ReadOnlySpan<ulong> flags, ReadOnlySpan<ulong> counts);

/// <summary>A file of the machine that the frame analyses compare their counts with.</summary>
public enum MachineFile
{
    /// <summary>/proc/meminfo.</summary>
    Meminfo,
    /// <summary>/proc/buddyinfo.</summary>
    Buddyinfo,
    /// <summary>/proc/zoneinfo.</summary>
    Zoneinfo,
    /// <summary>/proc/iomem.</summary>
    Iomem,
}

/// <summary>
/// A machine's page frames, as the frame analyses (<see cref="FrameCensus"/>, <see cref="PhysicalMap"/>,
/// <see cref="FrameOwners"/>, <see cref="UninitialisedMemory"/>) read them: flags and map counts by
/// PFN, the frame limit, and the machine files they compare with. The live machine is one source
/// (/proc/kpageflags, /proc/kpagecount, /proc/meminfo…); a snapshot taken with --frames is another;
/// a host (web explorer, metrics exporter, a test) can bring its own. The analyses read nothing else.
/// </summary>
/// <remarks>
/// <para><b>Two kinds of source.</b> A source either reads every frame's words
/// (<see cref="ReadsFrames"/>: <see cref="Read"/> and <see cref="Scan{TState}"/> work, <see cref="Tallies"/>
/// is null), or keeps only what the census and the physical map counted of them (<see cref="Tallies"/>,
/// as a snapshot does: it never saved each frame's flags). The analyses ask which and take the
/// counts from where they are; neither kind invents the other's data. A snapshot taken without
/// --frames has neither: <see cref="FrameLimit"/> and <see cref="Tallies"/> throw
/// <see cref="SnapshotFormatException"/> saying it holds no frames, which is what the user sees.</para>
/// <para><b>Threads.</b> <see cref="Scan{TState}"/> may call its action on several threads at once, each
/// with its own state; the other members are safe to call from any thread but are not meant to be
/// called while a scan of the same source runs.</para>
/// <para><b>Buffers.</b> The spans handed to a <see cref="FrameChunkAction{TState}"/> belong to the source
/// and are reused for the next chunk: read them during the call, never keep them.</para>
/// </remarks>
public interface IFrameSource : IDisposable
{
    /// <summary>The machine the frames belong to (kernel release, page size).</summary>
    MachineInfo Machine { get; }

    /// <summary>One past the highest frame (max_pfn).</summary>
    /// <exception cref="SnapshotFormatException">A snapshot taken without --frames.</exception>
    ulong FrameLimit { get; }

    /// <summary>Whether every frame's flags and map count can be read (<see cref="Read"/>, <see cref="Scan{TState}"/>).</summary>
    bool ReadsFrames { get; }

    /// <summary>
    /// Reads the flags and map counts of the <paramref name="flags"/>.Length frames from
    /// <paramref name="firstPfn"/>; frames past the limit read as 0. <paramref name="counts"/> may be
    /// empty: then only flags are read (the kernel's work is per word read).
    /// </summary>
    /// <exception cref="NotSupportedException">The source does not read frames (<see cref="ReadsFrames"/> is false).</exception>
    void Read(ulong firstPfn, Span<ulong> flags, Span<ulong> counts);

    /// <summary>
    /// Streams the flags (and the map counts <paramref name="counts"/> names) of every frame in
    /// [<paramref name="startPfn"/>, <paramref name="endPfn"/>) in chunks, in no particular order,
    /// possibly on several threads: each thread gets its own state from <paramref name="createState"/>,
    /// sees its chunks and is handed to <paramref name="merge"/> once, under a lock. A frame whose
    /// count <paramref name="counts"/> does not ask for may be given map count 0 unread; with
    /// <see cref="MapCountReading.None"/> the counts handed over are empty.
    /// </summary>
    /// <exception cref="NotSupportedException">The source does not read frames.</exception>
    void Scan<TState>(ulong startPfn, ulong endPfn, MapCountReading counts, Func<TState> createState,
        FrameChunkAction<TState> onChunk, Action<TState> merge);

    /// <summary>Where <see cref="Scan{TState}"/> counts the frames it has read (null: nobody is watching).</summary>
    WorkProgress? Progress { get; set; }

    /// <summary>When cancelled, <see cref="Scan{TState}"/> stops between chunks with <see cref="OperationCanceledException"/>.</summary>
    CancellationToken Cancellation { get; set; }

    /// <summary>
    /// What a source that does not read frames kept of them; null for one that reads them.
    /// </summary>
    /// <exception cref="SnapshotFormatException">A snapshot taken without --frames.</exception>
    FrameTallies? Tallies { get; }

    /// <summary>
    /// The text of a machine file: read now from a live machine (so a census reads the counters right
    /// after its scan), as saved from a snapshot. Null when the source does not have it (a snapshot
    /// keeps /proc/iomem only as the physical map's ranges, in <see cref="FrameTallies.Ranges"/>).
    /// </summary>
    string? ReadMachineFile(MachineFile file);

    /// <summary>
    /// The resident memory of the process reading the frames, when its own pages are among them (a live
    /// machine): the census names it. Null otherwise.
    /// </summary>
    ulong? ReaderResidentBytes();
}
