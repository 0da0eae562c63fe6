using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Server.Metrics;

namespace PageAtlas.Server.Measurement;

/// <summary>
/// Reads every process the options select, as `pageatlas ps` reads it (<see cref="ProcessScan"/>: the
/// kernel's sums in smaps_rollup, one process at a time): the explorer's process list and the
/// exporter's per-process series both come from one such reading. Only --per-class reads pages
/// (pagemap with kpageflags and kpagecount), and only for the processes kept. A process that vanishes, is refused or cannot be read is
/// skipped and counted: one bad process never fails the whole reading.
/// </summary>
internal sealed class ProcessMeasurer(MetricsOptions options)
{
    private long _errors;

    /// <summary>Processes that could not be read (files that did not parse) since the server started.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Reads every selected process now (seconds on a large machine: callers share it, see <see cref="CachedReading{T}"/>).</summary>
    public ProcessMeasurement Measure()
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var users = UserNames.Read();
        var scan = new ProcessScan(new ProcessFilter(options.NamePattern), users);
        int failed = 0;
        var processes = scan.Measure(process =>
        {
            try
            {
                return Read(process, users.NameOf(process.Uid));
            }
            catch (PageAtlasException e) when (e is not (TargetUnavailableException or PrivilegeRequiredException))
            {
                // A process whose files do not parse (a kernel bug, or a process changing as it is read): skipped, counted.
                Interlocked.Increment(ref _errors);
                failed++;
                return null;
            }
        }).ToList();
        if (options.Top is int top) processes = processes.OrderByDescending(p => p.Memory.Pss).ThenBy(p => p.Pid).Take(top).ToList();
        var skipped = new Skipped();
        var kinds = options.PerClass ? Kinds(processes, skipped) : null;
        return new ProcessMeasurement(processes, kinds, scan.Vanished + skipped.Vanished, scan.Refused + skipped.Refused, failed + skipped.Failed,
            GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private ProcessReading? Read(ScannedProcess process, string user)
    {
        // Vanishing or refusal here is counted by the scan as any other.
        string? cgroup = process.Cgroup();
        if (options.CgroupPrefix is { } prefix && (cgroup is null || !cgroup.StartsWith(prefix, StringComparison.Ordinal))) return null;
        var memory = process.Memory();
        return new ProcessReading(process.Pid, process.Uid, user, process.Command, cgroup, memory, process.PageTableBytes, process.VmaCount());
    }

    /// <summary>
    /// Each kept process's memory per segment kind, from a second reading: smaps_rollup has only the
    /// whole process's sums, so this is the pagemap path (pagemap, kpageflags, kpagecount, the ELF
    /// headers and thread stacks that classifying reads): about five times smaps_rollup's cost, paid
    /// only for the kept processes (docs/metrics.md).
    /// </summary>
    private Dictionary<int, IReadOnlyList<KindReading>> Kinds(IReadOnlyList<ProcessReading> processes, Skipped skipped)
    {
        var kinds = new Dictionary<int, IReadOnlyList<KindReading>>();
        foreach (var process in processes)
        {
            try
            {
                using var target = LiveProcess.Open(process.Pid);
                ulong pageSize = (ulong)target.Machine.PageSize;
                kinds[process.Pid] = Composition.Measure(target).Classes
                    .GroupBy(c => c.Class.KindName, StringComparer.Ordinal)
                    .Select(g => new KindReading(g.Key, g.Aggregate(default(CompositionCounts), (sum, c) => sum + c.Counts), pageSize))
                    .OrderBy(k => k.Kind, StringComparer.Ordinal).ToArray();
            }
            // Gone since its total was read, or unreadable now: its total stays, its kinds are left out, counted as the scan counts.
            catch (TargetUnavailableException)
            {
                skipped.Vanished++;
            }
            catch (PrivilegeRequiredException)
            {
                skipped.Refused++;
            }
            catch (PageAtlasException)
            {
                Interlocked.Increment(ref _errors);
                skipped.Failed++;
            }
        }
        return kinds;
    }

    /// <summary>Processes whose per-kind reading was skipped, by reason.</summary>
    private sealed class Skipped
    {
        public int Vanished, Refused, Failed;
    }
}
