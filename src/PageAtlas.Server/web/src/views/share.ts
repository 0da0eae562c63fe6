// Sharing: what two or more processes share (the `share` document). Without pids in the URL, a
// picker: the source's processes with checkboxes. With them, per class or per VMA: each process's
// resident and own pages, the frames all of them map, and at one address the pages still on one frame
// (for a parent and its forked children: shared copy-on-write) versus on different frames (copied),
// as numbers and a bar; clicking a figure or a bar lists its pages (address in each process, PFN,
// flags), each linked to that process's page and to the frame. Everything chosen is in the URL.
import { api } from "../api.js";
import { h, link, replace, swatch } from "../dom.js";
import { count } from "../format.js";
import { navigate, remember } from "../navigation.js";
import { paths } from "../routes.js";
import { Share, ShareGroup } from "../shareDocuments.js";
import { classLabel } from "../vmaText.js";

/** The figures a page list can be of: the API's `figure` names and how the view titles them (for a forked pair, and otherwise). */
const figures = {
  "same-frame": { title: "same address, same frame", forked: "COW shared" },
  "other-frame": { title: "same address, other frames", forked: "copied" },
  common: { title: "frames in common", forked: "frames in common" },
  private: { title: "own pages", forked: "own pages" },
} as const;
type Figure = keyof typeof figures;

/** The bar's parts: a group's pages of the first process at one address in all (on one frame, on others), and the rest. */
const parts = [
  { key: "same-frame", fill: "#43a047" },
  { key: "other-frame", fill: "#fb8c00" },
  { key: "elsewhere", fill: "#bdbdbd" },
] as const;

const pageSize = 100;

