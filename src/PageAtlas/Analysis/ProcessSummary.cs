using PageAtlas.Linux;

namespace PageAtlas.Analysis;

/// <summary>One line of the process list: who the process is and its memory in bytes, as smaps_rollup counts it.</summary>
/// <param name="Pid">Process id.</param>
/// <param name="Uid">Effective uid (status' Uid, second field: the one ps shows).</param>
/// <param name="User">That uid's name, or the uid in decimal.</param>
/// <param name="Command">Command name (comm): the process's own, hostile, bytes.</param>
/// <param name="Rss">Resident bytes (smaps_rollup Rss: no zero page, no hugetlbfs).</param>
/// <param name="Pss">Proportional set size in bytes (smaps_rollup's Pss, which the kernel truncates to the kB).</param>
/// <param name="Uss">Unique set size: pages only this process maps (Private_Clean + Private_Dirty).</param>
/// <param name="Swap">Swap as smaps_rollup's Swap: page-table swap entries and shared memory's object-held swap.</param>
/// <param name="Thp">Anonymous memory under PMD leaves (smaps_rollup AnonHugePages).</param>
/// <param name="Vmas">How many VMAs it has.</param>
public sealed record ProcessSummary(int Pid, uint Uid, string User, string Command, ulong Rss, ulong Pss, ulong Uss, ulong Swap, ulong Thp, int Vmas);

/// <summary>How a <see cref="ProcessSummary"/> is measured: a live process from its smaps_rollup, a saved one from its pages.</summary>
public static class ProcessSummaries
{
    /// <summary>The summary of a live process from the kernel's sums (<paramref name="memory"/>) and its VMA count.</summary>
    public static ProcessSummary Of(ScannedProcess process, string user, SmapsRollup memory, int vmas) =>
        Of(process.Pid, process.Uid, user, process.Command, memory, vmas);

    /// <summary>The summary of a process whose smaps_rollup was read already.</summary>
    public static ProcessSummary Of(int pid, uint uid, string user, string command, SmapsRollup memory, int vmas) =>
        new(pid, uid, user, command, memory.Rss, memory.Pss, memory.Uss, memory.Swap, memory.AnonHugePages, vmas);

    /// <summary>
    /// The summary of <paramref name="process"/> (a saved snapshot's: it has no smaps_rollup): its pages counted as <see cref="Composition"/> counts
    /// them.
    /// </summary>
    public static ProcessSummary Measure(IMemoryTarget process, uint uid, string user, string command)
    {
        var counts = Composition.MeasureTotal(process);
        return Of(process.Pid, uid, user, command, counts, (ulong)process.Machine.PageSize, process.Vmas.Count);
    }

    /// <summary>The summary of a process whose pages were counted already (<paramref name="counts"/>, in pages of <paramref name="pageSize"/> bytes).</summary>
    public static ProcessSummary Of(int pid, uint uid, string user, string command, CompositionCounts counts, ulong pageSize, int vmas) =>
        new(pid, uid, user, command, counts.Resident * pageSize, counts.PssBytes,
            counts.Unique * pageSize, counts.AllSwapped * pageSize, counts.AnonymousHuge * pageSize, vmas);
}
