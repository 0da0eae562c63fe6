using System.Text;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Server.Live;

namespace PageAtlas.Tests;

/// <summary>
/// The explorer's live hub on fake processes: one sampler per watched process however many pages
/// watch it, the last to leave stops it, a bounded number of processes, and a process that exits ends
/// every stream with an "exited" event.
/// </summary>
public class LiveHubTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>A generous bound on a hang, not a timing assert.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static FakeTarget Process(int pid) =>
        new FakeTarget(PagingMode.FourLevel, pid: pid).Vma(0x7f0000000000, 0x7f0000004000).Present(0x7f0000000000, 0x1234);

    private static async Task<string> NextEvent(LiveSubscription subscription)
    {
        using var bound = new CancellationTokenSource(Bound);
        return Encoding.UTF8.GetString(await subscription.Events.ReadAsync(bound.Token));
    }

    [Fact]
    public async Task TwoPagesWatchingOneProcessShareOneSamplerThatStopsWhenBothLeave()
    {
        int opened = 0;
        var hub = new LiveHub(pid => { Interlocked.Increment(ref opened); return Process(pid); });
        var first = hub.Subscribe(42, TimeSpan.FromSeconds(2));
        var second = hub.Subscribe(42, Interval);
        var watcher = Assert.Single(hub.Watchers());
        Assert.Equal((42, 2, Interval), (watcher.Pid, watcher.Subscribers, watcher.Interval));
        // Both pages get the same samples, each a "pageatlas/watch" document.
        string a = await NextEvent(first), b = await NextEvent(second);
        Assert.StartsWith("event: sample\ndata: {\"schema\":\"pageatlas/watch\"", a);
        Assert.Equal(a, b);
        var sampler = hub.SamplerOf(42)!;

        first.Dispose();
        Assert.Equal(1, Assert.Single(hub.Watchers()).Subscribers);
        second.Dispose();
        await sampler.Running.WaitAsync(Bound);
        Assert.Empty(hub.Watchers());
        // Once stopped it reads the process no more.
        int after = Volatile.Read(ref opened);
        await Task.Delay(300);
        Assert.Equal(after, Volatile.Read(ref opened));
    }

    [Fact]
    public void AtTheLimitAnotherProcessIsRefusedButOneWatchedAlreadyIsJoined()
    {
        var hub = new LiveHub(Process, limit: 2);
        using var one = hub.Subscribe(1, Interval);
        using var two = hub.Subscribe(2, Interval);
        Assert.Throws<LiveHubFullException>(() => hub.Subscribe(3, Interval));
        using var again = hub.Subscribe(1, Interval);
        Assert.Equal([(1, 2), (2, 1)], hub.Watchers().Select(w => (w.Pid, w.Subscribers)));
        Assert.Throws<InvalidRequestException>(() => hub.Subscribe(4, TimeSpan.FromMilliseconds(10)));
        Assert.Throws<InvalidRequestException>(() => hub.Subscribe(4, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task AProcessThatExitsEndsEveryStreamWithAnExitedEvent()
    {
        bool gone = false;
        var hub = new LiveHub(pid => Volatile.Read(ref gone) ? throw new TargetUnavailableException(pid, TargetUnavailableReason.Exited, $"process {pid} has exited") : Process(pid));
        using var first = hub.Subscribe(7, Interval);
        using var second = hub.Subscribe(7, Interval);
        var sampler = hub.SamplerOf(7)!;
        Assert.StartsWith("event: sample", await NextEvent(first));
        Volatile.Write(ref gone, true);
        foreach (var subscription in new[] { first, second })
        {
            var events = new List<string>();
            using var bound = new CancellationTokenSource(Bound);
            await foreach (var frame in subscription.Events.ReadAllAsync(bound.Token)) events.Add(Encoding.UTF8.GetString(frame));
            Assert.StartsWith("event: exited\ndata: {\"schema\":\"pageatlas/watch-end\"", events[^1]);
            Assert.Contains("\"reason\":\"exited\"", events[^1]);
        }
        await sampler.Running.WaitAsync(Bound);
        Assert.Empty(hub.Watchers());
    }
}
