namespace PageAtlas.Server.Metrics;

/// <summary>What the exporter says of itself in one scrape.</summary>
/// <param name="ProcessesDuration">How long the process reading served took.</param>
/// <param name="ProcessesAge">How old that reading is (since it started).</param>
/// <param name="Collections">Process readings started since the server started.</param>
/// <param name="CensusDuration">How long the census served took, or null when there is none.</param>
/// <param name="CensusAge">How old that census (or the failed attempt) is.</param>
/// <param name="Measured">Processes measured.</param>
/// <param name="Vanished">Processes that exited while read.</param>
/// <param name="Refused">Processes refused.</param>
/// <param name="Failed">Processes whose files did not parse.</param>
/// <param name="Errors">Errors since start.</param>
/// <param name="Allocated">Bytes the process reading served allocated.</param>
internal sealed record SelfFigures(TimeSpan ProcessesDuration, TimeSpan ProcessesAge, long Collections, TimeSpan? CensusDuration, TimeSpan CensusAge,
    int Measured, int Vanished, int Refused, int Failed, long Errors, long Allocated);

/// <summary>The exporter's own figures: how long and how long ago its readings were taken, what they read and skipped, and its errors so far.</summary>
internal static class SelfFamilies
{
    /// <summary>The families of one scrape.</summary>
    public static IEnumerable<MetricFamily> Build(SelfFigures self)
    {
        yield return new("pageatlas_exporter_scrape_duration_seconds", MetricType.Gauge, "Seconds the process reading served here took (every process; the census is apart)", "seconds",
            [new MetricSample([], self.ProcessesDuration.TotalSeconds)]);
        yield return new("pageatlas_exporter_processes_age_seconds", MetricType.Gauge, "Seconds since the process reading served here started (it is served again for --min-interval)", "seconds",
            [new MetricSample([], self.ProcessesAge.TotalSeconds)]);
        yield return new("pageatlas_exporter_collection_allocated_bytes", MetricType.Gauge, "Bytes the process reading served here allocated on the managed heap (garbage between readings)", "bytes",
            [new MetricSample([], self.Allocated)]);
        yield return new("pageatlas_exporter_collections", MetricType.Counter, "Process readings started since the exporter started (scrapes and explorer requests that share one start none)", null,
            [new MetricSample([], self.Collections)]);
        if (self.CensusDuration is { } census)
            yield return new("pageatlas_census_duration_seconds", MetricType.Gauge, "Seconds the frame census served here took", "seconds",
                [new MetricSample([], census.TotalSeconds)]);
        yield return new("pageatlas_census_age_seconds", MetricType.Gauge, "Seconds since the frame census served here (or the failed attempt) started: it is taken every --census-interval, apart from scrapes", "seconds",
            [new MetricSample([], self.CensusAge.TotalSeconds)]);
        yield return new("pageatlas_exporter_processes", MetricType.Gauge, "Processes the reading measured (after --name, --cgroup and --largest)", null,
            [new MetricSample([], self.Measured)]);
        yield return new("pageatlas_exporter_processes_skipped", MetricType.Gauge,
            "Processes the reading skipped: vanished (exited while read), refused (permission denied), error (files that did not parse)", null,
            [
                new MetricSample([new("reason", "vanished")], self.Vanished),
                new MetricSample([new("reason", "refused")], self.Refused),
                new MetricSample([new("reason", "error")], self.Failed),
            ]);
        yield return new("pageatlas_exporter_errors", MetricType.Counter,
            "Errors since the exporter started: processes that could not be read, and frame censuses that failed (not root)", null,
            [new MetricSample([], self.Errors)]);
    }
}
