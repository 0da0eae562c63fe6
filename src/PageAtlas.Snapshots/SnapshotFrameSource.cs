using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// The frames of the machine a snapshot was taken on: the census and physical map it counted, and
/// the machine files read with them (taken with --frames). It never saved each frame's flags, so it
/// does not read frames (<see cref="IFrameSource.ReadsFrames"/> is false).
/// </summary>
internal sealed class SnapshotFrameSource(Snapshot snapshot, SavedFrames? saved, bool ownsSnapshot) : IFrameSource
{
    /// <inheritdoc/>
    public MachineInfo Machine => snapshot.Machine;

    /// <inheritdoc/>
    public ulong FrameLimit => Saved.Limits.FrameLimit;

    /// <inheritdoc/>
    public bool ReadsFrames => false;

    /// <inheritdoc/>
    public FrameTallies Tallies => new(Saved.Limits.CensusStart, Saved.Limits.CensusEnd, Saved.Census, Saved.Limits.FramesPerCell,
        Saved.Cells, Saved.Ranges, Saved.Uninitialised);

    /// <inheritdoc/>
    public WorkProgress? Progress { get; set; }

    /// <inheritdoc/>
    public CancellationToken Cancellation { get; set; }

    /// <inheritdoc/>
    public void Read(ulong firstPfn, Span<ulong> flags, Span<ulong> counts) => throw NoFrames();

    /// <inheritdoc/>
    public void Scan<TState>(ulong startPfn, ulong endPfn, MapCountReading counts, Func<TState> createState,
        FrameChunkAction<TState> onChunk, Action<TState> merge) => throw NoFrames();

    /// <inheritdoc/>
    public string? ReadMachineFile(MachineFile file) => file switch
    {
        MachineFile.Meminfo => Saved.MeminfoText,
        MachineFile.Buddyinfo => Saved.BuddyinfoText,
        MachineFile.Zoneinfo => Saved.ZoneinfoText,
        _ => null,
    };

    /// <inheritdoc/>
    public ulong? ReaderResidentBytes() => null;

    private SavedFrames Saved => saved
        ?? throw new SnapshotFormatException(snapshot.Path, $"snapshot {snapshot.Path} holds no frame census: take it with --frames to read its frames");

    private static NotSupportedException NoFrames() => new("a snapshot keeps what the census and the physical map counted, not each frame's flags");

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsSnapshot) snapshot.Dispose();
    }
}
