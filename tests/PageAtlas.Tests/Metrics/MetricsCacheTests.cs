using PageAtlas.Server.Metrics;
using Xunit;

namespace PageAtlas.Tests.Metrics;

public class MetricsCacheTests
{
    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long GetTimestamp() => Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    /// <summary>A collection that blocks until released and counts how often it ran.</summary>
    private sealed class GatedCollection : IDisposable
    {
        private readonly SemaphoreSlim _release = new(0);
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public IReadOnlyList<MetricFamily> Collect()
        {
            int run = Interlocked.Increment(ref _runs);
            if (!_release.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException("never released");
            return [new MetricFamily($"run_{run}", MetricType.Gauge, "", null, [])];
        }

        public void Release() => _release.Release();

        public void Dispose() => _release.Dispose();
    }

    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ScrapesWhileACollectionRunsShareIt()
    {
        using var collection = new GatedCollection();
        var cache = new MetricsCache(collection.Collect, TimeSpan.FromSeconds(5), new ManualClock());
        var scrapes = Enumerable.Range(0, 8).Select(_ => cache.Get()).ToArray();
        Assert.All(scrapes, s => Assert.Same(scrapes[0], s));
        collection.Release();
        var answers = await Task.WhenAll(scrapes).WaitAsync(s_bound);
        Assert.All(answers, a => Assert.Equal("run_1", a[0].Name));
        Assert.Equal(1, collection.Runs);
    }

    [Fact]
    public async Task AnOlderCollectionIsServedAtOnceWhileItsSuccessorIsRead()
    {
        using var collection = new GatedCollection();
        var clock = new ManualClock();
        var cache = new MetricsCache(collection.Collect, TimeSpan.FromSeconds(5), clock);
        collection.Release();
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound))[0].Name);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound))[0].Name);
        Assert.Equal(1, collection.Runs);

        clock.Advance(TimeSpan.FromSeconds(2));
        // Past the interval: the old figures at once, one new collection behind them however many ask.
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound))[0].Name);
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound))[0].Name);
        collection.Release();
        await WaitUntil(() => cache.Get().IsCompleted && cache.Get().Result[0].Name == "run_2");
        Assert.Equal(2, collection.Runs);
    }

    [Fact]
    public async Task WithoutAnIntervalEveryScrapeWaitsForAFreshCollection()
    {
        using var collection = new GatedCollection();
        var cache = new MetricsCache(collection.Collect, TimeSpan.Zero, new ManualClock());
        collection.Release();
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound))[0].Name);
        var second = cache.Get();
        await WaitUntil(() => collection.Runs == 2);
        Assert.False(second.IsCompleted);
        collection.Release();
        Assert.Equal("run_2", (await second.WaitAsync(s_bound))[0].Name);
    }

    [Fact]
    public async Task AFailedCollectionIsNotKept()
    {
        int runs = 0;
        var cache = new MetricsCache(() => ++runs == 1 ? throw new InvalidOperationException("first fails") : [], TimeSpan.FromSeconds(5), new ManualClock());
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.Get().WaitAsync(s_bound));
        Assert.Empty(await cache.Get().WaitAsync(s_bound));
        Assert.Equal(2, runs);
    }

    /// <summary>Waits for another thread's progress, a bounded number of times (a hang fails; nothing is timed).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 6000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "the condition never held");
    }
}
