using System.Threading.Channels;

namespace PageAtlas.Server.Live;

/// <summary>
/// One page watching a process: the events its sampler hands it, queued until its response writes
/// them. A sample lists only the VMAs that changed, so a page must see them all from one that lists
/// every VMA on: it gets such a sample first, and again after its queue was too full to take one (a
/// page that stops reading costs the server a bounded queue, and it misses samples, never a change).
/// </summary>
internal sealed class LiveSubscription : IDisposable
{
    private const int Capacity = 32;
    private readonly Channel<byte[]> _events = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });
    private readonly Action<LiveSubscription> _leave;
    private int _left;

    public LiveSubscription(TimeSpan interval, Action<LiveSubscription> leave)
    {
        Interval = interval;
        _leave = leave;
    }

    /// <summary>The interval this page asked for.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The events, in order; completed after the last one (the process exited).</summary>
    public ChannelReader<byte[]> Events => _events.Reader;

    /// <summary>Whether the next sample it gets must list every VMA: none reached it yet, or one did not fit.</summary>
    public bool NeedsEveryVma { get; private set; } = true;

    /// <summary>
    /// Queues a sample (<paramref name="everyVma"/>: one that lists every VMA); when the queue is nearly
    /// full it is skipped, and the next one must list every VMA (the last place is kept for the ending).
    /// </summary>
    public void Offer(byte[] frame, bool everyVma)
    {
        if (_events.Reader.Count >= Capacity - 1 || !_events.Writer.TryWrite(frame))
        {
            NeedsEveryVma = true;
            return;
        }
        if (everyVma) NeedsEveryVma = false;
    }

    /// <summary>Queues the last event and ends the stream (a full queue drops a sample, never the ending).</summary>
    public void End(byte[] frame)
    {
        _events.Writer.TryWrite(frame);
        _events.Writer.TryComplete();
    }

    /// <summary>The page has gone (its connection closed, or its stream ended): leaves the sampler.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0) _leave(this);
    }
}
