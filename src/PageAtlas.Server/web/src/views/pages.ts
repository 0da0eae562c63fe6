// Pages: one VMA's pages as a grid of cells on a canvas, one cell per page, coloured by state or by
// one attribute of the page-grid document. Big VMAs stay smooth: the cells come in parts of
// `chunkPages` as they scroll into sight, and only the visible rows are drawn. Hover asks the walk
// of that page (PFN, flags, map count); arrows move a cursor, Enter or a click opens the page.
import { api } from "../api.js";
import { PageGrid } from "../documents.js";
import { h, replace, swatch } from "../dom.js";
import { bytes, count, hex } from "../format.js";
import { attributeColours, hugeLeafColour, stateColour } from "../states.js";
import { hideTooltip, showTooltip } from "../tooltip.js";
import { classLabel, mapsLine } from "../vmaText.js";
import { paths } from "../routes.js";
import { navigate, remember } from "../navigation.js";

/** Pages per request: 128 KiB of cells, well under the server's bound of 2^20. */
export const chunkPages = 1 << 16;
const gutter = 132;
const unloaded = "#f7f7f7";

interface Route { source: string; pid: number; vmaStart: bigint; at: bigint | null }

export async function pagesView(root: HTMLElement, route: Route): Promise<() => void> {
  // the one VMA, read alone: the whole maps document is a pass over every page of the process
  const maps = await api.vma(route.source, route.pid, route.vmaStart);
  const vma = maps.vmas.find(v => v.start <= route.vmaStart && route.vmaStart < v.end);
  if (!vma) throw new Error(`process ${route.pid} has no VMA at ${hex(route.vmaStart)} (any more)`);
  const pageSize = BigInt(maps.header.pageSize);
  const pages = vma.pages;
  const cell = pages > 262144 ? 6 : pages > 16384 ? 9 : 14;
  const chunks = new Map<number, PageGrid | "loading" | Error>();
  let states: string[] = [];
  let bits = new Map<string, number>();
  let mode = "state";
  let cursor = route.at !== null && route.at >= vma.start && route.at < vma.end ? Number((route.at - vma.start) / pageSize) : -1;
  let columns = 16;
  const addressOf = (i: number) => vma.start + BigInt(i) * pageSize;

  const modeSelect = h("select", { "aria-label": "colour cells by" }, h("option", { value: "state" }, "state"));
  const legendBox = h("div", { class: "legend" });
  const status = h("span", { class: "dim" });
  const canvas = h("canvas", { class: "page-grid", tabindex: 0, "aria-label": "pages: arrows move the cursor, Enter opens the page's walk" });
  const spacer = h("div", { class: "grid-spacer" });
  const scroller = h("div", { class: "grid-scroll" }, canvas, spacer);
  replace(root,
    h("h1", {}, `${maps.header.command} `, h("span", { class: "dim" }, `pid ${maps.header.pid} · ${classLabel(vma)} · ${bytes(vma.size)} · ${count(pages)} pages`)),
    h("p", { class: "mono maps-line" }, mapsLine(vma)),
    h("div", { class: "toolbar" }, h("label", {}, "Colour by ", modeSelect), status),
    legendBox, scroller);
  const ctx = canvas.getContext("2d")!;
  const rows = () => Math.ceil(pages / columns);
  const viewHeight = () => canvas.height / (window.devicePixelRatio || 1);

  function geometry(): void {
    const width = scroller.clientWidth;
    columns = Math.max(16, Math.floor((width - gutter - 4) / cell / 16) * 16);
    const height = Math.max(cell, Math.min(scroller.clientHeight, rows() * cell));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    spacer.style.height = `${Math.max(0, rows() * cell - height)}px`;
    Object.assign(canvas.dataset, { columns: String(columns), cell: String(cell), gutter: String(gutter), pages: String(pages), start: hex(vma!.start) });
  }

  function cellAt(index: number): number | null {
    const part = chunks.get(Math.floor(index / chunkPages));
    return part && part !== "loading" && !(part instanceof Error) ? part.cells[index % chunkPages] : null;
  }

  const has = (word: number, name: string) => bits.has(name) && (word & (1 << bits.get(name)!)) !== 0;

  function colour(word: number): string {
    const state = states[word & 7] ?? "not-populated";
    if (mode === "state") return state === "present" && has(word, "zeroPage") ? stateColour("zero-page") : stateColour(state);
    if (state === "not-populated") return attributeColours.none;
    return has(word, mode) ? attributeColours.on : attributeColours.off;
  }

  function load(chunk: number): void {
    if (chunks.has(chunk)) return;
    chunks.set(chunk, "loading");
    const first = chunk * chunkPages;
    api.pages(route.source, route.pid, addressOf(first), Math.min(chunkPages, pages - first)).then(grid => {
      chunks.set(chunk, grid);
      if (!states.length) learn(grid);
      draw();
    }, e => {
      chunks.set(chunk, e instanceof Error ? e : new Error(String(e)));
      // the server's message may name a file or a process: a text node through dom.ts, escaped as every text is
      replace(status, `the pages from ${hex(addressOf(first))} could not be read: ${e instanceof Error ? e.message : e}`);
    });
  }

  function learn(grid: PageGrid): void {
    states = grid.states;
    bits = grid.bits;
    for (const name of bits.keys()) modeSelect.append(h("option", { value: name }, name));
    const chosen = new URLSearchParams(location.search).get("colour");
    if (chosen && bits.has(chosen)) modeSelect.value = mode = chosen;
    drawLegend();
  }

  function drawLegend(): void {
    const item = (fill: string, text: string, key: string) => h("li", { "data-key": key, "data-fill": fill }, swatch(fill), text);
    const items = mode === "state"
      ? [...states.map(st => item(stateColour(st), st, st)), item(stateColour("zero-page"), "zero page", "zero-page"), item(hugeLeafColour, "huge leaf (top edge)", "huge-leaf")]
      : [item(attributeColours.on, mode, "on"), item(attributeColours.off, `populated, not ${mode}`, "off"), item(attributeColours.none, "not populated", "none")];
    replace(legendBox, h("ul", {}, ...items));
  }

  function draw(): void {
    const top = scroller.scrollTop;
    const height = viewHeight();
    const firstRow = Math.floor(top / cell);
    const lastRow = Math.min(rows() - 1, Math.floor((top + height) / cell));
    const offset = firstRow * cell - top;
    ctx.clearRect(0, 0, canvas.width, height);
    ctx.font = "11px ui-monospace, monospace";
    ctx.textBaseline = "middle";
    let complete = true;
    for (let row = firstRow; row <= lastRow; row++) {
      const y = offset + (row - firstRow) * cell;
      if (cell >= 9 || row % 4 === 0) {
        ctx.fillStyle = "#555";
        ctx.fillText(hex(addressOf(row * columns)), 4, y + cell / 2);
      }
      const first = row * columns;
      const last = Math.min(pages, first + columns);
      for (let chunk = Math.floor(first / chunkPages); chunk <= Math.floor((last - 1) / chunkPages); chunk++) load(chunk);
      for (let i = first; i < last; i++) {
        const word = cellAt(i);
        const x = gutter + (i - first) * cell;
        if (word === null) complete = false;
        ctx.fillStyle = word === null ? unloaded : colour(word);
        ctx.fillRect(x, y, cell - 1, cell - 1);
        if (word !== null && mode === "state" && has(word, "hugeLeaf")) {
          ctx.fillStyle = hugeLeafColour;
          ctx.fillRect(x, y, cell - 1, Math.max(1, cell >> 3));
        }
      }
    }
    if (cursor >= 0) {
      const row = Math.floor(cursor / columns);
      if (row >= firstRow && row <= lastRow) {
        ctx.strokeStyle = "#000";
        ctx.lineWidth = 2;
        ctx.strokeRect(gutter + (cursor % columns) * cell - 1, offset + (row - firstRow) * cell - 1, cell + 1, cell + 1);
      }
    }
    if (complete && canvas.dataset.drawn !== "complete") performance.mark("grid-complete"); // every visible cell drawn (bench)
    canvas.dataset.drawn = complete ? "complete" : "partial";
    replace(status, cursor >= 0 ? `cursor ${hex(addressOf(cursor))} (page ${count(cursor)})` : "");
  }

  function indexAt(clientX: number, clientY: number): number | null {
    const r = canvas.getBoundingClientRect();
    const col = Math.floor((clientX - r.left - gutter) / cell);
    const row = Math.floor((clientY - r.top + scroller.scrollTop) / cell);
    const i = row * columns + col;
    return col >= 0 && col < columns && i >= 0 && i < pages ? i : null;
  }

  function moveCursor(to: number): void {
    cursor = Math.max(0, Math.min(pages - 1, to));
    const rowTop = Math.floor(cursor / columns) * cell;
    if (rowTop < scroller.scrollTop) scroller.scrollTop = rowTop;
    else if (rowTop + cell > scroller.scrollTop + viewHeight()) scroller.scrollTop = rowTop + cell - viewHeight();
    remember(paths.pages(route.source, route.pid, vma!.start, addressOf(cursor)) + (mode !== "state" ? `&colour=${mode}` : ""));
    draw();
  }

  let hover: AbortController | null = null;
  let hoverTimer = 0;
  function stopHover(): void {
    window.clearTimeout(hoverTimer);
    hover?.abort();
    hover = null;
  }
  canvas.addEventListener("mousemove", e => {
    stopHover();
    const i = indexAt(e.clientX, e.clientY);
    if (i === null) return hideTooltip();
    const word = cellAt(i);
    const address = addressOf(i);
    showTooltip(e.clientX, e.clientY, h("div", { class: "mono" }, hex(address)), word === null ? "loading…" : states[word & 7] ?? "");
    hoverTimer = window.setTimeout(async () => {
      const mine = (hover = new AbortController());
      try {
        const w = await api.walk(route.source, route.pid, address, mine.signal);
        const p = w.page;
        showTooltip(e.clientX, e.clientY,
          h("div", { class: "mono" }, `${hex(address)} → ${p?.pfn ? `PFN ${p.pfn}, PA ${w.physicalAddress ?? p.frameAddress}` : w.state}`),
          p?.flags ? `flags: ${p.flags}` : null, p?.mapCount !== null && p?.mapCount !== undefined ? `map count ${p.mapCount}` : null,
          `leaf ${w.leafLevel ?? "none"}${w.leafSize ? ` (${bytes(w.leafSize)})` : ""}`);
      } catch (err) {
        if (!mine.signal.aborted) showTooltip(e.clientX, e.clientY, `${hex(address)}: ${err instanceof Error ? err.message : err}`);
      }
    }, 150);
  });
  canvas.addEventListener("mouseleave", () => {
    stopHover();
    hideTooltip();
  });
  canvas.addEventListener("click", e => {
    const i = indexAt(e.clientX, e.clientY);
    if (i === null) return;
    moveCursor(i);
    stopHover();
    hideTooltip();
    navigate(paths.page(route.source, route.pid, addressOf(i)));
  });
  canvas.addEventListener("keydown", e => {
    const screen = Math.max(1, Math.floor(viewHeight() / cell)) * columns;
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns, PageUp: -screen, PageDown: screen };
    if (e.key in moves) moveCursor(Math.max(cursor, 0) + (cursor < 0 ? 0 : moves[e.key]));
    else if (e.key === "Home") moveCursor(0);
    else if (e.key === "End") moveCursor(pages - 1);
    else if (e.key === "Enter" && cursor >= 0) navigate(paths.page(route.source, route.pid, addressOf(cursor)));
    else return;
    e.preventDefault();
  });
  modeSelect.addEventListener("change", () => {
    mode = modeSelect.value;
    drawLegend();
    if (cursor >= 0) moveCursor(cursor);
    else draw();
  });
  let frame = 0;
  scroller.addEventListener("scroll", () => {
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  });
  const resize = () => {
    geometry();
    draw();
  };
  window.addEventListener("resize", resize);
  geometry();
  if (cursor >= 0) moveCursor(cursor);
  else draw();
  return () => {
    window.removeEventListener("resize", resize);
    stopHover();
    hideTooltip();
  };
}
