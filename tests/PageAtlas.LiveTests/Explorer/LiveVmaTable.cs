using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The live view's VMA table holds only the rows in sight: its rows are read as a user sees them all,
/// by scrolling its box from top to bottom.
/// </summary>
internal static class LiveVmaTable
{
    /// <summary>Every row's start, in order, gathered by scrolling the table through (each row found by its place, data-index).</summary>
    public static Task<string[]> StartsByScrolling(IPage page) =>
        page.Locator("div.live-vma-scroll").EvaluateAsync<string[]>("""
            async box => {
              const seen = new Map();
              const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
              for (let top = 0; ; top += Math.max(1, Math.floor(box.clientHeight / 2))) {
                box.scrollTop = top;
                await frame();
                for (const tr of box.querySelectorAll('tbody tr[data-start]')) seen.set(Number(tr.dataset.index), tr.dataset.start);
                if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
              }
              return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
            }
            """);

    /// <summary>Whether the chosen row (the grid's VMA) is drawn and wholly inside the box, below its sticky header.</summary>
    public static Task<bool> ChosenRowInSight(IPage page) =>
        page.Locator("div.live-vma-scroll").EvaluateAsync<bool>("""
            box => {
              const row = box.querySelector('tbody tr.chosen');
              if (!row) return false;
              const inside = box.getBoundingClientRect(), header = box.querySelector('thead').getBoundingClientRect(), r = row.getBoundingClientRect();
              return r.top >= header.bottom - 1 && r.bottom <= inside.bottom + 1 && r.height > 0;
            }
            """);
}
