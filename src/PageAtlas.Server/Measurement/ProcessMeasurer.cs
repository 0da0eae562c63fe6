using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Server.Metrics;

namespace PageAtlas.Server.Measurement;

/// <summary>
/// Reads every process the options select, as `pageatlas ps` reads it (pagemap with kpageflags and
/// kpagecount, one process at a time): the explorer's process list and the exporter's per-process
/// series both come from one such reading. A process that vanishes, is refused or cannot be read is
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
        var users = UserNames.Read();
        var scan = new ProcessScan(new ProcessFilter(options.NamePattern), users);
        int failed = 0;
        var processes = scan.Measure((process, uid, command, observerFrames) =>
        {
            try
            {
                return Read(process, uid, users.NameOf(uid), command, observerFrames);
            }
            catch (PageAtlasException e) when (e is not (TargetUnavailableException or PrivilegeRequiredException))
            {
                // A process whose files do not parse (a kernel bug, or a process changing as it is read): skipped, counted.
                Interlocked.Increment(ref _errors);
                failed++;
                return null;
            }
        }).ToList();
        if (options.Top is int top) processes = processes.OrderByDescending(p => p.Counts.PssScaled).ThenBy(p => p.Pid).Take(top).ToList();
        var skipped = new Skipped();
        var kinds = options.PerClass ? Kinds(processes, skipped) : null;
        return new ProcessMeasurement(processes, kinds, scan.Vanished + skipped.Vanished, scan.Refused + skipped.Refused, failed + skipped.Failed);
    }

    private ProcessReading? Read(IMemoryTarget process, uint uid, string user, string command, IReadOnlyDictionary<ulong, ulong>? observerFrames)
    {
        // Vanishing here (TargetUnavailableException) is counted by the scan as any other vanishing.
        string? cgroup = ProcCgroup.UnifiedPath(process.Pid);
        if (options.CgroupPrefix is { } prefix && (cgroup is null || !cgroup.StartsWith(prefix, StringComparison.Ordinal))) return null;
        var counts = Composition.MeasureTotal(process, observerFrames);
        return new ProcessReading(process.Pid, uid, user, command, cgroup, counts, (ulong)process.Machine.PageSize, process.Facts.PageTableBytes, process.Vmas.Count);
    }

    /// <summary>Each kept process's memory per segment kind, from a second reading (classifying costs more than a total: only the kept processes pay it).</summary>
    private Dictionary<int, IReadOnlyList<KindReading>> Kinds(IReadOnlyList<ProcessReading> processes, Skipped skipped)
    {
        var kinds = new Dictionary<int, IReadOnlyList<KindReading>>();
        foreach (var process in processes)
        {
            try
            {
                using var target = LiveProcess.Open(process.Pid);
                kinds[process.Pid] = Composition.Measure(target).Classes
                    .GroupBy(c => c.Class.KindName, StringComparer.Ordinal)
                    .Select(g => new KindReading(g.Key, g.Aggregate(default(CompositionCounts), (sum, c) => sum + c.Counts)))
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
