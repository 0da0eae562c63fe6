using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// What of a view's tables is out of sight at the page's size: a header cell, or a row's last cell (its
/// last figure), that lies outside the viewport or outside its table's scroll box (inside its border
/// and scroll bar), a box or the page that scrolls sideways, a figure's header not right-aligned over
/// its right-aligned cells. The address view's composition and VMA tables and the diff view's two
/// tables are checked with it, at 1280×800 and 1920×1080.
/// </summary>
internal static class TablesInSight
{
    private const string Script = @"(tables) => {
        const out = [];
        const page = document.documentElement;
        if (page.scrollWidth > page.clientWidth) out.push(`the page scrolls sideways (${page.scrollWidth} > ${page.clientWidth} px)`);
        for (const [selector, figures] of tables) {
            const table = document.querySelector(selector);
            if (!table) { out.push(`no ${selector}`); continue; }
            const box = table.closest('.table-scroll');
            if (box.scrollWidth > box.clientWidth) out.push(`${selector} scrolls sideways (${box.scrollWidth} > ${box.clientWidth} px)`);
            const edge = box.getBoundingClientRect();
            const left = Math.max(0, edge.left + box.clientLeft), right = Math.min(page.clientWidth, edge.left + box.clientLeft + box.clientWidth);
            const heads = [...table.querySelectorAll('thead th')];
            figures.forEach(i => { const th = heads[i]; if (th && getComputedStyle(th).textAlign !== 'right') out.push(`${selector} header ${th.textContent} is not right-aligned`); });
            const cells = [...heads, ...[...table.querySelectorAll('tbody tr')].map(row => row.lastElementChild)];
            for (const cell of cells) {
                const r = cell.getBoundingClientRect();
                if (r.left < left - 0.5 || r.right > right + 0.5)
                    out.push(`${selector} ${cell.tagName} '${cell.textContent}' of '${cell.closest('tr').textContent.slice(0, 40)}' spans ${r.left.toFixed(0)}-${r.right.toFixed(0)} px, in sight ${left.toFixed(0)}-${right.toFixed(0)}`);
            }
        }
        return out;
    }";

    /// <summary>What is out of sight of each table (<c>Selector</c>; <c>Figures</c>: the indexes of its columns of figures).</summary>
    public static Task<string[]> OutOfSight(IPage page, params (string Selector, int[] Figures)[] tables) =>
        page.EvaluateAsync<string[]>(Script, tables.Select(t => new object[] { t.Selector, t.Figures }).ToArray());
}
