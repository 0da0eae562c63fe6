using System.Text.Json;

namespace PageAtlas.Rendering;

/// <summary>One watched process as the explorer's live hub runs it: its pid, how many pages watch it, the interval it is sampled at, the samples taken.</summary>
public readonly record struct LiveWatcher(int Pid, int Subscribers, TimeSpan Interval, int Samples);

/// <summary>
/// The explorer's live documents besides the samples (which are "pageatlas/watch", <see cref="TimelineJson"/>):
/// "pageatlas/watch-end", the last event of a watch, and "pageatlas/watchers", the samplers running.
/// </summary>
public static class LiveJson
{
    /// <summary>Why a watch ended: <paramref name="reason"/> is "exited" (the process is gone) or "failed" (it could not be read).</summary>
    public static void WriteEnd(Utf8JsonWriter json, int pid, int samples, string reason, string message)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "watch-end");
        json.WriteNumber("pid", pid);
        json.WriteString("reason", reason);
        json.WriteNumber("samples", samples);
        json.WriteString("message", message);
        json.WriteEndObject();
    }

    /// <summary>Every sampler running, and the most there may be.</summary>
    public static void WriteWatchers(Utf8JsonWriter json, IEnumerable<LiveWatcher> watchers, int limit)
    {
        json.WriteStartObject();
        JsonRecords.WriteSchema(json, "watchers");
        json.WriteNumber("limit", limit);
        json.WriteStartArray("watchers");
        foreach (var w in watchers)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", w.Pid);
            json.WriteNumber("subscribers", w.Subscribers);
            json.WriteNumber("intervalSeconds", w.Interval.TotalSeconds);
            json.WriteNumber("samples", w.Samples);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
