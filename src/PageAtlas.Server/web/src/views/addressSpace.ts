// Address space: the VMAs along the address axis (addressLayout: to scale, gaps compressed and
// marked), coloured by segment class, each with a residency strip from the maps counts; zoom with
// the wheel, the buttons or + and -, pan by dragging or with the arrow keys. Beside it the
// composition per class and the VMAs in view. A VMA opens its pages.
import { api } from "../api.js";
import { Composition, MemoryRow, Palette, Vma } from "../documents.js";
import { clipped, h, link, replace, s, swatch } from "../dom.js";
import { bytes, count, hex } from "../format.js";
import { baseScale, Column, firstAt, isColumn, layout, marks, Segment } from "../addressLayout.js";
import { hugeLeafColour, stateColour } from "../states.js";
import { hideTooltip, showTooltip } from "../tooltip.js";
import { classLabel, fillOf, mapsLine } from "../vmaText.js";
import { paths } from "../routes.js";
import { navigate } from "../navigation.js";
import { rowWindow } from "../rowWindow.js";

const mapHeight = 130;
const vmaTop = 8;
const vmaHeight = 62;
const stripTop = 78;
const stripHeight = 16;
const vmaRowHeight = 24; // px, every row of the VMA table (style.css holds them to it): rowWindow draws only those in sight

/** The strip's states, in order. */
const stripStates = ["present", "zero-page", "swapped", "shared-swapped", "guard", "marker", "not-populated"];

/**
 * Adds v's pages in each strip state (stripStates' order) to into: a pixel column sums 16 VMAs and
 * more at 20,000, so into is one array per column, not an array of pairs per VMA.
 */
function addStripPages(v: Vma, into: number[]): void {
  into[0] += v.present;
  into[1] += v.zeroPage;
  into[2] += v.swapped;
  into[3] += v.sharedSwapped;
  into[4] += v.guard;
  into[5] += v.markers;
  into[6] += v.notPopulated;
}

export async function addressSpaceView(root: HTMLElement, route: { source: string; pid: number }): Promise<() => void> {
  // The composition reads every page's frame and map count: slower than the map (seconds at 4 GiB),
  // so the map draws first and the composition table fills in when it comes.
  const compositionAnswer = api.composition(route.source, route.pid);
  compositionAnswer.catch(() => undefined); // shown in its box below, not as an unhandled rejection
  const [maps, palette] = await Promise.all([api.mapsCompact(route.source, route.pid), api.palette()]);
  const vmas = maps.vmas;
  const compositionBox = h("div", { class: "composition-box" }, h("p", { class: "dim" }, "Loading…"));
  compositionAnswer.then(c => replace(compositionBox, compositionTable(c)),
    e => replace(compositionBox, h("p", { class: "error" }, `the composition could not be read: ${e instanceof Error ? e.message : e}`)));
  const vmaBody = h("tbody");
  const vmaNote = h("p", { class: "dim vma-note" });
  const vmaScroll = h("div", { class: "table-scroll tall" }, h("table", { class: "vmas" },
    headings(["Start", "End", "Perms", "Class"], ["Size", "Present", "Swapped", "Not populated", "Huge"]), vmaBody));
  // only the rows scrolled into sight exist: 20,000 VMAs in view are a few dozen rows, not 20,000
  const vmaRows = rowWindow(vmaScroll, vmaBody, vmaRowHeight, 9, (v: Vma) => h("tr", { "data-start": hex(v.start), "data-kind": v.cls.kind },
    h("td", { class: "mono" }, link(paths.pages(route.source, route.pid, v.start), hex(v.start))), h("td", { class: "mono" }, hex(v.end)),
    h("td", { class: "mono" }, v.perms), h("td", {}, swatch(fillOf(palette, v.cls.kind)), clipped(classLabel(v))),
    h("td", { class: "num" }, bytes(v.size)), h("td", { class: "num" }, count(v.present)), h("td", { class: "num" }, count(v.swapped)),
    h("td", { class: "num" }, count(v.notPopulated)), h("td", { class: "num" }, count(v.hugeLeafPages))));
  const map = addressMap(vmas, palette, {
    open: v => navigate(paths.pages(route.source, route.pid, v.start)),
    pageSize: maps.header.pageSize,
    shown: drawRows,
  });
  map.toolbar.append(link(paths.pageTables(route.source, route.pid), "Page tables"));
  replace(root,
    h("h1", {}, `${maps.header.command} `, h("span", { class: "dim" }, `pid ${maps.header.pid}, ${count(vmas.length)} VMAs`)),
    map.toolbar, map.box, legend(vmas, palette),
    h("div", { class: "address-beside" },
      h("div", {}, h("h2", {}, "Composition by class"), compositionBox),
      h("div", {}, h("h2", {}, "VMAs in view"), vmaNote, vmaScroll)));

  let firstShown: Vma | undefined;
  function drawRows(shown: Vma[]): void {
    vmaNote.textContent = `${count(shown.length)} of ${count(vmas.length)} VMAs in view`;
    // another stretch of the map (a zoom or a pan, not a redraw of the same): its rows from the top
    if (shown[0] !== firstShown) vmaScroll.scrollTop = 0;
    firstShown = shown[0];
    vmaRows.show(shown);
  }

  map.start();
  return map.leave;
}

