using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Live;

/// <summary>
/// The live view's samplers, keyed by pid: the first page to watch a process starts its sampler,
/// every other page watching it joins that one, and the last to leave stops it. At most
/// <see cref="Limit"/> processes are watched at once (each sample reads the whole process's pagemap).
/// </summary>
internal sealed class LiveHub(Func<int, IMemoryTarget> open, int limit = LiveHub.DefaultLimit)
{
    /// <summary>Processes watched at once unless told otherwise.</summary>
    public const int DefaultLimit = 16;

    /// <summary>The shortest and longest interval a page may ask for.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100), MaxInterval = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    private readonly Dictionary<int, LiveSampler> _samplers = [];

    public int Limit => limit;

    /// <summary>Watches <paramref name="pid"/>; dispose the subscription to stop.</summary>
    /// <exception cref="LiveHubFullException">Already <see cref="Limit"/> other processes are watched.</exception>
    public LiveSubscription Subscribe(int pid, TimeSpan interval)
    {
        if (interval < MinInterval || interval > MaxInterval)
            throw new InvalidRequestException($"the interval is {MinInterval.TotalMilliseconds} ms to {MaxInterval.TotalSeconds} s");
        lock (_lock)
        {
            // A sampler that ended (its process exited) just now takes no one: a new one starts, and
            // tells its page the same.
            if (_samplers.TryGetValue(pid, out var running) && new LiveSubscription(interval, running.Remove) is var joined && running.TryAdd(joined))
                return joined;
            if (_samplers.Values.Count(s => !s.Ended) >= limit)
                throw new LiveHubFullException($"{limit} processes are watched already, the most at once: close a live view first");
            var sampler = new LiveSampler(pid, new Timeline(() => open(pid)), Ended);
            _samplers[pid] = sampler;
            var first = new LiveSubscription(interval, sampler.Remove);
            sampler.TryAdd(first);
            sampler.Start();
            return first;
        }
    }

    /// <summary>The samplers running now.</summary>
    public List<LiveWatcher> Watchers()
    {
        lock (_lock)
            return _samplers.Values.Where(s => !s.Ended).OrderBy(s => s.Pid)
                .Select(s => new LiveWatcher(s.Pid, s.Subscribers, s.Interval, s.Samples)).ToList();
    }

    /// <summary>The sampler of <paramref name="pid"/> while it runs (tests wait on its end), else null.</summary>
    public LiveSampler? SamplerOf(int pid)
    {
        lock (_lock) return _samplers.GetValueOrDefault(pid);
    }

    private void Ended(LiveSampler sampler)
    {
        lock (_lock)
            if (_samplers.TryGetValue(sampler.Pid, out var current) && ReferenceEquals(current, sampler)) _samplers.Remove(sampler.Pid);
    }
}

/// <summary>The hub watches as many processes as it may: the API answers 429.</summary>
internal sealed class LiveHubFullException(string message) : Exception(message);
