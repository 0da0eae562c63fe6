using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// A frame source whose machine files are read once, the first time each is asked for, and answered
/// the same from then on: analyses run one after another over it (the census, then the physical map
/// of a snapshot) compare with one reading of the kernel's counters, and whoever keeps their reports
/// can keep exactly the files they compared with.
/// </summary>
public sealed class MachineFilesReadOnce(IFrameSource inner) : IFrameSource
{
    private readonly Dictionary<MachineFile, string?> _read = [];

    /// <inheritdoc/>
    public MachineInfo Machine => inner.Machine;

    /// <inheritdoc/>
    public ulong FrameLimit => inner.FrameLimit;

    /// <inheritdoc/>
    public bool ReadsFrames => inner.ReadsFrames;

    /// <inheritdoc/>
    public FrameTallies? Tallies => inner.Tallies;

    /// <inheritdoc/>
    public CancellationToken Cancellation
    {
        get => inner.Cancellation;
        set => inner.Cancellation = value;
    }

    /// <inheritdoc/>
    public WorkProgress? Progress
    {
        get => inner.Progress;
        set => inner.Progress = value;
    }

    /// <inheritdoc/>
    public void Read(ulong firstPfn, Span<ulong> flags, Span<ulong> counts) => inner.Read(firstPfn, flags, counts);

    /// <inheritdoc/>
    public void Scan<TState>(ulong startPfn, ulong endPfn, MapCountReading counts, Func<TState> createState,
        FrameChunkAction<TState> onChunk, Action<TState> merge) => inner.Scan(startPfn, endPfn, counts, createState, onChunk, merge);

    /// <inheritdoc/>
    public string? ReadMachineFile(MachineFile file)
    {
        lock (_read)
        {
            if (!_read.TryGetValue(file, out string? text)) _read[file] = text = inner.ReadMachineFile(file);
            return text;
        }
    }

    /// <inheritdoc/>
    public ulong? ReaderResidentBytes() => inner.ReaderResidentBytes();

    /// <summary>Leaves the inner source open: its owner disposes it.</summary>
    public void Dispose()
    {
    }
}
