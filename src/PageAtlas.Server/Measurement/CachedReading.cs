namespace PageAtlas.Server.Measurement;

/// <summary>
/// Bounds what a costly whole-machine reading (every process, every frame) costs the servers, however
/// many requests ask for it: the exporter's scrapes, the explorer's process list, both at once in
/// `pageatlas serve`. Seconds on a large or busy machine, longer than Prometheus's scrape timeout
/// or a click's patience. So:
/// <list type="bullet">
/// <item>a collection finished less than the maximum age ago is served again;</item>
/// <item>at most one collection runs at a time: requests that need one while it runs share it;</item>
/// <item>an older collection is still served at once while its successor is read in the background
/// (figures then at most the maximum age plus one collection old), so only the very first request
/// waits — unless the maximum age is zero, where every request waits for the collection running
/// or a new one (what a benchmark of uncached scrapes needs);</item>
/// <item><see cref="GetFresh"/> waits for a collection that started after it was asked (the
/// explorer's Refresh): if one is running, the next one, shared by every fresh request meanwhile.</item>
/// </list>
/// A collection that failed is not kept: the next request starts anew.
/// </summary>
/// <typeparam name="T">What a collection reads.</typeparam>
public sealed class CachedReading<T>(Func<T> collect, TimeSpan maxAge, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private Task<Collected<T>>? _running;
    private Task<Collected<T>>? _queued;
    private Task<Collected<T>>? _queuedAfter;
    private Collected<T>? _latest;
    private long _latestFinished;
    private long _started;

    /// <summary>How long a finished collection is served without starting another.</summary>
    public TimeSpan MaxAge => maxAge;

    /// <summary>How many collections were started so far (requests that shared one did not start one).</summary>
    public long CollectionsStarted => Interlocked.Read(ref _started);

    /// <summary>The last finished collection, or null before the first; never starts one.</summary>
    public Collected<T>? Latest
    {
        get
        {
            lock (_lock) return _latest;
        }
    }

    /// <summary>How old <paramref name="collected"/>'s figures are now: time since it started.</summary>
    public TimeSpan Age(Collected<T> collected) => _time.GetElapsedTime(collected.Started);

    /// <summary>The collection to answer a request with (see the class's rules).</summary>
    public Task<Collected<T>> Get()
    {
        lock (_lock)
        {
            if (_latest is { } latest && _time.GetElapsedTime(_latestFinished) < maxAge) return Task.FromResult(latest);
            var running = _running ??= Start();
            return _latest is { } older && maxAge > TimeSpan.Zero ? Task.FromResult(older) : running;
        }
    }

    /// <summary>A collection that starts after this call: the running one's successor if one runs (one successor for all who ask meanwhile), else a new one.</summary>
    public Task<Collected<T>> GetFresh()
    {
        lock (_lock)
        {
            if (_running is not { } running) return _running = Start();
            if (_queued is null || !ReferenceEquals(_queuedAfter, running))
            {
                _queuedAfter = running;
                _queued = running.ContinueWith(_ => Successor(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
            return _queued;
        }
    }

    /// <summary>Once the collection a fresh request found running has ended: the one running now (started since), or a new one.</summary>
    private Task<Collected<T>> Successor()
    {
        lock (_lock) return _running ??= Start();
    }

    /// <summary>Starts a collection; called under the lock with none running.</summary>
    private Task<Collected<T>> Start()
    {
        long number = Interlocked.Increment(ref _started);
        var startedAt = _time.GetUtcNow();
        long started = _time.GetTimestamp();
        return Task.Run(() => Collect(number, startedAt, started));
    }

    private Collected<T> Collect(long number, DateTimeOffset startedAt, long started)
    {
        try
        {
            var value = collect();
            var collected = new Collected<T>(value, number, startedAt, started, _time.GetElapsedTime(started));
            lock (_lock)
            {
                _latest = collected;
                _latestFinished = _time.GetTimestamp();
            }
            return collected;
        }
        finally
        {
            lock (_lock) _running = null;
        }
    }
}
