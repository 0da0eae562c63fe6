// Page tables: the process's reconstructed tree (pagetable --json) drawn as seed 000 draws it, one
// column per level (PGD → P4D → PUD → PMD → PTE), each table a card with its used entries. A pointer
// entry shows its child in the next column; a run of leaves opens to its entries; a table with many
// children folds the middle ones into one line that opens on click. Each column draws only the cards
// scrolled into sight (a 4 GiB process has thousands of PTE tables). A leaf entry opens its walk.
// Beside it: the tables per level, the VmPTE reconciliation and the legend; "Export SVG" downloads the
// library's own picture of the same tree.
import { api } from "../api.js";
import { Palette } from "../documents.js";
import { h, link, replace, swatch } from "../dom.js";
import { bytes, count, hex } from "../format.js";
import { navigate } from "../navigation.js";
import { EntryRun, PageTableTree, Table } from "../pageTableDocument.js";
import { Card, cardsBetween, Column, columnsOf, entryAddress, headLines, headLinesOf, Line, lineHeight, Openings, runKey } from "../pageTableLayout.js";
import { paths } from "../routes.js";
import { classLabel } from "../vmaText.js";

/** Cards drawn beyond the visible part of a column, so a short scroll shows no blank. */
const overscan = 400;

interface Route { source: string; pid: number; range: string | null }

/** The palette style of a run's cells: huge leaves and entries with no frame of their own stand out whatever their VMA. */
function styleOf(tree: PageTableTree, table: Table, run: EntryRun, palette: Palette): string | null {
  if (run.kind === "table" || run.vma === null) return null;
  if (run.kind === "zero-page") return "zeroPage";
  if (run.kind !== "leaf") return "notPresent";
  if (table.level !== "PTE") return "hugeLeaf";
  return palette.kinds.get(tree.vmas[run.vma]?.cls.kind ?? "") ?? "other";
}

function fill(palette: Palette, style: string | null): string | null {
  return style === null ? null : palette.styles.find(s => s.style === style)?.fill ?? null;
}

function entries(first: number, n: number): string {
  return n === 1 ? `[${first}]` : `[${first}–${first + n - 1}]`;
}

function pfns(run: EntryRun): string {
  if (!run.minPfn) return "";
  return run.minPfn === run.maxPfn ? ` · PFN ${run.minPfn}` : ` · PFN ${run.minPfn}–${run.maxPfn}`;
}

