// Diff: what changed in one process between two snapshots (pageatlas diff --json, /api/diff), drawn
// on the address map of the address space view (its layer option: the map is the same code) — the
// VMAs of the later snapshot with those only the earlier one had, each changed VMA outlined in its
// change's colour and each run of changed pages marked over its VMA — and listed beside it. A click
// on a mark selects its run; a run's row opens the page in each snapshot.
import { api } from "../api.js";
import { Diff, PageRun, Vma } from "../documents.js";
import { h, link, replace, s, swatch } from "../dom.js";
import { bytes, count, hex } from "../format.js";
import { Segment } from "../addressLayout.js";
import { addressMap, legend } from "./addressSpace.js";
import { pageChangeColour, pageChangeColours, vmaChangeColour, vmaChangeColours } from "../diffColours.js";
import { navigate } from "../navigation.js";
import { paths } from "../routes.js";

/** A VMA on the diff's map and the snapshot it is drawn from. */
interface Drawn { vma: Vma; source: string; change: string | null }

const markTop = 8 + 62 - 16;
const markHeight = 14;

export async function diffView(root: HTMLElement, route: { before: string; after: string; pid: number }): Promise<() => void> {
  const [diff, before, after, palette] = await Promise.all([
    api.diff(route.before, route.after, route.pid), api.mapsCompact(route.before, route.pid), api.mapsCompact(route.after, route.pid), api.palette()]);
  const drawn = union(diff, before.vmas, after.vmas, route);
  const vmas = drawn.map(d => d.vma);
  const runsOf = runsByVma(diff.pages, vmas);
  const runRows = diff.pages.map(run => runRow(run, route));
  const selected = h("p", { class: "note diff-selected", "aria-live": "polite" }, "Click a marked page on the map to select its run.");

  function select(run: PageRun): void {
    const i = diff.pages.indexOf(run);
    for (const r of runRows) r.classList.remove("selected");
    runRows[i].classList.add("selected");
    runRows[i].scrollIntoView({ block: "nearest" });
    replace(selected, `${run.change}: ${count(run.pages)} page${run.pages === 1 ? "" : "s"} at ${hex(run.start)} — open it in `,
      ...pageLinks(run, route));
  }

  const map = addressMap(vmas, palette, {
    pageSize: after.header.pageSize,
    open: (v, address) => {
      const run = (runsOf.get(v) ?? []).find(r => address >= r.start && address < r.start + BigInt(r.pages * after.header.pageSize));
      if (run) return select(run);
      const d = drawn[vmas.indexOf(v)];
      navigate(paths.pages(d.source, route.pid, v.start));
    },
    layer: (sg, v) => marks(sg, v, drawn[sg.index].change, runsOf.get(v) ?? [], after.header.pageSize),
  });

  replace(root,
    h("h1", {}, `${diff.after.command} `, h("span", { class: "dim" }, `pid ${route.pid}: ${route.before} → ${route.after}`)),
    h("p", { class: "summary-line" }, ...totals(diff)),
    ...diff.notes.map(n => h("p", { class: "note" }, n)),
    map.toolbar, map.box, legend(vmas, palette), changeLegend(), selected,
    // the two tables side by side when both fit whole, else one above the other (1280 px): no figure off to the right
    h("div", { class: "address-beside" },
      h("div", {}, h("h2", {}, "VMAs that changed"), h("div", { class: "table-scroll tall" }, h("table", { class: "diff-vmas" },
        h("thead", {}, h("tr", {}, ...["Change", "Before", "After", "Class"].map(t => h("th", {}, t)), ...["Size before", "Size after"].map(t => h("th", { class: "num" }, t)))),
        h("tbody", {}, ...diff.vmas.map(v => h("tr", { "data-change": v.change, "data-start": hex((v.after ?? v.before)!.start) },
          h("td", {}, swatch(vmaChangeColour(v.change)), v.change),
          h("td", { class: "mono" }, v.before ? `${hex(v.before.start)}–${hex(v.before.end)}` : ""),
          h("td", { class: "mono" }, v.after ? `${hex(v.after.start)}–${hex(v.after.end)}` : ""),
          h("td", {}, (v.after ?? v.before)!.cls.kind),
          h("td", { class: "num" }, v.before ? bytes(Number(v.before.end - v.before.start)) : ""),
          h("td", { class: "num" }, v.after ? bytes(Number(v.after.end - v.after.start)) : ""))))))),
      h("div", {}, h("h2", {}, `Pages that changed (${count(diff.pages.length)} run${diff.pages.length === 1 ? "" : "s"})`), h("div", { class: "table-scroll tall" }, h("table", { class: "diff-runs" },
        h("thead", {}, h("tr", {}, ...["Change", "Start"].map(t => h("th", {}, t)), h("th", { class: "num" }, "Pages"), ...["Class", "Moved from", "Open in"].map(t => h("th", {}, t)))),
        h("tbody", {}, ...runRows))))));
  map.start();
  return map.leave;
}

