using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using PageAtlas.Rendering;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The live view against the lazy specimen (its heap grows on command, untouched, and a page arrives
/// only when it writes one): the page grid shows the heap page arrive after the write, at the index
/// pagemap gives, then after a fork and a write by the parent marks it copied (the parent's and the
/// child's pagemaps give one frame, then two); two tabs watching one process run one sampler on the server, which stops once both
/// close; the process exiting ends the stream with an "exited" event the page shows.
/// </summary>
public sealed class ExplorerLiveTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    /// <summary>A generous bound on a hang, not a timing assert.</summary>
    private const int BoundMs = 60_000;

    private static (ulong Start, ulong End) VmaHolding(int pid, ulong address) =>
        File.ReadLines($"/proc/{pid}/maps").Select(line =>
        {
            string[] range = line.Split(' ')[0].Split('-');
            return (ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }).Single(r => r.Item1 <= address && address < r.Item2);

    /// <summary>A page watching <paramref name="pid"/>, its first sample drawn; nothing the process list's or the live view's load asked for answered 400 or more (the tab's icon included: the browser asks for /favicon.ico when the page names none).</summary>
    private async Task<IPage> Watching(int pid, int width = 1280, int height = 800)
    {
        var (page, failed) = await explorer.SignedInPageWatchingAnswers(width, height);
        await explorer.Open(page, $"/live/processes/{pid}/live?interval=100");
        await page.Locator(".live-status[data-live-state=watching]").WaitForAsync();
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-samples]').dataset.samples) >= 1", null, new() { Timeout = BoundMs });
        lock (failed) Assert.Empty(failed);
        await ExplorerSession.AssertIconServed(page);
        return page;
    }

    [SkippableFact]
    public async Task TheLazyHeapPageArrivesInTheGridAfterTheSpecimenWritesItAndTheExitEndsTheWatch()
    {
        ExplorerSession.RequireBrowser();
        var lazy = Specimen.StartProgram("lazy");
        bool ended = false;
        try
        {
            var page = await Watching(lazy.Pid);

            var grown = lazy.Command("sbrk 16").Split(' ');
            ulong old = Convert.ToUInt64(grown[1], 16);
            var (start, end) = VmaHolding(lazy.Pid, old);
            // The heap appears with no page present; the view picks it for its grid.
            var grid = page.Locator($"canvas.live-grid[data-drawn=complete][data-start='0x{start:x}']");
            await grid.WaitForAsync();
            Assert.Equal("", await grid.GetAttributeAsync("data-present"));
            Assert.True(await LiveVmaTable.ChosenRowInSight(page), "the heap's row, chosen for the grid, is not in sight");
            Assert.Empty(PagemapFile.PresentFrames(lazy.Pid, start, end));

            ulong written = old + (3 * 4096);
            lazy.Command($"write 0x{written:x}");
            await page.WaitForFunctionAsync("() => document.querySelector('canvas.live-grid').dataset.present !== ''", null, new() { Timeout = BoundMs });
            // Exactly the page pagemap says is present, and marked as just arrived.
            var present = PagemapFile.PresentFrames(lazy.Pid, start, end).Keys.Select(a => ((a - start) / 4096).ToString(CultureInfo.InvariantCulture));
            Assert.Equal(string.Join(",", present), await grid.GetAttributeAsync("data-present"));
            Assert.Equal(((written - start) / 4096).ToString(CultureInfo.InvariantCulture), await grid.GetAttributeAsync("data-arrived"));
            // The grid is read after a sample: the write can land between the two, so the grid may show
            // the page one sample before the VMA table and the log do; they follow at the next sample.
            // (the heap's row found as a user would, by its address in the filter box: the table draws only the rows in sight)
            await page.FillAsync("input.live-filter", $"0x{written:x}");
            await page.WaitForFunctionAsync($"() => document.querySelector(\"table.live-vmas tr[data-start='0x{start:x}']\")?.dataset.present === '1'", null, new() { Timeout = BoundMs });
            await page.WaitForFunctionAsync("() => document.querySelector('ol.live-log').innerText.includes('+1')", null, new() { Timeout = BoundMs });
            await ExplorerSession.Screenshot(page, "live-1280");

            // Fork: the page is shared copy-on-write (one frame, both pagemaps say so); the parent
            // writes it and gets its own copy, which the grid marks as copied.
            string index = ((written - start) / 4096).ToString(CultureInfo.InvariantCulture);
            int child = int.Parse(lazy.Command("fork").Split(' ')[1], CultureInfo.InvariantCulture);
            await page.WaitForFunctionAsync($"() => document.querySelector('canvas.live-grid').dataset.shared === '{index}'", null, new() { Timeout = BoundMs });
            ulong frame = PagemapFile.PresentFrames(lazy.Pid, written, written + 4096)[written];
            Assert.Equal(frame, PagemapFile.PresentFrames(child, written, written + 4096)[written]);
            lazy.Command($"write 0x{written:x}");
            await page.WaitForFunctionAsync($"() => document.querySelector('canvas.live-grid').dataset.copied === '{index}'", null, new() { Timeout = BoundMs });
            Assert.NotEqual(PagemapFile.PresentFrames(lazy.Pid, written, written + 4096)[written], PagemapFile.PresentFrames(child, written, written + 4096)[written]);
            Assert.Equal("", await grid.GetAttributeAsync("data-shared"));
            Assert.Contains("1 page(s) copied", await page.InnerTextAsync("ol.live-log"), StringComparison.Ordinal);
            await ExplorerSession.Screenshot(page, "live-copied-1280");
            var wide = await Watching(lazy.Pid, 1920, 1080);
            await wide.Locator("canvas.live-grid[data-drawn=complete]").WaitForAsync();
            // The box grew to its full height after the first rows were drawn in it (still short): every
            // one of the few VMAs fits, so every one is a row, none left blank until a scroll.
            int vmas = int.Parse((await wide.GetAttributeAsync("table.live-vmas", "data-vmas"))!, CultureInfo.InvariantCulture);
            Assert.InRange(vmas, 2, 28); // 1920×1080 holds 29 rows
            await wide.WaitForFunctionAsync($"() => document.querySelectorAll('table.live-vmas tbody tr[data-start]').length === {vmas}", null, new() { Timeout = BoundMs });
            await ExplorerSession.Screenshot(wide, "live-1920");

            // The process exits: the server's "exited" event ends the watch and the page says so.
            lazy.Dispose();
            ended = true;
            var exited = page.Locator(".live-status[data-live-state=exited]");
            await exited.WaitForAsync(new() { Timeout = BoundMs });
            Assert.Contains("exited", await exited.InnerTextAsync(), StringComparison.Ordinal);
            await ExplorerSession.Screenshot(page, "live-exited");
        }
        finally
        {
            if (!ended) lazy.Dispose();
        }
    }

    [SkippableFact]
    public async Task TheHeadingShowsAHostileNameAsTheCliEscapesNeverReorderedOrHidden()
    {
        ExplorerSession.RequireBrowser();
        // named "\e[2J\r\nFAKE" U+202E U+009B: written raw into the heading, its U+202E reversed the
        // "(pid)" after it and its newline showed as a space
        using var hostile = new HostileProcess();
        var page = await Watching(hostile.Pid);
        // The heading says "Live: process PID" until the first VMA's document names the command.
        await page.WaitForFunctionAsync("() => !document.querySelector('h1').textContent.startsWith('Live: process ')", null, new() { Timeout = BoundMs });
        Assert.Equal($"Live: {TerminalText.Escape(hostile.Command)} ({hostile.Pid})", await page.TextContentAsync("h1"));
        Assert.False(TerminalText.NeedsEscape((await page.TextContentAsync("section.view"))!), "a control or bidi character reached the live view raw");
        // its long file names are cut in the VMA table, not its figures: every column's header within the table's box
        string[] outOfSight = await page.EvaluateAsync<string[]>(@"() => {
            const box = document.querySelector('.live-vma-scroll'), edge = box.getBoundingClientRect();
            const right = Math.min(document.documentElement.clientWidth, edge.left + box.clientLeft + box.clientWidth);
            return [...box.querySelectorAll('thead th')].filter(th => th.getBoundingClientRect().right > right + 0.5)
                .map(th => `${th.textContent || 'bar'} ends at ${th.getBoundingClientRect().right.toFixed(0)} px, the box at ${right.toFixed(0)}`);
        }");
        Assert.True(outOfSight.Length == 0, string.Join("; ", outOfSight));
        await ExplorerSession.Screenshot(page, "live-hostile-1280");
    }

    [SkippableFact]
    public async Task TwoTabsWatchingOneProcessRunOneSamplerThatStopsWhenBothClose()
    {
        ExplorerSession.RequireBrowser();
        using var lazy = Specimen.StartProgram("lazy");
        using var client = ServedExplorer.Authorised(new Uri(explorer.TokenUrl).Query["?token=".Length..]);
        JsonElement[] SamplersOf(int pid)
        {
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(explorer.Root, "api/live/watchers")));
            Assert.True(response.IsSuccessStatusCode, $"watchers: {(int)response.StatusCode}");
            using var document = JsonDocument.Parse(response.Content.ReadAsStream());
            return document.RootElement.GetProperty("watchers").EnumerateArray().Where(w => w.GetProperty("pid").GetInt32() == pid).Select(w => w.Clone()).ToArray();
        }

        var first = await Watching(lazy.Pid);
        var second = await Watching(lazy.Pid);
        var sampler = Assert.Single(SamplersOf(lazy.Pid));
        Assert.Equal(2, sampler.GetProperty("subscribers").GetInt32());
        Assert.Equal(0.1, sampler.GetProperty("intervalSeconds").GetDouble());

        await first.CloseAsync();
        // The server notices the closed connection: one subscriber is left, then none and no sampler.
        await WaitFor(() => SamplersOf(lazy.Pid) is [var s] && s.GetProperty("subscribers").GetInt32() == 1, "the first tab's stream to be dropped");
        await second.CloseAsync();
        await WaitFor(() => SamplersOf(lazy.Pid).Length == 0, "the sampler to stop once both tabs closed");
    }

    /// <summary>Waits for a condition the server reaches on its own (a bound on a hang, not a timing assert).</summary>
    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(BoundMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {BoundMs / 1000} s for {what}");
            await Task.Delay(100);
        }
    }
}
