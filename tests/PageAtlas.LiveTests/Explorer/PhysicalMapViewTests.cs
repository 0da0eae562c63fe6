using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The explorer's physical memory view in a real browser: the map's cells add up to the frames of its
/// range, the census beside it equals `frames --json` read alongside, and clicking down to a specimen's
/// heap page (its PFN from pagemap) ends on that frame with the flags `frame --json` gives.
/// </summary>
public sealed class PhysicalMapViewTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    private static readonly string[] s_fixedRows = ["pfn-range", "valid", "reserved"];
    private static readonly string[] s_movingRows = ["free", "anonymous"];

    private static ulong Hex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static JsonElement Cli(params string[] args)
    {
        var (code, stdout, err) = CliErrorTests.Run([.. args, "--json"]);
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    private static Dictionary<string, long> Rows(JsonElement census) =>
        census.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("kind").GetString()!, r => r.GetProperty("frames").GetInt64());

    private static async Task<(ulong Start, ulong End, ulong PerCell, ulong Total, int Cells)> MapFacts(IPage page)
    {
        var canvas = page.Locator("canvas.pm-map");
        async Task<string> Data(string name) => (await canvas.GetAttributeAsync("data-" + name))!;
        return (Hex(await Data("start")), Hex(await Data("end")), ulong.Parse(await Data("per-cell"), CultureInfo.InvariantCulture),
            ulong.Parse(await Data("total"), CultureInfo.InvariantCulture), int.Parse(await Data("cells"), CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task TheCensusIsFramesJsonsAndTheMapsCellsAddUpToItsFrames()
    {
        ExplorerSession.RequireBrowser();
        var page = await explorer.SignedInPage();
        await explorer.Open(page, "/live/physical");
        var map = await MapFacts(page);
        Assert.Equal(0UL, map.Start);
        Assert.Equal(map.End - map.Start, map.Total);
        // the legend's per-kind sums are the same cells, counted by kind
        var kinds = await page.Locator("ul.pm-legend li").EvaluateAllAsync<double[]>("items => items.map(i => Number(i.dataset.frames))");
        Assert.Equal((double)map.Total, kinds.Sum());
        await page.Locator("section.pm-census[data-state=ready]").WaitForAsync();
        await ExplorerSession.Screenshot(page, "physmap-1280");

        // Fixed figures exactly; free and anonymous frames move with every process that starts or ends
        // (other tests run alongside): within the spread of two readings taken around the view's (the
        // page is reloaded between them, so that its census is read after the first), widened by 2% of
        // the machine's frames, retried three times before failing.
        string failure = "";
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var before = Rows(Cli("frames"));
            await page.ReloadAsync();
            await ExplorerSession.ViewReady(page);
            await page.Locator("section.pm-census[data-state=ready]").WaitForAsync();
            var shown = (await page.Locator("table.pm-rows tbody tr").EvaluateAllAsync<JsonElement>(
                "rows => rows.map(r => ({ kind: r.dataset.kind, frames: Number(r.querySelector('td[data-frames]').dataset.frames) }))"))
                .EnumerateArray().ToDictionary(r => r.GetProperty("kind").GetString()!, r => r.GetProperty("frames").GetInt64());
            var after = Rows(Cli("frames"));
            Assert.Equal(before.Keys.Order(), shown.Keys.Order());
            foreach (string fixedRow in s_fixedRows) Assert.Equal(before[fixedRow], shown[fixedRow]);
            Assert.Equal((long)map.End, shown["pfn-range"]);
            long slack = before["pfn-range"] / 50;
            failure = string.Join("; ", s_movingRows.Where(row =>
                shown[row] < Math.Min(before[row], after[row]) - slack || shown[row] > Math.Max(before[row], after[row]) + slack)
                .Select(row => $"{row} {shown[row]} outside {before[row]}..{after[row]} ± {slack}"));
            if (failure.Length == 0) break;
        }
        Assert.True(failure.Length == 0, failure);

        var wide = await explorer.SignedInPage(1920, 1080);
        await explorer.Open(wide, "/live/physical");
        await wide.Locator("section.pm-census[data-state=ready]").WaitForAsync();
        await ExplorerSession.Screenshot(wide, "physmap-1920");
    }

    [SkippableFact]
    public async Task ClickingDownToTheSpecimensHeapFrameShowsFrameJsonsFlags()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start();
        ulong pfn = PagemapFile.FrameOf(specimen.Pid, specimen["heap"]);
        Assert.NotEqual(0UL, pfn);
        var page = await explorer.SignedInPage();
        await explorer.Open(page, "/live/physical");
        string before = "";
        // each click zooms sixteen-fold around the cell that holds the frame, until one frame is one cell
        for (int zoom = 0; ; zoom++)
        {
            Assert.True(zoom < 8, "one frame a cell within 8 zooms");
            var map = await MapFacts(page);
            Assert.InRange(pfn, map.Start, map.End - 1);
            Assert.Equal(map.End - map.Start, map.Total);
            int cell = (int)((pfn - map.Start) / map.PerCell);
            var canvas = page.Locator("canvas.pm-map");
            int columns = int.Parse((await canvas.GetAttributeAsync("data-columns"))!, CultureInfo.InvariantCulture);
            int width = int.Parse((await canvas.GetAttributeAsync("data-cell-width"))!, CultureInfo.InvariantCulture);
            int height = int.Parse((await canvas.GetAttributeAsync("data-cell-height"))!, CultureInfo.InvariantCulture);
            var box = (await canvas.BoundingBoxAsync())!;
            if (map.PerCell == 1) await ExplorerSession.Screenshot(page, "physmap-frames");
            // The frame view reads the flags after this click: the first of the two readings around it.
            if (map.PerCell == 1) before = Cli("frame", $"0x{pfn:x}").GetProperty("flags").GetString()!;
            await page.Mouse.ClickAsync(box.X + (cell % columns * width) + (width / 2f), box.Y + (cell / columns * height) + (height / 2f));
            await ExplorerSession.ViewReady(page);
            if (map.PerCell == 1) break;
        }
        Assert.EndsWith($"/live/frames/0x{pfn:x}", page.Url, StringComparison.Ordinal);
        // LRU bits may move between readings: the flags shown are those of a reading before or after
        string shown = await page.InnerTextAsync("dd[data-fact='frame flags']");
        string after = Cli("frame", $"0x{pfn:x}").GetProperty("flags").GetString()!;
        Assert.True(shown.StartsWith(before, StringComparison.Ordinal) || shown.StartsWith(after, StringComparison.Ordinal),
            $"shown '{shown}', frame --json '{before}' then '{after}'");
        Assert.Contains("anonymous", shown, StringComparison.Ordinal);
    }
}
