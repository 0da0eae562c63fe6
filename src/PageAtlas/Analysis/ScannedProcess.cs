using PageAtlas.Linux;

namespace PageAtlas.Analysis;

/// <summary>
/// One process a <see cref="ProcessScan"/> reached and its filter accepted: who it is, from stat and
/// status (read already), and its memory on request, each figure from the file the kernel sums it in.
/// Valid only while the scan hands it over (it reads through the scan's one buffer).
/// </summary>
/// <param name="pid">Process id.</param>
/// <param name="uid">Its effective uid.</param>
/// <param name="command">Its command name.</param>
/// <param name="pageTableBytes">VmPTE from status, or null.</param>
/// <param name="files">The scan's reader.</param>
public sealed class ScannedProcess(int pid, uint uid, string command, ulong? pageTableBytes, ProcFileReader files)
{
    private static readonly ProcFs.BytesParser<SmapsRollup> s_rollup = SmapsRollup.Parse;
    private static readonly ProcFs.BytesParser<string?> s_cgroup = ProcCgroup.UnifiedPath;
    private static readonly ProcFs.BytesParser<ulong?> s_ksmPages = KsmMergingPages;

    /// <summary>/proc/&lt;pid&gt;/ksm_merging_pages (Linux 5.19+): where smaps_rollup has no KSM line (before 6.7), its count of merged pages.</summary>
    private static readonly bool s_ksmMergingPagesExist = File.Exists("/proc/self/ksm_merging_pages");

    /// <summary>Process id.</summary>
    public int Pid { get; } = pid;

    /// <summary>Its effective uid.</summary>
    public uint Uid { get; } = uid;

    /// <summary>Its command name (comm): the process's own, hostile, bytes.</summary>
    public string Command { get; } = command;

    /// <summary>VmPTE from status, or null.</summary>
    public ulong? PageTableBytes { get; } = pageTableBytes;

    /// <summary>Its unified-hierarchy cgroup path, or null on a machine with cgroup v1 only.</summary>
    /// <exception cref="TargetUnavailableException">It is gone.</exception>
    public string? Cgroup() => files.Read(Pid, "cgroup", s_cgroup);

    /// <summary>
    /// Its memory as the kernel sums it in one walk of its page tables (smaps_rollup), with KSM from
    /// ksm_merging_pages where smaps_rollup has no KSM line and that file exists.
    /// </summary>
    /// <exception cref="TargetUnavailableException">It is gone, or its memory is torn down (exiting).</exception>
    /// <exception cref="PrivilegeRequiredException">smaps_rollup is refused (not root: another user's process).</exception>
    public SmapsRollup Memory()
    {
        var memory = files.Read(Pid, "smaps_rollup", s_rollup);
        if (memory.Ksm is null && s_ksmMergingPagesExist && files.Read(Pid, "ksm_merging_pages", s_ksmPages) is { } pages)
            memory = memory with { Ksm = pages * (ulong)Environment.SystemPageSize };
        return memory;
    }

    /// <summary>How many VMAs it has: the lines of its maps, counted without keeping them.</summary>
    public int VmaCount() => files.CountLines(Pid, "maps");

    private static ulong? KsmMergingPages(ReadOnlySpan<byte> text) =>
        System.Buffers.Text.Utf8Parser.TryParse(text, out ulong pages, out int consumed) && consumed > 0 ? pages : null;
}
