using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>
/// The fields of /proc/&lt;pid&gt;/stat PageAtlas uses (proc_pid_stat(5)). Field numbers are 1-based as
/// in the manual; the address fields (26–28, 45–51) read 0 without ptrace access to the target.
/// </summary>
public sealed record ProcStat(
    int Pid,
    string Command,
    char State,
    int ParentPid,
    uint Flags,
    ulong VirtualSize,
    ulong ResidentPages,
    ulong StartCode,
    ulong EndCode,
    ulong StartStack,
    ulong StartData,
    ulong EndData,
    ulong StartBrk,
    ulong ArgStart,
    ulong ArgEnd,
    ulong EnvStart,
    ulong EnvEnd)
{
    /// <summary>The line as the kernel wrote it (kept in snapshots, parsed again when they are read).</summary>
    public string RawText { get; init; } = "";

    /// <summary>PF_KTHREAD (include/linux/sched.h): the task is a kernel thread, with no user memory.</summary>
    public const uint KernelThreadFlag = 0x00200000;

    /// <summary>The task is a kernel thread.</summary>
    public bool IsKernelThread => (Flags & KernelThreadFlag) != 0;

    /// <summary>The task has exited and waits to be reaped ('Z'), or is dead ('X').</summary>
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>
    /// Parses the single line of a stat file. The command (field 2) is in parentheses and may itself
    /// contain ") " and spaces, so fields are counted from the last ')'.
    /// </summary>
    public static ProcStat Parse(ReadOnlySpan<char> text, string source = "stat")
    {
        text = text.TrimEnd('\n');
        int open = text.IndexOf('(');
        int close = text.LastIndexOf(')');
        if (open < 1 || close < open || close + 2 > text.Length)
            throw new KernelDataException($"{source}: expected 'pid (comm) state …'");
        if (!int.TryParse(text[..(open - 1)], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            throw new KernelDataException($"{source}: expected a decimal pid in field 1");
        string command = text[(open + 1)..close].ToString();

        // fields[0] is field 3 (state).
        var fields = new ulong[50];
        var rest = text[(close + 2)..];
        char state = rest.Length > 0 ? rest[0] : '?';
        int index = 0;
        foreach (var range in rest.Split(' '))
        {
            if (index >= fields.Length) break;
            var field = rest[range];
            if (index > 0)
            {
                // Unsigned fields (rsslim may be 2^64−1) and signed ones (priority, nice) share the line.
                if (ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned)) fields[index] = unsigned;
                else if (long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed)) fields[index] = unchecked((ulong)signed);
                else throw new KernelDataException($"{source}: field {index + 3} is not a number: '{field}'");
            }
            index++;
        }
        if (index < 28) throw new KernelDataException($"{source}: expected at least 30 fields, found {index + 2}");
        ulong Field(int number) => fields[number - 3];
        // The kernel prints the parent's pid with %d and the flags with %u (fs/proc/array.c, do_task_stat):
        // a wider number is not a stat line, and must not be cut down to some other pid.
        if (Field(4) > int.MaxValue) throw new KernelDataException($"{source}: field 4 (parent pid) is not a pid: {Field(4)}");
        if (Field(9) > uint.MaxValue) throw new KernelDataException($"{source}: field 9 (flags) does not fit 32 bits: {Field(9)}");
        return new ProcStat(pid, command, state, (int)Field(4), (uint)Field(9), Field(23), Field(24),
            Field(26), Field(27), Field(28), Field(45), Field(46), Field(47),
            Field(48), Field(49), Field(50), Field(51))
        { RawText = text.ToString() };
    }
}
