namespace PageAtlas.Server.Metrics;

/// <summary>The exporter's own figures: how long the last collection took, what it read and skipped, and its errors so far.</summary>
internal static class SelfFamilies
{
    /// <summary>The families of one collection.</summary>
    public static IEnumerable<MetricFamily> Build(TimeSpan duration, int measured, int vanished, int refused, int failed, long errors) =>
    [
        new("pageatlas_exporter_scrape_duration_seconds", MetricType.Gauge, "Seconds the collection served here took (every process and the frame census)", "seconds",
            [new MetricSample([], duration.TotalSeconds)]),
        new("pageatlas_exporter_processes", MetricType.Gauge, "Processes the collection measured (after --name, --cgroup and --top)", null,
            [new MetricSample([], measured)]),
        new("pageatlas_exporter_processes_skipped", MetricType.Gauge,
            "Processes the collection skipped: vanished (exited while read), refused (permission denied), error (files that did not parse)", null,
            [
                new MetricSample([new("reason", "vanished")], vanished),
                new MetricSample([new("reason", "refused")], refused),
                new MetricSample([new("reason", "error")], failed),
            ]),
        new("pageatlas_exporter_errors", MetricType.Counter,
            "Errors since the exporter started: processes that could not be read, and frame censuses that failed (not root)", null,
            [new MetricSample([], errors)]),
    ];
}
