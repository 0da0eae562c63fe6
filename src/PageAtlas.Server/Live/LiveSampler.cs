using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Live;

/// <summary>
/// The one sampler of one watched process, however many pages watch it: a <see cref="Timeline"/>
/// (the CLI's `watch`) sampled every interval — the shortest any of its subscribers asked for — each
/// sample written once as a server-sent event and handed to every subscriber. Ends when the process
/// exits (an "exited" event, then each subscriber's stream ends) or when its last subscriber leaves.
/// </summary>
internal sealed class LiveSampler
{
    private readonly object _lock = new();
    private readonly List<LiveSubscription> _subscribers = [];
    /// <summary>Completed when sampling is to stop: the last subscriber left, or the process ended.</summary>
    private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timeline _timeline;
    private readonly Action<LiveSampler> _ended;
    private int _samples;

    public LiveSampler(int pid, Timeline timeline, Action<LiveSampler> ended)
    {
        Pid = pid;
        _timeline = timeline;
        _ended = ended;
    }

    public int Pid { get; }

    /// <summary>Samples taken so far.</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>The loop, running from <see cref="Start"/> until the process exits or the last subscriber leaves.</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>How many subscribers it has now.</summary>
    public int Subscribers
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    /// <summary>The interval it samples at now: the shortest of its subscribers'.</summary>
    public TimeSpan Interval
    {
        get { lock (_lock) return _subscribers.Count == 0 ? TimeSpan.Zero : _subscribers.Min(s => s.Interval); }
    }

    /// <summary>Whether it has ended (no subscriber can join it any more).</summary>
    public bool Ended => _stop.Task.IsCompleted;

    public void Start() => Running = Task.Run(Loop);

    /// <summary>Adds a subscriber (false when the sampler has just ended: the hub starts another).</summary>
    public bool TryAdd(LiveSubscription subscription)
    {
        lock (_lock)
        {
            if (Ended) return false;
            _subscribers.Add(subscription);
            return true;
        }
    }

    /// <summary>Removes a subscriber; the last one gone stops the sampling.</summary>
    public void Remove(LiveSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
            if (_subscribers.Count > 0) return;
            _stop.TrySetResult();
        }
    }

    private async Task Loop()
    {
        try
        {
            while (!Ended)
            {
                TimelineSample sample;
                try
                {
                    sample = _timeline.Next();
                }
                catch (TargetUnavailableException e)
                {
                    Finish("exited", Samples > 0 ? $"process {Pid} exited after {Samples} sample(s)" : e.Message);
                    return;
                }
                catch (PageAtlasException e)
                {
                    Finish("failed", e.Message);
                    return;
                }
                Interlocked.Increment(ref _samples);
                Broadcast(sample);
                await Task.WhenAny(Task.Delay(Interval), _stop.Task);
            }
        }
        finally
        {
            lock (_lock) _stop.TrySetResult();
            _ended(this);
        }
    }

    /// <summary>The last event: every subscriber gets it, then its stream ends.</summary>
    private void Finish(string name, string message)
    {
        var frame = Event(name, json => LiveJson.WriteEnd(json, Pid, Samples, name, message));
        lock (_lock)
        {
            _stop.TrySetResult();
            foreach (var subscriber in _subscribers) subscriber.End(frame);
        }
    }

    /// <summary>
    /// Hands the sample to every subscriber: the changes alone (written once), or to one that has not
    /// seen every sample, the sample with every VMA (written once too, only when someone needs it).
    /// </summary>
    private void Broadcast(TimelineSample sample)
    {
        byte[]? changes = null, every = null;
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                if (sample.EveryVma || !subscriber.NeedsEveryVma) subscriber.Offer(changes ??= SampleEvent(sample), sample.EveryVma);
                else subscriber.Offer(every ??= SampleEvent(_timeline.WithEveryVma(sample)), everyVma: true);
            }
        }
    }

    private static byte[] SampleEvent(TimelineSample sample) => Event("sample", json => TimelineJson.Write(json, sample));

    private static readonly JsonWriterOptions s_options = new() { Encoder = TerminalSafeJsonEncoder.Instance };

    /// <summary>One server-sent event: "event: NAME", one "data:" line of JSON (the writers write no newline), a blank line.</summary>
    private static byte[] Event(string name, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        buffer.Write(Encoding.ASCII.GetBytes($"event: {name}\ndata: "));
        using (var json = new Utf8JsonWriter(buffer, s_options)) write(json);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