export async function shareView(root: HTMLElement, route: { source: string; pids: number[] }): Promise<void> {
  if (route.pids.length < 2) return picker(root, route.source, route.pids);
  const report = await api.share(route.source, route.pids);
  const query = new URLSearchParams(location.search);
  let byVma = query.get("by") === "vma";
  const forked = report.forkedFrom !== null;
  const listing = h("section", { class: "share-pages", "data-state": "empty" });
  const table = h("div", { class: "table-scroll tall" });
  const toggle = h("button", { type: "button", "aria-pressed": String(byVma) });

  function keepInUrl(selection?: URLSearchParams): void {
    const q = new URLSearchParams({ pids: route.pids.join(",") });
    if (byVma) q.set("by", "vma");
    for (const [k, v] of selection ?? []) q.set(k, v);
    remember(`${location.pathname}?${q}`);
  }

  function draw(): void {
    toggle.textContent = byVma ? "Show per class" : "Show per VMA";
    toggle.setAttribute("aria-pressed", String(byVma));
    replace(table, groupTable(report, byVma ? report.vmas : report.classes, forked, select));
  }

  /** Lists the pages of one figure of one group, a page of rows at a time. */
  async function select(group: ShareGroup, figure: Figure, pid: number | null, offset = 0): Promise<void> {
    const selection = new URLSearchParams({ figure });
    if (group.cls) selection.set("class", group.cls.kind);
    if (group.cls?.owner) selection.set("owner", group.cls.owner);
    if (group.rank !== null) selection.set("rank", String(group.rank));
    if (pid !== null) selection.set("pid", String(pid));
    if (offset) selection.set("offset", String(offset));
    keepInUrl(selection);
    listing.dataset.state = "loading";
    replace(listing, h("p", { class: "dim" }, "Reading the pages…"));
    const asked = new URLSearchParams(selection);
    asked.set("pids", route.pids.join(","));
    asked.set("count", String(pageSize));
    try {
      const pages = await api.sharePages(route.source, asked);
      const title = `${forked ? figures[figure].forked : figures[figure].title}${pid !== null ? ` of pid ${pid}` : ""} in ${groupLabel(group)}`;
      const pager = h("div", { class: "toolbar" },
        h("button", { type: "button", disabled: pages.offset === 0, onclick: () => void select(group, figure, pid, Math.max(0, pages.offset - pageSize)) }, "Previous"),
        h("span", { class: "summary" }, pages.totalRows ? `rows ${count(pages.offset + 1)}–${count(pages.offset + pages.rows.length)} of ${count(pages.totalRows)}` : "no pages"),
        h("button", { type: "button", disabled: pages.offset + pages.rows.length >= pages.totalRows, onclick: () => void select(group, figure, pid, pages.offset + pageSize) }, "Next"));
      replace(listing, h("h2", {}, `${title}: ${count(pages.totalRows)}`), pager,
        h("div", { class: "table-scroll tall" }, h("table", { class: "share-page-list" },
          h("thead", {}, h("tr", {}, ...pages.pids.flatMap(p => [`${p}: address`, "PFN", "flags", "map count"].map(t => h("th", {}, t))))),
          h("tbody", {}, ...pages.rows.map(row => h("tr", {},
            ...pages.pids.map(pid => row.find(p => p.pid === pid)).flatMap(page => page
              ? [h("td", { class: "mono", "data-pid": page.pid, "data-address": page.address }, link(paths.page(route.source, page.pid, page.address), page.address)),
                h("td", { class: "mono", "data-pfn": page.pfn }, link(paths.frame(route.source, page.pfn), page.pfn)),
                h("td", {}, page.flags ?? "–"), h("td", { class: "num" }, page.mapCount ?? "–")]
              : [h("td", { class: "dim" }, "–"), h("td", {}), h("td", {}), h("td", {})])))))));
      listing.dataset.state = "ready";
    } catch (e) {
      replace(listing, h("p", { class: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
      listing.dataset.state = "error";
    }
  }

  toggle.addEventListener("click", () => {
    byVma = !byVma;
    keepInUrl();
    draw();
  });
  draw();
  replace(root,
    h("h1", {}, "Sharing between ", ...report.processes.flatMap((p, i) => [i ? ", " : "", link(paths.process(route.source, p.pid), `${p.command} (${p.pid})`)])),
    h("div", { class: "toolbar" }, toggle, legend(forked),
      h("span", { class: "summary", "data-total": "", "data-same-frame": String(report.total.counts.sameFrame), "data-other-frame": String(report.total.counts.otherFrame) }, `in total: ${count(report.total.counts.commonFrames)} frames in common; at one address ${count(report.total.counts.sameFrame)} ${forked ? "COW shared" : "on one frame"}, ${count(report.total.counts.otherFrame)} ${forked ? "copied" : "on other frames"}`)),
    ...report.notes.map(n => h("p", { class: "note" }, n)),
    table, listing);

  // A reload keeps the page list that was open.
  const figure = query.get("figure");
  if (figure && figure in figures) {
    const rows = query.get("by") === "vma" ? report.vmas : report.classes;
    const rank = query.get("rank");
    const group = rows.find(g => g.cls?.kind === query.get("class") && (g.cls?.owner ?? "") === (query.get("owner") ?? "") && String(g.rank ?? "") === (rank ?? ""))
      ?? (query.get("class") ? null : report.total);
    const pid = Number(query.get("pid")) || null;
    if (group) await select(group, figure as Figure, pid, Number(query.get("offset")) || 0);
  }
}

function groupLabel(group: ShareGroup): string {
  if (!group.cls) return "every page";
  const name = [group.cls.kind, group.cls.owner].filter(Boolean).join(" ");
  return group.rank !== null ? `${name} #${group.rank}` : name;
}

function legend(forked: boolean): HTMLElement {
  const words = { "same-frame": forked ? "COW shared" : "same frame", "other-frame": forked ? "copied" : "other frames", elsewhere: "not at one address in all" };
  return h("ul", { class: "legend-inline" }, ...parts.map(p => h("li", {}, swatch(p.fill), words[p.key])));
}

/** One row per group: per process its resident and own pages, then the figures all share, and a bar of the first process's resident pages. */
function groupTable(report: Share, groups: ShareGroup[], forked: boolean, select: (g: ShareGroup, f: Figure, pid: number | null) => void): HTMLElement {
  const widest = Math.max(1, ...groups.map(g => Math.max(...g.counts.perProcess.map(p => p.resident))));
  const figureButton = (group: ShareGroup, figure: Figure, value: number, pid: number | null) =>
    h("button", { type: "button", class: "figure", "data-figure": figure, "data-value": value, "data-pid": pid ?? undefined, disabled: value === 0,
      onclick: () => select(group, figure, pid) }, count(value));
  const head = h("tr", {}, h("th", {}, "Group"),
    ...report.processes.flatMap(p => [h("th", { class: "num" }, `${p.pid} resident`), h("th", { class: "num" }, `${p.pid} own`)]),
    h("th", { class: "num" }, "frames in common"), h("th", { class: "num" }, forked ? "COW shared" : "same address, same frame"),
    h("th", { class: "num" }, forked ? "copied" : "same address, other frame"), h("th", {}, `pages of ${report.processes[0].pid}`));
  const rows = groups.map(group => {
    const c = group.counts;
    const first = c.perProcess[0];
    const bar = h("div", { class: "share-bar", title: `${groupLabel(group)}: ${count(first?.resident ?? 0)} pages of ${report.processes[0].pid}` });
    const sizes = { "same-frame": c.sameFrame, "other-frame": c.otherFrame, elsewhere: Math.max(0, (first?.resident ?? 0) - c.sameFrame - c.otherFrame) };
    for (const { key, fill } of parts) {
      const value = sizes[key];
      if (!value) continue;
      const part = h("span", { class: "share-bar-part", "data-figure": key, title: `${count(value)} ${key === "elsewhere" ? "not at one address in all" : forked ? figures[key].forked : figures[key].title}` });
      part.style.width = `${Math.max(1, (value / widest) * 160)}px`;
      part.style.backgroundColor = fill;
      // The pages at one address are listed; the rest is no one figure (own pages are counted by frame, not by address).
      if (key !== "elsewhere") part.addEventListener("click", () => select(group, key, null));
      else part.classList.add("inert");
      bar.append(part);
    }
    const vma = c.perProcess.find(p => p.vma)?.vma;
    return h("tr", { "data-kind": group.cls?.kind ?? "total", "data-owner": group.cls?.owner ?? "", "data-rank": group.rank ?? "" },
      h("td", { title: vma ? classLabel(vma) : "" }, groupLabel(group)),
      ...c.perProcess.flatMap(p => [h("td", { class: "num", "data-resident": p.pid }, count(p.resident)), h("td", { class: "num" }, figureButton(group, "private", p.private, p.pid))]),
      h("td", { class: "num" }, figureButton(group, "common", c.commonFrames, null)),
      h("td", { class: "num" }, figureButton(group, "same-frame", c.sameFrame, null)),
      h("td", { class: "num" }, figureButton(group, "other-frame", c.otherFrame, null)),
      h("td", {}, bar));
  });
  return h("table", { class: "share-groups" }, h("thead", {}, head), h("tbody", {}, ...rows));
}

/**
 * The source's processes with a checkbox each; Compare opens the view of the ones ticked. The live
 * list is the server's last reading of every process (seconds old): Refresh reads them again, so a
 * process started since is there to pick.
 */
async function picker(root: HTMLElement, source: string, ticked: number[]): Promise<void> {
  let list = await api.processes(source);
  const chosen = new Set(ticked);
  const compare = h("button", { type: "button", class: "compare" }, "Compare");
  const refresh = h("button", { type: "button", class: "refresh" }, "Refresh");
  refresh.addEventListener("click", async () => {
    refresh.disabled = true;
    try {
      list = await api.processes(source, true);
      draw();
    } finally {
      refresh.disabled = false;
    }
  });
  const filterBox = h("input", { type: "search", placeholder: "filter by name or user", "aria-label": "filter by name or user" });
  const body = h("tbody");
  const say = h("span", { class: "summary" });
  function update(): void {
    compare.disabled = chosen.size < 2;
    say.textContent = `${chosen.size} chosen: pick two or more`;
  }
  function draw(): void {
    const needle = filterBox.value.toLowerCase();
    replace(body, ...list.processes.filter(p => !needle || p.command.toLowerCase().includes(needle) || p.user.toLowerCase().includes(needle))
      .sort((a, b) => a.pid - b.pid)
      .map(p => {
        const box = h("input", { type: "checkbox", "aria-label": `pick ${p.pid}`, "data-pid": p.pid, checked: chosen.has(p.pid) });
        box.addEventListener("change", () => {
          if (box.checked) chosen.add(p.pid); else chosen.delete(p.pid);
          update();
        });
        return h("tr", { "data-pid": p.pid }, h("td", {}, box), h("td", { class: "num" }, p.pid), h("td", {}, p.user), h("td", {}, p.command));
      }));
  }
  filterBox.addEventListener("input", draw);
  compare.addEventListener("click", () => navigate(paths.share(source, [...chosen])));
  draw();
  update();
  replace(root, h("h1", {}, "Sharing: pick two or more processes"),
    h("div", { class: "toolbar" }, filterBox, refresh, compare, say),
    h("div", { class: "table-scroll" }, h("table", { class: "processes share-picker" },
      h("thead", {}, h("tr", {}, ...["", "PID", "User", "Command"].map(t => h("th", {}, t)))), body)));
}
