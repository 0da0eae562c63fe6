namespace PageAtlas.Cli;

/// <summary>The exit codes pageatlas documents (README's table).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A fault in PageAtlas itself.</summary>
    public const int InternalError = 1;
    /// <summary>Bad arguments: unknown option, malformed pid or address, address outside user space.</summary>
    public const int Usage = 2;
    /// <summary>No such process, or it exited while being read.</summary>
    public const int NoSuchProcess = 3;
    /// <summary>The process has no user memory: a kernel thread or a zombie.</summary>
    public const int NoUserMemory = 4;
    /// <summary>A kernel file was refused: run as root.</summary>
    public const int PermissionDenied = 5;
    /// <summary>The kernel gave data PageAtlas could not parse.</summary>
    public const int MalformedKernelData = 6;
    /// <summary>The kernel refused part of a read or write of the target's memory.</summary>
    public const int AccessRefused = 7;
    /// <summary>An external program (Graphviz dot) is missing or failed.</summary>
    public const int ExternalTool = 8;
    /// <summary>A lab ran, and one of its claims did not hold on this machine.</summary>
    public const int ClaimDoesNotHold = 9;
    /// <summary>A snapshot file cannot be used: missing, truncated, corrupt, not a snapshot, or from a newer PageAtlas.</summary>
    public const int BadSnapshot = 10;
    /// <summary>A file the user named could not be written or read: no space, read-only, permission, missing directory, wrong kind of file.</summary>
    public const int FileSystem = 11;
    /// <summary>Interrupted (Ctrl+C, SIGINT) before the work was done; nothing was left half-written. SIGHUP ends it with 129, SIGTERM with 143 (128 + the signal's number).</summary>
    public const int Interrupted = 130;
    /// <summary>Standard output was a pipe whose reader went away (128 + SIGPIPE): the program ended quietly.</summary>
    public const int OutputClosed = 141;
}
