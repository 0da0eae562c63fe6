using PageAtlas.Labs;

namespace PageAtlas.Server;

/// <summary>
/// The explorer's lab runs: one at a time (a lab starts specimen processes and measures the machine:
/// two at once would measure each other), on a thread of its own; the page polls its state. The
/// last run's report stays until the next run starts.
/// </summary>
public sealed class LabRuns
{
    private readonly object _gate = new();
    private string? _name;
    private string _state = "idle";
    private string? _error;
    private LabReport? _report;

    /// <summary>Starts <paramref name="lab"/> unless a run is under way (then false: the caller answers 409).</summary>
    public bool TryStart(ILab lab)
    {
        lock (_gate)
        {
            if (_state == "running") return false;
            (_name, _state, _error, _report) = (lab.Name, "running", null, null);
        }
        _ = Task.Run(() => Run(lab));
        return true;
    }

    /// <summary>The current or last run: lab name, state (idle, running, done, failed), the failure's one line, the report.</summary>
    public (string? Name, string State, string? Error, LabReport? Report) Current
    {
        get
        {
            lock (_gate) return (_name, _state, _error, _report);
        }
    }

    private void Run(ILab lab)
    {
        LabReport? report = null;
        string? error = null;
        try
        {
            report = lab.Run();
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
            lock (_gate) (_state, _error, _report) = (report is null ? "failed" : "done", report is null ? error ?? "internal error while running the lab" : null, report);
        }
    }
}
