using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The explorer's page-table view in a real browser against the `--pattern` specimen, whose tables
/// are designed (1 PUD, M PMD and N PTE tables over its area): the tables drawn, level by level,
/// against `pagetable --json` of the same process; the VmPTE line against /proc/PID/status; a leaf's
/// walk against pagemap; the exported SVG parsed as XML. And a tree of 2,000+ tables: drawn without
/// every card in the page, folded tables opening on click.
/// </summary>
public sealed class PageTableViewTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    private const ulong Gib = 1UL << 30;
    private static readonly string[] s_levels = ["PGD", "PUD", "PMD", "PTE"];

    /// <summary>The names of the tables the view draws, per level: each column scrolled top to bottom (only the cards in sight are in the page).</summary>
    private static async Task<Dictionary<string, string[]>> DrawnTables(IPage page)
    {
        string drawn = await page.EvaluateAsync<string>(@"async () => {
            const out = {};
            for (const scroller of document.querySelectorAll('.pt-scroll')) {
                const names = new Set();
                scroller.scrollTop = 0;
                for (;;) {
                    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                    scroller.querySelectorAll('.pt-card').forEach(c => names.add(c.dataset.name));
                    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
                    scroller.scrollTop += scroller.clientHeight;
                }
                scroller.scrollTop = 0;
                out[scroller.dataset.level] = [...names];
            }
            return JSON.stringify(out);
        }");
        return JsonSerializer.Deserialize<Dictionary<string, string[]>>(drawn)!;
    }

    /// <summary>`pagetable PID [--range R] --json`: the same process's tree from the CLI.</summary>
    private static JsonElement CliTree(int pid, params string[] more)
    {
        var (code, stdout, err) = CliErrorTests.Run(["pagetable", pid.ToString(CultureInfo.InvariantCulture), .. more, "--json"]);
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string[]> NamesPerLevel(JsonElement tree) =>
        tree.GetProperty("tables").EnumerateArray().GroupBy(t => t.GetProperty("level").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(t => t.GetProperty("name").GetString()!).ToArray());

    private static ulong VmPteBytes(int pid) =>
        ulong.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmPTE:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private static ulong Hex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task PatternSpecimensTablesAreExactlyPagetableJsonsAndALeafOpensPagemapsFrame()
    {
        ExplorerSession.RequireBrowser();
        using var specimen = Specimen.Start("--pattern", "10", "3");
        ulong area = specimen["pattern"];
        string range = $"0x{area:x}+3G";
        var cli = CliTree(specimen.Pid, "--range", range);
        var page = await explorer.SignedInPage(1920, 1080);
        await explorer.Open(page, $"/live/processes/{specimen.Pid}/pagetables?range={Uri.EscapeDataString(range)}");

        // Every table the CLI lists, at its level, and no other: the specimen's design is 1 PUD, 3 PMD, 10 PTE.
        var drawn = await DrawnTables(page);
        var expected = NamesPerLevel(cli);
        Assert.Equal(expected.Keys.Order(), drawn.Where(d => d.Value.Length > 0).Select(d => d.Key).Order());
        foreach (var (level, names) in expected) Assert.Equal(names.Order(), drawn[level].Order());
        Assert.Equal([1, 1, 3, 10], s_levels.Select(l => drawn[l].Length));
        foreach (var level in cli.GetProperty("levels").EnumerateArray())
            Assert.Equal(level.GetProperty("tableCount").GetInt32().ToString(CultureInfo.InvariantCulture),
                await page.GetAttributeAsync($"table.pt-levels tr[data-level={level.GetProperty("level").GetString()}] td[data-key=tables]", "data-value"));

        // VmPTE as the kernel reports it now (the specimen is idle: its tables do not change).
        Assert.Equal(VmPteBytes(specimen.Pid).ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("dd[data-fact=vmpte]", "data-bytes"));
        Assert.Contains("not known", await page.InnerTextAsync("p[data-fact=table-addresses]"), StringComparison.Ordinal);
        Assert.True(await page.Locator("aside.pt-side").EvaluateAsync<bool>("a => a.scrollWidth <= a.clientWidth"), "the tables-per-level table is wider than its panel");
        Assert.Equal(0, await page.Locator(".pt-card .pt-pa").CountAsync()); // no line for an address no one gave
        await ExplorerSession.Screenshot(page, "pagetables-pattern");

        // Export SVG: the library's picture of the same range, a valid SVG naming every table.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a[data-export=svg]"));
        Assert.Equal($"pagetable-{specimen.Pid}.svg", download.SuggestedFilename);
        string path = Path.Combine(ExplorerSession.ScreenshotDirectory, "pagetables-pattern.svg");
        await download.SaveAsAsync(path);
        var svg = XDocument.Load(path);
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
        var texts = svg.Descendants(XName.Get("text", "http://www.w3.org/2000/svg")).Select(t => t.Value).ToHashSet();
        foreach (var name in expected.Values.SelectMany(n => n)) Assert.Contains(name, texts);

        // A PTE leaf opens the walk of its address, whose frame is pagemap's.
        var leaf = page.Locator(".pt-scroll[data-level=PTE] button.pt-run[data-kind=leaf]").First;
        ulong address = Hex((await leaf.GetAttributeAsync("data-address"))!);
        Assert.InRange(address, area, area + (3 * Gib) - 1);
        await leaf.ClickAsync();
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/page/0x{address:x}", page.Url, StringComparison.Ordinal);
        Assert.Equal(PagemapFile.FrameOf(specimen.Pid, address), Hex(await page.InnerTextAsync("dd[data-fact=PFN]")));
    }

    [SkippableFact]
    public async Task ThousandsOfTablesDrawOnlyWhatIsInSightAndFoldedTablesOpenOnClick()
    {
        ExplorerSession.RequireBrowser();
        // 2,100 pages in 2,100 distinct 2 MiB regions: 2,100 PTE tables (8 MiB of memory, not 4 GiB).
        using var specimen = Specimen.Start("--pattern", "2100", "5");
        var cli = CliTree(specimen.Pid);
        int pteTables = cli.GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("level").GetString() == "PTE").GetProperty("tableCount").GetInt32();
        Assert.True(pteTables >= 2100, $"{pteTables} PTE tables");
        var page = await explorer.SignedInPage();
        await explorer.Open(page, $"/live/processes/{specimen.Pid}");
        await page.ClickAsync("a:text('Page tables')");
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/live/processes/{specimen.Pid}/pagetables", page.Url, StringComparison.Ordinal);
        Assert.Equal(pteTables.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("table.pt-levels tr[data-level=PTE] td[data-key=tables]", "data-value"));
        // at 1280×800 the side table's every column, the kernel companion's count last, is in sight without a scroll
        Assert.True(await page.Locator("aside.pt-side").EvaluateAsync<bool>("a => a.scrollWidth <= a.clientWidth"), "the tables-per-level table is wider than its panel");

        // Each PMD table of the area points to 420 PTE tables: all but 5 folded into one line.
        var cards = page.Locator(".pt-card");
        Assert.InRange(await cards.CountAsync(), 1, 200);
        var folded = page.Locator(".pt-scroll[data-level=PMD] button.pt-folded").First;
        await folded.ClickAsync();
        var pte = page.Locator(".pt-scroll[data-level=PTE]");
        // the column now holds hundreds more tables, but the page only the ones in sight
        Assert.InRange(await cards.CountAsync(), 1, 200);
        var drawn = await DrawnTables(page);
        Assert.True(drawn["PTE"].Length > 420, $"{drawn["PTE"].Length} PTE tables drawn after unfolding");
        // the last PTE table in address order is always drawn (a folded row keeps its last children)
        string last = NamesPerLevel(cli)["PTE"][^1];
        await pte.EvaluateAsync("s => s.scrollTop = s.scrollHeight");
        await page.Locator($".pt-card[data-name='{last}']").WaitForAsync();
        await ExplorerSession.Screenshot(page, "pagetables-2100");

        // a run of several leaves opens to one line per entry
        var run = page.Locator(".pt-scroll[data-level=PTE] button.pt-run[data-count]:not([data-count='1'])").First;
        await pte.EvaluateAsync("s => s.scrollTop = s.scrollHeight");
        int entries = int.Parse((await run.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture);
        string table = (await run.EvaluateAsync<string>("b => b.closest('.pt-card').dataset.tableId"))!;
        await run.ClickAsync();
        Assert.Equal(entries, await page.Locator($".pt-card[data-table-id='{table}'] button.pt-entry").CountAsync());
    }
}
