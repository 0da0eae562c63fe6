using PageAtlas.Labs;

namespace PageAtlas.Server.Api;

/// <summary>The explorer's current or last lab run.</summary>
/// <param name="Name">The lab, null before any run.</param>
/// <param name="State">idle, running, done or failed.</param>
/// <param name="Error">Why it failed, in one line.</param>
/// <param name="Report">What it found, once done.</param>
/// <param name="Snapshot">The snapshot of its processes its links point into, once done (null before).</param>
public sealed record LabRunState(string? Name, string State, string? Error, LabReport? Report, LabSnapshot? Snapshot);

/// <summary>
/// The explorer's lab runs: one at a time (a lab starts specimen processes and measures the machine:
/// two at once would measure each other), on a thread of its own; the page polls its state. Each run
/// leaves a snapshot of its processes taken while they are alive (<see cref="LabSnapshots"/>), which
/// its figures link into. The last run's report stays until the next run starts.
/// </summary>
public sealed class LabRuns(LabSnapshots snapshots)
{
    private readonly object _gate = new();
    private LabRunState _current = new(null, "idle", null, null, null);

    /// <summary>Starts <paramref name="lab"/> unless a run is under way (then false: the caller answers 409).</summary>
    public bool TryStart(ILab lab)
    {
        lock (_gate)
        {
            if (_current.State == "running") return false;
            _current = new LabRunState(lab.Name, "running", null, null, null);
        }
        _ = Task.Run(() => Run(lab));
        return true;
    }

    /// <summary>The current or last run.</summary>
    public LabRunState Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    private void Run(ILab lab)
    {
        LabReport? report = null;
        LabSnapshot? snapshot = null;
        string? error = null;
        try
        {
            report = lab.Run(pids => snapshot = snapshots.Keep(lab.Name, pids));
        }
        catch (PageAtlasException e)
        {
            error = e.Message;
        }
        catch (FileNotFoundException e) when (e.FileName is not null)
        {
            // A specimen program missing: said as the CLI says it.
            error = e.Message;
        }
        finally
        {
            // Whatever ended it (a fault of ours too, which then ends this task), the run is over.
            var ended = report is null
                ? new LabRunState(lab.Name, "failed", error ?? "internal error while running the lab", null, snapshot)
                : new LabRunState(lab.Name, "done", null, report, snapshot ?? new LabSnapshot(null, "the lab handed over no processes to save"));
            lock (_gate) _current = ended;
        }
    }
}
