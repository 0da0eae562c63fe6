using PageAtlas.Analysis;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// The running machine's frames: /proc/kpageflags and /proc/kpagecount (<see cref="KernelPageFrames"/>),
/// and the /proc files the frame analyses compare with, read when asked.
/// </summary>
public sealed class LiveFrameSource : IFrameSource
{
    private readonly KernelPageFrames _frames;
    private readonly Lazy<ulong> _limit;

    /// <summary>Opens kpageflags and kpagecount.</summary>
    /// <exception cref="PrivilegeRequiredException">Either file cannot be opened.</exception>
    public LiveFrameSource()
    {
        _frames = new KernelPageFrames();
        _limit = new Lazy<ulong>(_frames.FrameLimit);
    }

    /// <inheritdoc/>
    public MachineInfo Machine => LiveProcess.ThisMachine();

    /// <inheritdoc/>
    public ulong FrameLimit => _limit.Value;

    /// <inheritdoc/>
    public bool ReadsFrames => true;

    /// <inheritdoc/>
    public FrameTallies? Tallies => null;

    /// <inheritdoc/>
    public CancellationToken Cancellation
    {
        get => _frames.Cancellation;
        set => _frames.Cancellation = value;
    }

    /// <inheritdoc/>
    public WorkProgress? Progress
    {
        get => _frames.Progress;
        set => _frames.Progress = value;
    }

    /// <inheritdoc/>
    public void Read(ulong firstPfn, Span<ulong> flags, Span<ulong> counts) => _frames.Read(firstPfn, flags, counts);

    /// <inheritdoc/>
    public void Scan<TState>(ulong startPfn, ulong endPfn, MapCountReading counts, Func<TState> createState,
        FrameChunkAction<TState> onChunk, Action<TState> merge) =>
        _frames.Scan(startPfn, endPfn, counts, createState, onChunk, merge);

    /// <inheritdoc/>
    public string? ReadMachineFile(MachineFile file) => file switch
    {
        MachineFile.Meminfo => ProcMeminfo.ReadText(),
        MachineFile.Buddyinfo => ProcBuddyinfo.ReadText(),
        MachineFile.Zoneinfo => ProcZoneinfo.ReadText(),
        MachineFile.Iomem => ProcIomem.ReadText(),
        _ => throw new ArgumentOutOfRangeException(nameof(file)),
    };

    /// <inheritdoc/>
    public ulong? ReaderResidentBytes() => ProcStatus.Parse(File.ReadAllText("/proc/self/status")).ResidentBytes;

    /// <inheritdoc/>
    public void Dispose() => _frames.Dispose();
}