export async function pageTablesView(root: HTMLElement, route: Route): Promise<() => void> {
  const [tree, palette] = await Promise.all([api.pageTable(route.source, route.pid, route.range), api.palette()]);
  const open: Openings = { unfolded: new Set(), expanded: new Set() };
  const withAddresses = headLinesOf(tree) > headLines; // each card has a line for its physical address
  let selected: number | null = null;
  let columns: Column[] = [];
  const columnsBox = h("div", { class: "pt-columns" });
  const scrollers: HTMLElement[] = [];

  function lineText(table: Table, line: Line): string {
    switch (line.kind) {
      case "refold": return `▾ fold ${count(line.tables)} tables again`;
      case "folded": return `${entries(line.first, line.last - line.first + 1)} ▸ ${count(line.tables)} ${line.level} tables folded`;
      case "entry": return `  [${line.index}] ${hex(entryAddress(tree, table, line.index))}`;
      case "run": {
        const run = line.run;
        if (run.kind === "table") {
          const child = run.child !== null ? tree.tables[run.child] : undefined;
          return `${entries(run.first, 1)} → ${child ? `${child.level} ${hex(child.spanStart)}` : "table"}`;
        }
        const vma = run.vma !== null ? tree.vmas[run.vma] : undefined;
        const what = run.kind === "leaf" ? `${bytes(run.leafBytes)} leaf` : run.kind;
        const mark = line.expandable ? (line.expanded ? "▾ " : "▸ ") : "";
        return `${mark}${entries(run.first, run.count)} ${run.count > 1 ? `${count(run.count)} × ` : ""}${what}${vma ? ` · ${classLabel(vma)}` : ""}${pfns(run)}`;
      }
    }
  }

  function activate(table: Table, line: Line): void {
    switch (line.kind) {
      case "refold": open.unfolded.delete(table.id); return relayout();
      case "folded": open.unfolded.add(table.id); return relayout();
      case "entry": return navigate(paths.page(route.source, route.pid, entryAddress(tree, table, line.index)));
      case "run":
        if (line.run.kind === "table") return select(line.run.child);
        if (line.expandable) {
          const key = runKey(table, line.run);
          if (open.expanded.has(key)) open.expanded.delete(key); else open.expanded.add(key);
          return relayout();
        }
        return navigate(paths.page(route.source, route.pid, entryAddress(tree, table, line.run.first)));
    }
  }

  function lineElement(table: Table, line: Line): HTMLElement {
    const text = lineText(table, line);
    const run = line.kind === "run" || line.kind === "entry" ? line.run : null;
    const style = run ? styleOf(tree, table, run, palette) : null;
    const button = h("button", {
      type: "button", class: `pt-line pt-${line.kind}${style === "hugeLeaf" ? " pt-huge" : ""}`, title: text,
      "data-kind": run ? run.kind : line.kind, "data-first": run ? (line.kind === "entry" ? line.index : run.first) : undefined,
      "data-count": run && line.kind === "run" ? run.count : undefined, "data-style": style ?? undefined,
      "data-address": run && run.kind !== "table" ? hex(entryAddress(tree, table, line.kind === "entry" ? line.index : run.first)) : undefined,
      onclick: () => activate(table, line),
    }, text);
    const colour = fill(palette, style);
    if (colour) button.style.backgroundColor = colour;
    if (run?.kind === "table" && run.child === selected) button.classList.add("pt-pointing");
    return button;
  }

  function cardElement(card: Card): HTMLElement {
    const t = card.table;
    const element = h("div", {
      class: `pt-card${t.id === selected ? " selected" : ""}`, "data-table-id": t.id, "data-level": t.level, "data-name": t.name,
      "data-span-start": hex(t.spanStart), "data-physical-address": t.physicalAddress ?? undefined,
    },
    h("div", { class: "pt-head pt-line", title: t.name }, h("b", {}, t.name)),
    h("div", { class: "pt-head pt-line dim", title: `${hex(t.spanStart)}–${hex(t.spanEnd)}` }, `${hex(t.spanStart)} · ${count(t.used)} used`),
    withAddresses ? h("div", { class: "pt-head pt-line pt-pa", title: "the table's physical address (the kernel companion's)" }, `PA ${t.physicalAddress ?? "– (not among the kernel's tables)"}`) : null,
    ...card.lines.map(line => lineElement(t, line)));
    element.style.top = `${card.top}px`;
    element.style.height = `${card.height}px`;
    return element;
  }

  function drawColumn(i: number): void {
    const scroller = scrollers[i], column = columns[i];
    const space = scroller.firstElementChild as HTMLElement;
    space.style.height = `${column.height}px`;
    const visible = cardsBetween(column, scroller.scrollTop - overscan, scroller.scrollTop + scroller.clientHeight + overscan);
    replace(space, ...visible.map(cardElement));
  }

  function drawAll(): void {
    columns.forEach((_, i) => drawColumn(i));
  }

  function relayout(): void {
    columns = columnsOf(tree, open);
    columns.forEach((column, i) => {
      const heading = scrollers[i].previousElementSibling as HTMLElement;
      replace(heading, `${column.level} `, h("span", { class: "dim" }, `${count(column.cards.length)} of ${count(tree.levels[i].tables)} shown`));
    });
    drawAll();
  }

  /** Highlights a table and scrolls its column to it (a pointer's click, or the keyboard). */
  function select(id: number | null): void {
    selected = id;
    const at = id === null ? -1 : columns.findIndex(c => c.byId.has(id));
    if (at >= 0) {
      const card = columns[at].byId.get(id!)!;
      const scroller = scrollers[at];
      if (card.top < scroller.scrollTop || card.top + card.height > scroller.scrollTop + scroller.clientHeight)
        scroller.scrollTop = Math.max(0, card.top - lineHeight);
    }
    drawAll();
  }

  for (const level of tree.levels) {
    const scroller = h("div", {
      class: "pt-scroll", tabindex: 0, "data-level": level.level, role: "group",
      "aria-label": `${level.level} tables: scroll with the arrow keys, Tab reaches the entries`,
    }, h("div", { class: "pt-space" }));
    const index = scrollers.length;
    scroller.addEventListener("scroll", () => drawColumn(index), { passive: true });
    scrollers.push(scroller);
    columnsBox.append(h("div", { class: "pt-column", "data-level": level.level }, h("h3", { class: "pt-level" }, level.level), scroller));
  }
  // more room for the levels with more tables: PTE's column is the widest
  columnsBox.style.gridTemplateColumns = tree.levels.map((_, i) => `minmax(0, ${(1 + i * 0.25).toFixed(2)}fr)`).join(" ");

  const range = route.range ?? "";
  const rangeInput = h("input", { type: "text", class: "mono", value: range, placeholder: "0x7f…-0x7f… or 0x…+2M", "aria-label": "address range", size: 30 });
  const applyRange = (event: Event) => {
    event.preventDefault();
    const text = rangeInput.value.trim();
    navigate(paths.pageTables(route.source, route.pid, text || null));
  };
  const svgHref = api.pageTableSvgPath(route.source, route.pid, route.range);
  replace(root,
    h("h1", {}, `${tree.header.command} `, h("span", { class: "dim" }, `pid ${tree.header.pid} · page tables` +
      (route.range ? ` of ${tree.rangeStart}–${tree.rangeEnd}` : ""))),
    h("form", { class: "toolbar", onsubmit: applyRange },
      h("label", {}, "Range ", rangeInput), h("button", { type: "submit" }, "Show"),
      route.range ? link(paths.pageTables(route.source, route.pid, null), "whole process") : null,
      h("a", { class: "button", href: svgHref, download: `pagetable-${route.pid}.svg`, "data-export": "svg" }, "Export SVG"),
      h("span", { class: "dim" }, "A pointer shows its table in the next column; ▸ opens a run or folded tables; a leaf opens its walk.")),
    h("div", { class: "pt-layout" }, columnsBox, sidePanel(tree, palette)));
  relayout();
  const onResize = () => drawAll();
  window.addEventListener("resize", onResize);
  return () => window.removeEventListener("resize", onResize);
}

