using System.Threading.Channels;

namespace PageAtlas.Server.Live;

/// <summary>
/// One page watching a process: the events its sampler hands it, queued until its response writes
/// them. The queue is bounded: a page that stops reading loses its oldest samples, never the
/// server's memory (each sample lists every VMA, so the newest one says all a late reader needs).
/// </summary>
internal sealed class LiveSubscription : IDisposable
{
    private readonly Channel<byte[]> _events = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(32)
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

    /// <summary>Queues an event.</summary>
    public void Offer(byte[] frame) => _events.Writer.TryWrite(frame);

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
