namespace PageAtlas.Linux;

/// <summary>
/// Turns what a user typed in place of a pid into a pid: a positive decimal number is the pid itself;
/// anything else is a process name, matched exactly against each process's command name (comm, field
/// 2 of /proc/&lt;pid&gt;/stat, as ps and pgrep show it). The kernel keeps only a name's first 15
/// bytes (TASK_COMM_LEN − 1, include/linux/sched.h), so a longer name matches on those. Kernel
/// threads, zombies and PageAtlas itself are never candidates: none has user memory to examine.
/// </summary>
/// <remarks>
/// comm, not the executable's basename: it is what every other tool shows, it needs no readlink of
/// /proc/&lt;pid&gt;/exe (refused for other users' processes without privilege), and a script run
/// through an interpreter is found by its own name (comm is the script's, exe is the interpreter).
/// </remarks>
public static class ProcessFinder
{
    /// <summary>TASK_COMM_LEN − 1: the most bytes of a name the kernel keeps.</summary>
    public const int CommandNameLength = 15;

    /// <summary>The pid <paramref name="text"/> names.</summary>
    /// <exception cref="InvalidRequestException">A number that is not a pid (0, -5), an empty name, or a name several processes share (the message lists them; names as the processes chose them: the host escapes messages).</exception>
    /// <exception cref="TargetUnavailableException">No process has that name.</exception>
    public static int Resolve(string text)
    {
        if (LooksNumeric(text)) return Model.ProcessId.Parse(text);
        if (text.Length == 0) throw new InvalidRequestException("an empty process name: give a pid or a command name");
        var matches = Find(text);
        return matches.Count switch
        {
            1 => matches[0].Pid,
            0 => throw new TargetUnavailableException(0, TargetUnavailableReason.NotFound,
                $"no process named '{text}' (a pid, or a command name as ps -o comm shows it)"),
            _ => throw new InvalidRequestException($"{matches.Count} processes are named '{text}': " +
                string.Join(", ", matches.Select(m => $"{m.Pid} ({m.Command})")) + "; give one pid"),
        };
    }

    /// <summary>Every user process whose command name is <paramref name="name"/>, by pid; those that vanish while looked at are left out.</summary>
    public static IReadOnlyList<(int Pid, string Command)> Find(string name)
    {
        string comm = Truncate(name);
        int self = Environment.ProcessId;
        var found = new List<(int, string)>();
        foreach (int pid in ProcessList.Pids())
        {
            if (pid == self || ProcessList.TryReadStat(pid) is not { } stat) continue;
            if (stat.IsKernelThread || stat.IsZombie || stat.Command != comm) continue;
            found.Add((pid, stat.Command));
        }
        return found;
    }

    /// <summary>Digits, perhaps signed ("-5"): meant as a pid, so a bad one is a malformed pid (exit 2), never looked up as a name.</summary>
    private static bool LooksNumeric(string text)
    {
        var digits = text.AsSpan().TrimStart("+-");
        return !digits.IsEmpty && digits.IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary>The name as the kernel would keep it: its first 15 bytes (names are bytes: see <see cref="KernelText"/>).</summary>
    private static string Truncate(string name)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(name);
        return bytes.Length <= CommandNameLength ? name : KernelText.Decode(bytes.AsSpan(0, CommandNameLength));
    }
}
