using PageAtlas.Analysis;
using PageAtlas.Linux;

namespace PageAtlas.Server.Measurement;

/// <summary>One process's figures as a collection read them.</summary>
/// <param name="Pid">Process id.</param>
/// <param name="Uid">Its effective uid.</param>
/// <param name="User">That uid's name, or the uid in decimal.</param>
/// <param name="Command">Its command name, hostile bytes as the kernel keeps them.</param>
/// <param name="Cgroup">Its unified-hierarchy cgroup path, or null.</param>
/// <param name="Memory">Its memory as the kernel sums it (smaps_rollup).</param>
/// <param name="PageTableBytes">VmPTE, or null.</param>
/// <param name="Vmas">How many VMAs it has.</param>
internal sealed record ProcessReading(int Pid, uint Uid, string User, string Command, string? Cgroup, SmapsRollup Memory, ulong? PageTableBytes, int Vmas)
{
    /// <summary>The line of the process list (`ps`) these figures make.</summary>
    public ProcessSummary Summary() => ProcessSummaries.Of(Pid, Uid, User, Command, Memory, Vmas);
}

/// <summary>A process's memory in one segment kind (every library's code together, every thread stack together…).</summary>
/// <param name="Kind">The kind's short name ("lib-code").</param>
/// <param name="Counts">Its pages.</param>
/// <param name="PageSize">Bytes per base page.</param>
internal sealed record KindReading(string Kind, CompositionCounts Counts, ulong PageSize);
