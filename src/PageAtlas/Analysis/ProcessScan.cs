using System.Globalization;
using PageAtlas.Linux;

namespace PageAtlas.Analysis;

/// <summary>
/// Every user process of the machine with its memory, one at a time: pid, user and name from
/// /proc/&lt;pid&gt;/{stat,status} (cheap, so the filter is applied before any memory is read), then
/// what the caller asks of <see cref="ScannedProcess"/>: the figures the kernel sums in one walk of
/// the process's page tables (smaps_rollup), its VMA count, its cgroup. No pagemap or kpageflags is
/// read: smaps_rollup's PSS is the kernel's own, from the same map counts, at a fifth of the cost of
/// reading them from user space (docs/metrics.md). Every file goes through one
/// <see cref="ProcFileReader"/> buffer for the whole scan. Kernel threads (no user memory) and
/// zombies are left out; a process that exits, or whose files are refused, while it is being read is
/// skipped and counted.
/// </summary>
public sealed class ProcessScan(ProcessFilter filter, UserNames users)
{
    private static readonly ProcFs.BytesParser<ProcStat> s_stat = bytes => ProcStat.Parse(KernelText.Decode(bytes));
    private static readonly ProcFs.BytesParser<StatusFigures> s_status = StatusFigures.Parse;

    /// <summary>Processes that exited (or became zombies) between the listing of /proc and their reading.</summary>
    public int Vanished { get; private set; }

    /// <summary>Processes whose smaps_rollup or status was refused (not root: another user's process).</summary>
    public int Refused { get; private set; }

    /// <summary>Reads each process as the enumeration reaches it: the line `pageatlas ps` shows.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled (checked before each process).</exception>
    public IEnumerable<ProcessSummary> Processes(CancellationToken cancellation = default) =>
        Measure(process => ProcessSummaries.Of(process, users.NameOf(process.Uid), process.Memory(), process.VmaCount()), cancellation);

    /// <summary>
    /// Hands each process the filter accepts to <paramref name="measure"/> as the enumeration reaches
    /// it; a null answer leaves the process out. A process that vanishes or is refused meanwhile, in
    /// <paramref name="measure"/> too, is counted and skipped.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled (checked before each process).</exception>
    public IEnumerable<T> Measure<T>(Func<ScannedProcess, T?> measure, CancellationToken cancellation = default) where T : class
    {
        int self = Environment.ProcessId;
        var files = new ProcFileReader();
        foreach (int pid in ProcessList.Pids())
        {
            cancellation.ThrowIfCancellationRequested();
            if (pid == self) continue; // the scanner itself: its own figures change as it reads them
            var measured = Measure(pid, files, measure);
            if (measured is not null) yield return measured;
        }
    }

    private T? Measure<T>(int pid, ProcFileReader files, Func<ScannedProcess, T?> measure) where T : class
    {
        try
        {
            var stat = files.Read(pid, "stat", s_stat);
            if (stat.IsKernelThread || stat.IsZombie) return null;
            var status = files.Read(pid, "status", s_status);
            if (!filter.Matches(stat.Command, status.EffectiveUid)) return null;
            return measure(new ScannedProcess(pid, status.EffectiveUid, stat.Command, status.PageTableBytes, files));
        }
        catch (TargetUnavailableException)
        {
            // Gone, or a zombie by now: the same process the listing no longer has.
            Vanished++;
            return null;
        }
        catch (PrivilegeRequiredException)
        {
            Refused++;
            return null;
        }
    }

    /// <summary>status' "Uid:" line is real, effective, saved and filesystem uid (proc_pid_status(5)); ps shows the effective one.</summary>
    public static uint EffectiveUid(ProcStatus status)
    {
        var fields = (status["Uid"] ?? "").Split('\t', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
            ? uid
            : throw new KernelDataException("status: expected 'Uid:' with real and effective uids");
    }

    /// <summary>What the scan left out, for a note: null when it left nothing out.</summary>
    public string? SkippedNote() => SkippedNote(Vanished, Refused);

    /// <summary>The note for <paramref name="vanished"/> and <paramref name="refused"/> processes left out, or null when none was.</summary>
    internal static string? SkippedNote(int vanished, int refused) =>
        vanished + refused == 0 ? null
        : string.Join("; ", new[] { vanished > 0 ? $"{CountOfProcesses(vanished)} exited while the list was read and {(vanished == 1 ? "is" : "are")} not in it" : null,
            refused > 0 ? $"{CountOfProcesses(refused)} could not be read (permission denied: not root, or a process even root may not trace) and {(refused == 1 ? "is" : "are")} not in it" : null }.OfType<string>());

    private static string CountOfProcesses(int count) => count == 1 ? "1 process" : $"{count} processes";
}
