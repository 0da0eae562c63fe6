// Physical memory (RAMMap's Physical Ranges and Use Counts, for Linux): the frames of a range of RAM
// as a grid of cells, row by row, each cell's column of colour split by the kinds of its frames
// (the server counts them: /api/{source}/physmap), with the zones and /proc/iomem's ranges as strips
// above it and the census of every frame beside it (frames --json, with /proc/meminfo's figures). A
// click zooms sixteen-fold around the cell, down to one frame a cell; a frame's click opens the frame.
import { api } from "../api.js";
import { h, replace, swatch } from "../dom.js";
import { bytes, count, hex } from "../format.js";
import { navigate } from "../navigation.js";
import { Census, PhysmapCells, Span } from "../physmapDocument.js";
import { paths } from "../routes.js";
import { hideTooltip, showTooltip } from "../tooltip.js";

/** Cells per row, and rows: the cells asked for. */
const columns = 128;
const rows = 40;
const zoomFactor = 16n;

/** The colour of each frame kind (FrameKind's names). */
const kindColours: Record<string, string> = {
  Free: "#f2f2f2", Anonymous: "#8e7cc3", File: "#f1c232", Shmem: "#76a5af", Slab: "#e06666", PageTable: "#6fa8dc",
  Hugetlb: "#e69138", Reserved: "#444444", Unflagged: "#a61c00", Other: "#b7b7b7", Absent: "#ffffff", Uninitialised: "#d9ead3",
};

/** The census of each source, counted once a minute at most: it reads every frame, and a zoom does not change it. */
const censuses = new Map<string, { at: number; census: Promise<Census> }>();

function censusOf(source: string): Promise<Census> {
  const kept = censuses.get(source);
  if (kept && performance.now() - kept.at < 60_000) return kept.census;
  const census = api.census(source);
  censuses.set(source, { at: performance.now(), census });
  census.catch(() => censuses.delete(source));
  return census;
}

function colourOf(kind: string): string {
  return kindColours[kind] ?? "#999999";
}

interface Route { source: string; start: bigint | null; end: bigint | null }

