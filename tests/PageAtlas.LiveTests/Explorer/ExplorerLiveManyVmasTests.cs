using System.Globalization;
using Xunit.Abstractions;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The live view of `layout --small-maps 20000` (20,000 one-page VMAs): the first sample (the whole
/// map) is drawn as a few dozen rows, not 20,000 — the table holds the rows in sight in a scroll box of
/// the full height; scrolled to its end it shows the last VMA of /proc/PID/maps; the keyboard moves
/// along the rows (scrolling them into sight) and Enter picks one for the grid; the filter finds the heap.
/// </summary>
public sealed class ExplorerLiveManyVmasTests(ExplorerSession explorer, ITestOutputHelper output) : IClassFixture<ExplorerSession>
{
    private const int SmallMaps = 20000;

    /// <summary>A generous bound on a hang (the whole map of 20,000 VMAs on a loaded machine), not a timing assert.</summary>
    private const int BoundMs = 180_000;

    [SkippableFact]
    public async Task TheFirstSampleOf20000VmasIsDrawnAsTheRowsInSightAndScrollingAndTheFilterReachEveryVma()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start("--small-maps", SmallMaps.ToString(CultureInfo.InvariantCulture));
        var maps = File.ReadAllLines($"/proc/{specimen.Pid}/maps").Select(Range).ToList();
        Assert.True(maps.Count > SmallMaps, $"{maps.Count} VMAs");
        var page = await explorer.SignedInPage();
        await explorer.Open(page, $"/live/processes/{specimen.Pid}/live?interval=1000");
        var table = page.Locator("table.live-vmas[data-first-sample=drawn]");
        await table.WaitForAsync(new() { Timeout = BoundMs });
        output.WriteLine($"first sample: {await table.GetAttributeAsync("data-first-sample-chars")} chars, parse {await table.GetAttributeAsync("data-first-parse-ms")} ms, "
            + $"draw {await table.GetAttributeAsync("data-first-draw-ms")} ms, on screen at {await table.GetAttributeAsync("data-first-drawn-ms")} ms");

        // every VMA of the idle specimen is in the table's map, and a few dozen of them are rows
        Assert.Equal(maps.Count.ToString(CultureInfo.InvariantCulture), await table.GetAttributeAsync("data-vmas"));
        int drawn = await page.Locator("table.live-vmas tbody tr[data-start]").CountAsync();
        Assert.True(drawn is > 0 and < 200, $"{drawn} rows in the document for {maps.Count} VMAs");
        Assert.Equal($"0x{maps[0].Start:x}", await page.Locator("table.live-vmas tbody tr[data-start]").First.GetAttributeAsync("data-start"));
        // the heap, chosen for the grid by itself, is a row in sight
        await page.Locator("table.live-vmas tbody tr.chosen[data-kind=heap]").WaitForAsync(new() { Timeout = BoundMs });
        Assert.True(await LiveVmaTable.ChosenRowInSight(page), "the heap's row, chosen for the grid, is not in sight");

        // scrolled to the end: the last row is the last line of /proc/PID/maps, still a few dozen rows
        await page.Locator("div.live-vma-scroll").EvaluateAsync("box => { box.scrollTop = box.scrollHeight; }");
        var last = page.Locator($"table.live-vmas tbody tr[data-start='0x{maps[^1].Start:x}']");
        await last.WaitForAsync(new() { Timeout = BoundMs });
        drawn = await page.Locator("table.live-vmas tbody tr[data-start]").CountAsync();
        Assert.True(drawn < 200, $"{drawn} rows in the document after scrolling");
        await ExplorerSession.Screenshot(page, "live-20000-vmas-end");

        // the keyboard: up from the last row to the one before it, Enter picks it for the grid
        await last.FocusAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator($"canvas.live-grid[data-drawn=complete][data-start='0x{maps[^2].Start:x}']").WaitForAsync(new() { Timeout = BoundMs });
        Assert.Equal($"0x{maps[^2].Start:x}", await page.EvaluateAsync<string>("() => document.activeElement.dataset.start ?? document.activeElement.tagName"));

        // the filter finds the heap: the one row, at the [heap] line's start
        var heap = Range(File.ReadLines($"/proc/{specimen.Pid}/maps").Single(l => l.EndsWith("[heap]", StringComparison.Ordinal)));
        await page.FillAsync("input.live-filter", "heap");
        await page.Locator("table.live-vmas[data-shown='1']").WaitForAsync(new() { Timeout = BoundMs });
        var rows = page.Locator("table.live-vmas tbody tr[data-start]");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal($"0x{heap.Start:x}", await rows.First.GetAttributeAsync("data-start"));
        Assert.Equal("heap", await rows.First.GetAttributeAsync("data-kind"));
        // and an address inside a VMA in the middle of the 20,000 finds that VMA
        var middle = maps[maps.Count / 2];
        await page.FillAsync("input.live-filter", $"0x{middle.Start + ((middle.End - middle.Start) / 2):x}");
        await page.Locator($"table.live-vmas[data-shown='1'] tbody tr[data-start='0x{middle.Start:x}']").WaitForAsync(new() { Timeout = BoundMs });
        await ExplorerSession.Screenshot(page, "live-20000-vmas-filtered");

        // a VMA in the middle chosen in the URL (a reload of the view after a choice): its row scrolled into sight with the first sample
        await explorer.Open(page, $"/live/processes/{specimen.Pid}/live?interval=1000&vma=0x{middle.Start:x}");
        await page.Locator("table.live-vmas[data-first-sample=drawn]").WaitForAsync(new() { Timeout = BoundMs });
        await page.Locator($"table.live-vmas tbody tr.chosen[data-start='0x{middle.Start:x}']").WaitForAsync(new() { Timeout = BoundMs });
        Assert.True(await LiveVmaTable.ChosenRowInSight(page), $"the chosen row of 0x{middle.Start:x} is not in sight");
        await ExplorerSession.Screenshot(page, "live-20000-vmas-chosen-in-url");
    }

    private static (ulong Start, ulong End) Range(string line)
    {
        string[] range = line.Split(' ')[0].Split('-');
        return (ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