/** What a view adds to the address map: marks over each VMA drawn (a highlight layer), what a click does, what is in view. */
export interface MapOptions {
  /** Opens a VMA (a click on it; address is the one under the pointer). */
  open: (v: Vma, address: bigint) => void;
  /** Told the VMAs in view after each drawing. */
  shown?: (vmas: Vma[]) => void;
  /** The page size (the maps header's): a click's address is rounded down to its page. */
  pageSize: number;
  /** Extra marks over one drawn VMA, drawn above it (the diff's changed pages). */
  layer?: (sg: Segment, v: Vma) => SVGElement[];
}

/** The address map's parts, for a view to place; start() once they are in the page (it needs their width). */
export interface AddressMap { toolbar: HTMLElement; box: HTMLElement; start: () => void; leave: () => void }

/** The address map of vmas (in address order, not overlapping): zoom, pan, hover and click, with a view's own layer over it. */
export function addressMap(vmas: Vma[], palette: Palette, options: MapOptions): AddressMap {
  const svg = s("svg", { class: "address-map", height: mapHeight, tabindex: 0, role: "img", "aria-label": "address space map: arrows pan, + and - zoom, 0 fits" });
  const zoomLabel = h("span", { class: "dim" });
  const mapBox = h("div", { class: "map-box" }, svg);
  const toolbar = h("div", { class: "toolbar" },
    h("button", { type: "button", title: "zoom in (+)", onclick: () => zoomAt(2, width() / 2) }, "+"),
    h("button", { type: "button", title: "zoom out (-)", onclick: () => zoomAt(0.5, width() / 2) }, "−"),
    h("button", { type: "button", title: "fit (0)", onclick: () => fit() }, "Fit"),
    zoomLabel, h("span", { class: "dim" }, "The wheel zooms; drag or the arrow keys pan; a VMA opens its pages."));

  let scale = 1;
  let zoom = 1;
  let pan = 0;
  let segments: Segment[] = [];
  const width = () => Math.max(200, mapBox.clientWidth);
  const totalWidth = () => {
    const last = segments[segments.length - 1];
    return last ? last.x + last.width : 0;
  };

  function fit(): void {
    scale = baseScale(vmas, width());
    zoom = 1;
    segments = layout(vmas, scale, zoom);
    if (totalWidth() > width()) {
      zoom = width() / totalWidth();
      segments = layout(vmas, scale, zoom);
    }
    pan = 0;
    draw();
  }

  function zoomAt(factor: number, screenX: number): void {
    // the address under screenX stays under it
    const anchor = segments[Math.min(segments.length - 1, firstAt(segments, pan + screenX))];
    const within = anchor ? (pan + screenX - anchor.x) / Math.max(anchor.width, 1e-9) : 0;
    zoom = Math.min(1e9, Math.max(1e-3, zoom * factor));
    segments = layout(vmas, scale, zoom);
    const moved = anchor && segments.find(sg => sg.kind === anchor.kind && sg.index === anchor.index);
    if (moved) pan = moved.x + within * moved.width - screenX;
    draw();
  }

  function draw(): void {
    const w = width();
    pan = Math.max(Math.min(pan, totalWidth() - w * 0.5), -w * 0.5);
    svg.setAttribute("width", String(w));
    svg.setAttribute("viewBox", `0 0 ${w} ${mapHeight}`);
    const group = s("g", { transform: `translate(${-pan},0)` });
    const shown: Vma[] = [];
    for (const mark of marks(segments, pan, pan + w)) {
      if (isColumn(mark)) {
        const inColumn: Vma[] = [];
        for (let i = mark.first; i < mark.end; i++) if (segments[i].kind === "vma") inColumn.push(vmas[segments[i].index]);
        if (inColumn.length) group.append(drawColumn(mark, inColumn));
        // a view's layer still marks each VMA of the column, above it (a diff's change stays visible however far out)
        if (options.layer)
          for (let i = mark.first; i < mark.end; i++) if (segments[i].kind === "vma") group.append(...options.layer(segments[i], vmas[segments[i].index]));
        shown.push(...inColumn);
      } else if (mark.kind === "gap") group.append(drawGap(mark));
      else {
        group.append(drawVma(mark, vmas[mark.index]));
        if (options.layer) group.append(...options.layer(mark, vmas[mark.index]));
        shown.push(vmas[mark.index]);
      }
    }
    replace(svg, group);
    svg.dataset.marks = String(group.childElementCount);
    zoomLabel.textContent = `zoom ×${zoom < 10 ? zoom.toFixed(2) : Math.round(zoom)}`;
    // what is in view is told once a drag or zoom rests, not at every step of it
    window.clearTimeout(shownTimer);
    shownTimer = window.setTimeout(() => options.shown?.(shown), 80);
  }
  let shownTimer = 0;

  /** VMAs narrower than a pixel, one pixel column of them: the class with the most bytes, and the strip's states stacked in proportion. */
  function drawColumn(column: Column, inColumn: Vma[]): SVGGElement {
    const widest = inColumn.reduce((a, b) => (b.size > a.size ? b : a));
    const g = s("g", { class: "vma-column", "data-vmas": inColumn.length, "data-start": hex(inColumn[0].start), "data-kind": widest.cls.kind });
    const x = Math.floor(column.x);
    g.append(s("rect", { x, y: vmaTop, width: 1, height: vmaHeight, fill: fillOf(palette, widest.cls.kind) }));
    const totals = stripStates.map(() => 0);
    let pages = 0;
    let huge = 0;
    for (const v of inColumn) {
      pages += v.pages;
      huge += v.hugeLeafPages;
      addStripPages(v, totals);
    }
    let y = stripTop;
    totals.forEach((n, i) => {
      if (n <= 0) return;
      const part = (stripHeight * n) / Math.max(1, pages);
      g.append(s("rect", { x, y, width: 1, height: part, fill: stateColour(stripStates[i]), "data-state": stripStates[i] }));
      y += part;
    });
    if (huge > 0) g.append(s("rect", { x, y: stripTop - 5, width: 1, height: 4, fill: hugeLeafColour, class: "huge-mark" }));
    return g;
  }

  function drawVma(sg: Segment, v: Vma): SVGGElement {
    const g = s("g", { class: "vma", "data-index": sg.index, "data-start": hex(v.start), "data-kind": v.cls.kind });
    g.append(s("rect", { x: sg.x, y: vmaTop, width: sg.width, height: vmaHeight, fill: fillOf(palette, v.cls.kind), class: "vma-box" }));
    const label = v.path ? v.path.split("/").pop()! : v.cls.kind;
    if (sg.width > label.length * 7 + 8) g.append(s("text", { x: sg.x + 4, y: vmaTop + 18, class: "vma-label" }, label));
    if (sg.width > 130) g.append(s("text", { x: sg.x + 4, y: vmaTop + 36, class: "vma-sub" }, `${v.cls.kind} · ${bytes(v.size)}`));
    if (sg.width > 110) g.append(s("text", { x: sg.x + 2, y: stripTop + stripHeight + 14, class: "axis" }, hex(v.start)));
    const pages = Math.max(1, v.pages);
    let x = sg.x;
    const parts = stripStates.map(() => 0);
    addStripPages(v, parts);
    parts.forEach((n, i) => {
      if (n <= 0) return;
      const part = (sg.width * n) / pages;
      g.append(s("rect", { x, y: stripTop, width: part, height: stripHeight, fill: stateColour(stripStates[i]), class: "strip", "data-state": stripStates[i], "data-pages": n }));
      x += part;
    });
    if (v.hugeLeafPages > 0)
      g.append(s("rect", { x: sg.x, y: stripTop - 5, width: (sg.width * v.hugeLeafPages) / pages, height: 4, fill: hugeLeafColour, class: "huge-mark", "data-pages": v.hugeLeafPages }));
    return g;
  }

  function drawGap(sg: Segment): SVGGElement {
    const g = s("g", { class: "gap", "data-bytes": sg.bytes });
    const mid = sg.x + sg.width / 2;
    const q = vmaHeight / 4;
    g.append(s("path", { d: `M${mid - 4},${vmaTop} l8,${q} l-8,${q} l8,${q} l-8,${q}`, class: "gap-mark" }));
    if (sg.width > 30) g.append(s("text", { x: mid, y: stripTop + 12, class: "gap-label" }, bytes(sg.bytes)));
    return g;
  }

  function segmentAt(clientX: number): Segment | null {
    const x = clientX - svg.getBoundingClientRect().left + pan;
    const sg = segments[firstAt(segments, x)];
    return sg && sg.x <= x ? sg : null;
  }

  let drag: { x: number; pan: number; moved: boolean } | null = null;
  svg.addEventListener("pointerdown", e => {
    drag = { x: e.clientX, pan, moved: false };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", e => {
    if (drag && e.buttons) {
      if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
      pan = drag.pan - (e.clientX - drag.x);
      draw();
      return;
    }
    const sg = segmentAt(e.clientX);
    if (!sg) return hideTooltip();
    if (sg.kind === "gap") return showTooltip(e.clientX, e.clientY, `unmapped: ${hex(sg.start)}–${hex(sg.end)}`, bytes(sg.bytes));
    const v = vmas[sg.index];
    showTooltip(e.clientX, e.clientY, h("div", { class: "mono" }, mapsLine(v)), `${classLabel(v)} · ${bytes(v.size)} · ${count(v.pages)} pages`,
      `present ${count(v.present)}, zero page ${count(v.zeroPage)}, swapped ${count(v.swapped + v.sharedSwapped)}, not populated ${count(v.notPopulated)}, huge-leaf pages ${count(v.hugeLeafPages)}`,
      v.note ? `note: ${v.note}` : null, sg.width < 1 ? "narrower than a pixel at this zoom: zoom in to tell it from its neighbours" : null);
  });
  svg.addEventListener("pointerleave", () => hideTooltip());
  svg.addEventListener("pointerup", e => {
    const moved = drag?.moved;
    drag = null;
    if (moved) return;
    const sg = segmentAt(e.clientX);
    if (sg?.kind !== "vma") return;
    hideTooltip();
    const v = vmas[sg.index];
    const within = Math.min(1, Math.max(0, (e.clientX - svg.getBoundingClientRect().left + pan - sg.x) / Math.max(sg.width, 1e-9)));
    options.open(v, v.start + BigInt(Math.floor((within * v.size) / options.pageSize)) * BigInt(options.pageSize));
  });
  svg.addEventListener("wheel", e => {
    e.preventDefault();
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - svg.getBoundingClientRect().left);
  }, { passive: false });
  svg.addEventListener("keydown", e => {
    const step = width() * 0.2;
    if (e.key === "ArrowLeft") pan -= step;
    else if (e.key === "ArrowRight") pan += step;
    else if (e.key === "+" || e.key === "=") zoomAt(2, width() / 2);
    else if (e.key === "-") zoomAt(0.5, width() / 2);
    else if (e.key === "0") fit();
    else return;
    e.preventDefault();
    draw();
  });
  return {
    toolbar, box: mapBox,
    start: () => {
      window.addEventListener("resize", fit);
      fit();
    },
    leave: () => {
      window.clearTimeout(shownTimer);
      window.removeEventListener("resize", fit);
      hideTooltip();
    },
  };
}

