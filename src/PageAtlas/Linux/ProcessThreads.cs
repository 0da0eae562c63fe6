using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>A thread of the target and where its stack pointer was when read.</summary>
/// <param name="ThreadId">The tid.</param>
/// <param name="Name">Its comm.</param>
/// <param name="StackPointer">The user stack pointer, or null when the thread was running and the kernel would not say.</param>
public readonly record struct ThreadStackPointer(int ThreadId, string Name, ulong? StackPointer);

/// <summary>
/// The threads of a process, from /proc/&lt;pid&gt;/task, with their user stack pointers from
/// /proc/&lt;pid&gt;/task/&lt;tid&gt;/syscall ("nr a0 … a5 sp pc" while blocked in a system call,
/// "-1 sp pc" when stopped outside one, "running" otherwise; needs ptrace access).
/// </summary>
public static class ProcessThreads
{
    /// <summary>Reads every thread of <paramref name="pid"/>; threads that exit meanwhile are left out.</summary>
    public static IReadOnlyList<ThreadStackPointer> Read(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (DirectoryNotFoundException)
        {
            throw ProcFs.Gone(pid);
        }
        var threads = new List<ThreadStackPointer>(tasks.Length);
        foreach (string dir in tasks)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int tid)) continue;
            string? comm = ProcFs.TryReadText(dir + "/comm");
            if (comm is null) continue;
            // The kernel ends comm with one '\n'; a name may end in its own newline too.
            string name = comm.EndsWith('\n') ? comm[..^1] : comm;
            threads.Add(new ThreadStackPointer(tid, name, ParseSyscallStackPointer(ProcFs.TryReadText(dir + "/syscall"))));
        }
        threads.Sort((a, b) => a.ThreadId.CompareTo(b.ThreadId));
        return threads;
    }

    /// <summary>The stack pointer in a task's syscall file: the second-to-last field, when there is one.</summary>
    public static ulong? ParseSyscallStackPointer(string? text)
    {
        if (text is null) return null;
        var fields = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3) return null;
        string sp = fields[^2];
        if (sp.StartsWith("0x", StringComparison.Ordinal)) sp = sp[2..];
        return ulong.TryParse(sp, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong value) && value != 0 ? value : null;
    }
}
