using System.Text.Json;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The live watch's samples cost what changed: a stream's first sample lists every VMA of the process
/// (those of /proc/PID/maps), the next ones only the VMAs that changed (none, for a specimen idle on
/// its input); a second stream joining the same sampler later gets, as its first sample, the whole map
/// again (a later sequence, every VMA), then changes alone.
/// </summary>
public sealed class ExplorerLiveSampleTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    /// <summary>A stream of the watch's samples, read event by event.</summary>
    private sealed class SampleStream(HttpResponseMessage response) : IDisposable
    {
        private readonly StreamReader _reader = new(response.Content.ReadAsStream());

        /// <summary>The next "sample" event's data (a bound on a hang: the HTTP client's timeout).</summary>
        public JsonElement Next()
        {
            string? name = null;
            while (_reader.ReadLine() is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "sample")
                {
                    using var document = JsonDocument.Parse(line["data: ".Length..]);
                    return document.RootElement.Clone();
                }
            }
            throw new InvalidOperationException($"the stream ended (last event: {name})");
        }

        public void Dispose()
        {
            _reader.Dispose();
            response.Dispose();
        }
    }

    private SampleStream Watch(HttpClient client, int pid)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(explorer.Root, $"api/live/processes/{pid}/watch?interval=100"));
        var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"watch: {(int)response.StatusCode}");
        return new SampleStream(response);
    }

    private static ulong[] Starts(JsonElement sample) =>
        [.. sample.GetProperty("changes").EnumerateArray().Select(c => Convert.ToUInt64(c.GetProperty("vma").GetProperty("start").GetString(), 16))];

    private static ulong[] MapsStarts(int pid) =>
        [.. File.ReadLines($"/proc/{pid}/maps").Select(l => Convert.ToUInt64(l[..l.IndexOf('-', StringComparison.Ordinal)], 16))];

    [SkippableFact]
    public void AStreamGetsEveryVmaFirstThenOnlyWhatChangedAndALateOneGetsTheWholeMap()
    {
        ExplorerSession.RequireBrowser();
        using var lazy = Specimen.StartProgram("lazy");
        using var client = ServedExplorer.Authorised(new Uri(explorer.TokenUrl).Query["?token=".Length..]);
        var maps = MapsStarts(lazy.Pid);

        using var first = Watch(client, lazy.Pid);
        var whole = first.Next();
        Assert.True(whole.GetProperty("everyVma").GetBoolean());
        Assert.Equal(maps, Starts(whole));
        for (int i = 0; i < 2; i++)
        {
            var next = first.Next();
            Assert.False(next.GetProperty("everyVma").GetBoolean());
            // idle on its input: nothing changes
            Assert.Empty(Starts(next));
        }

        using var late = Watch(client, lazy.Pid);
        var joined = late.Next();
        Assert.True(joined.GetProperty("everyVma").GetBoolean());
        Assert.True(joined.GetProperty("sequence").GetInt32() >= 3, "the late stream shares the sampler already running");
        Assert.Equal(maps, Starts(joined));
        var after = late.Next();
        Assert.False(after.GetProperty("everyVma").GetBoolean());
        Assert.Empty(Starts(after));
    }

    [SkippableFact]
    public async Task TheLiveViewKeepsEveryRowFromChangesAloneScalesItsChartToItsSamplesAndNeverReadsTheWholeMaps()
    {
        ExplorerSession.RequireBrowser();
        using var lazy = Specimen.StartProgram("lazy");
        var page = await explorer.SignedInPage();
        var asked = new List<string>();
        page.Request += (_, request) => asked.Add(new Uri(request.Url).AbsolutePath);
        await explorer.Open(page, $"/live/processes/{lazy.Pid}/live?interval=100");
        // a bound on a hang, not a timing assert
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-samples]').dataset.samples) >= 4", null, new() { Timeout = 60_000 });

        // samples 2-4 listed no VMA (idle): the rows are still every VMA of the first, in order (the
        // table draws the rows in sight: read by scrolling it through)
        var rows = await LiveVmaTable.StartsByScrolling(page);
        Assert.Equal(MapsStarts(lazy.Pid), rows.Select(r => Convert.ToUInt64(r, 16)));
        // the chart spans its width with the few samples it holds (it drew them in a sliver before)
        string points = (await page.GetAttributeAsync("svg.live-chart polyline", "points"))!;
        Assert.Equal("720.0", points.Split(' ')[^1].Split(',')[0]);
        await page.WaitForFunctionAsync("() => document.querySelector('h1').textContent.includes('lazy')", null, new() { Timeout = 60_000 });
        Assert.DoesNotContain(asked, path => path.EndsWith("/maps", StringComparison.Ordinal));
    }
}
