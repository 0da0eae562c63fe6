using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The page-table view with the kernel companion, in a browser here against `pageatlas serve` in a
/// QEMU guest that has the module loaded (this machine cannot load modules). kmod/test.sh runs it while
/// the guest serves, and gives it in the environment the guest's explorer URL (token included), the
/// specimen's pid and pattern area, the paging levels, and the independent source: the module's walk of
/// every present page of that area, one table per level and span with its physical address (kcheck
/// path-tables). The view of that area must draw exactly those tables, each topped by the module's
/// physical address, and say the addresses are the companion's. In the ordinary live run it skips.
/// </summary>
public sealed class GuestPageTableTests
{
    /// <summary>A bound on a hang, not a timing assert: the guest runs under TCG, tens of times slower than this machine.</summary>
    private const int BoundMs = 180_000;

    private sealed record Drawn(string Level, string Span, string? Physical, string Text);

    private static ulong Hex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new SkipException("run by kmod/test.sh against a QEMU guest");

    /// <summary>Every card the view draws, each column scrolled from top to bottom (only the cards in sight are in the page).</summary>
    private static async Task<Drawn[]> DrawnCards(IPage page)
    {
        string json = await page.EvaluateAsync<string>(@"async () => {
            const cards = new Map();
            for (const scroller of document.querySelectorAll('.pt-scroll')) {
                scroller.scrollTop = 0;
                for (;;) {
                    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                    for (const c of scroller.querySelectorAll('.pt-card'))
                        cards.set(c.dataset.tableId, { Level: c.dataset.level, Span: c.dataset.spanStart, Physical: c.dataset.physicalAddress ?? null, Text: c.querySelector('.pt-pa')?.textContent ?? '' });
                    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
                    scroller.scrollTop += scroller.clientHeight;
                }
                scroller.scrollTop = 0;
            }
            return JSON.stringify([...cards.values()]);
        }");
        return JsonSerializer.Deserialize<Drawn[]>(json)!;
    }

    [SkippableFact]
    public async Task EachTableOnTheModulesPathsIsDrawnAtTheModulesPhysicalAddress()
    {
        var url = new Uri(Required("PAGEATLAS_GUEST_URL"));
        int pid = int.Parse(Required("PAGEATLAS_GUEST_PID"), CultureInfo.InvariantCulture);
        string range = Required("PAGEATLAS_GUEST_RANGE");
        int levels = int.Parse(Required("PAGEATLAS_GUEST_LEVELS"), CultureInfo.InvariantCulture);
        // "LEVEL SPAN PA;…": the module's tables, by level and the first address each covers
        var module = Required("PAGEATLAS_GUEST_TABLES").Split(';').Select(t => t.Split(' ')).ToDictionary(t => (t[0], Hex(t[1])), t => Hex(t[2]));
        ExplorerSession.RequireBrowser();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await ExplorerSession.Chromium(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        context.SetDefaultTimeout(BoundMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(new Uri(url, $"/live/processes/{pid}/pagetables?range={Uri.EscapeDataString(range)}").ToString());
        await ExplorerSession.ViewReady(page);
        await ExplorerSession.Screenshot(page, $"guest-pagetables-{levels}-level");

        // Exactly the module's tables, each at the module's physical address, shown on the card.
        var drawn = await DrawnCards(page);
        Assert.Equal(module.Keys.Order(), drawn.Select(d => (d.Level, Hex(d.Span))).Order());
        foreach (var card in drawn)
        {
            ulong expected = module[(card.Level, Hex(card.Span))];
            Assert.True(card.Physical is not null, $"{card.Level} table at {card.Span}: no physical address drawn (the module's 0x{expected:x})");
            Assert.True(expected == Hex(card.Physical), $"{card.Level} table at {card.Span}: drawn at {card.Physical}, the module's 0x{expected:x}");
            Assert.Equal($"PA {card.Physical}", card.Text); // on a line of its own: a narrow column does not cut it off
        }
        // the levels the paging has: a real P4D only on 5-level paging
        Assert.Equal(levels == 5, drawn.Any(d => d.Level == "P4D"));
        foreach (string level in levels == 5 ? ["PGD", "P4D", "PUD", "PMD", "PTE"] : new[] { "PGD", "PUD", "PMD", "PTE" })
            Assert.Contains(drawn, d => d.Level == level);

        // the page says where the addresses come from, and counts the kernel's tables beside the reconstruction
        Assert.Contains("kernel companion's", await page.InnerTextAsync("p[data-fact=table-addresses]"), StringComparison.Ordinal);
        var kernelCounts = await page.Locator("table.pt-levels tbody tr td:last-child").AllInnerTextsAsync();
        Assert.All(kernelCounts, c => Assert.NotEqual("–", c));
        Assert.True(await page.Locator("aside.pt-side").EvaluateAsync<bool>("a => a.scrollWidth <= a.clientWidth"), "the tables-per-level table (its Kernel column last) is wider than its panel");
    }
}
