namespace PageAtlas.Server.Metrics;

/// <summary>
/// Bounds what scrapes cost. A collection reads every process and every frame: seconds on a large
/// or busy machine, longer than Prometheus's scrape timeout at a short interval. So:
/// <list type="bullet">
/// <item>a collection finished less than the minimum interval ago is served again;</item>
/// <item>at most one collection runs at a time: scrapes that need one while it runs share it;</item>
/// <item>an older collection is still served at once while its successor is read in the background
/// (a scrape then gets figures at most the interval plus one collection old), so only the very first
/// scrape waits for a collection — unless the interval is zero, where every scrape waits for the
/// collection running or a new one (what a benchmark of uncached scrapes needs).</item>
/// </list>
/// A collection that failed is not kept: the next scrape starts anew.
/// </summary>
public sealed class MetricsCache(Func<IReadOnlyList<MetricFamily>> collect, TimeSpan minInterval, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private Task<IReadOnlyList<MetricFamily>>? _running;
    private IReadOnlyList<MetricFamily>? _latest;
    private long _latestAt;

    /// <summary>The families to answer a scrape with (see the class's rules).</summary>
    public Task<IReadOnlyList<MetricFamily>> Get()
    {
        lock (_lock)
        {
            if (_latest is { } latest && _time.GetElapsedTime(_latestAt) < minInterval) return Task.FromResult(latest);
            var running = _running ??= Task.Run(Collect);
            return _latest is { } older && minInterval > TimeSpan.Zero ? Task.FromResult(older) : running;
        }
    }

    private IReadOnlyList<MetricFamily> Collect()
    {
        try
        {
            var families = collect();
            lock (_lock)
            {
                _latest = families;
                _latestAt = _time.GetTimestamp();
            }
            return families;
        }
        finally
        {
            lock (_lock) _running = null;
        }
    }
}
