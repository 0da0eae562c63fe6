namespace PageAtlas;

/// <summary>Why a process cannot be examined.</summary>
public enum TargetUnavailableReason
{
    /// <summary>No process has that id.</summary>
    NotFound,
    /// <summary>The process exited while it was being read.</summary>
    Exited,
    /// <summary>A kernel thread: it has no user address space.</summary>
    KernelThread,
    /// <summary>A zombie: it has exited and released its memory, and waits for its parent.</summary>
    Zombie,
}

/// <summary>The target process does not exist, went away, or has no user memory to show.</summary>
public sealed class TargetUnavailableException(int pid, TargetUnavailableReason reason, string message)
    : PageAtlasException(message)
{
    /// <inheritdoc/>
    public override FailureCause Cause =>
        Reason is TargetUnavailableReason.NotFound or TargetUnavailableReason.Exited ? FailureCause.NoSuchProcess : FailureCause.NoUserMemory;

    /// <summary>The process id asked for.</summary>
    public int Pid { get; } = pid;

    /// <summary>What is wrong with it.</summary>
    public TargetUnavailableReason Reason { get; } = reason;
}
