namespace PageAtlas;

/// <summary>The kernel refused part of a read or write of another process's memory.</summary>
public sealed class MemoryAccessException(ulong address, int done, int requested, string message) : PageAtlasException(message)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.AccessRefused;

    /// <summary>Where the access started.</summary>
    public ulong Address { get; } = address;
    /// <summary>Bytes transferred before the refusal.</summary>
    public int Done { get; } = done;
    /// <summary>Bytes asked for.</summary>
    public int Requested { get; } = requested;
}
