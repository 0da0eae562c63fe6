using PageAtlas.Server.Measurement;
using Xunit;

namespace PageAtlas.Tests.Metrics;

public class CachedReadingTests
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

        public string Collect()
        {
            int run = Interlocked.Increment(ref _runs);
            if (!_release.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException("never released");
            return $"run_{run}";
        }

        public void Release() => _release.Release();

        public void Dispose() => _release.Dispose();
    }

    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ScrapesWhileACollectionRunsShareIt()
    {
        using var collection = new GatedCollection();
        var cache = new CachedReading<string>(collection.Collect, TimeSpan.FromSeconds(5), new ManualClock());
        var scrapes = Enumerable.Range(0, 8).Select(_ => cache.Get()).ToArray();
        Assert.All(scrapes, s => Assert.Same(scrapes[0], s));
        collection.Release();
        var answers = await Task.WhenAll(scrapes).WaitAsync(s_bound);
        Assert.All(answers, a => Assert.Equal("run_1", a.Value));
        Assert.Equal(1, collection.Runs);
    }

    [Fact]
    public async Task AnOlderCollectionIsServedAtOnceWhileItsSuccessorIsRead()
    {
        using var collection = new GatedCollection();
        var clock = new ManualClock();
        var cache = new CachedReading<string>(collection.Collect, TimeSpan.FromSeconds(5), clock);
        collection.Release();
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound)).Value);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound)).Value);
        Assert.Equal(1, collection.Runs);

        clock.Advance(TimeSpan.FromSeconds(2));
        // Past the interval: the old figures at once, one new collection behind them however many ask.
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound)).Value);
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound)).Value);
        collection.Release();
        await WaitUntil(() => cache.Get().IsCompleted && cache.Get().Result.Value == "run_2");
        Assert.Equal(2, collection.Runs);
    }

    [Fact]
    public async Task WithoutAnIntervalEveryScrapeWaitsForAFreshCollection()
    {
        using var collection = new GatedCollection();
        var cache = new CachedReading<string>(collection.Collect, TimeSpan.Zero, new ManualClock());
        collection.Release();
        Assert.Equal("run_1", (await cache.Get().WaitAsync(s_bound)).Value);
        var second = cache.Get();
        await WaitUntil(() => collection.Runs == 2);
        Assert.False(second.IsCompleted);
        collection.Release();
        Assert.Equal("run_2", (await second.WaitAsync(s_bound)).Value);
    }

    [Fact]
    public async Task AFailedCollectionIsNotKept()
    {
        int runs = 0;
        var cache = new CachedReading<string>(() => ++runs == 1 ? throw new InvalidOperationException("first fails") : "ok", TimeSpan.FromSeconds(5), new ManualClock());
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.Get().WaitAsync(s_bound));
        Assert.Equal("ok", (await cache.Get().WaitAsync(s_bound)).Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task AFreshRequestWhileACollectionRunsWaitsForTheNextOneWhichAllFreshRequestsMeanwhileShare()
    {
        using var collection = new GatedCollection();
        var clock = new ManualClock();
        var cache = new CachedReading<string>(collection.Collect, TimeSpan.FromSeconds(5), clock);
        var first = cache.Get();
        await WaitUntil(() => collection.Runs == 1);
        // Run 1 started before these asked: they need run 2, one run for both.
        var fresh = new[] { cache.GetFresh(), cache.GetFresh() };
        Assert.Same(fresh[0], fresh[1]);
        collection.Release();
        Assert.Equal("run_1", (await first.WaitAsync(s_bound)).Value);
        await WaitUntil(() => collection.Runs == 2);
        Assert.False(fresh[0].IsCompleted);
        // Run 1 is fresh by age, but a fresh request wants a run that starts after it: run 2 has.
        var during = cache.GetFresh();
        collection.Release();
        var answers = await Task.WhenAll(fresh).WaitAsync(s_bound);
        Assert.All(answers, a => Assert.Equal(2, a.Number));
        // Asked while run 2 ran: its successor, run 3.
        await WaitUntil(() => collection.Runs == 3);
        collection.Release();
        Assert.Equal(3, (await during.WaitAsync(s_bound)).Number);
        Assert.Equal(3, cache.CollectionsStarted);
        // Nothing running: a fresh request starts one at once, and a plain one takes the newest.
        Assert.Equal("run_3", (await cache.Get().WaitAsync(s_bound)).Value);
        var alone = cache.GetFresh();
        collection.Release();
        Assert.Equal(4, (await alone.WaitAsync(s_bound)).Number);
    }

    [Fact]
    public async Task TheAgeOfACollectionIsCountedFromItsStart()
    {
        var clock = new ManualClock();
        var cache = new CachedReading<string>(() => { clock.Advance(TimeSpan.FromSeconds(2)); return "slow"; }, TimeSpan.FromSeconds(5), clock);
        var collected = await cache.Get().WaitAsync(s_bound);
        Assert.Equal(TimeSpan.FromSeconds(2), collected.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), cache.Age(collected));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(3), cache.Age(cache.Latest!));
        Assert.Same(collected, await cache.Get().WaitAsync(s_bound));
    }

    /// <summary>Waits for another thread's progress, a bounded number of times (a hang fails; nothing is timed).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 6000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "the condition never held");
    }
}
