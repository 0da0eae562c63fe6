using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace PageAtlas;

/// <summary>
/// Buffers filled on a second thread and used, in the order they were filled, on the caller's: the
/// second thread reads or formats the next buffer while the caller uses the one before (the maps
/// file's next chunk while the caller parses, every other chunk of a long table's rows while the
/// caller writes). At most as many buffers are held as were given; a buffer taken is given back
/// (<see cref="Return"/>) to be filled again.
/// <para>
/// A fill that throws ends the filling; the caller meets its exception in <see cref="TryTake"/>, after
/// the buffers filled before it, as it would have met it filling them itself. Disposing stops the
/// second thread at its next buffer and waits for it, so that the caller may then release what the
/// fill reads (a file, the buffers).
/// </para>
/// </summary>
/// <typeparam name="TBuffer">A buffer: what it holds once filled is the fill's and the caller's business.</typeparam>
public sealed class BufferRelay<TBuffer> : IDisposable where TBuffer : class
{
    private readonly BlockingCollection<TBuffer> _free;
    private readonly BlockingCollection<TBuffer> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Starts filling <paramref name="buffers"/> on a thread named <paramref name="threadName"/>.</summary>
    /// <param name="threadName">The second thread's name (shown by ps, perf and debuggers).</param>
    /// <param name="buffers">The buffers to fill, one or more.</param>
    /// <param name="fill">Fills a buffer, on the second thread; returns whether more will follow (false: that buffer is the last).</param>
    public BufferRelay(string threadName, IReadOnlyCollection<TBuffer> buffers, Func<TBuffer, bool> fill)
    {
        ArgumentOutOfRangeException.ThrowIfZero(buffers.Count);
        _free = new BlockingCollection<TBuffer>(buffers.Count);
        _ready = new BlockingCollection<TBuffer>(buffers.Count);
        foreach (var buffer in buffers) _free.Add(buffer);
        _thread = new Thread(() => FillAll(fill)) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    private void FillAll(Func<TBuffer, bool> fill)
    {
        try
        {
            bool more = true;
            while (more)
            {
                var buffer = _free.Take(_stop.Token);
                more = fill(buffer);
                _ready.Add(buffer, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The caller stopped: nothing more is wanted.
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }

    /// <summary>The next buffer filled, in order; false once the last was taken.</summary>
    /// <exception cref="Exception">What the fill threw, once the buffers filled before it were taken.</exception>
    public bool TryTake([NotNullWhen(true)] out TBuffer? buffer)
    {
        if (_ready.TryTake(out buffer, Timeout.Infinite)) return true;
        _thread.Join();
        _failure?.Throw();
        return false;
    }

    /// <summary>Gives back a buffer <see cref="TryTake"/> gave, to be filled again.</summary>
    public void Return(TBuffer buffer) => _free.Add(buffer);

    /// <summary>Stops the second thread at its next buffer and waits for it to end.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _free.Dispose();
        _ready.Dispose();
        _stop.Dispose();
    }
}