/** The later snapshot's VMAs, with the earlier one's that no later VMA overlaps (gone ones), in address order. */
function union(diff: Diff, before: Vma[], after: Vma[], route: { before: string; after: string }): Drawn[] {
  const changeOf = (v: Vma, side: "before" | "after") => diff.vmas.find(c => c[side]?.start === v.start && c[side]?.end === v.end)?.change ?? null;
  const drawn: Drawn[] = after.map(v => ({ vma: v, source: route.after, change: changeOf(v, "after") }));
  for (const v of before)
    if (!after.some(a => a.start < v.end && v.start < a.end)) drawn.push({ vma: v, source: route.before, change: changeOf(v, "before") ?? "removed" });
  return drawn.sort((a, b) => (a.vma.start < b.vma.start ? -1 : a.vma.start > b.vma.start ? 1 : 0));
}

/** Each run under the drawn VMA that holds its first page (a run lies within one VMA of the snapshot it names). */
function runsByVma(runs: PageRun[], vmas: Vma[]): Map<Vma, PageRun[]> {
  const by = new Map<Vma, PageRun[]>();
  for (const run of runs) {
    const v = vmas.find(x => x.start <= run.start && run.start < x.end);
    if (!v) continue;
    const list = by.get(v) ?? [];
    list.push(run);
    by.set(v, list);
  }
  return by;
}

/** The highlight layer over one VMA: its outline when it changed, and a mark per run of changed pages (at least 2 px wide). */
function marks(sg: Segment, v: Vma, change: string | null, runs: PageRun[], pageSize: number): SVGElement[] {
  const out: SVGElement[] = [];
  if (change)
    out.push(s("rect", { x: sg.x + 1, y: 7, width: Math.max(1, sg.width - 2), height: 64, class: `diff-vma diff-vma-${change}`, fill: "none", stroke: vmaChangeColour(change), "data-change": change, "data-start": hex(v.start) }));
  for (const run of runs) {
    const offset = Number(run.start - v.start) / v.size;
    const width = Math.max(2, (sg.width * run.pages * pageSize) / v.size);
    out.push(s("rect", { x: sg.x + sg.width * offset, y: markTop, width, height: markHeight, fill: pageChangeColour(run.change), class: "diff-mark",
      "data-change": run.change, "data-start": hex(run.start), "data-pages": run.pages }));
  }
  return out;
}

function totals(diff: Diff): (string | HTMLElement)[] {
  const parts = [...diff.changedPages].filter(([, n]) => n > 0);
  if (parts.length === 0) return ["No page changed."];
  return ["Pages changed: ", ...parts.flatMap(([change, n], i) => [i > 0 ? ", " : "", h("span", { "data-change": change, "data-pages": n }, swatch(pageChangeColour(change)), `${change} ${count(n)}`)])];
}

/** Where a run's pages are in each snapshot: before (where a moved page came from) and after. */
function pageLinks(run: PageRun, route: { before: string; after: string; pid: number }): (string | HTMLElement)[] {
  return [link(paths.page(route.before, route.pid, run.movedFrom ?? run.start), `${route.before} (before)`), " · ",
    link(paths.page(route.after, route.pid, run.start), `${route.after} (after)`)];
}

function runRow(run: PageRun, route: { before: string; after: string; pid: number }): HTMLElement {
  return h("tr", { class: "diff-run", "data-change": run.change, "data-start": hex(run.start), "data-pages": run.pages },
    h("td", {}, swatch(pageChangeColour(run.change)), run.change), h("td", { class: "mono" }, hex(run.start)), h("td", { class: "num" }, count(run.pages)),
    h("td", {}, run.kind), h("td", { class: "mono" }, run.movedFrom !== null ? hex(run.movedFrom) : ""), h("td", {}, ...pageLinks(run, route)));
}

function changeLegend(): HTMLElement {
  return h("div", { class: "legend" },
    h("ul", {}, h("li", { class: "dim" }, "changed pages:"), ...Object.entries(pageChangeColours).map(([c, fill]) => h("li", {}, swatch(fill), c))),
    h("ul", {}, h("li", { class: "dim" }, "changed VMAs (outline):"), ...Object.entries(vmaChangeColours).map(([c, fill]) => h("li", {}, swatch(fill), c))));
}
