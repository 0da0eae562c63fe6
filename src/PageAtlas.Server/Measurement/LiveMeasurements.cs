using PageAtlas.Analysis;
using PageAtlas.Server.Metrics;

namespace PageAtlas.Server.Measurement;

/// <summary>
/// A server's one view of the live machine: the last reading of every process and the last frame
/// census, each behind its own <see cref="CachedReading{T}"/> (processes every
/// <see cref="MetricsOptions.MinInterval"/>, the census every <see cref="MetricsOptions.CensusInterval"/>).
/// `pageatlas serve` hands the same one to its process list and its /metrics, so a click and a scrape
/// within the interval share one reading.
/// </summary>
internal sealed class LiveMeasurements
{
    private readonly ProcessMeasurer _measurer;
    private readonly CensusReader _census = new();

    public LiveMeasurements(MetricsOptions options, TimeProvider? time = null)
    {
        _measurer = new ProcessMeasurer(options);
        Processes = new CachedReading<ProcessMeasurement>(_measurer.Measure, options.MinInterval, time);
        Census = new CachedReading<FrameCensusReport?>(_census.Take, options.CensusInterval, time);
    }

    /// <summary>Every selected process.</summary>
    public CachedReading<ProcessMeasurement> Processes { get; }

    /// <summary>The frame census (null inside when it could not be taken).</summary>
    public CachedReading<FrameCensusReport?> Census { get; }

    /// <summary>Processes that could not be read and censuses that failed, since the server started.</summary>
    public long Errors => _measurer.Errors + _census.Errors;

    /// <summary>Starts the first readings now, so the first request finds them under way or done.</summary>
    public void Warm()
    {
        _ = Processes.Get();
        _ = Census.Get();
    }
}
