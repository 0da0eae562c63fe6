// Live: one process watched as it runs. The server samples it (one sampler per process however many
// pages watch it: the CLI's `watch`) and sends each sample as a server-sent event: the VMAs that
// changed, or every VMA in the first sample a page gets (and after it missed some). This view keeps the
// map of VMAs those samples describe, a timeline of the samples, a row per VMA whose residency bar
// moves as pages arrive and leave (only the rows in sight exist, redrawn when a sample changed one of
// them or the table is scrolled: a 20,000-VMA process is a few dozen rows, not 20,000; a filter by
// class, path or address finds a VMA among them), and the
// page grid of one VMA redrawn after each sample that changed it, its cells marked where a page arrived,
// left, or was copied (shared before, its own now: copy-on-write broken). The watch ends when the
// process exits (the server says so) or when the view is left (the stream is closed, the server stops
// sampling once no page watches). A snapshot holds one moment: it is not live.
import { api } from "../api.js";
import { PageGrid } from "../documents.js";
import { clipped, h, link, replace, swatch } from "../dom.js";
import { bytes, count, hex } from "../format.js";
import { LiveSample, LiveVma, liveEnd, liveSample } from "../liveDocuments.js";
import { remember } from "../navigation.js";
import { paths } from "../routes.js";
import { rowWindow } from "../rowWindow.js";
import { classLabel } from "../vmaText.js";

const intervals = [100, 250, 500, 1000, 2000, 5000, 10000];
const kept = 240; // samples the timeline shows
const gridLimit = 16384; // pages of the chosen VMA drawn (the pages view shows any size)
const everySample = 4096; // a VMA this small has its grid read at every sample
const rowHeight = 24; // px, every row of the VMA table (style.css holds them to it)
const marks = {
  present: { title: "present", fill: "#1e88e5" },
  absent: { title: "not present", fill: "#eceff1" },
  arrived: { title: "arrived", fill: "#43a047" },
  left: { title: "left", fill: "#e53935" },
  copied: { title: "copied (COW broken)", fill: "#fb8c00" },
} as const;

