using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Snapshots;

namespace PageAtlas.Server;

/// <summary>
/// Where the explorer's figures come from: the live machine (source id <c>live</c>) and each snapshot
/// file the server was started with (<c>s1</c>, <c>s2</c>… in the order given). Each request opens
/// what it reads and closes it after: a live process may be gone by the next click, and a snapshot's
/// SQLite connection is not shared between requests that run at once.
/// </summary>
public sealed class ExplorerSources
{
    private readonly string[] _snapshots;

    /// <summary>Checks every snapshot file now (a bad file is refused at start, not at the first click).</summary>
    public ExplorerSources(IEnumerable<string> snapshotFiles)
    {
        _snapshots = snapshotFiles.Select(System.IO.Path.GetFullPath).ToArray();
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
    /// Every process of a source with its memory: the live list as `ps` reads it, or each saved process
    /// (its user from the status text it was saved with).
    /// </summary>
    public (List<ProcessSummary> Processes, int Vanished, int Refused) Processes(string source)
    {
        var users = UserNames.Read();
        if (SnapshotFile(source) is not { } file)
        {
            var scan = new ProcessScan(ProcessFilter.All, users);
            var live = scan.Processes().ToList();
            return (live, scan.Vanished, scan.Refused);
        }
        using var snapshot = Snapshot.Open(file);
        var saved = new List<ProcessSummary>();
        foreach (var process in snapshot.Processes)
        {
            using var target = snapshot.OpenProcess(process.Pid);
            uint uid = target.Facts.Source is { } text ? ProcessScan.EffectiveUid(ProcStatus.Parse(text.Status)) : 0;
            saved.Add(ProcessSummaries.Measure(target, uid, users.NameOf(uid), process.Command));
        }
        return (saved, 0, 0);
    }

    private static string SnapshotId(int index) => $"s{index + 1}";
}
