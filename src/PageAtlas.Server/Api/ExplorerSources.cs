using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Server.Measurement;
using PageAtlas.Snapshots;

namespace PageAtlas.Server.Api;

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
/// SQLite connection is not shared between requests that run at once. Snapshots uploaded from the
/// browser join the list while the server runs (never leave it): the list is replaced whole under a
/// lock, and readers take it as it is. The live process list alone comes from the server's shared
/// reading of every process (<see cref="LiveMeasurements"/>).
/// </summary>
public sealed class ExplorerSources
{
    /// <summary>One snapshot source: its file, the name it is shown by, and whether it was uploaded.</summary>
    private sealed record SnapshotSource(string Path, string Name, bool Uploaded);

    private readonly object _adding = new();
    private SnapshotSource[] _snapshots;
    private readonly CachedReading<ProcessMeasurement> _liveProcesses;

    /// <summary>Checks every snapshot file now (a bad file is refused at start, not at the first click).</summary>
    internal ExplorerSources(IEnumerable<string> snapshotFiles, CachedReading<ProcessMeasurement> liveProcesses)
    {
        _snapshots = snapshotFiles.Select(System.IO.Path.GetFullPath).Select(p => new SnapshotSource(p, System.IO.Path.GetFileName(p), false)).ToArray();
        _liveProcesses = liveProcesses;
        foreach (var source in _snapshots) Snapshot.Open(source.Path).Dispose();
    }

    /// <summary>The source ids: "live", then one per snapshot.</summary>
    public IEnumerable<string> Ids => _snapshots.Select((_, i) => SnapshotId(i)).Prepend("live");

    /// <summary>The snapshot file behind <paramref name="id"/>, or null for the live machine.</summary>
    public string? SnapshotFile(string id) => id == "live" ? null : Find(id).Path;

    /// <summary>
    /// Adds a snapshot file that has been checked (<see cref="Snapshot.Open"/>) or written by the server
    /// itself as the next source; <paramref name="name"/> is what the page shows for it,
    /// <paramref name="uploaded"/> whether it came from the browser (else a lab run left it). Returns its id.
    /// </summary>
    public string Add(string path, string name, bool uploaded)
    {
        lock (_adding)
        {
            _snapshots = [.. _snapshots, new SnapshotSource(path, name, uploaded)];
            return SnapshotId(_snapshots.Length - 1);
        }
    }

    /// <summary>What each source is: the live machine, then each snapshot's file, time, host, frames and processes.</summary>
    public IEnumerable<SourceSummary> Summaries()
    {
        bool liveFrames;
        using (var frames = KernelPageFrames.TryOpen(out _)) liveFrames = frames is not null;
        yield return new SourceSummary("live", null, false, null, null, liveFrames, []);
        var snapshots = _snapshots;
        for (int i = 0; i < snapshots.Length; i++)
        {
            using var snapshot = Snapshot.Open(snapshots[i].Path);
            yield return new SourceSummary(SnapshotId(i), snapshots[i].Name, snapshots[i].Uploaded, snapshot.Created, snapshot.Host, snapshot.HasFrames,
                [.. snapshot.Processes.Select(p => new SavedProcessName(p.Pid, p.Command))]);
        }
    }

    private SnapshotSource Find(string id)
    {
        var snapshots = _snapshots;
        for (int i = 0; i < snapshots.Length; i++)
            if (id == SnapshotId(i)) return snapshots[i];
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
