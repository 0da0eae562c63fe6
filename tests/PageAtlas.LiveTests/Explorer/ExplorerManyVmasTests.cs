using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The explorer in a real browser on `layout --small-maps 20000` (20,000 one-page VMAs): the address
/// map paints with one mark per pixel column where VMAs are narrower than a pixel (not an SVG
/// element per VMA), hover still names a VMA /proc/PID/maps lists, and the pages view of one of its
/// VMAs has that VMA's page count, read alone through vmas?at= (not the whole maps document).
/// </summary>
public sealed class ExplorerManyVmasTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    private const int SmallMaps = 20000;

    [SkippableFact]
    public async Task TheAddressMapOf20000VmasPaintsAPixelColumnPerMarkAndHoverNamesRealVmas()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start("--small-maps", SmallMaps.ToString(CultureInfo.InvariantCulture));
        var maps = MapsLines(specimen.Pid);
        Assert.True(maps.Count > SmallMaps, $"{maps.Count} VMAs");
        var page = await explorer.SignedInPage();
        await explorer.Open(page, $"/live/processes/{specimen.Pid}");
        var map = page.Locator("svg.address-map");
        var box = (await map.BoundingBoxAsync())!;
        await AssertMarksWithinPixelColumns(page, box.Width);
        await AssertHoverNamesRealVmas(page, box, maps);
        await ExplorerSession.Screenshot(page, "address-space-20000-vmas");

        // zoomed in eight times around the middle: the columns split, still bounded, hover still true
        await map.FocusAsync();
        for (int i = 0; i < 3; i++) await page.Keyboard.PressAsync("+");
        await AssertMarksWithinPixelColumns(page, box.Width);
        await AssertHoverNamesRealVmas(page, box, maps);
        await ExplorerSession.Screenshot(page, "address-space-20000-vmas-zoomed");
    }

    [SkippableFact]
    public async Task TheAddressViewOf20000VmasReadsTheCompactAnswersAndListsEveryVmaAsTheRowsInSight()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start("--small-maps", SmallMaps.ToString(CultureInfo.InvariantCulture));
        var maps = MapsLines(specimen.Pid).Select(Range).ToList();
        var page = await explorer.SignedInPage();
        var asked = new ConcurrentQueue<string>(); // Playwright raises Request on its own thread
        page.Request += (_, request) => asked.Enqueue(new Uri(request.Url).PathAndQuery);
        await explorer.Open(page, $"/live/processes/{specimen.Pid}");
        await page.Locator("table.composition tr.total").WaitForAsync();
        var rows = page.Locator("table.vmas tbody tr[data-start]");
        await rows.First.WaitForAsync();

        // fitted, every VMA is in view and listed (not the first 1,000), as a few dozen rows in the document
        string all = maps.Count.ToString("N0", CultureInfo.InvariantCulture);
        Assert.Equal($"{all} of {all} VMAs in view", await page.Locator("p.vma-note").TextContentAsync());
        int drawn = await rows.CountAsync();
        Assert.True(drawn is > 0 and < 200, $"{drawn} rows in the document for {maps.Count} VMAs");
        Assert.Equal($"0x{maps[0].Start:x}", await rows.First.GetAttributeAsync("data-start"));
        // scrolled to the end: the last row is the last line of /proc/PID/maps, still a few dozen rows
        await page.Locator("div.table-scroll:has(table.vmas)").EvaluateAsync("box => { box.scrollTop = box.scrollHeight; }");
        await page.Locator($"table.vmas tbody tr[data-start='0x{maps[^1].Start:x}']").WaitForAsync();
        drawn = await rows.CountAsync();
        Assert.True(drawn < 200, $"{drawn} rows in the document after scrolling");
        await page.Locator("div.table-scroll:has(table.vmas)").ScrollIntoViewIfNeededAsync(); // below the composition at 1280 px
        await ExplorerSession.Screenshot(page, "address-space-20000-vmas-table-end");

        // the compact answers: a row of values per VMA (not 7.4 MB of objects), the composition without a row per VMA (9.6 MB)
        Assert.Contains(asked, path => path.EndsWith("/maps/compact", StringComparison.Ordinal));
        Assert.Contains(asked, path => path.EndsWith("/composition?vmas=0", StringComparison.Ordinal));
        Assert.DoesNotContain(asked, path => path.EndsWith("/maps", StringComparison.Ordinal) || path.EndsWith("/composition", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ThePagesViewOfAVmaOfThe20000HasItsPageCount()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start("--small-maps", SmallMaps.ToString(CultureInfo.InvariantCulture));
        var page = await explorer.SignedInPage();
        var asked = new ConcurrentQueue<string>(); // Playwright raises Request on its own thread
        page.Request += (_, request) => asked.Enqueue(new Uri(request.Url).PathAndQuery);
        // one of the one-page areas, and the biggest VMA of the process
        var ranges = MapsLines(specimen.Pid).Select(Range).ToList();
        var small = ranges.Single(r => r.Start <= specimen["small-maps"] && specimen["small-maps"] < r.End);
        var biggest = ranges.MaxBy(r => r.End - r.Start);
        foreach (var (start, end) in new[] { small, biggest })
        {
            await explorer.Open(page, $"/live/processes/{specimen.Pid}/vma/0x{start:x}");
            var grid = page.Locator("canvas.page-grid[data-drawn=complete]");
            await grid.WaitForAsync();
            Assert.Equal(((end - start) / 4096).ToString(CultureInfo.InvariantCulture), await grid.GetAttributeAsync("data-pages"));
            Assert.Equal($"0x{start:x}", await grid.GetAttributeAsync("data-start"));
        }
        await ExplorerSession.Screenshot(page, "pages-of-20000-vmas");
        // the VMA came alone (vmas?at=), never with the whole maps document: a pagemap pass over 20,000 VMAs
        Assert.Contains(asked, path => path.Contains("/vmas?at=", StringComparison.Ordinal));
        Assert.DoesNotContain(asked, path => path.EndsWith("/maps", StringComparison.Ordinal));
    }

    /// <summary>
    /// Some marks, and at most two per pixel column of the map (a column of VMAs narrower than a pixel
    /// may share its pixel with the edge of a wider VMA or gap): 20,000 VMAs drawn one element each
    /// would be 20,000 marks on a map 1,280 pixels wide.
    /// </summary>
    private static async Task AssertMarksWithinPixelColumns(IPage page, float width)
    {
        int marks = await page.Locator("svg.address-map > g > g").CountAsync();
        int columns = await page.Locator("svg.address-map g.vma-column").CountAsync();
        Assert.True(marks > 0 && marks <= 2 * width, $"{marks} marks on a map {width} pixels wide");
        Assert.True(columns > 0, "some VMAs are narrower than a pixel and drawn as pixel columns");
    }

    /// <summary>Hovers the map at 20 places across it: each tooltip that names a VMA names a line of /proc/PID/maps, and most of them name one.</summary>
    private static async Task AssertHoverNamesRealVmas(IPage page, LocatorBoundingBoxResult box, List<string> maps)
    {
        var lines = maps.Select(Words).ToHashSet();
        int named = 0;
        for (int i = 1; i <= 20; i++)
        {
            await page.Mouse.MoveAsync(box.X + box.Width * i / 21, box.Y + 30);
            var tip = page.Locator("div.tooltip:not([hidden]) div").First;
            string text = await tip.InnerTextAsync();
            if (text.StartsWith("unmapped", StringComparison.Ordinal)) continue;
            Assert.Contains(Words(text), lines);
            named++;
        }
        Assert.True(named >= 10, $"only {named} of 20 places along a map of {maps.Count} VMAs named one");
    }

    /// <summary>A maps line with its runs of spaces as one (the kernel pads the path column).</summary>
    private static string Words(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static List<string> MapsLines(int pid) => File.ReadAllLines($"/proc/{pid}/maps").ToList();

    private static (ulong Start, ulong End) Range(string line)
    {
        string[] range = line.Split(' ')[0].Split('-');
        return (ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
