using PageAtlas.Analysis;
using PageAtlas.Server.Measurement;

namespace PageAtlas.Server.Metrics;

/// <summary>
/// One scrape's metrics from the server's last readings: the process reading (waited for only when
/// none is fresh enough, see <see cref="CachedReading{T}"/>), the last frame census (taken on its own
/// interval, off the scrape's path: only a server's very first scrape waits for it) and the
/// exporter's own figures, with both readings' ages.
/// </summary>
internal sealed class MetricsCollector(LiveMeasurements measurements, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The families to answer a scrape with.</summary>
    public async Task<IReadOnlyList<MetricFamily>> Collect()
    {
        var processes = await measurements.Processes.Get();
        var census = await measurements.Census.Get();
        var reading = processes.Value;
        var families = new List<MetricFamily>();
        families.AddRange(ProcessFamilies.Build(reading.Processes, reading.Kinds));
        if (census.Value is { } frames) families.AddRange(MachineFamilies.Build(frames));
        families.AddRange(SelfFamilies.Build(new SelfFigures(
            processes.Duration, measurements.Processes.Age(processes), measurements.Processes.CollectionsStarted,
            census.Value is null ? null : census.Duration, measurements.Census.Age(census),
            reading.Processes.Count, reading.Vanished, reading.Refused, reading.Failed, measurements.Errors, reading.AllocatedBytes)));
        return families;
    }
}
