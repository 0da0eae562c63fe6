using PageAtlas.Analysis;

namespace PageAtlas.Server.Measurement;

/// <summary>One process's figures as a collection read them.</summary>
/// <param name="Pid">Process id.</param>
/// <param name="Uid">Its effective uid.</param>
/// <param name="User">That uid's name, or the uid in decimal.</param>
/// <param name="Command">Its command name, hostile bytes as the kernel keeps them.</param>
/// <param name="Cgroup">Its unified-hierarchy cgroup path, or null.</param>
/// <param name="Counts">Its pages, counted as smaps_rollup counts them.</param>
/// <param name="PageSize">Bytes per base page.</param>
/// <param name="PageTableBytes">VmPTE, or null.</param>
/// <param name="Vmas">How many VMAs it has.</param>
internal sealed record ProcessReading(int Pid, uint Uid, string User, string Command, string? Cgroup, CompositionCounts Counts, ulong PageSize, ulong? PageTableBytes, int Vmas)
{
    /// <summary>The line of the process list (`ps`) these figures make.</summary>
    public ProcessSummary Summary() => ProcessSummaries.Of(Pid, Uid, User, Command, Counts, PageSize, Vmas);
}

/// <summary>A process's memory in one segment kind (every library's code together, every thread stack together…).</summary>
/// <param name="Kind">The kind's short name ("lib-code").</param>
/// <param name="Counts">Its pages.</param>
internal sealed record KindReading(string Kind, CompositionCounts Counts);