export async function physmapView(root: HTMLElement, route: Route): Promise<() => void> {
  const censusBox = h("section", { class: "pm-census", "data-state": "loading" }, h("h2", {}, "Census"), h("p", { class: "dim" }, "counting every frame…"));
  const map = await api.physmap(route.source, route.start, route.end, columns * rows);
  const canvas = h("canvas", { class: "pm-map", tabindex: 0, role: "img", "aria-label": "physical memory map: arrows move, Enter zooms in or opens the frame, minus zooms out" });
  const length = map.end - map.start;
  let cursor = 0;

  const zoomTo = (start: bigint, end: bigint) => navigate(paths.physmap(route.source, start, end));
  function zoomOut(): void {
    const wider = length * zoomFactor;
    if (map.start === 0n && map.end === map.frameLimit) return;
    const middle = map.start + length / 2n;
    let start = middle > wider / 2n ? middle - wider / 2n : 0n;
    if (start + wider > map.frameLimit) start = map.frameLimit > wider ? map.frameLimit - wider : 0n;
    zoomTo(start, start + wider < map.frameLimit ? start + wider : map.frameLimit);
  }
  function open(cell: number): void {
    if (cell < 0 || cell >= map.cellCount) return;
    const first = map.start + BigInt(cell) * BigInt(map.perCell);
    if (map.perCell === 1) return navigate(paths.frame(route.source, hex(first)));
    // sixteen times closer, the clicked cell in the middle, never fewer frames than cells
    let narrow = length / zoomFactor;
    if (narrow < BigInt(columns * rows)) narrow = BigInt(columns * rows);
    let start = first + BigInt(map.perCell) / 2n > narrow / 2n ? first + BigInt(map.perCell) / 2n - narrow / 2n : 0n;
    if (start + narrow > map.frameLimit) start = map.frameLimit - narrow;
    zoomTo(start, start + narrow);
  }

  const whole = map.start === 0n && map.end === map.frameLimit;
  replace(root,
    h("h1", {}, "Physical memory ", h("span", { class: "dim" },
      `frames ${hex(map.start)}–${hex(map.end)} (${count(Number(length))} frames, ${bytes(Number(length) * map.pageSize)}), ${count(map.perCell)} a cell`)),
    h("div", { class: "toolbar" },
      h("button", { type: "button", onclick: () => zoomOut(), disabled: whole, title: "zoom out (-)" }, "Zoom out"),
      h("button", { type: "button", onclick: () => navigate(paths.physmap(route.source, null, null)), disabled: whole }, "Whole RAM"),
      h("span", { class: "dim" }, map.perCell === 1 ? "One frame a cell: a click opens the frame." : "A click zooms in around the cell; arrows and Enter too.")),
    map.singleFrames ? null : h("p", { class: "note", "data-fact": "snapshot-cells" },
      `This snapshot kept the map in cells of ${count(map.perCell)} frames: it zooms no further, and single frames (their flags and owners) are not in it.`),
    h("div", { class: "pm-layout" },
      h("div", { class: "pm-left" },
        strip("Zones", map.zones, map), strip("/proc/iomem", map.ranges, map),
        h("div", { class: "pm-box" }, canvas),
        legend(map)),
      censusBox));

  const cellW = () => Math.max(3, Math.floor((canvas.parentElement!.clientWidth - 2) / columns));
  function draw(): void {
    const w = cellW(), ch = w + 2;
    const ratio = window.devicePixelRatio || 1;
    const lines = Math.ceil(map.cellCount / columns);
    canvas.width = columns * w * ratio;
    canvas.height = lines * ch * ratio;
    canvas.style.width = `${columns * w}px`;
    canvas.style.height = `${lines * ch}px`;
    const g = canvas.getContext("2d")!;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const kinds = map.kinds.length;
    let total = 0;
    for (let c = 0; c < map.cellCount; c++) {
      const x = (c % columns) * w, y = Math.floor(c / columns) * ch;
      let frames = 0;
      for (let k = 0; k < kinds; k++) frames += map.counts[c * kinds + k];
      total += frames;
      // the cell's column of colour, split by kind from the bottom up
      let filled = 0;
      for (let k = 0; k < kinds; k++) {
        const n = map.counts[c * kinds + k];
        if (n === 0) continue;
        const top = Math.round((filled * ch) / frames), bottom = Math.round(((filled + n) * ch) / frames);
        g.fillStyle = colourOf(map.kinds[k].name);
        g.fillRect(x, y + ch - bottom, w, bottom - top);
        filled += n;
      }
    }
    g.strokeStyle = "#1565c0";
    g.lineWidth = 2;
    g.strokeRect((cursor % columns) * w + 1, Math.floor(cursor / columns) * ch + 1, w - 2, ch - 2);
    Object.assign(canvas.dataset, {
      columns: String(columns), cellWidth: String(w), cellHeight: String(ch), start: hex(map.start), end: hex(map.end),
      perCell: String(map.perCell), cells: String(map.cellCount), total: String(total),
    });
  }
  const cellAt = (event: MouseEvent) => {
    const box = canvas.getBoundingClientRect(), w = cellW();
    const c = Math.floor((event.clientY - box.top) / (w + 2)) * columns + Math.floor((event.clientX - box.left) / w);
    return c >= 0 && c < map.cellCount ? c : -1;
  };
  canvas.addEventListener("click", event => open(cellAt(event)));
  canvas.addEventListener("mousemove", event => {
    const c = cellAt(event);
    if (c < 0) return hideTooltip();
    const first = map.start + BigInt(c) * BigInt(map.perCell);
    const parts = map.kinds.map((k, i) => [k.name, map.counts[c * map.kinds.length + i]] as const).filter(([, n]) => n > 0);
    showTooltip(event.clientX, event.clientY, h("b", {}, map.perCell === 1 ? `frame ${hex(first)}` : `frames ${hex(first)}–${hex(first + BigInt(map.perCell) - 1n)}`),
      `physical ${hex(first * BigInt(map.pageSize))}`, ...parts.map(([name, n]) => `${name}: ${count(n)}`));
  });
  canvas.addEventListener("mouseleave", hideTooltip);
  canvas.addEventListener("keydown", event => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns, Home: -cursor, End: map.cellCount - 1 - cursor };
    if (event.key in moves) cursor = Math.min(map.cellCount - 1, Math.max(0, cursor + moves[event.key]));
    else if (event.key === "Enter") return open(cursor);
    else if (event.key === "-") return zoomOut();
    else return;
    event.preventDefault();
    draw();
  });
  draw();
  const onResize = () => draw();
  window.addEventListener("resize", onResize);

  // The census reads every frame: the map is shown first, the census when it is counted (kept a minute across zooms).
  void censusOf(route.source).then(c => {
    replace(censusBox, h("h2", {}, "Census"), censusTable(c));
    censusBox.dataset.state = "ready";
  }, e => {
    replace(censusBox, h("h2", {}, "Census"), h("p", { class: "error" }, e instanceof Error ? e.message : String(e)));
    censusBox.dataset.state = "error";
  });
  return () => {
    window.removeEventListener("resize", onResize);
    hideTooltip();
  };
}

