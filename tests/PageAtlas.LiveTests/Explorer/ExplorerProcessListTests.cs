using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The live process list is the server's shared reading of every process: requests at once share one
/// reading (the document's <c>measured.sequence</c> and /metrics' count of readings say so),
/// <c>?fresh=1</c> waits for a reading that started after it, and every answer says how old it is.
/// </summary>
public sealed class ExplorerProcessListTests
{
    [Fact]
    public async Task FreshRequestsAtOnceShareReadings()
    {
        using var server = ServedExplorer.Start();
        // Eight fresh requests at once. Those that arrive while one reading runs share the next; a
        // request that arrives just after that next one started must wait for the one after it (its
        // figures must be newer than its asking), so on a machine of few processes, where a reading
        // takes milliseconds, the eight may straddle a reading or two — but a server that read anew
        // for each request would answer with eight different readings.
        // Sent asynchronously (a blocking request a thread-pool thread would be sent two at a time on two
        // CPUs), over connections opened beforehand by as many plain requests, so that they arrive together.
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => server.Client.GetStringAsync(new Uri(server.Root, "api/live/processes"))));
        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => server.Client.GetStringAsync(new Uri(server.Root, "api/live/processes?fresh=1"))));
        long[] collections = answers.Select(a => Collection(JsonDocument.Parse(a).RootElement)).ToArray();
        Assert.True(collections.Distinct().Count() <= Requests / 2, $"{Requests} fresh requests at once were answered from readings {string.Join(", ", collections)}");
        // The server's own count of readings started: the newest answered, and at most one more that the
        // scrape itself may start when the reading is already older than the 5 s interval (a loaded machine).
        long started = Counter(Metrics(server), "pageatlas_exporter_collections_total");
        Assert.InRange(started, collections.Max(), collections.Max() + 1);
        // Reading, a plain request after it is answered from the newest (or a newer one), never from an older one.
        Assert.True(Collection(server.Get("api/live/processes")) >= collections.Max());
    }

    private const int Requests = 8;

    [Fact]
    public void FreshFiguresIncludeAProcessStartedAfterTheCachedReading()
    {
        using var server = ServedExplorer.Start();
        var cached = server.Get("api/live/processes");
        using var specimen = Specimen.Start("--touch-mib", "4");
        for (int attempt = 1; ; attempt++)
        {
            ulong before = Smaps.Rollup(specimen.Pid)["Rss"];
            var fresh = server.Get("api/live/processes?fresh=1");
            ulong after = Smaps.Rollup(specimen.Pid)["Rss"];
            Assert.True(Collection(fresh) > Collection(cached), "a fresh answer came from the reading it should have replaced");
            var listed = fresh.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("pid").GetInt32() == specimen.Pid);
            // RSS can move between the two readings of smaps_rollup (the specimen's own stack, a page
            // cache eviction): only a stable pair is compared.
            if (before != after && attempt < 10) continue;
            Assert.Equal(before * 1024, listed.GetProperty("rssBytes").GetUInt64());
            return;
        }
    }

    [Fact]
    public void EveryLiveAnswerSaysWhenItsReadingStartedAndHowOldItIs()
    {
        using var server = ServedExplorer.Start();
        var first = server.Get("api/live/processes?fresh=1");
        var (at, age) = Measured(first);
        var now = DateTimeOffset.UtcNow;
        Assert.InRange(age, 0, 600);
        // The reading started before the answer came: its start and its age agree with the clock (a
        // millisecond of rounding, and the test's own time between the answer and now).
        Assert.True(at <= now, $"measured.time {at:O} is after now {now:O}");
        Assert.True(now - at >= TimeSpan.FromSeconds(age) - TimeSpan.FromMilliseconds(2), $"measured.time {at:O} and ageSeconds {age} disagree with now {now:O}");
        var again = server.Get("api/live/processes");
        if (Collection(again) == Collection(first))
        {
            // Served from the same reading: older now, same start.
            Assert.Equal(at, Measured(again).At);
            Assert.True(Measured(again).AgeSeconds >= age);
        }
        Assert.Equal((int)HttpStatusCode.BadRequest, server.Get("api/live/processes?fresh=yes", HttpStatusCode.BadRequest).GetProperty("status").GetInt32());
    }

    private static long Collection(JsonElement list) => list.GetProperty("measured").GetProperty("sequence").GetInt64();

    private static (DateTimeOffset At, double AgeSeconds) Measured(JsonElement list)
    {
        var measured = list.GetProperty("measured");
        return (DateTimeOffset.Parse(measured.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            measured.GetProperty("ageSeconds").GetDouble());
    }

    private static string Metrics(ServedExplorer server)
    {
        using var response = server.Client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "/metrics")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
    }

    /// <summary>The value of an unlabelled series in a Prometheus text exposition.</summary>
    internal static long Counter(string exposition, string name) =>
        (long)Sample(exposition, name);

    /// <summary>The value of an unlabelled series in a Prometheus text exposition.</summary>
    internal static double Sample(string exposition, string name)
    {
        string line = exposition.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
