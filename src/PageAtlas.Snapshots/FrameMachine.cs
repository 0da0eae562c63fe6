using PageAtlas.Linux;

namespace PageAtlas.Snapshots;

/// <summary>
/// The machine whose frames a frame command reads: the live one, or the one a snapshot (--snapshot FILE)
/// was taken on, with its frames and the processes that can map them. Every host asks frame
/// questions through it (the CLI's frame commands, the explorer's server), so both read a snapshot alike.
/// </summary>
public sealed class FrameMachine : IDisposable
{
    private readonly Snapshot? _snapshot;

    private FrameMachine(IFrameSource frames, Snapshot? snapshot)
    {
        Frames = frames;
        _snapshot = snapshot;
    }

    /// <summary>The frames and machine files.</summary>
    public IFrameSource Frames { get; }

    /// <summary>Opens the live machine's frames, or the snapshot's.</summary>
    public static FrameMachine Open(string? snapshot)
    {
        if (snapshot is null) return new FrameMachine(new LiveFrameSource(), null);
        var saved = Snapshot.Open(snapshot);
        return new FrameMachine(saved.Frames, saved);
    }

    /// <summary>The processes to search for a frame's owners: every process now, or every one saved.</summary>
    public IReadOnlyList<int> Pids() => _snapshot is { } saved ? saved.Processes.Select(p => p.Pid).ToArray() : ProcessList.Pids();

    /// <summary>Opens one of <see cref="Pids"/>.</summary>
    public IMemoryTarget OpenProcess(int pid) => _snapshot is { } saved ? saved.OpenProcess(pid) : LiveProcess.Open(pid);

    /// <summary>The memory cgroup a frame is charged to (/proc/kpagecgroup), known only live.</summary>
    public (ulong? Inode, string? Path) CgroupOf(ulong pfn)
    {
        if (_snapshot is not null) return (null, null);
        ulong? inode = MemoryCgroups.InodeOf(pfn);
        return (inode, inode is { } i ? MemoryCgroups.PathOf(i) : null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Frames.Dispose();
        _snapshot?.Dispose();
    }
}