export async function liveView(root: HTMLElement, route: { source: string; pid: number }): Promise<() => void> {
  const status = h("span", { class: "live-status", "data-live-state": "connecting" }, "connecting…");
  if (route.source !== "live") {
    status.dataset.liveState = "not-live";
    replace(status, `${route.source} is a snapshot: it holds one moment, so there is nothing to watch. The live view needs the live machine.`);
    replace(root, h("h1", {}, `Live: process ${route.pid}`), h("p", {}, status), h("p", {}, link(paths.process(route.source, route.pid), "its address space in the snapshot")));
    return () => undefined;
  }
  const query = new URLSearchParams(location.search);
  const asked = Number(query.get("interval"));
  let interval = intervals.includes(asked) ? asked : 1000;
  let chosen: bigint | null = query.get("vma") && /^0x[0-9a-f]{1,16}$/i.test(query.get("vma")!) ? BigInt(query.get("vma")!) : null;
  const samples: LiveSample[] = [];
  const title = h("h1", {}, `Live: process ${route.pid}`);
  const select = h("select", { "aria-label": "sampling interval" }, ...intervals.map(ms => h("option", { value: ms, selected: ms === interval }, ms < 1000 ? `${ms} ms` : `${ms / 1000} s`)));
  const counter = h("span", { class: "summary", "data-samples": 0 });
  const timeline = h("div", { class: "live-timeline" });
  const vmaBody = h("tbody");
  const vmaTable = h("table", { class: "live-vmas", "data-vmas": 0, "data-shown": 0 },
    h("thead", {}, h("tr", {}, ...["Class", "Start", "Size", "Present", "", "Last change"].map(t => h("th", {}, t)))), vmaBody);
  const vmaScroll = h("div", { class: "table-scroll tall live-vma-scroll" }, vmaTable);
  const filter = h("input", { type: "search", class: "live-filter", placeholder: "heap, stack, a path, or 0x…", "aria-label": "filter the VMAs by class, path or an address inside" });
  const shownCount = h("span", { class: "dim live-shown" });
  const gridTitle = h("h2", {}, "Pages");
  const canvas = h("canvas", { class: "live-grid", tabindex: 0, "data-drawn": "none" });
  const log = h("ol", { class: "live-log", "aria-live": "polite" });
  let grid: PageGrid | null = null;
  let source: EventSource | null = null;
  let gridRequest: AbortController | null = null;
  let pending: LiveVma | null = null;
  let changes = new Map<number, Change>();
  // The VMAs as the samples so far describe them, by start; in address order (`order`, with each
  // one's place); those the filter lets through (`shown`, the table's rows); the VMAs the last sample marked.
  const vmas = new Map<bigint, LiveVma>();
  let order: LiveVma[] = [];
  let place = new Map<bigint, number>();
  let shown: LiveVma[] = [];
  let marked: bigint[] = [];
  let revealed = false; // the chosen row was scrolled into sight when it first was among the rows
  const rows = rowWindow(vmaScroll, vmaBody, rowHeight, 6, (v: LiveVma) => vmaRow(v, v.vma.start === chosen));

  function keepInUrl(): void {
    const q = new URLSearchParams({ interval: String(interval) });
    if (chosen !== null) q.set("vma", hex(chosen));
    remember(`${location.pathname}?${q}`);
  }

  function setStatus(state: string, text: string): void {
    status.dataset.liveState = state;
    replace(status, text); // a failure's message may name the process or a file: escaped as every text is
  }

  function connect(): void {
    source?.close();
    source = new EventSource(`/api/live/processes/${route.pid}/watch?interval=${interval}`);
    source.addEventListener("open", () => setStatus("watching", `watching every ${select.selectedOptions[0]?.textContent ?? ""}`));
    source.addEventListener("sample", event => {
      const data = (event as MessageEvent).data as string;
      const before = performance.now();
      const sample = liveSample(JSON.parse(data));
      const parsed = performance.now();
      onSample(sample);
      if (vmaTable.dataset.firstSample === undefined) timeFirstSample(data.length, parsed - before, performance.now() - parsed);
    });
    for (const name of ["exited", "failed"]) {
      source.addEventListener(name, event => {
        const end = liveEnd(JSON.parse((event as MessageEvent).data));
        source?.close();
        setStatus(end.reason, end.message);
        log.prepend(h("li", { class: "live-end" }, end.message));
      });
    }
    // A refusal (404: no such process, 429: too many watched) closes the source; a dropped connection reconnects by itself.
    source.addEventListener("error", () => {
      if (source?.readyState === EventSource.CLOSED && status.dataset.liveState !== "exited" && status.dataset.liveState !== "failed")
        setStatus("closed", "the server refused or ended the watch (too many processes watched, or the process is gone)");
    });
  }

  function onSample(sample: LiveSample): void {
    samples.push(sample);
    if (samples.length > kept) samples.shift();
    counter.dataset.samples = String(sample.sequence + 1);
    counter.textContent = `${count(sample.sequence + 1)} samples · ${count(sample.present)} pages present · ${bytes(sample.virtualBytes)} mapped`;
    if (chosen === null) chosen = sample.vmas.find(v => v.vma.cls.kind === "heap")?.vma.start ?? null;
    // The command for the title, from the one VMA's document (the whole maps document of a process of
    // 20,000 VMAs reads every page and is megabytes: not worth a title).
    if (samples.length === 1 && sample.vmas.length)
      void api.vma(route.source, route.pid, sample.vmas[0].vma.start).then(m => replace(title, `Live: ${m.header.command} (${route.pid})`), () => undefined);
    drawTimeline();
    applyToVmas(sample);
    revealChosen();
    for (const v of sample.vmas) {
      const what = v.change; // empty when its extent is unchanged
      if (sample.sequence > 0 && (v.arrived || v.left || what))
        log.prepend(h("li", {}, `#${sample.sequence} ${classLabel(v.vma)} ${hex(v.vma.start)}: ${[what, v.arrived ? `+${count(v.arrived)} page(s)` : "", v.left ? `−${count(v.left)} page(s)` : ""].filter(Boolean).join(", ")}`));
    }
    while (log.children.length > 30) log.lastChild?.remove();
    // A copy (copy-on-write broken) moves no page in or out: only the grid itself shows it, so a small
    // VMA's grid is read at every sample; a large one's when its pages or extent changed.
    const mine = chosen === null ? undefined : vmas.get(chosen);
    if (mine && (grid === null || mine.arrived || mine.left || mine.change !== "" || pagesOf(mine) <= everySample)) void refreshGrid(mine);
  }

  /**
   * What the first sample cost (the whole map: megabytes for a process of 20,000 VMAs), for a reader
   * of the page (bench/explorer.cs): its size, the JSON parse, the drawing, and when it was on screen
   * (two frames later, as main.ts marks a view painted), in ms since the page's navigation began.
   */
  function timeFirstSample(length: number, parseMs: number, drawMs: number): void {
    vmaTable.dataset.firstSample = "parsed";
    Object.assign(vmaTable.dataset, { firstSampleChars: String(length), firstParseMs: parseMs.toFixed(1), firstDrawMs: drawMs.toFixed(1) });
    requestAnimationFrame(() => requestAnimationFrame(() => {
      vmaTable.dataset.firstDrawnMs = performance.now().toFixed(0);
      vmaTable.dataset.firstSample = "drawn";
    }));
  }

  function drawTimeline(): void {
    const width = 720, height = 70;
    const top = samples.reduce((most, s) => Math.max(most, s.present), 1);
    // Scaled to the samples held: the first few span the width, as the 240 do once the timeline is full.
    const x = (i: number) => (i / Math.max(1, samples.length - 1)) * width;
    const y = (v: number) => height - 4 - (v / top) * (height - 12);
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("class", "live-chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "pages present, sample by sample");
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", samples.map((s, i) => `${x(i).toFixed(1)},${y(s.present).toFixed(1)}`).join(" "));
    line.setAttribute("class", "live-line");
    svg.append(line);
    samples.forEach((s, i) => {
      if (!s.arrived && !s.left) return;
      const tick = document.createElementNS("http://www.w3.org/2000/svg", "line");
      tick.setAttribute("x1", x(i).toFixed(1));
      tick.setAttribute("x2", x(i).toFixed(1));
      tick.setAttribute("y1", "0");
      tick.setAttribute("y2", String(height));
      tick.setAttribute("class", s.arrived ? "live-tick arrived" : "live-tick left");
      svg.append(tick);
    });
    replace(timeline, svg, h("span", { class: "dim" }, `pages present, last ${count(samples.length)} samples (peak ${count(top)})`));
  }

  /**
   * Brings the map of VMAs up to the sample: every VMA when it lists them all, else the ones it
   * changed (a removed one goes; one whose range another now covers — a stack grown down, two merged —
   * gives way). The VMAs the previous sample marked (arrived, left) lose their mark; the VMAs are put
   * in order again only when some came or went, and the table redraws its rows only when one in sight changed.
   */
  function applyToVmas(sample: LiveSample): void {
    let reordered = sample.everyVma;
    if (sample.everyVma) vmas.clear();
    const touched = new Set<bigint>();
    for (const v of sample.vmas) {
      if (v.change === "removed") {
        reordered = vmas.delete(v.vma.start) || reordered;
        continue;
      }
      // (a whole map has no overlaps: checked only for changes, a few VMAs against the map)
      if (!sample.everyVma) for (const [start, other] of vmas) {
        if (start !== v.vma.start && start < v.vma.end && other.vma.end > v.vma.start) {
          vmas.delete(start);
          reordered = true;
        }
      }
      reordered ||= !vmas.has(v.vma.start);
      vmas.set(v.vma.start, v);
      touched.add(v.vma.start);
    }
    // The marks of the last sample's rows last one sample, as when every row was drawn again.
    const calmed = new Set<bigint>();
    for (const start of marked) {
      const v = vmas.get(start);
      if (!v || touched.has(start)) continue;
      vmas.set(start, { ...v, arrived: 0, left: 0, change: "" });
      calmed.add(start);
    }
    marked = sample.vmas.filter(v => v.arrived || v.left || (v.change !== "" && v.change !== "removed")).map(v => v.vma.start);
    if (!reordered && !touched.size && !calmed.size) return;
    if (reordered) {
      order = [...vmas.values()].sort((a, b) => (a.vma.start < b.vma.start ? -1 : 1));
      place = new Map(order.map((v, i) => [v.vma.start, i]));
    } else for (const start of [...touched, ...calmed]) order[place.get(start)!] = vmas.get(start)!;
    showRows(v => touched.has(v.vma.start) || calmed.has(v.vma.start));
  }

  /** Scrolls the chosen row (the heap, or the URL's VMA) into sight, once: the first time it is among the rows (a process may have thousands of VMAs before it). */
  function revealChosen(): void {
    if (revealed || chosen === null) return;
    const i = shown.findIndex(v => v.vma.start === chosen);
    if (i < 0) return;
    rows.reveal(i);
    revealed = true;
  }

  /** The VMAs the filter lets through, as the table's rows (redrawn where `changed` says, or wholly). */
  function showRows(changed?: (v: LiveVma) => boolean): void {
    const matches = matcher(filter.value);
    shown = matches ? order.filter(matches) : order;
    vmaTable.dataset.vmas = String(order.length);
    vmaTable.dataset.shown = String(shown.length);
    shownCount.textContent = matches ? `${count(shown.length)} of ${count(order.length)} VMAs` : `${count(order.length)} VMAs`;
    rows.show(shown, changed);
  }

  function choose(start: bigint): void {
    chosen = start;
    grid = null;
    keepInUrl();
    rows.redraw();
    const now = vmas.get(start);
    if (now) void refreshGrid(now, true);
  }

  // Enter chooses the row with the keyboard; the arrows move along the rows, scrolling them into sight.
  vmaBody.addEventListener("click", event => {
    const i = rows.indexOf((event.target as Element).closest("tr")!);
    if (i >= 0) choose(shown[i].vma.start);
  });
  vmaBody.addEventListener("keydown", event => {
    const i = rows.indexOf(event.target as Element);
    if (i < 0) return;
    if (event.key === "Enter") {
      choose(shown[i].vma.start);
      rows.focus(i); // its row drawn again keeps the keyboard
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      rows.focus(i + (event.key === "ArrowDown" ? 1 : -1));
    }
  });
  filter.addEventListener("input", () => {
    vmaScroll.scrollTop = 0;
    showRows();
  });

  /** Reads the chosen VMA's grid; while one read is under way the next waits for it (a slow server never piles reads up). */
  async function refreshGrid(v: LiveVma, restart = false): Promise<void> {
    if (gridRequest && !restart) {
      pending = v;
      return;
    }
    gridRequest?.abort();
    const request = (gridRequest = new AbortController());
    const pages = pagesOf(v);
    const shown = Math.min(pages, gridLimit);
    try {
      const next = await api.pages(route.source, route.pid, v.vma.start, shown, request.signal);
      if (request.signal.aborted) return;
      replace(gridTitle, `Pages of ${classLabel(v.vma)} ${hex(v.vma.start)}–${hex(v.vma.end)}`, shown < pages ? ` (the first ${count(shown)} of ${count(pages)})` : "");
      const same = grid !== null && grid.start === next.start;
      const kept = same ? changes : new Map<number, Change>();
      changes = drawGrid(canvas, same ? grid : null, next, kept);
      grid = next;
      // The grid saw a change of its own (a copy shows nowhere else): the log says so.
      const copied = [...changes.values()].filter(c => c === "copied").length;
      if (changes !== kept && copied) log.prepend(h("li", {}, `${classLabel(v.vma)} ${hex(v.vma.start)}: ${count(copied)} page(s) copied (copy-on-write broken)`));
    } catch (e) {
      if (!request.signal.aborted) replace(gridTitle, `Pages: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (gridRequest === request) gridRequest = null;
    }
    const again = pending;
    pending = null;
    if (again && !request.signal.aborted && again.vma.start === chosen) void refreshGrid(again);
  }

  select.addEventListener("change", () => {
    interval = Number(select.value);
    keepInUrl();
    connect();
  });
  keepInUrl();
  replace(root, title,
    h("div", { class: "toolbar" }, status, h("label", {}, "sample every ", select), counter,
      link(paths.process(route.source, route.pid), "address space")),
    timeline,
    h("div", { class: "live-beside" },
      h("section", {}, h("h2", {}, "VMAs"), h("div", { class: "toolbar" }, filter, shownCount), vmaScroll),
      h("section", {}, gridTitle, h("ul", { class: "legend-inline" }, ...Object.values(marks).map(m => h("li", {}, swatch(m.fill), m.title))),
        h("div", { class: "live-grid-box" }, canvas), h("h2", {}, "Changes"), log)));
  connect();
  return () => {
    source?.close();
    gridRequest?.abort();
  };
}

function pagesOf(v: LiveVma): number {
  return Number((v.vma.end - v.vma.start) / 4096n);
}

/**
 * What the filter box lets through: an address (0x…) the VMA holding it; else words every one of
 * which the VMA's class, owner, path or permissions contain (case aside). Null when it is empty.
 */
function matcher(text: string): ((v: LiveVma) => boolean) | null {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  if (words.length === 1 && /^0x[0-9a-f]{1,16}$/.test(words[0])) {
    const at = BigInt(words[0]);
    return v => v.vma.start <= at && at < v.vma.end;
  }
  return v => {
    const said = `${classLabel(v.vma)} ${v.vma.path} ${v.vma.perms}`.toLowerCase();
    return words.every(w => said.includes(w));
  };
}

function vmaRow(v: LiveVma, chosen: boolean): HTMLElement {
  const pages = pagesOf(v);
  const bar = h("span", { class: "live-bar" });
  const fill = h("span", { class: "live-bar-fill" });
  fill.style.width = `${pages ? Math.max(v.present ? 1 : 0, (v.present / pages) * 100) : 0}%`;
  bar.append(fill);
  const changed = v.arrived || v.left;
  return h("tr", {
    class: `${chosen ? "chosen" : ""} ${v.arrived ? "arrived" : v.left ? "left" : ""}`, tabindex: 0,
    "data-start": hex(v.vma.start), "data-kind": v.vma.cls.kind, "data-present": v.present,
  }, h("td", {}, clipped(classLabel(v.vma))), h("td", { class: "mono" }, hex(v.vma.start)), h("td", { class: "num" }, bytes(Number(v.vma.end - v.vma.start))),
  h("td", { class: "num" }, count(v.present)), h("td", {}, bar),
  h("td", {}, changed ? `${v.arrived ? `+${count(v.arrived)}` : ""}${v.left ? ` −${count(v.left)}` : ""}` : v.change));
}

type Change = "arrived" | "left" | "copied";

/**
 * Draws the grid. Cells that differ from the previous grid of the same VMA are marked (arrived, left,
 * copied); the marks stay until the next grid that differs, so a change stays in sight while the
 * grid is read again and again unchanged. Returns the marks drawn.
 */
function drawGrid(canvas: HTMLCanvasElement, before: PageGrid | null, now: PageGrid, kept: Map<number, Change>): Map<number, Change> {
  const cell = 10, columns = 64;
  const rows = Math.max(1, Math.ceil(now.count / columns));
  const ratio = window.devicePixelRatio || 1;
  canvas.width = columns * cell * ratio;
  canvas.height = rows * cell * ratio;
  canvas.style.width = `${columns * cell}px`;
  canvas.style.height = `${rows * cell}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.scale(ratio, ratio);
  const presentState = now.states.indexOf("present");
  const sharedBit = 1 << (now.bits.get("shared") ?? 10);
  const isPresent = (g: PageGrid, i: number) => i < g.count && (g.cells[i] & 7) === presentState;
  const changes = new Map<number, Change>();
  if (before) {
    for (let i = 0; i < now.count; i++) {
      const p = isPresent(now, i), was = isPresent(before, i);
      if (p && !was) changes.set(i, "arrived");
      else if (!p && was) changes.set(i, "left");
      else if (p && before.cells[i] & sharedBit && !(now.cells[i] & sharedBit)) changes.set(i, "copied");
    }
  }
  const marked = changes.size ? changes : kept;
  const present: number[] = [], shared: number[] = [];
  const lists: Record<Change, number[]> = { arrived: [], left: [], copied: [] };
  for (let i = 0; i < now.count; i++) {
    const p = isPresent(now, i);
    if (p) present.push(i);
    if (p && now.cells[i] & sharedBit) shared.push(i);
    const change = marked.get(i);
    if (change) lists[change].push(i);
    ctx.fillStyle = marks[change ?? (p ? "present" : "absent")].fill;
    ctx.fillRect((i % columns) * cell, Math.floor(i / columns) * cell, cell - 1, cell - 1);
  }
  // What the grid shows, for a reader that is not looking at the pixels (and the tests): page indices from the VMA's start.
  const few = (list: number[]) => (list.length <= 4096 ? list.join(",") : "many");
  canvas.dataset.present = few(present);
  canvas.dataset.shared = few(shared);
  canvas.dataset.arrived = few(lists.arrived);
  canvas.dataset.left = few(lists.left);
  canvas.dataset.copied = few(lists.copied);
  canvas.dataset.start = hex(now.start);
  canvas.dataset.drawn = "complete";
  canvas.setAttribute("aria-label", `${count(present.length)} of ${count(now.count)} pages present; last change: ${lists.arrived.length} arrived, ${lists.left.length} left, ${lists.copied.length} copied`);
  return marked;
}
