// Processes: every process of a source with its memory (the `ps` document), sortable by any column,
// filtered by name or user; a row opens the process's address space. Sort and filter are in the URL.
import { api } from "../api.js";
import { h, link, replace } from "../dom.js";
import { bytes, count } from "../format.js";
import { ProcessRow } from "../documents.js";
import { paths } from "../routes.js";
import { navigate, remember } from "../navigation.js";

type Column = { key: keyof ProcessRow; title: string; numeric: boolean; show: (p: ProcessRow) => string };

const columns: Column[] = [
  { key: "pid", title: "PID", numeric: true, show: p => String(p.pid) },
  { key: "user", title: "User", numeric: false, show: p => p.user },
  { key: "command", title: "Command", numeric: false, show: p => p.command },
  { key: "rss", title: "RSS", numeric: true, show: p => bytes(p.rss) },
  { key: "pss", title: "PSS", numeric: true, show: p => bytes(p.pss) },
  { key: "uss", title: "USS", numeric: true, show: p => bytes(p.uss) },
  { key: "swap", title: "Swap", numeric: true, show: p => bytes(p.swap) },
  { key: "thp", title: "THP", numeric: true, show: p => bytes(p.thp) },
  { key: "vmas", title: "VMAs", numeric: true, show: p => count(p.vmas) },
];

function compare(a: string | number, b: string | number): number {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}

export async function processesView(root: HTMLElement, route: { source: string }): Promise<void> {
  const query = new URLSearchParams(location.search);
  let sortKey: keyof ProcessRow = columns.find(c => c.key === query.get("sort"))?.key ?? "pss";
  let descending = query.get("order") !== "asc";
  let filter = query.get("q") ?? "";
  let list = await api.processes(route.source);

  const filterBox = h("input", { type: "search", placeholder: "filter by name or user", "aria-label": "filter by name or user", value: filter });
  const refresh = h("button", { type: "button" }, "Refresh");
  const summary = h("span", { class: "summary" });
  const head = h("tr");
  const body = h("tbody");

  function keepInUrl(): void {
    const q = new URLSearchParams();
    if (filter) q.set("q", filter);
    q.set("sort", sortKey);
    q.set("order", descending ? "desc" : "asc");
    remember(`${location.pathname}?${q}`);
  }

  function sortBy(key: keyof ProcessRow): void {
    if (key === sortKey) descending = !descending;
    else {
      sortKey = key;
      descending = columns.find(c => c.key === key)!.numeric;
    }
    keepInUrl();
    draw();
  }

  function draw(): void {
    replace(head, ...columns.map(c => {
      const sorted = c.key === sortKey;
      return h("th", {
        class: c.numeric ? "num" : "", "data-key": c.key, tabindex: 0,
        "aria-sort": sorted ? (descending ? "descending" : "ascending") : "none",
        onclick: () => sortBy(c.key),
        onkeydown: (e: Event) => { if ((e as KeyboardEvent).key === "Enter") sortBy(c.key); },
      }, c.title, sorted ? (descending ? " ▼" : " ▲") : "");
    }));
    const needle = filter.toLowerCase();
    const shown = list.processes
      .filter(p => !needle || p.command.toLowerCase().includes(needle) || p.user.toLowerCase().includes(needle))
      .sort((a, b) => compare(a[sortKey], b[sortKey]) * (descending ? -1 : 1) || a.pid - b.pid);
    replace(body, ...shown.map(p => h("tr", {
      "data-pid": p.pid,
      onclick: (e: Event) => { if (!(e.target instanceof Element && e.target.closest("a"))) navigate(paths.process(route.source, p.pid)); },
    }, ...columns.map(c => h("td", { class: c.numeric ? "num" : "", "data-key": c.key, "data-value": String(p[c.key]) },
      c.key === "command" ? link(paths.process(route.source, p.pid), c.show(p)) : c.show(p))))));
    replace(summary, `${count(shown.length)} of ${count(list.processes.length)} processes`,
      list.vanished ? `; ${list.vanished} ended while they were read` : "", list.refused ? `; ${list.refused} refused their maps` : "",
      list.measured ? `; read ${list.measured.ageSeconds.toFixed(1)} s ago` : "");
    summary.title = list.measured ? `figures read from ${list.measured.time} (Refresh reads them again)` : "";
  }

  filterBox.addEventListener("input", () => {
    filter = filterBox.value;
    keepInUrl();
    draw();
  });
  refresh.addEventListener("click", async () => {
    refresh.disabled = true;
    try {
      list = await api.processes(route.source, true);
      draw();
    } finally {
      refresh.disabled = false;
    }
  });
  draw();
  replace(root, h("div", { class: "toolbar" }, filterBox, refresh, summary),
    h("div", { class: "table-scroll" }, h("table", { class: "processes sortable" }, h("thead", {}, head), body)));
}
