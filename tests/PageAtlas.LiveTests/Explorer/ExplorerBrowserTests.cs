using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using PageAtlas.Rendering;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The explorer in a real browser (headless Debian chromium, Playwright) against specimens whose
/// layout is known, each view's figures checked against /proc read here directly: the process
/// list's RSS against smaps_rollup, the address map against /proc/PID/maps, the page grid's colours
/// and the walk's PFN against pagemap, the frame view's owners against forkpair's two pids. Every
/// view is saved as a screenshot (TestResults/explorer).
/// </summary>
public sealed class ExplorerBrowserTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    /// <summary>The VMA of /proc/PID/maps that holds <paramref name="address"/>, and every VMA's start in order.</summary>
    private static (ulong Start, ulong End) VmaHolding(int pid, ulong address) =>
        MapsRanges(pid).Single(r => r.Start <= address && address < r.End);

    private static List<(ulong Start, ulong End)> MapsRanges(int pid) =>
        File.ReadLines($"/proc/{pid}/maps").Select(line =>
        {
            string[] range = line.Split(' ')[0].Split('-');
            return (ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }).ToList();

    /// <summary>Clicks the process list's Refresh (figures from a reading that starts after the click) and waits for them.</summary>
    private static async Task Refresh(IPage page)
    {
        await page.ClickAsync("button:text('Refresh')");
        await page.Locator("button:text('Refresh'):not([disabled])").WaitForAsync();
    }

    private static ulong Hex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task ProcessListShowsTheSpecimenWithItsSmapsRssSortedAndFiltered()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.StartNamed("pa-explorer");
        var page = await explorer.SignedInPage();
        await ExplorerSession.ViewReady(page);
        // The specimen is idle: its Rss stays put, but read smaps_rollup on both sides of the listing
        // and retry while they differ, as ps's own tests do. Refresh each time: the list first shown is
        // the server's last reading, which may predate the specimen.
        ulong shown = 0, before = 0, after = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            before = Smaps.Rollup(specimen.Pid)["Rss"] * 1024;
            await Refresh(page);
            shown = ulong.Parse((await page.GetAttributeAsync($"tr[data-pid='{specimen.Pid}'] td[data-key=rss]", "data-value"))!, CultureInfo.InvariantCulture);
            after = Smaps.Rollup(specimen.Pid)["Rss"] * 1024;
            if (before == after) break;
        }
        Assert.Equal(before, after);
        Assert.Equal(before, shown);

        await page.FillAsync("input[type=search]", "pa-explorer");
        Assert.Equal([specimen.Pid.ToString(CultureInfo.InvariantCulture)], await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.pid)"));
        await page.FillAsync("input[type=search]", "");
        await page.ClickAsync("th[data-key=rss]");
        var rss = await page.Locator("tbody td[data-key=rss]").EvaluateAllAsync<double[]>("cells => cells.map(c => Number(c.dataset.value))");
        Assert.True(rss.Length > 1);
        Assert.Equal(rss.OrderByDescending(v => v), rss);
        await page.ClickAsync("th[data-key=rss]");
        rss = await page.Locator("tbody td[data-key=rss]").EvaluateAllAsync<double[]>("cells => cells.map(c => Number(c.dataset.value))");
        Assert.Equal(rss.Order(), rss);
        await ExplorerSession.Screenshot(page, "processes");

        // sort and filter live in the URL: a reload shows the same list
        await page.FillAsync("input[type=search]", "pa-explorer");
        await page.ReloadAsync();
        await ExplorerSession.ViewReady(page);
        Assert.Equal("pa-explorer", await page.InputValueAsync("input[type=search]"));
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
        Assert.Equal("ascending", await page.GetAttributeAsync("th[data-key=rss]", "aria-sort"));

        await page.ClickAsync($"tr[data-pid='{specimen.Pid}'] a");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/live/processes/{specimen.Pid}", page.Url, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AProcessNamedWithMarkupIsShownAsText()
    {
        ExplorerSession.RequireBrowser();
        // comm is at most 15 bytes: enough for markup that would make a <b> element if it were parsed
        const string name = "<b>x<b>";
        using var specimen = Specimen.StartNamed(name);
        var page = await explorer.SignedInPage();
        await ExplorerSession.ViewReady(page);
        await Refresh(page);
        var cell = page.Locator($"tr[data-pid='{specimen.Pid}'] td[data-key=command]");
        Assert.Equal(name, await cell.InnerTextAsync());
        await page.ClickAsync($"tr[data-pid='{specimen.Pid}'] a");
        await ExplorerSession.ViewReady(page);
        Assert.Contains(name, await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("b").CountAsync());
    }

    [SkippableFact]
    public async Task NamesWithControlAndBidiCharactersShowTheCliEscapesNeverReorderedOrHidden()
    {
        ExplorerSession.RequireBrowser();
        // named "\e[2J\r\nFAKE" U+202E U+009B; maps files named with a newline, ESC/OSC, CR and U+202E
        using var hostile = new HostileProcess();
        var page = await explorer.SignedInPage();
        await ExplorerSession.ViewReady(page);
        await Refresh(page);
        string shownName = TerminalText.Escape(hostile.Command);
        Assert.Equal(shownName, await page.TextContentAsync($"tr[data-pid='{hostile.Pid}'] td[data-key=command]"));

        await explorer.Open(page, $"/live/processes/{hostile.Pid}");
        await ExplorerSession.Screenshot(page, "hostile-names-1280");
        // Raw, the U+202E in the name reversed the heading's own words after it ("pid 21442" read "24412 dip").
        Assert.StartsWith($"{shownName} pid {hostile.Pid}, ", await page.TextContentAsync("h1"), StringComparison.Ordinal);
        // each mapping is a file of its own, so its VMA starts where the specimen mapped it
        string Row(string mapping) => $"table tr[data-start='0x{hostile.Mappings[mapping]:x}']";
        // the newline shows as \n (raw, a space: "odd name"), apart from the file literally named lit\012eral
        Assert.Contains("\\nname", await page.TextContentAsync(Row("odd")), StringComparison.Ordinal);
        Assert.Contains("lit\\012eral", await page.TextContentAsync(Row("backslash")), StringComparison.Ordinal);
        Assert.Contains(TerminalText.Escape("esc\u001b[2J\u001b]0;owned\a\r\u202e\u0085.bin"), await page.TextContentAsync(Row("escape")), StringComparison.Ordinal);
        // the whole view once its tables are filled (the VMA rows above, the composition's total row)
        await page.Locator("tr.total").WaitForAsync();
        string everything = (await page.TextContentAsync("section.view"))!;
        Assert.False(TerminalText.NeedsEscape(everything), "a control or bidi character reached the page raw");
    }

    /// <summary>
    /// The class cell showing <paramref name="title"/> in its tooltip: its text; whether its directories
    /// are cut; its file name's text, whether it shows whole, and whether its directories are down to
    /// their ellipsis (no wider than 1.5 em).
    /// </summary>
    private const string ClippedCell = @"([selector, title]) => {
        const clip = [...document.querySelectorAll(selector + ' span.clip')].find(c => c.title === title);
        if (!clip) return null;
        const directories = clip.querySelector('.clip-directories'), name = clip.querySelector('.clip-name');
        if (!directories || !name) return { text: clip.textContent, split: false };
        const box = clip.getBoundingClientRect(), shown = name.getBoundingClientRect();
        return { text: clip.textContent, split: true, directoriesCut: directories.scrollWidth > directories.clientWidth, name: name.textContent,
            nameWhole: name.scrollWidth <= name.clientWidth && shown.right <= box.right + 0.5,
            directoriesAtLeast: directories.clientWidth <= 1.5 * parseFloat(getComputedStyle(clip).fontSize) };
    }";

    [SkippableFact]
    public async Task EveryFigureOfTheCompositionAndVmaTablesIsInSightAtBothSizesAndALongPathKeepsItsFileNameWholeInItsTooltip()
    {
        ExplorerSession.RequireBrowser();
        // the hostile specimen maps files with long names (the one below: 80 characters as escaped); layout's are short
        using var hostile = new HostileProcess();
        using var ordinary = Specimen.Start("--thp", "--threads", "2");
        string longPath = TerminalText.Escape("file " + hostile.PathOf("esc\u001b[2J\u001b]0;owned\a\r\u202e\u0085.bin"));
        string fileName = TerminalText.Escape("/esc\u001b[2J\u001b]0;owned\a\r\u202e\u0085.bin");
        foreach (var (pid, name) in new[] { (hostile.Pid, "hostile"), (ordinary.Pid, "layout") })
        {
            foreach (var (width, height) in new[] { (1280, 800), (1920, 1080) })
            {
                var page = await explorer.SignedInPage(width, height);
                await explorer.Open(page, $"/live/processes/{pid}");
                await page.Locator("table.composition tr.total").WaitForAsync();
                await page.Locator("table.vmas tbody tr").First.WaitForAsync();
                await ExplorerSession.Screenshot(page, $"address-space-{name}-{width}");
                string[] outOfSight = await TablesInSight.OutOfSight(page, ("table.composition", [1, 2, 3, 4, 5, 6, 7, 8]), ("table.vmas", [4, 5, 6, 7, 8]));
                Assert.True(outOfSight.Length == 0, $"{name} at {width}x{height}, {outOfSight.Length} out of sight: " + string.Join("; ", outOfSight.Take(12)));
                await page.Locator("table.vmas").ScrollIntoViewIfNeededAsync(); // below the composition at 1280 px
                await ExplorerSession.Screenshot(page, $"address-space-{name}-{width}-vmas");
                if (pid != hostile.Pid) continue;
                // the long path's cell is cut as the CLI cuts a path: its directories lose their end to an
                // ellipsis and its file name stays ("file /tmp/…/esc…bin"); the whole of it in the cell's
                // text and in its tooltip. At 1920 px the cell is narrower (16 em beside the composition)
                // than this file name: the directories are down to their ellipsis, the name cut after it.
                foreach (string selector in new[] { "table.composition", $"table.vmas tr[data-start='0x{hostile.Mappings["escape"]:x}']" })
                {
                    var cell = await page.EvaluateAsync<JsonElement?>(ClippedCell, new[] { selector, longPath });
                    Assert.True(cell.HasValue && cell.Value.ValueKind == JsonValueKind.Object, $"{selector}: no class cell whose tooltip is {longPath}");
                    var c = cell.Value;
                    Assert.Equal(longPath, c.GetProperty("text").GetString());
                    Assert.True(c.GetProperty("split").GetBoolean(), $"{selector}: the path is not cut into its directories and its file name");
                    Assert.Equal(fileName, c.GetProperty("name").GetString());
                    Assert.True(c.GetProperty("directoriesCut").GetBoolean(), $"{selector}: the long path's directories are shown whole at {width} px, widening its table");
                    Assert.True(c.GetProperty("nameWhole").GetBoolean() || c.GetProperty("directoriesAtLeast").GetBoolean(),
                        $"{selector}: the file name is cut at {width} px while its directories still take room: {c.GetRawText()}");
                    if (width == 1280) Assert.True(c.GetProperty("nameWhole").GetBoolean(), $"{selector}: the file name is cut at 1280 px: {c.GetRawText()}");
                }
            }
        }
    }

    [SkippableFact]
    public async Task AddressMapShowsEveryVmaInOrderWithHeapThpAndThreadStacksInTheirClasses()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start("--thp", "--threads", "2");
        var page = await explorer.SignedInPage();
        await explorer.Open(page, $"/live/processes/{specimen.Pid}");
        var drawn = (await page.Locator("svg.address-map g.vma").EvaluateAllAsync<JsonElement>(
            "gs => gs.map(g => ({ start: g.dataset.start, kind: g.dataset.kind, x: Number(g.querySelector('rect').getAttribute('x')), fill: g.querySelector('rect').getAttribute('fill'), huge: !!g.querySelector('.huge-mark') }))"))
            .EnumerateArray().Select(v => (Start: Hex(v.GetProperty("start").GetString()!), Kind: v.GetProperty("kind").GetString()!,
                X: v.GetProperty("x").GetDouble(), Fill: v.GetProperty("fill").GetString()!, Huge: v.GetProperty("huge").GetBoolean())).ToList();

        // every VMA of /proc/PID/maps, in address order, left to right
        Assert.Equal(MapsRanges(specimen.Pid).Select(r => r.Start), drawn.Select(d => d.Start));
        Assert.True(drawn.Zip(drawn.Skip(1)).All(p => p.First.X < p.Second.X), "VMAs are drawn left to right in address order");

        var heap = drawn.Single(d => d.Start == VmaHolding(specimen.Pid, specimen["heap"]).Start);
        Assert.Equal("heap", heap.Kind);
        Assert.Equal(PageTableStyles.Fill(PageTableStyle.Heap), heap.Fill);
        var thp = drawn.Single(d => d.Start == VmaHolding(specimen.Pid, specimen["thp"]).Start);
        Assert.Equal("anon", thp.Kind);
        Assert.True(thp.Huge, "the THP area carries the huge-leaf mark");
        Assert.Equal(PageTableStyles.Fill(PageTableStyle.Anonymous), thp.Fill);
        Assert.Equal(2, specimen.Threads.Count);
        foreach (var thread in specimen.Threads)
        {
            var stack = drawn.Single(d => d.Start == VmaHolding(specimen.Pid, thread.Stack).Start);
            Assert.Equal("thread-stack", stack.Kind);
            Assert.Equal(PageTableStyles.Fill(PageTableStyle.Stack), stack.Fill);
        }
        Assert.True(drawn.IndexOf(heap) < drawn.IndexOf(thp), "the brk heap lies below the mmap area");
        await ExplorerSession.Screenshot(page, "address-space-1280");

        var wide = await explorer.SignedInPage(1920, 1080);
        await explorer.Open(wide, $"/live/processes/{specimen.Pid}");
        await ExplorerSession.Screenshot(wide, "address-space-1920");
    }

    /// <summary>The colour of each cell of the grid, as drawn on the canvas (cells of the first screen).</summary>
    private static async Task<string[]> CellColours(IPage page, int pages) =>
        await page.EvaluateAsync<string[]>(@"pages => {
            const canvas = document.querySelector('canvas.page-grid');
            const ctx = canvas.getContext('2d');
            const { columns, cell, gutter } = canvas.dataset;
            const ratio = window.devicePixelRatio || 1;
            const out = [];
            for (let i = 0; i < pages; i++) {
                const x = Number(gutter) + (i % columns) * cell + cell / 2, y = Math.floor(i / columns) * cell + cell / 2;
                const [r, g, b] = ctx.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data;
                out.push('#' + [r, g, b].map(v => v.toString(16).padStart(2, '0')).join(''));
            }
            return out;
        }", pages);

    [SkippableFact]
    public async Task PageGridColoursExactlyThePagesTheSpecimenWroteAndAPageShowsPagemapsPfn()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start();
        ulong sparse = specimen["sparse"];
        var (start, end) = VmaHolding(specimen.Pid, sparse);
        int pages = (int)((end - start) / 4096);
        var page = await explorer.SignedInPage();
        await explorer.Open(page, $"/live/processes/{specimen.Pid}/vma/0x{start:x}");
        await page.Locator("canvas.page-grid[data-drawn=complete]").WaitForAsync();
        string present = (await page.GetAttributeAsync("li[data-key=present]", "data-fill"))!;
        string absent = (await page.GetAttributeAsync("li[data-key=not-populated]", "data-fill"))!;
        Assert.NotEqual(present, absent);

        var colours = await CellColours(page, pages);
        var frames = PagemapFile.PresentFrames(specimen.Pid, start, end);
        var expected = Enumerable.Range(0, pages).Select(i => frames.ContainsKey(start + ((ulong)i * 4096)) ? present : absent).ToArray();
        Assert.Equal(expected, colours);
        // the specimen's own account: of its 8 pages it wrote 0, 2 and 5
        int first = (int)((sparse - start) / 4096);
        Assert.Equal([0, 2, 5], Enumerable.Range(0, 8).Where(i => colours[first + i] == present));
        await ExplorerSession.Screenshot(page, "pages");

        // keyboard: Home, right to page 2 of the sparse area, Enter opens its walk
        await page.FocusAsync("canvas.page-grid");
        await page.Keyboard.PressAsync("Home");
        for (int i = 0; i < first + 2; i++) await page.Keyboard.PressAsync("ArrowRight");
        Assert.Contains($"at=0x{sparse + 0x2000:x}", page.Url, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Enter");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/page/0x{sparse + 0x2000:x}", page.Url, StringComparison.Ordinal);
        Assert.Equal(PagemapFile.PresentFrames(specimen.Pid, sparse + 0x2000, sparse + 0x3000)[sparse + 0x2000], Hex(await page.InnerTextAsync("dd[data-fact=PFN]")));
        Assert.Equal("PTE", await page.GetAttributeAsync("table.levels tr.leaf", "data-level"));
        await page.Locator("section.frame:not([data-state=loading])").WaitForAsync();
        await ExplorerSession.Screenshot(page, "page-walk");

        // a click on page 5's cell opens that page
        await page.GoBackAsync();
        await ExplorerSession.ViewReady(page);
        await page.Locator("canvas.page-grid[data-drawn=complete]").WaitForAsync();
        var box = (await page.Locator("canvas.page-grid").BoundingBoxAsync())!;
        int columns = int.Parse((await page.GetAttributeAsync("canvas.page-grid", "data-columns"))!, CultureInfo.InvariantCulture);
        int cell = int.Parse((await page.GetAttributeAsync("canvas.page-grid", "data-cell"))!, CultureInfo.InvariantCulture);
        int gutter = int.Parse((await page.GetAttributeAsync("canvas.page-grid", "data-gutter"))!, CultureInfo.InvariantCulture);
        int index = first + 5;
        await page.Mouse.ClickAsync(box.X + gutter + (index % columns * cell) + (cell / 2f), box.Y + (index / columns * cell) + (cell / 2f));
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/page/0x{sparse + 0x5000:x}", page.Url, StringComparison.Ordinal);
        Assert.Equal(PagemapFile.PresentFrames(specimen.Pid, sparse + 0x5000, sparse + 0x6000)[sparse + 0x5000], Hex(await page.InnerTextAsync("dd[data-fact=PFN]")));
    }

    /// <summary>The visible rows' cells of the grid as drawn (the canvas holds only the rows in sight), by page index, and the first index.</summary>
    private static async Task<(int First, string[] Colours)> VisibleCellColours(IPage page)
    {
        var seen = await page.EvaluateAsync<JsonElement>(@"() => {
            const canvas = document.querySelector('canvas.page-grid');
            const scroller = canvas.parentElement;
            const ctx = canvas.getContext('2d');
            const columns = Number(canvas.dataset.columns), cell = Number(canvas.dataset.cell), gutter = Number(canvas.dataset.gutter), pages = Number(canvas.dataset.pages);
            const ratio = window.devicePixelRatio || 1;
            const firstRow = Math.ceil(scroller.scrollTop / cell), lastRow = Math.floor((scroller.scrollTop + canvas.height / ratio) / cell) - 1;
            const colours = [];
            for (let i = firstRow * columns; i < Math.min(pages, (lastRow + 1) * columns); i++) {
                const x = gutter + (i % columns) * cell + cell / 2, y = Math.floor(i / columns) * cell - scroller.scrollTop + cell / 2;
                const [r, g, b] = ctx.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data;
                colours.push('#' + [r, g, b].map(v => v.toString(16).padStart(2, '0')).join(''));
            }
            return { first: firstRow * columns, colours };
        }");
        return (seen.GetProperty("first").GetInt32(), seen.GetProperty("colours").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }

    [SkippableFact]
    public async Task AMillionPageVmaScrollsToAPageFarInsideAndToItsEndDrawingWhatPagemapSays()
    {
        ExplorerSession.RequireBrowser();
        // a 4 GiB MAP_NORESERVE area (1,048,576 pages) with one page written at each GiB
        using var specimen = Specimen.Start("--reserve-gib", "4");
        ulong reserve = specimen["reserve"];
        var (start, end) = VmaHolding(specimen.Pid, reserve);
        int pages = (int)((end - start) / 4096);
        Assert.True(pages >= 1 << 20, $"the area is one VMA of at least 2^20 pages ({pages})");
        ulong written = reserve + (3UL << 30);
        var page = await explorer.SignedInPage();
        // the cursor in the URL: the grid opens scrolled to that page, 786,432 pages in
        await explorer.Open(page, $"/live/processes/{specimen.Pid}/vma/0x{start:x}?at=0x{written:x}");
        await page.Locator("canvas.page-grid[data-drawn=complete]").WaitForAsync();
        Assert.Contains($"{pages.ToString("N0", CultureInfo.InvariantCulture)} pages", await page.TextContentAsync("h1"), StringComparison.Ordinal);
        string present = (await page.GetAttributeAsync("li[data-key=present]", "data-fill"))!;
        string absent = (await page.GetAttributeAsync("li[data-key=not-populated]", "data-fill"))!;
        await AssertVisibleCellsArePagemaps();
        var (firstShown, shown) = await VisibleCellColours(page);
        Assert.Equal(present, shown[(int)((written - start) / 4096) - firstShown]);
        await ExplorerSession.Screenshot(page, "pages-million");

        // End: the last page, at the bottom of the scroll, drawn
        await page.FocusAsync("canvas.page-grid");
        await page.Keyboard.PressAsync("End");
        Assert.Contains($"at=0x{end - 4096:x}", page.Url, StringComparison.Ordinal);
        await page.Locator("canvas.page-grid[data-drawn=complete]").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => { const s = document.querySelector('.grid-scroll'); return s.scrollTop + s.clientHeight >= s.scrollHeight - 1; }"), "End scrolls to the bottom");
        await AssertVisibleCellsArePagemaps();
        Assert.Equal(absent, (await VisibleCellColours(page)).Colours[^1]);

        async Task AssertVisibleCellsArePagemaps()
        {
            var (first, colours) = await VisibleCellColours(page);
            Assert.NotEmpty(colours);
            ulong from = start + ((ulong)first * 4096);
            var frames = PagemapFile.PresentFrames(specimen.Pid, from, from + ((ulong)colours.Length * 4096));
            Assert.Equal(Enumerable.Range(0, colours.Length).Select(i => frames.ContainsKey(from + ((ulong)i * 4096)) ? present : absent), colours);
        }
    }

    [SkippableFact]
    public async Task FrameOfAPageSharedAfterForkListsParentAndChild()
    {
        ExplorerSession.RequireBrowser();
        using var pair = Specimen.StartProgram("forkpair");
        int parent = pair.Pid, child = (int)pair.Value("child");
        ulong heap = pair["heap"] & ~0xfffUL; // the owners search answers page addresses
        var page = await explorer.SignedInPage();
        await explorer.Open(page, $"/live/processes/{parent}/page/0x{heap:x}");
        var frame = page.Locator("section.frame:not([data-state=loading])");
        await frame.WaitForAsync();
        Assert.Equal("ready", await frame.GetAttributeAsync("data-state"));
        var owners = await page.Locator("table.mappings tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.pid + ' ' + r.dataset.address)");
        Assert.Equal(new[] { $"{parent} 0x{heap:x}", $"{child} 0x{heap:x}" }.Order(), owners.Order());
        Assert.Equal("2", await page.InnerTextAsync("dd[data-fact='frame map count']"));
        await ExplorerSession.Screenshot(page, "frame");

        // each owner is a link to that process's page
        await page.ClickAsync($"table.mappings tr[data-pid='{child}'] td.mono a");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/live/processes/{child}/page/0x{heap:x}", page.Url, StringComparison.Ordinal);
    }
}
