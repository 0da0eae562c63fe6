using System.Globalization;
using PageAtlas.Linux;

namespace PageAtlas.Analysis;

/// <summary>
/// Every user process of the machine with its memory, one at a time: pid, user and name from
/// /proc/&lt;pid&gt;/{stat,status} (cheap, so the filter is applied before any page is read), then the
/// pages through pagemap, kpageflags and kpagecount as <see cref="Composition"/> counts them — PSS
/// from each frame's map count, as smaps_rollup does, without the kernel formatting smaps text. Only
/// one process's pages are held at a time. Kernel threads (no user memory) and zombies are left out;
/// a process that exits, or whose files are refused, while it is being read is skipped and counted.
/// </summary>
public sealed class ProcessScan(ProcessFilter filter, UserNames users)
{
    /// <summary>Processes that exited (or became zombies) between the listing of /proc and their reading.</summary>
    public int Vanished { get; private set; }

    /// <summary>Processes whose pagemap or status was refused (not root: another user's process).</summary>
    public int Refused { get; private set; }

    private Dictionary<ulong, ulong>? _observerFrames;

    /// <summary>
    /// The frames of the files this process maps (its runtime, libc, the loader), each with how many
    /// times it maps it: every target that maps them too sees their map count raised by that while the scan runs. A few thousand frames,
    /// read once; anonymous memory is left out, as no target shares it.
    /// </summary>
    private static Dictionary<ulong, ulong>? ObserverFrames(int self)
    {
        using var observer = LiveProcess.Open(self);
        if (!observer.Visibility.FrameFlagsVisible) return null;
        var frames = new Dictionary<ulong, ulong>();
        foreach (var batch in observer.ReadPages(0, ulong.MaxValue, Model.PageReadOptions.PopulatedWithFrames))
        {
            if (!batch.Vma.Vma.IsFileBacked) continue;
            foreach (ref readonly var page in batch.Pages.Span)
                if (page.Entry.IsPresent) frames[page.Entry.Pfn] = frames.GetValueOrDefault(page.Entry.Pfn) + 1;
        }
        return frames;
    }

    /// <summary>Reads each process as the enumeration reaches it.</summary>
    public IEnumerable<ProcessSummary> Processes() =>
        Measure((process, uid, command, observerFrames) => ProcessSummaries.Measure(process, uid, users.NameOf(uid), command, observerFrames));

    /// <summary>
    /// Opens each process the filter accepts as the enumeration reaches it and hands it to
    /// <paramref name="measure"/> (with its effective uid, its command name and the scanner's own
    /// frames, for <see cref="Composition.MeasureTotal"/>); a null answer leaves the process out. A
    /// process that vanishes or is refused meanwhile, in <paramref name="measure"/> too, is counted and skipped.
    /// </summary>
    public IEnumerable<T> Measure<T>(Func<IMemoryTarget, uint, string, IReadOnlyDictionary<ulong, ulong>?, T?> measure) where T : class
    {
        int self = Environment.ProcessId;
        _observerFrames = ObserverFrames(self);
        foreach (int pid in ProcessList.Pids())
        {
            if (pid == self) continue; // the scanner itself: its own figures change as it reads them
            if (ProcessList.TryReadStat(pid) is not { } stat) { Vanished++; continue; }
            if (stat.IsKernelThread || stat.IsZombie) continue;
            var measured = Measure(pid, stat.Command, measure);
            if (measured is not null) yield return measured;
        }
    }

    private T? Measure<T>(int pid, string command, Func<IMemoryTarget, uint, string, IReadOnlyDictionary<ulong, ulong>?, T?> measure) where T : class
    {
        try
        {
            uint uid = EffectiveUid(ProcStatus.Parse(ProcFs.ReadText(pid, "status")));
            if (!filter.Matches(command, uid)) return null;
            using var process = LiveProcess.Open(pid);
            return measure(process, uid, command, _observerFrames);
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
    public string? SkippedNote() =>
        Vanished + Refused == 0 ? null
        : string.Join("; ", new[] { Vanished > 0 ? $"{Vanished} processes exited while the list was read and are not in it" : null,
            Refused > 0 ? $"{Refused} processes could not be read (permission denied: not root, or a process even root may not trace) and are not in it" : null }.OfType<string>());
}
