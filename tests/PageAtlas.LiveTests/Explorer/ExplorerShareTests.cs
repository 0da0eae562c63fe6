using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The sharing view against forkpair (a parent and its child, every page of its data, bss and heap
/// shared copy-on-write until one of them writes it): the figures the view shows equal `share --json`
/// of the same pair taken alongside, the pages listed behind a figure have the PFNs both processes'
/// pagemaps give, and a snapshot of the pair is answered as the CLI answers it.
/// </summary>
public sealed class ExplorerShareTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    private static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    private static ulong Hex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static JsonElement CliJson(params string[] args)
    {
        var (code, output, err) = RunningCli.Run(TimeSpan.FromSeconds(120), args);
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    /// <summary>A group of a share document: a class by kind, or a VMA by kind and rank.</summary>
    private static JsonElement Group(JsonElement share, string list, string kind, int? rank = null) =>
        share.GetProperty(list).EnumerateArray().Single(g => g.GetProperty("class").GetProperty("kind").GetString() == kind
            && (rank is null || g.GetProperty("rank").GetInt32() == rank));

    private static (long Same, long Other, long Common) Figures(JsonElement group) =>
        (group.GetProperty("sameAddressSameFramePages").GetInt64(), group.GetProperty("sameAddressOtherFramePages").GetInt64(), group.GetProperty("commonFrames").GetInt64());

    /// <summary>The pair with one heap page and one data page written by the child since the fork: each copied, the rest still shared.</summary>
    private static SpecimenProcess ForkedPairWithCopies()
    {
        var pair = Specimen.StartProgram("forkpair");
        pair.Command($"child-write 0x{(pair["heap"] & ~0xfffUL) + (3 * 4096):x}");
        pair.Command($"child-write 0x{pair["data"] + 4096:x}");
        return pair;
    }

    [SkippableFact]
    public async Task TheViewsFiguresAreShareJsonsAndABarListsThePagesPagemapGives()
    {
        ExplorerSession.RequireBrowser();
        using var pair = ForkedPairWithCopies();
        int parent = pair.Pid, child = (int)pair.Value("child");
        var page = await explorer.SignedInPage();

        // The picker: the pair ticked from the source's processes, Compare opens the view with both pids in its URL.
        // The list is the server's last reading of every process: Refresh reads them again, the pair with them.
        await explorer.Open(page, "/live/share");
        await page.ClickAsync("button.refresh");
        // Its answer redraws the list: wait for it, so that no box is ticked in a list about to be replaced.
        await page.Locator("button.refresh:not([disabled])").WaitForAsync();
        await page.FillAsync("input[type=search]", "forkpair");
        await page.CheckAsync($"input[type=checkbox][data-pid='{parent}']");
        Assert.True(await page.IsDisabledAsync("button.compare"), "one process is not enough to compare");
        await page.CheckAsync($"input[type=checkbox][data-pid='{child}']");
        await ExplorerSession.Screenshot(page, "share-picker");
        await page.ClickAsync("button.compare");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/live/share?pids={parent},{child}", page.Url, StringComparison.Ordinal);

        // The pair is idle after "ready" and after each write's answer: its figures hold still. share
        // --json is taken on both sides of the view's reading and compared once both agree.
        await page.ClickAsync("button[aria-pressed]");
        JsonElement before = default, after = default;
        (long, long, long) shown = default;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            before = CliJson("share", Pid(parent), Pid(child), "--json");
            if (attempt > 0)
            {
                await page.ReloadAsync();
                await ExplorerSession.ViewReady(page);
            }
            shown = await ShownFigures(page, "tr[data-kind=heap][data-rank='1']");
            after = CliJson("share", Pid(parent), Pid(child), "--json");
            if (Figures(Group(before, "vmas", "heap", 1)) == Figures(Group(after, "vmas", "heap", 1))) break;
        }
        var heap = Figures(Group(after, "vmas", "heap", 1));
        Assert.Equal(heap, Figures(Group(before, "vmas", "heap", 1)));
        Assert.Equal(heap, shown);
        Assert.Equal(parent, after.GetProperty("forkedFrom").GetInt32());
        Assert.Equal(1, heap.Other); // the one heap page the child wrote
        Assert.True(heap.Same >= 7, $"the other heap pages are still shared: {heap.Same}");
        await ExplorerSession.Screenshot(page, "share-vmas-1280");

        // Clicking the copied part of the heap's bar lists that page: at one address, a frame each, as each pagemap says.
        await page.ClickAsync("tr[data-kind=heap][data-rank='1'] .share-bar-part[data-figure=other-frame]");
        var copied = Assert.Single(await ListedRows(page));
        ulong written = (pair["heap"] & ~0xfffUL) + (3 * 4096);
        Assert.Equal([(parent, written), (child, written)], copied.Select(p => (p.Pid, p.Address)));
        Assert.Equal(PagemapFile.PresentFrames(parent, written, written + 4096)[written], copied[0].Pfn);
        Assert.Equal(PagemapFile.PresentFrames(child, written, written + 4096)[written], copied[1].Pfn);
        Assert.NotEqual(copied[0].Pfn, copied[1].Pfn);

        // And the shared part: every row one address on one frame, the frame both pagemaps give.
        await page.ClickAsync("tr[data-kind=heap][data-rank='1'] button[data-figure=same-frame]");
        var shared = await ListedRows(page);
        Assert.Equal(heap.Same, shared.Count);
        foreach (var row in shared)
        {
            Assert.Equal([parent, child], row.Select(p => p.Pid));
            ulong address = row[0].Address;
            Assert.Equal(address, row[1].Address);
            Assert.Equal(PagemapFile.PresentFrames(parent, address, address + 4096)[address], row[0].Pfn);
            Assert.Equal(PagemapFile.PresentFrames(child, address, address + 4096)[address], row[1].Pfn);
        }
        await ExplorerSession.Screenshot(page, "share-pages-1280");

        // The URL keeps the list: a reload shows it again.
        await page.ReloadAsync();
        await ExplorerSession.ViewReady(page);
        Assert.Equal(shared.Count, (await ListedRows(page)).Count);

        // Per class, the data class: one page copied, as share --json says.
        await page.ClickAsync("button[aria-pressed]");
        Assert.Equal(Figures(Group(after, "classes", "data")), await ShownFigures(page, "tr[data-kind=data]"));
        var wide = await explorer.SignedInPage(1920, 1080);
        await explorer.Open(wide, new Uri(page.Url).PathAndQuery);
        await ExplorerSession.Screenshot(wide, "share-classes-1920");

        // A listed address opens that process's page.
        await page.ClickAsync("tr[data-kind=data] button[data-figure=other-frame]");
        await ListedRows(page);
        await page.ClickAsync($"table.share-page-list td[data-pid='{child}'] a");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/live/processes/{child}/page/0x{(pair["data"] + 4096) & ~0xfffUL:x}", page.Url, StringComparison.Ordinal);
    }

    /// <summary>The same-frame, other-frame and common figures a row of the view shows.</summary>
    private static async Task<(long, long, long)> ShownFigures(IPage page, string row)
    {
        async Task<long> Value(string figure) =>
            long.Parse((await page.GetAttributeAsync($"{row} button[data-figure={figure}]", "data-value"))!, CultureInfo.InvariantCulture);
        return (await Value("same-frame"), await Value("other-frame"), await Value("common"));
    }

    /// <summary>The rows of the page list once drawn: per row, each process's (pid, address, PFN).</summary>
    private static async Task<List<List<(int Pid, ulong Address, ulong Pfn)>>> ListedRows(IPage page)
    {
        await page.Locator("section.share-pages[data-state=ready]").WaitForAsync();
        var rows = await page.Locator("table.share-page-list tbody tr").EvaluateAllAsync<string[][]>(
            "trs => trs.map(tr => [...tr.querySelectorAll('td[data-address]')].map(td => td.dataset.pid + ' ' + td.dataset.address + ' ' + td.nextElementSibling.dataset.pfn))");
        return rows.Select(r => r.Select(cell =>
        {
            string[] parts = cell.Split(' ');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), Hex(parts[1]), Hex(parts[2]));
        }).ToList()).ToList();
    }

    [SkippableFact]
    public void ASnapshotOfThePairIsSharedAsTheCliSharesIt()
    {
        using var pair = ForkedPairWithCopies();
        int parent = pair.Pid, child = (int)pair.Value("child");
        string file = Path.Combine(Path.GetTempPath(), "pageatlas-share-" + Guid.NewGuid().ToString("N") + ".snapshot");
        try
        {
            var (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(120), ["snapshot", Pid(parent), Pid(child), "-o", file]);
            Assert.True(code == 0, err);
            using var server = ServedExplorer.Start("--snapshot", file);
            var api = server.Get($"api/s1/share?pids={parent},{child}");
            var cli = CliJson("share", "--snapshot", file, Pid(parent), Pid(child), "--json");
            Assert.True(JsonElement.DeepEquals(cli, api), "the snapshot's share differs from the CLI's");
            Assert.Equal(1, Figures(Group(api, "vmas", "heap", 1)).Other);

            var listed = server.Get($"api/s1/share/pages?pids={parent},{child}&figure=other-frame&class=heap&rank=1");
            Assert.Equal("pageatlas/share-pages", listed.GetProperty("schema").GetString());
            var row = Assert.Single(listed.GetProperty("rows").EnumerateArray());
            Assert.Equal([parent, child], row.EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()));
            Assert.Equal(1, listed.GetProperty("totalRows").GetInt32());

            // Refusals: one process, an unknown figure, a pid not saved.
            Assert.Contains("2 to 16", server.Get($"api/s1/share?pids={parent}", HttpStatusCode.BadRequest).GetProperty("error").GetString());
            Assert.Contains("figure", server.Get($"api/s1/share/pages?pids={parent},{child}&figure=all", HttpStatusCode.BadRequest).GetProperty("error").GetString());
            server.Get($"api/s1/share?pids={parent},999999999", HttpStatusCode.NotFound);
            // A snapshot holds one moment: the live watch refuses it.
            Assert.Contains("not live", server.Get($"api/s1/processes/{parent}/watch", HttpStatusCode.BadRequest).GetProperty("error").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
