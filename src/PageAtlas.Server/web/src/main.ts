// The explorer's page: a header with where you are, and one view at a time, chosen by the URL.
import { h, link, replace } from "./dom.js";
import { ApiError } from "./api.js";
import { navigate, navigatedEvent } from "./navigation.js";
import { parse, paths, Route } from "./routes.js";
import { processesView } from "./views/processes.js";
import { addressSpaceView } from "./views/addressSpace.js";
import { pagesView } from "./views/pages.js";
import { frameView, pageView } from "./views/page.js";
import { pageTablesView } from "./views/pageTables.js";
import { physmapView } from "./views/physmap.js";
import { shareView } from "./views/share.js";
import { liveView } from "./views/live.js";
import { sourcesView } from "./views/sources.js";
import { diffView } from "./views/diff.js";
import { labsView } from "./views/labs.js";

type Leave = (() => void) | void;

/** Draws the view a route names into root; what it returns is called when another view replaces it. */
function viewOf(route: Route, root: HTMLElement): Promise<Leave> | null {
  switch (route.view) {
    case "processes": return processesView(root, route);
    case "process": return addressSpaceView(root, route);
    case "pages": return pagesView(root, route);
    case "page": return pageView(root, route);
    case "frame": return frameView(root, route);
    case "pageTables": return pageTablesView(root, route);
    case "physmap": return physmapView(root, route);
    case "share": return shareView(root, route);
    case "live": return liveView(root, route);
    case "sources": return sourcesView(root);
    case "diff": return diffView(root, route);
    case "labs": return labsView(root);
    default: return null;
  }
}

function crumbs(route: Route): HTMLElement {
  const nav = h("nav", { class: "crumbs", "aria-label": "where you are" }, link("/", "PageAtlas Explorer"), " · ", link(paths.sources(), "sources"), " · ", link(paths.labs(), "labs"));
  if (route.view === "diff") nav.append(` › diff ${route.before} → ${route.after}, process ${route.pid}`);
  if (route.view === "unknown" || route.view === "sources" || route.view === "diff" || route.view === "labs") return nav;
  nav.append(" › ", link(paths.processes(route.source), route.source === "live" ? "processes" : `processes (${route.source})`));
  if ("pid" in route) nav.append(" › ", link(paths.process(route.source, route.pid), `process ${route.pid}`));
  if (route.view === "pages") nav.append(` › VMA 0x${route.vmaStart.toString(16)}`);
  if (route.view === "page") nav.append(` › page 0x${route.address.toString(16)}`);
  if (route.view === "frame") nav.append(` › frame ${route.pfn}`);
  if (route.view === "pageTables") nav.append(" › page tables");
  if (route.view === "physmap") nav.append(" › physical memory");
  nav.append(h("span", { class: "crumbs-aside" }, link(paths.physmap(route.source, null, null), "Physical memory")));
  if (route.view === "process") nav.append(" · ", link(paths.live(route.source, route.pid), "watch live"));
  if (route.view === "live") nav.append(" › live");
  if (route.view === "processes") nav.append(" · ", link(paths.share(route.source), "sharing"));
  if (route.view === "share") nav.append(" › ", link(paths.share(route.source), "sharing"), route.pids.length ? ` of ${route.pids.join(", ")}` : "");
  return nav;
}

let leave: Leave;
let generation = 0;

/** Shows the view the current URL names. */
async function show(): Promise<void> {
  const route = parse(location.pathname, location.search);
  const mine = ++generation;
  if (leave) leave();
  leave = undefined;
  replace(document.getElementById("header")!, crumbs(route));
  const root = h("section", { class: `view view-${route.view}`, "data-view": route.view, "data-state": "loading" }, h("p", { class: "dim" }, "Loading…"));
  replace(document.getElementById("main")!, root);
  try {
    const drawing = viewOf(route, root);
    if (!drawing) throw new Error("No view has this address.");
    const cleanup = await drawing;
    if (mine !== generation) {
      if (cleanup) cleanup();
      return;
    }
    leave = cleanup;
    root.dataset.state = "ready";
    performance.mark("view-ready");
    // bench/explorer.cs reads it: the view's time to painted (a frame after the one that draws it)
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("view-painted")));
  } catch (e) {
    if (mine !== generation) return;
    const message = e instanceof ApiError ? `${e.message} (HTTP ${e.status})` : e instanceof Error ? e.message : String(e);
    replace(root, h("p", { class: "error", role: "alert" }, message));
    root.dataset.state = "error";
  }
}

document.addEventListener("click", event => {
  const target = event.target instanceof Element ? event.target.closest("a[data-view-link]") : null;
  if (!(target instanceof HTMLAnchorElement) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(target.getAttribute("href")!);
});
window.addEventListener("popstate", () => void show());
window.addEventListener(navigatedEvent, () => void show());
void show();
