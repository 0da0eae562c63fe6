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
}
