using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using PageAtlas.Labs;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// Two snapshots of the lazy specimen taken by the CLI (`pageatlas snapshot PID -o FILE`) before and
/// after it writes, unmaps and moves known pages and forks (copy-on-write), served with --snapshot
/// (s1, s2); the server, a browser and the files are shared by this class's tests.
/// </summary>
public sealed class SnapshotPairFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-explorer-snap-").FullName;
    private SpecimenProcess? _lazy;

    public string Before => Path.Combine(_directory, "before.db");
    public string After => Path.Combine(_directory, "after.db");
    public int Pid { get; private set; }
    public ulong Area { get; private set; }
    public ExplorerSession Explorer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ExplorerSession.RequireBrowser();
        _lazy = SpecimenProcess.Start("lazy");
        Pid = _lazy.Pid;
        ulong Hex(string text) => Convert.ToUInt64(text, 16);
        Area = Hex(_lazy.Command("map 8").Split(' ')[1]);
        ulong doomed = Hex(_lazy.Command("map 4").Split(' ')[1]);
        ulong moving = Hex(_lazy.Command("map 6").Split(' ')[1]);
        foreach (ulong page in new[] { Area, Area + 4096, Area + 2 * 4096, doomed }) _lazy.Command($"write 0x{page:x}");
        for (ulong i = 0; i < 6; i++) _lazy.Command($"write 0x{moving + i * 4096:x}");
        Snap(Before);
        _lazy.Command($"write 0x{Area + 5 * 4096:x}"); // became present
        _lazy.Command($"unmap 0x{doomed:x} 4");        // unmapped, its VMA removed
        _lazy.Command($"move 0x{moving:x} 6");         // moved: a VMA removed, one added
        _lazy.Command("fork");
        _lazy.Command($"write 0x{Area:x}");            // copied (copy-on-write after fork)
        Snap(After);
        Explorer = await ExplorerSession.StartWith("--snapshot", Before, "--snapshot", After);
    }

    private void Snap(string file)
    {
        var (code, _, err) = CliErrorTests.Run("snapshot", Pid.ToString(CultureInfo.InvariantCulture), "-o", file);
        Assert.True(code == 0, err);
    }

    public async Task DisposeAsync()
    {
        if (Explorer is not null) await Explorer.DisposeAsync();
        _lazy?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>
/// The sources page and the diff view in a real browser against two CLI snapshots: the diff view marks
/// exactly the runs `pageatlas diff --json` lists (and outlines exactly its VMA changes), a mark opens
/// its page in each snapshot, and every view browses a snapshot with the figures the CLI reads from the
/// same file.
/// </summary>
public sealed class ExplorerSnapshotTests(SnapshotPairFixture pair) : IClassFixture<SnapshotPairFixture>
{
    private static (int Code, string Out) Cli(params string[] args)
    {
        var (code, stdout, err) = CliErrorTests.Run(args);
        Assert.True(code == 0, err);
        return (code, stdout);
    }

    private static List<(string Change, string Start, long Pages)> Runs(JsonElement diff) =>
        [.. diff.GetProperty("pages").EnumerateArray().Select(r => (r.GetProperty("change").GetString()!, r.GetProperty("start").GetString()!, r.GetProperty("pages").GetInt64()))
            .OrderBy(r => r.Item2, StringComparer.Ordinal)];

    [SkippableFact]
    public async Task DiffViewMarksExactlyThePagesDiffListsAndAMarkOpensItsPageInEachSnapshot()
    {
        ExplorerSession.RequireBrowser();
        string pid = pair.Pid.ToString(CultureInfo.InvariantCulture);
        using var cliDiff = JsonDocument.Parse(Cli("diff", pair.Before, pair.After, "--json").Out);
        var expected = Runs(cliDiff.RootElement);
        Assert.Contains(expected, r => r.Change == "copied" && r.Start == $"0x{pair.Area:x}");
        Assert.Contains(expected, r => r.Change == "moved" && r.Pages == 6);

        // the API's document is the CLI's
        var api = pair.Explorer.Server.Get($"/api/diff?before=s1&after=s2&pid={pid}");
        Assert.True(JsonElement.DeepEquals(cliDiff.RootElement.GetProperty("pages"), api.GetProperty("pages")), api.GetProperty("pages").GetRawText());
        Assert.True(JsonElement.DeepEquals(cliDiff.RootElement.GetProperty("vmas"), api.GetProperty("vmas")), api.GetProperty("vmas").GetRawText());

        var page = await pair.Explorer.SignedInPage();
        await pair.Explorer.Open(page, $"/diff/s1/s2/processes/{pid}");
        var marks = (await page.Locator("svg.address-map rect.diff-mark").EvaluateAllAsync<JsonElement>(
            "rs => rs.map(r => ({ change: r.dataset.change, start: r.dataset.start, pages: Number(r.dataset.pages) }))"))
            .EnumerateArray().Select(m => (m.GetProperty("change").GetString()!, m.GetProperty("start").GetString()!, m.GetProperty("pages").GetInt64()))
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, marks);
        var rows = (await page.Locator("tr.diff-run").EvaluateAllAsync<JsonElement>(
            "rs => rs.map(r => ({ change: r.dataset.change, start: r.dataset.start, pages: Number(r.dataset.pages) }))"))
            .EnumerateArray().Select(m => (m.GetProperty("change").GetString()!, m.GetProperty("start").GetString()!, m.GetProperty("pages").GetInt64()))
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, rows);

        // every VMA change diff lists is outlined, in its change's class, and nothing else is
        var vmaChanges = cliDiff.RootElement.GetProperty("vmas").EnumerateArray()
            .Select(v => (v.GetProperty("change").GetString()!, (v.GetProperty("after").ValueKind == JsonValueKind.Null ? v.GetProperty("before") : v.GetProperty("after")).GetProperty("start").GetString()!))
            .Order().ToList();
        var outlined = (await page.Locator("svg.address-map rect.diff-vma").EvaluateAllAsync<JsonElement>("rs => rs.map(r => [r.dataset.change, r.dataset.start])"))
            .EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetString()!)).Order().ToList();
        Assert.Equal(vmaChanges, outlined);
        await ExplorerSession.Screenshot(page, "diff-1280");

        // a click on the copied page's mark selects its run; its links open the page in each snapshot
        var copied = page.Locator($"svg.address-map rect.diff-mark[data-start='0x{pair.Area:x}']");
        var box = (await copied.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        Assert.Equal("copied", await page.GetAttributeAsync("tr.diff-run.selected", "data-change"));
        Assert.Equal($"/s1/processes/{pid}/page/0x{pair.Area:x}", await page.GetAttributeAsync(".diff-selected a >> nth=0", "href"));
        await page.ClickAsync(".diff-selected a >> nth=1");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/s2/processes/{pid}/page/0x{pair.Area:x}", page.Url, StringComparison.Ordinal);
        // the page's frame in s2 is the one the CLI walks in the same file
        using var walk = JsonDocument.Parse(Cli("walk", "--snapshot", pair.After, $"0x{pair.Area:x}", "--json").Out);
        string pfn = walk.RootElement.GetProperty("page").GetProperty("pfn").GetString()!;
        Assert.Contains(pfn, await page.InnerTextAsync("main"), StringComparison.Ordinal);

        var wide = await pair.Explorer.SignedInPage(1920, 1080);
        await pair.Explorer.Open(wide, $"/diff/s1/s2/processes/{pid}");
        await ExplorerSession.Screenshot(wide, "diff-1920");
    }

    [SkippableFact]
    public async Task TheDiffsTablesShowEveryFigureAtBothSizesWithoutScrollingSideways()
    {
        ExplorerSession.RequireBrowser();
        foreach (var (width, height) in new[] { (1280, 800), (1920, 1080) })
        {
            var page = await pair.Explorer.SignedInPage(width, height);
            await pair.Explorer.Open(page, $"/diff/s1/s2/processes/{pair.Pid}");
            Assert.True(await page.Locator("table.diff-runs tbody tr").CountAsync() > 0, "no run of changed pages listed");
            await page.Locator("table.diff-runs").ScrollIntoViewIfNeededAsync();
            await ExplorerSession.Screenshot(page, $"diff-{width}-tables");
            string[] outOfSight = await TablesInSight.OutOfSight(page, ("table.diff-vmas", [4, 5]), ("table.diff-runs", [2]));
            Assert.True(outOfSight.Length == 0, $"diff at {width}x{height}, {outOfSight.Length} out of sight: " + string.Join("; ", outOfSight.Take(12)));
            // a box that does not scroll is as tall as its table (its 2 px of border aside): a few rows are not
            // shown in a box of empty space (the boxes had a min-height of 160 px)
            var boxes = await page.Locator(".address-beside .table-scroll").EvaluateAllAsync<JsonElement>(
                "bs => bs.map(b => ({ box: b.clientHeight, table: b.querySelector('table').offsetHeight, scrolls: b.scrollHeight > b.clientHeight }))");
            foreach (var box in boxes.EnumerateArray().Where(b => !b.GetProperty("scrolls").GetBoolean()))
                Assert.True(box.GetProperty("box").GetInt32() <= box.GetProperty("table").GetInt32() + 2,
                    $"diff at {width}x{height}: a table {box.GetProperty("table").GetInt32()} px tall in a box {box.GetProperty("box").GetInt32()} px tall");
            string runs = await page.InnerTextAsync(".address-beside h2 >> nth=1");
            int runCount = await page.Locator("tr.diff-run").CountAsync();
            Assert.Equal($"Pages that changed ({runCount} run{(runCount == 1 ? "" : "s")})", runs);
        }
    }

    [SkippableFact]
    public async Task SourcesPageListsEachSnapshotAndEveryViewBrowsesIt()
    {
        ExplorerSession.RequireBrowser();
        var page = await pair.Explorer.SignedInPage();
        await pair.Explorer.Open(page, "/sources");
        foreach (var (id, file) in new[] { ("s1", pair.Before), ("s2", pair.After) })
        {
            using var snapshot = Snapshot.Open(file);
            var row = page.Locator($"tr[data-source={id}]");
            string text = await row.InnerTextAsync();
            Assert.Contains(Path.GetFileName(file), text, StringComparison.Ordinal);
            Assert.Contains(snapshot.Created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            Assert.Equal(snapshot.HasFrames ? "true" : "false", await row.Locator("td[data-frames]").GetAttributeAsync("data-frames"));
            Assert.Contains($"{pair.Pid} lazy", text, StringComparison.Ordinal);
        }
        Assert.Equal(1, await page.Locator("tr[data-source=live]").CountAsync());
        await ExplorerSession.Screenshot(page, "sources");

        // the form opens the diff of the two (an upload by another test may have added a third)
        await page.SelectOptionAsync("form.diff-form select[name=before]", "s1");
        await page.SelectOptionAsync("form.diff-form select[name=after]", "s2");
        await page.ClickAsync("form.diff-form button");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/diff/s1/s2/processes/{pair.Pid}", page.Url, StringComparison.Ordinal);

        // processes of s1, then its address space: the VMAs `maps --snapshot --json` reads from the file
        await pair.Explorer.Open(page, "/s1/processes");
        Assert.Equal(1, await page.Locator($"tr[data-pid='{pair.Pid}']").CountAsync());
        await page.ClickAsync($"tr[data-pid='{pair.Pid}'] a");
        await ExplorerSession.ViewReady(page);
        using var maps = JsonDocument.Parse(Cli("maps", "--snapshot", pair.Before, "--json").Out);
        var starts = maps.RootElement.GetProperty("vmas").EnumerateArray().Select(v => v.GetProperty("start").GetString()).ToList();
        Assert.Equal(starts, await page.Locator("svg.address-map g.vma").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.start)"));

        // its pages, and a page's walk: the PFN the CLI walks in the file
        await pair.Explorer.Open(page, $"/s1/processes/{pair.Pid}/vma/0x{pair.Area:x}");
        await pair.Explorer.Open(page, $"/s1/processes/{pair.Pid}/page/0x{pair.Area:x}");
        using var walk = JsonDocument.Parse(Cli("walk", "--snapshot", pair.Before, $"0x{pair.Area:x}", "--json").Out);
        string pfn = walk.RootElement.GetProperty("page").GetProperty("pfn").GetString()!;
        Assert.Contains(pfn, await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ExplorerSession.Screenshot(page, "snapshot-page");

        // the frame alone (this snapshot kept no machine frames: its owners are searched among the
        // saved processes, with the flags saved with them): the owners `frame --snapshot --json` lists
        await pair.Explorer.Open(page, $"/s1/frames/{pfn}");
        using var frame = JsonDocument.Parse(Cli("frame", "--snapshot", pair.Before, pfn, "--json").Out);
        var owners = frame.RootElement.GetProperty("mappings").EnumerateArray()
            .Select(m => $"{m.GetProperty("pid").GetInt32()} {m.GetProperty("address").GetString()}").Order(StringComparer.Ordinal).ToList();
        Assert.Contains($"{pair.Pid} 0x{pair.Area:x}", owners);
        Assert.Equal(owners, (await page.Locator("table.mappings tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.pid + ' ' + r.dataset.address)"))
            .Order(StringComparer.Ordinal));
        Assert.Contains(frame.RootElement.GetProperty("flags").GetString()!, await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ExplorerSession.Screenshot(page, "snapshot-frame");
    }

    [SkippableFact]
    public async Task ARefusedUploadsMessageShowsTheFileNameItNamesEscaped()
    {
        ExplorerSession.RequireBrowser();
        var page = await pair.Explorer.SignedInPage();
        await pair.Explorer.Open(page, "/sources");
        // not a snapshot: the server refuses it (422) with one line naming the file as it was sent; raw,
        // the ESC and the U+202E in that name reached the status line (the right-to-left override
        // reversing the line's own words after it)
        const string name = "esc\u001b[2J\u202eevil.db";
        await page.SetInputFilesAsync("form.upload-form input[type=file]",
            new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = new byte[4096] });
        await page.ClickAsync("form.upload-form button");
        var status = page.Locator("p.upload-status.error");
        await status.WaitForAsync();
        string shown = (await status.TextContentAsync())!;
        Assert.Contains(TerminalText.Escape(name), shown, StringComparison.Ordinal);
        Assert.Contains("(HTTP 422)", shown, StringComparison.Ordinal);
        Assert.False(TerminalText.NeedsEscape(shown), $"a control or bidi character reached the status line raw: {TerminalText.Escape(shown)}");
        await ExplorerSession.Screenshot(page, "sources-refused-upload");
    }

    [SkippableFact]
    public async Task ASnapshotUploadedFromThePageBecomesASourceThatBrowses()
    {
        ExplorerSession.RequireBrowser();
        var page = await pair.Explorer.SignedInPage();
        await pair.Explorer.Open(page, "/sources");
        int before = await page.Locator("tr[data-source]").CountAsync();
        await page.SetInputFilesAsync("form.upload-form input[type=file]", pair.After);
        await page.ClickAsync("form.upload-form button");
        var added = page.Locator("tr.added");
        await added.WaitForAsync();
        await ExplorerSession.ViewReady(page);
        Assert.Equal(before + 1, await page.Locator("tr[data-source]").CountAsync());
        string id = (await added.GetAttributeAsync("data-source"))!;
        Assert.Contains("after.db (uploaded)", await added.InnerTextAsync(), StringComparison.Ordinal);
        await ExplorerSession.Screenshot(page, "sources-uploaded");
        // it browses as s2 (the same file) does
        await pair.Explorer.Open(page, $"/{id}/processes/{pair.Pid}");
        using var maps = JsonDocument.Parse(Cli("maps", "--snapshot", pair.After, "--json").Out);
        Assert.Equal(maps.RootElement.GetProperty("vmas").EnumerateArray().Select(v => v.GetProperty("start").GetString()).ToList(),
            await page.Locator("svg.address-map g.vma").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.start)"));
    }
}
