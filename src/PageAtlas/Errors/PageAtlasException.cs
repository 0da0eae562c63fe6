namespace PageAtlas;

/// <summary>
/// What went wrong, as a cause a host can act on: the CLI turns each into its own exit code, a
/// server into a status. Decided where the failure is understood, never guessed later from the
/// .NET exception type (an ArgumentException from a library bug must not pass for a user's typo).
/// </summary>
public enum FailureCause
{
    /// <summary>The request itself is wrong: an unknown option, a malformed pid, address, range or flag, an address above user space.</summary>
    BadRequest,
    /// <summary>No such process, or it exited while being read.</summary>
    NoSuchProcess,
    /// <summary>The process has no user memory: a kernel thread or a zombie.</summary>
    NoUserMemory,
    /// <summary>A kernel file PageAtlas needs was refused for lack of privilege.</summary>
    PermissionDenied,
    /// <summary>The kernel gave data PageAtlas could not parse.</summary>
    MalformedKernelData,
    /// <summary>The kernel refused part of a read or write of the target's memory.</summary>
    AccessRefused,
    /// <summary>An external program is missing or failed.</summary>
    ExternalTool,
    /// <summary>A snapshot file cannot be used.</summary>
    BadSnapshot,
    /// <summary>A file the user named could not be written or read: no space, read-only, permission, not a regular file.</summary>
    FileSystem,
}

/// <summary>
/// The base of every failure PageAtlas explains to its user. It keeps the exception that caused it
/// (shown with --verbose); anything that is not a PageAtlasException is a fault in PageAtlas itself.
/// </summary>
public abstract class PageAtlasException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Why it failed.</summary>
    public abstract FailureCause Cause { get; }
}

/// <summary>The request is wrong: a malformed or out-of-range argument the user can correct.</summary>
public sealed class InvalidRequestException(string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.BadRequest;
}

/// <summary>A /proc or /sys file did not have the form the kernel documents; the message names the file and line.</summary>
public sealed class KernelDataException(string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.MalformedKernelData;
}

/// <summary>An external program PageAtlas needs (Graphviz dot, a specimen) is missing or failed.</summary>
public sealed class ExternalToolException(string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.ExternalTool;
}

/// <summary>A file the user named could not be written or read (no space, read-only, permission, wrong kind of file).</summary>
public sealed class FileAccessException(string path, string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <summary>The path.</summary>
    public string Path { get; } = path;

    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.FileSystem;
}