function sidePanel(tree: PageTableTree, palette: Palette): HTMLElement {
  const v = tree.vmPte;
  const known = tree.tables.some(t => t.physicalAddress !== null);
  const vmPteLine = v.kernelBytes === null ? "not reported" : `${count(v.kernelBytes / 1024)} kB (${count(v.kernelBytes / 4096)} tables)`;
  return h("aside", { class: "pt-side" },
    h("h2", {}, "Tables per level"),
    h("table", { class: "pt-levels" },
      h("thead", {}, h("tr", {}, ...["Level", "Tables", "Pointers", "Leaves", "Swap", "Markers", "Kernel"].map(t => h("th", { class: t === "Level" ? "" : "num" }, t)))),
      h("tbody", {}, ...tree.levels.map(l => h("tr", { "data-level": l.level },
        h("td", {}, l.level), h("td", { class: "num", "data-key": "tables", "data-value": l.tables }, count(l.tables)), h("td", { class: "num" }, count(l.pointers)),
        h("td", { class: "num" }, count(l.leaves)), h("td", { class: "num" }, count(l.swap)), h("td", { class: "num" }, count(l.markers)),
        h("td", { class: "num" }, l.kernelTables === null ? "–" : count(l.kernelTables)))))),
    h("h2", {}, "VmPTE"),
    h("dl", { class: "facts pt-vmpte" },
      h("dt", {}, "reconstructed"), h("dd", {}, `${count(v.reconstructedTables)} PUD + PMD + PTE tables, ${bytes(v.reconstructedBytes)}`),
      h("dt", {}, "deposited"), h("dd", {}, `${count(v.depositedTables)} (one under each anonymous 2 MiB leaf)`),
      h("dt", {}, "VmPTE"), h("dd", { "data-fact": "vmpte", "data-bytes": v.kernelBytes ?? undefined }, vmPteLine),
      h("dt", {}, "kernel's extra"), h("dd", {}, v.extraKernelTables === null ? "not comparable (a range, not the whole process)" : `${count(v.extraKernelTables)} tables`)),
    ...v.explanation.map(n => h("p", { class: "note" }, n)),
    h("h2", {}, "Legend"),
    h("ul", { class: "pt-legend" }, ...palette.styles.map(s => h("li", { "data-style": s.style }, swatch(s.fill), s.name))),
    h("p", { class: "note", "data-fact": "table-addresses" }, known
      ? "Each table's physical address (PA) is the kernel companion's."
      : "Tables' physical addresses are not known here: they need the kernel companion on a live process (a snapshot does not keep them)."),
    ...tree.notes.map(n => h("p", { class: "note" }, n)));
}
