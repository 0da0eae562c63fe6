using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>The processes of the machine: the numeric directories of /proc (thread groups, not threads).</summary>
public static class ProcessList
{
    /// <summary>Every pid, ascending.</summary>
    public static IReadOnlyList<int> Pids()
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(directory.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) pids.Add(pid);
        }
        pids.Sort();
        return pids;
    }

    /// <summary>
    /// /proc/&lt;pid&gt;/stat, or null when the process is gone by the time it is read (a scan of every
    /// process meets that all the time) or the file is refused.
    /// </summary>
    public static ProcStat? TryReadStat(int pid)
    {
        try
        {
            return ProcStat.Parse(ProcFs.ReadText(pid, "stat"), ProcFs.PidPath(pid, "stat"));
        }
        catch (Exception e) when (e is TargetUnavailableException or PrivilegeRequiredException)
        {
            return null;
        }
    }
}
