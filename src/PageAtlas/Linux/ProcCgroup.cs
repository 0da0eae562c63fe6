namespace PageAtlas.Linux;

/// <summary>
/// /proc/&lt;pid&gt;/cgroup: one line per hierarchy, <c>ID:CONTROLLERS:PATH</c>. The unified (v2)
/// hierarchy's line is <c>0::PATH</c> (cgroups(7)); a machine on v1 only has none.
/// </summary>
public static class ProcCgroup
{
    /// <summary>The process's path in the unified hierarchy ("/system.slice/ssh.service"), or null where it has none.</summary>
    /// <exception cref="TargetUnavailableException">The process is gone.</exception>
    public static string? UnifiedPath(int pid) => UnifiedPath(ProcFs.ReadText(pid, "cgroup"));

    /// <summary>The unified hierarchy's path in the text of a cgroup file, or null.</summary>
    public static string? UnifiedPath(string text)
    {
        foreach (var line in text.Split('\n'))
            if (line.StartsWith("0::", StringComparison.Ordinal)) return line[3..];
        return null;
    }

    /// <summary>The unified hierarchy's path in a cgroup file's bytes, or null: only that line is decoded.</summary>
    public static string? UnifiedPath(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            int end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            if (line.StartsWith("0::"u8)) return KernelText.Decode(line[3..]);
            text = end < 0 ? default : text[(end + 1)..];
        }
        return null;
    }
}
