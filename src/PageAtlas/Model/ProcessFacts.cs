namespace PageAtlas.Model;

/// <summary>
/// What the analyses use of a process besides its VMAs and pages, as any source gives it: a live
/// process reads it from /proc/&lt;pid&gt;/stat and status (<c>Linux.ProcFacts</c>), a snapshot
/// from the text it stored. The names and the address fields are untrusted: the process chose its
/// name, and a renderer escapes it before it reaches a terminal.
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="Name">Its command name (comm, at most 15 bytes), as the process set it.</param>
/// <param name="ParentPid">Its parent's pid.</param>
/// <param name="VirtualSize">Bytes of address space (vsize).</param>
/// <param name="ResidentBytes">VmRSS, or null where the kernel wrote none.</param>
/// <param name="PageTableBytes">VmPTE: page-table bytes the kernel accounts to it, or null.</param>
/// <param name="StartCode">start_code: an address in the main executable's code (0 without ptrace access).</param>
/// <param name="StartStack">start_stack: the bottom of the main thread's stack (0 without ptrace access).</param>
/// <param name="StartBrk">start_brk: where the heap began (0 without ptrace access).</param>
public sealed record ProcessFacts(
    int Pid,
    string Name,
    int ParentPid,
    ulong VirtualSize,
    ulong? ResidentBytes,
    ulong? PageTableBytes,
    ulong StartCode,
    ulong StartStack,
    ulong StartBrk)
{
    /// <summary>"pid 42 (name)": how a host names the process. Not escaped: a renderer escapes it for its medium.</summary>
    public string DisplayName => $"pid {Pid} ({Name})";

    /// <summary>
    /// The kernel's own text these facts were read from, when they came from /proc: a snapshot stores
    /// it whole (format 3) so that a later PageAtlas can read facts this one does not use. Null for
    /// facts made some other way, which cannot be saved.
    /// </summary>
    public ProcText? Source { get; init; }
}

/// <summary>/proc/&lt;pid&gt;/stat and /proc/&lt;pid&gt;/status as the kernel wrote them.</summary>
/// <param name="Stat">The stat line.</param>
/// <param name="Status">The whole status file.</param>
public sealed record ProcText(string Stat, string Status);
