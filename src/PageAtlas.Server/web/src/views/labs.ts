// Labs: the six experiments of `pageatlas lab`, run by the server on processes it starts and judged
// claim by claim. One run at a time (the server answers 409 to a second); the page polls the run
// until it is done, then shows each claim with HOLDS or FAILS and the figures that decide it. The
// lab's processes end with the lab, so the server keeps a snapshot of them taken while they were
// alive, when the claims were measured: each claim links to the views of that snapshot that show its
// figures (the pair's sharing, a page and its walk, a frame's owners, an address space).
import { api, ApiError } from "../api.js";
import { LabEntry, LabLink, LabRun } from "../documents.js";
import { h, link, replace } from "../dom.js";
import { paths } from "../routes.js";

const pollMilliseconds = 400;

export async function labsView(root: HTMLElement): Promise<() => void> {
  const [labs, current] = await Promise.all([api.labs(), api.labRun()]);
  const result = h("section", { class: "lab-result", "aria-live": "polite" });
  const buttons = new Map<string, HTMLButtonElement>();
  let timer = 0;
  let left = false;

  function show(run: LabRun): void {
    for (const b of buttons.values()) b.disabled = run.state === "running";
    result.dataset.state = run.state;
    result.dataset.lab = run.name ?? "";
    if (run.state === "idle") return replace(result, h("p", { class: "note" }, "No lab has run on this server yet."));
    if (run.state === "running") {
      replace(result, h("p", {}, `Running ${run.name}…`));
      if (!left) timer = window.setTimeout(() => void api.labRun().then(show, failed), pollMilliseconds);
      return;
    }
    if (run.state === "failed" || !run.report) return replace(result, h("p", { class: "error", role: "alert" }, `${run.name}: ${run.error ?? "failed"}`));
    const r = run.report;
    replace(result,
      h("h2", {}, `${r.name}: ${r.title} `, h("span", { class: "dim" }, `(seed ${r.seed}) — ${r.allHold ? "every claim holds" : "a claim fails"}`)),
      h("p", { class: "note lab-snapshot", "data-source": run.source ?? "" }, ...(run.source
        ? ["The lab's processes ended with it; the links open ", link(paths.processes(run.source), `snapshot ${run.source}`), ", taken while they were alive, when the claims were measured."]
        : [`The lab's processes ended with it: the figures are their state at the time of this run (no views: ${run.sourceNote ?? "no snapshot was kept"}).`])),
      h("table", { class: "verdicts" },
        h("thead", {}, h("tr", {}, h("th", {}, "Claim"), h("th", {}, "Verdict"), h("th", {}, "Figures"), h("th", {}, "Shown in"))),
        h("tbody", {}, ...r.verdicts.map(v => h("tr", { "data-holds": String(v.holds) },
          h("td", { class: "wrap" }, v.claim), h("td", { class: v.holds ? "holds" : "fails" }, v.holds ? "HOLDS" : "FAILS"),
          h("td", { class: "wrap mono evidence" }, v.evidence),
          h("td", { class: "wrap lab-links" }, ...v.links.map(l => h("div", {}, run.source ? linkTo(run.source, l) : l.label))))))),
      r.observations.length ? h("h3", {}, "Observed") : null,
      h("ul", { class: "observations" }, ...r.observations.map(o => h("li", {}, o))));
  }

  /** The view of the snapshot a link names, or its label alone when the link lacks what the view needs. */
  function linkTo(source: string, l: LabLink): HTMLElement | string {
    const path = l.view === "share" && l.pids.length >= 2 ? paths.share(source, l.pids)
      : l.view === "page" && l.pids.length === 1 && l.address ? paths.page(source, l.pids[0], l.address)
      : l.view === "frame" && l.pfn ? paths.frame(source, l.pfn)
      : l.view === "address-space" && l.pids.length === 1 ? paths.process(source, l.pids[0])
      : null;
    if (path === null) return l.label;
    const a = link(path, l.label);
    a.dataset.view = l.view;
    return a;
  }

  function failed(e: unknown): void {
    replace(result, h("p", { class: "error", role: "alert" }, e instanceof ApiError ? `${e.message} (HTTP ${e.status})` : String(e)));
    for (const b of buttons.values()) b.disabled = false;
  }

  const row = (lab: LabEntry) => {
    const run = h("button", { type: "button", "data-lab": lab.name, onclick: () => void api.runLab(lab.name).then(show, failed) }, "Run");
    buttons.set(lab.name, run);
    return h("tr", { "data-lab": lab.name }, h("td", { class: "mono" }, lab.name), h("td", { class: "wrap" }, lab.title), h("td", {}, run));
  };
  replace(root,
    h("h1", {}, "Labs ", h("span", { class: "dim" }, "experiments run on processes the server starts, each claim judged")),
    h("table", { class: "labs" }, h("thead", {}, h("tr", {}, h("th", {}, "Lab"), h("th", {}, "What it shows"), h("th", {}, ""))), h("tbody", {}, ...labs.map(row))),
    result);
  show(current);
  return () => {
    left = true;
    window.clearTimeout(timer);
  };
}
