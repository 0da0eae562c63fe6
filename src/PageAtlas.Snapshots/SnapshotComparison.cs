using PageAtlas.Analysis;

namespace PageAtlas.Snapshots;

/// <summary>Whether two saved processes are two moments of one process on one machine, which is what a diff assumes.</summary>
public static class SnapshotComparison
{
    /// <summary>
    /// What makes comparing <paramref name="before"/> (saved in <paramref name="beforeFile"/>) with
    /// <paramref name="after"/> (in <paramref name="afterFile"/>) doubtful: other pids (other
    /// processes), another host or kernel (another machine), another boot (frame numbers and pids
    /// are handed out again after a reboot). Empty when nothing is.
    /// </summary>
    public static IReadOnlyList<string> Doubts(Snapshot beforeFile, IMemoryTarget before, Snapshot afterFile, IMemoryTarget after)
    {
        var doubts = new List<string>();
        if (before.Pid != after.Pid)
            doubts.Add($"they hold different processes: {before.Facts.DisplayName} and {after.Facts.DisplayName}");
        if (beforeFile.Host != afterFile.Host || beforeFile.Machine.KernelRelease != afterFile.Machine.KernelRelease)
            doubts.Add($"they were taken on different machines ({beforeFile.Host}, kernel {beforeFile.Machine.KernelRelease}; {afterFile.Host}, kernel {afterFile.Machine.KernelRelease})");
        else if (beforeFile.BootId != afterFile.BootId)
            doubts.Add($"they were taken in different boots of {beforeFile.Host}, and frame numbers and pids mean other things after a reboot");
        return doubts;
    }

    /// <summary>
    /// What changed in process <paramref name="pid"/> (or each file's only process) between the
    /// snapshots <paramref name="beforePath"/> and <paramref name="afterPath"/>: `pageatlas diff`'s
    /// report, and the explorer's. Files that are not two moments of one process are refused unless
    /// <paramref name="force"/>, and then the report says why it is doubtful.
    /// </summary>
    /// <exception cref="InvalidRequestException">They are not two moments of one process (and not forced), or a file holds several processes and no pid was given.</exception>
    public static MemoryDiffReport Compare(string beforePath, string afterPath, int? pid, bool force)
    {
        using var before = Snapshot.Open(beforePath);
        using var after = Snapshot.Open(afterPath);
        return Compare(before, after, pid, force);
    }

    /// <summary>As <see cref="Compare(string, string, int?, bool)"/>, on snapshots already open.</summary>
    public static MemoryDiffReport Compare(Snapshot before, Snapshot after, int? pid, bool force)
    {
        using var a = pid is { } p ? before.OpenProcess(p) : before.OpenOnlyProcess();
        using var b = pid is { } q ? after.OpenProcess(q) : after.OpenOnlyProcess();
        var doubts = Doubts(before, a, after, b);
        if (doubts.Count > 0 && !force)
            throw new InvalidRequestException($"{before.Path} and {after.Path} are not two moments of one process: {string.Join("; ", doubts)} (--force compares them anyway)");
        var report = MemoryDiff.Compare(a, b);
        return report with { Notes = [.. doubts.Select(d => $"compared with --force although {d}"), .. report.Notes] };
    }
}