export function legend(vmas: Vma[], palette: Palette): HTMLElement {
  const used = new Set(vmas.map(v => palette.kinds.get(v.cls.kind) ?? "other"));
  const classes = palette.styles.filter(st => used.has(st.style)).map(st => h("li", { "data-style": st.style }, swatch(st.fill), st.name));
  const states = ["present", "zero-page", "swapped", "not-populated"].map(st => h("li", { "data-state": st }, swatch(stateColour(st)), st));
  return h("div", { class: "legend" }, h("ul", {}, h("li", { class: "dim" }, "class:"), ...classes),
    h("ul", {}, h("li", { class: "dim" }, "strip:"), ...states, h("li", {}, swatch(hugeLeafColour), "huge leaf (mark above the strip)")));
}

function compositionTable(composition: Composition): HTMLElement {
  const row = (r: MemoryRow, cls: string) => h("tr", { class: cls, "data-class": r.label },
    h("td", {}, clipped(r.label)), h("td", { class: "num" }, r.vmas ? count(r.vmas) : ""), h("td", { class: "num" }, bytes(r.rss)),
    h("td", { class: "num" }, bytes(r.pss)), h("td", { class: "num" }, bytes(r.uss)), h("td", { class: "num" }, bytes(r.swap)),
    h("td", { class: "num" }, bytes(r.anonymous)), h("td", { class: "num" }, bytes(r.fileBacked)), h("td", { class: "num" }, bytes(r.thp)));
  return h("div", { class: "table-scroll tall" }, h("table", { class: "composition" },
    headings(["Class"], ["VMAs", "RSS", "PSS", "USS", "Swap", "Anon", "File", "THP"]),
    h("tbody", {}, ...composition.classes.map(r => row(r, "")), row(composition.total, "total"))));
}

/** A table's head: the text columns, then the figures' (right-aligned over their right-aligned cells). */
function headings(text: string[], figures: string[]): HTMLElement {
  return h("thead", {}, h("tr", {}, ...text.map(t => h("th", {}, t)), ...figures.map(t => h("th", { class: "num" }, t))));
}
