using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Server.Measurement;
using PageAtlas.Snapshots;

namespace PageAtlas.Server;

/// <summary>One source's process list: the processes, what was skipped, and for the live machine when it was read.</summary>
/// <param name="Processes">Every process with its memory.</param>
/// <param name="Vanished">Processes that exited while they were read.</param>
/// <param name="Refused">Processes that could not be read.</param>
/// <param name="Measured">When the live reading served was taken; null for a snapshot (its figures are fixed).</param>
public sealed record SourceProcessList(IReadOnlyList<ProcessSummary> Processes, int Vanished, int Refused, ReadingAge? Measured);

/// <summary>
/// Where the explorer's figures come from: the live machine (source id <c>live</c>) and each snapshot
/// file the server was started with (<c>s1</c>, <c>s2</c>… in the order given). Each request opens
/// what it reads and closes it after: a live process may be gone by the next click, and a snapshot's
/// SQLite connection is not shared between requests that run at once. The live process list alone
/// comes from the server's shared reading of every process (<see cref="LiveMeasurements"/>).
/// </summary>
public sealed class ExplorerSources
{
    private readonly string[] _snapshots;
    private readonly CachedReading<ProcessMeasurement> _liveProcesses;

    /// <summary>Checks every snapshot file now (a bad file is refused at start, not at the first click).</summary>
    internal ExplorerSources(IEnumerable<string> snapshotFiles, CachedReading<ProcessMeasurement> liveProcesses)
    {
        _snapshots = snapshotFiles.Select(System.IO.Path.GetFullPath).ToArray();
        _liveProcesses = liveProcesses;
        foreach (var path in _snapshots) Snapshot.Open(path).Dispose();
    }

    /// <summary>The source ids: "live", then one per snapshot.</summary>
    public IEnumerable<string> Ids => _snapshots.Select((_, i) => SnapshotId(i)).Prepend("live");

    /// <summary>The snapshot file behind <paramref name="id"/>, or null for the live machine.</summary>
    public string? SnapshotFile(string id)
    {
        if (id == "live") return null;
        for (int i = 0; i < _snapshots.Length; i++)
            if (id == SnapshotId(i)) return _snapshots[i];
        throw new TargetUnavailableException(0, TargetUnavailableReason.NotFound, $"no source '{id}': the sources are {string.Join(", ", Ids)}");
    }

    /// <summary>Opens one process of a source.</summary>
    public IMemoryTarget OpenProcess(string source, int pid) => SnapshotFile(source) is { } file ? Snapshot.OpenTarget(file, pid) : LiveProcess.Open(pid);

    /// <summary>Opens a source's frames and processes, for frame questions.</summary>
    public FrameMachine OpenMachine(string source) => FrameMachine.Open(SnapshotFile(source));

    /// <summary>
    /// Every process of a source with its memory: the live list from the server's last reading (as
    /// `ps` reads it; <paramref name="fresh"/>: from a reading that starts after this call), or each
    /// saved process (its user from the status text it was saved with).
    /// </summary>
    public async Task<SourceProcessList> Processes(string source, bool fresh)
    {
        if (SnapshotFile(source) is not { } file)
        {
            var reading = await (fresh ? _liveProcesses.GetFresh() : _liveProcesses.Get());
            var measured = new ReadingAge(reading.StartedAt, _liveProcesses.Age(reading), reading.Number);
            return new SourceProcessList(reading.Value.Processes.Select(p => p.Summary()).ToList(), reading.Value.Vanished, reading.Value.Refused + reading.Value.Failed, measured);
        }
        return SavedProcesses(file);
    }

    private static SourceProcessList SavedProcesses(string file)
    {
        var users = UserNames.Read();
        using var snapshot = Snapshot.Open(file);
        var saved = new List<ProcessSummary>();
        foreach (var process in snapshot.Processes)
        {
            using var target = snapshot.OpenProcess(process.Pid);
            uint uid = target.Facts.Source is { } text ? ProcessScan.EffectiveUid(ProcStatus.Parse(text.Status)) : 0;
            saved.Add(ProcessSummaries.Measure(target, uid, users.NameOf(uid), process.Command));
        }
        return new SourceProcessList(saved, 0, 0, null);
    }

    private static string SnapshotId(int index) => $"s{index + 1}";
}
