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
}