/** Zones or iomem ranges that overlap the map's frames, as labelled stretches of a bar as wide as the map. */
function strip(title: string, spans: Span[], map: PhysmapCells): HTMLElement {
  const bar = h("div", { class: "pm-strip", "data-strip": title });
  const length = Number(map.end - map.start);
  for (const span of spans) {
    if (span.end <= map.start || span.start >= map.end) continue;
    const from = Number((span.start > map.start ? span.start : map.start) - map.start) / length;
    const to = Number((span.end < map.end ? span.end : map.end) - map.start) / length;
    const part = h("span", { class: "pm-span", title: `${span.name}: frames ${hex(span.start)}–${hex(span.end)}` }, span.name);
    part.style.left = `${(from * 100).toFixed(3)}%`;
    part.style.width = `${Math.max(0.2, (to - from) * 100).toFixed(3)}%`;
    bar.append(part);
  }
  return h("div", { class: "pm-strip-row" }, h("span", { class: "pm-strip-title dim" }, title), bar);
}

function legend(map: PhysmapCells): HTMLElement {
  const kinds = map.kinds.length;
  return h("ul", { class: "pm-legend" }, ...map.kinds.map((k, i) => {
    let frames = 0;
    for (let c = 0; c < map.cellCount; c++) frames += map.counts[c * kinds + i];
    return h("li", { "data-kind": k.name, "data-frames": frames, title: k.description }, swatch(colourOf(k.name)), `${k.name} ${count(frames)}`);
  }));
}

function censusTable(census: Census): HTMLElement {
  return h("div", {},
    h("table", { class: "pm-rows" },
      h("thead", {}, h("tr", {}, ...["Frames of kind", "Frames", "Bytes", "/proc/meminfo", "meminfo bytes"].map(t => h("th", {}, t)))),
      h("tbody", {}, ...census.rows.map(r => h("tr", { "data-kind": r.kind, title: r.definition },
        h("td", {}, r.label), h("td", { class: "num", "data-frames": r.frames }, count(r.frames)), h("td", { class: "num" }, bytes(r.bytes)),
        h("td", {}, r.meminfoFields ?? ""), h("td", { class: "num" }, r.meminfoBytes === null ? "" : bytes(r.meminfoBytes)))))),
    h("p", { class: "dim" }, `free pages by /proc/buddyinfo: ${count(census.buddyinfoFreePages)}`),
    ...census.notes.map(n => h("p", { class: "note" }, n)));
}
