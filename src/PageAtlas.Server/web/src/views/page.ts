// One page: its walk through the page tables (each level's index, the table it reads — with its
// physical address when the kernel companion is loaded —, the leaf and its size) and its frame:
// flags in page-types' names, map count, memory cgroup, and every process and address that maps
// it (the `frame` owners search), each a link to that process's page.
import { api } from "../api.js";
import { Frame, Walk } from "../documents.js";
import { Child, h, link, replace } from "../dom.js";
import { bytes, count } from "../format.js";
import { classLabel, mapsLine } from "../vmaText.js";
import { paths } from "../routes.js";

function facts(pairs: [string, Child][]): HTMLElement {
  return h("dl", { class: "facts" }, ...pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-fact": k }, v)]));
}

export async function pageView(root: HTMLElement, route: { source: string; pid: number; address: bigint }): Promise<void> {
  const walk = await api.walk(route.source, route.pid, route.address);
  const frameBox = h("section", { class: "frame", "data-state": "loading" }, h("h2", {}, "Frame"));
  replace(root,
    h("h1", {}, `${walk.header.command} `, h("span", { class: "dim" }, `pid ${walk.header.pid} · page ${walk.address}`)),
    walkSection(walk, route), frameBox);
  const pfn = walk.page?.pfn;
  if (!pfn) {
    frameBox.append(h("p", { class: "dim" }, walk.header.pfnsVisible ? `no frame: the page is ${walk.state}` : `PFNs are hidden: ${walk.header.reason ?? "not root"}`));
    frameBox.dataset.state = "none";
    return;
  }
  frameBox.append(h("p", { class: "dim" }, "searching every process for the mappings of this frame…"));
  // The owners search reads other processes: the walk is shown first, the frame when it is found.
  void api.frame(route.source, pfn).then(frame => {
    replace(frameBox, h("h2", {}, `Frame ${frame.pfn}`), frameSection(frame, route.source));
    frameBox.dataset.state = "ready";
  }, e => {
    replace(frameBox, h("h2", {}, "Frame"), h("p", { class: "error" }, e instanceof Error ? e.message : String(e)));
    frameBox.dataset.state = "error";
  });
}

export async function frameView(root: HTMLElement, route: { source: string; pfn: string }): Promise<void> {
  const frame = await api.frame(route.source, route.pfn);
  replace(root, h("h1", {}, `Frame ${frame.pfn}`), h("section", { class: "frame", "data-state": "ready" }, frameSection(frame, route.source)));
}

function walkSection(walk: Walk, route: { source: string; pid: number }): HTMLElement {
  const p = walk.page;
  const vma = walk.vma;
  return h("section", { class: "walk" },
    h("h2", {}, "Walk"),
    facts([
      ["state", walk.state],
      ["VMA", vma ? h("span", {}, h("span", { class: "mono" }, mapsLine(vma)), ` (${classLabel(vma)}) `,
        link(paths.pages(route.source, route.pid, vma.start, BigInt(walk.address)), "its pages")) : "none"],
      ["leaf", walk.leafLevel ? `${walk.leafLevel}, ${bytes(walk.leafSize)}` : "none"],
      ["PFN", p?.pfn ?? "–"],
      ["physical address", walk.physicalAddress ?? "–"],
      ["flags", p?.flags ?? "–"],
      ["map count", p?.mapCount ?? "–"],
      ["pagemap entry", p?.pagemap ?? "–"],
    ]),
    h("table", { class: "levels" },
      h("thead", {}, h("tr", {}, ...["Level", "Index", "Covers from", "Span", "Table", "Table PA", "Entry", "Entry value", "Bits"].map(t => h("th", {}, t)))),
      h("tbody", {}, ...walk.levels.map(l => h("tr", { "data-level": l.level, class: l.entry === "leaf" ? "leaf" : "" },
        h("td", {}, l.level), h("td", { class: "num" }, l.index), h("td", { class: "mono" }, l.spanStart), h("td", { class: "num" }, bytes(l.spanSize)),
        h("td", { class: "mono" }, l.table), h("td", { class: "mono" }, l.tablePhysicalAddress ?? "–"), h("td", {}, l.entry),
        h("td", { class: "mono" }, l.entryValue ?? "–"), h("td", {}, l.entryBits ?? "–"))))),
    ...walk.notes.map(n => h("p", { class: "note" }, n)));
}

function frameSection(frame: Frame, source: string): HTMLElement {
  return h("div", {},
    facts([
      ["frame physical address", h("span", { class: "mono" }, frame.physicalAddress)],
      ["frame flags", h("span", {}, frame.flagNames ?? "–", frame.flags ? h("span", { class: "dim mono" }, ` (${frame.flags})`) : null)],
      ["frame map count", frame.mapCount ?? "–"],
      ["memory cgroup", frame.cgroup ?? "–"],
    ]),
    h("h3", {}, `Mapped by ${count(frame.mappings.length)}`),
    h("table", { class: "mappings" },
      h("thead", {}, h("tr", {}, ...["PID", "Command", "Address", "Class", "Path"].map(t => h("th", {}, t)))),
      h("tbody", {}, ...frame.mappings.map(m => h("tr", { "data-pid": m.pid, "data-address": m.address },
        h("td", { class: "num" }, link(paths.process(source, m.pid), m.pid)), h("td", {}, m.command),
        h("td", { class: "mono" }, link(paths.page(source, m.pid, m.address), m.address)), h("td", {}, m.kind), h("td", {}, m.path))))),
    h("p", { class: "dim" }, `${count(frame.processesSearched)} processes searched, ${count(frame.processesSkipped)} skipped`),
    ...frame.notes.map(n => h("p", { class: "note" }, n)));
}
