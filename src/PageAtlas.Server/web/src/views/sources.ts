// Sources: the live machine and each snapshot (the server's --snapshot files and the ones uploaded),
// with when each was taken, on which machine, its processes and whether its frames were kept; each
// process opens its address space in that source, and two snapshots of one process open their diff.
import { api, ApiError } from "../api.js";
import { Source } from "../documents.js";
import { h, link, replace } from "../dom.js";
import { bytes, count } from "../format.js";
import { navigate } from "../navigation.js";
import { paths } from "../routes.js";

export async function sourcesView(root: HTMLElement): Promise<void> {
  const { sources, maxUploadBytes } = await api.sources();
  const snapshots = sources.filter(s => s.kind === "snapshot");
  const added = new URLSearchParams(location.search).get("added");
  replace(root,
    h("h1", {}, "Sources ", h("span", { class: "dim" }, `the live machine and ${count(snapshots.length)} snapshot${snapshots.length === 1 ? "" : "s"}`)),
    h("div", { class: "table-scroll" }, h("table", { class: "sources" },
      h("thead", {}, h("tr", {}, ...["Source", "File", "Taken (UTC)", "Host", "Frames", "Processes"].map(t => h("th", {}, t)))),
      h("tbody", {}, ...sources.map(s => row(s, s.id === added))))),
    diffForm(snapshots),
    maxUploadBytes === null ? h("p", { class: "note no-upload" }, "Uploads are off on this server (pageatlas serve --no-upload): it browses the live machine and the snapshot files it was started with.") : uploadForm(maxUploadBytes));
}

/** A snapshot file from this computer becomes the next source (checked by the server as the CLI checks files). */
function uploadForm(maxBytes: number): HTMLElement {
  const file = h("input", { type: "file", name: "snapshot", "aria-label": "snapshot file", accept: ".db,application/octet-stream" });
  const send = h("button", { type: "submit" }, "Upload");
  const status = h("p", { class: "note upload-status", role: "status" });
  const form = h("form", { class: "toolbar upload-form" }, file, send);
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return replace(status, "Choose a snapshot file first.");
    send.disabled = true;
    // the file's name and the server's refusal (which names the file as it was sent): text nodes through
    // dom.ts, so a name holding control or bidi characters shows them escaped, as every text does
    replace(status, `Uploading ${chosen.name}…`);
    try {
      const added = await api.upload(chosen);
      navigate(`${paths.sources()}?added=${encodeURIComponent(added.id)}`);
    } catch (error) {
      replace(status, error instanceof ApiError ? `${error.message} (HTTP ${error.status})` : String(error));
      status.classList.add("error");
      send.disabled = false;
    }
  });
  return h("div", {}, h("h2", {}, "Upload a snapshot"),
    h("p", { class: "note" }, `A file pageatlas snapshot wrote, from this computer, of ${bytes(maxBytes)} at most: the server checks it as the CLI does and adds it as the next source until it stops.`),
    form, status);
}

function row(source: Source, added: boolean): HTMLElement {
  const live = source.kind === "live";
  const processes = live
    ? [link(paths.processes("live"), "every running process")]
    : source.processes.flatMap((p, i) => [i > 0 ? ", " : null, link(paths.process(source.id, p.pid), `${p.pid} ${p.command}`)]);
  return h("tr", { "data-source": source.id, class: added ? "added" : "" },
    h("td", {}, link(paths.processes(source.id), live ? "live" : source.id)),
    h("td", {}, live ? h("span", { class: "dim" }, "this machine, now") : source.file ?? "", source.uploaded ? h("span", { class: "dim" }, " (uploaded)") : null),
    h("td", { class: "mono" }, source.created ? source.created.replace("T", " ").replace("Z", "") : ""),
    h("td", {}, source.host ?? ""),
    h("td", { "data-frames": String(source.frames) }, source.frames ? "kept" : live ? "not readable (run as root)" : "not kept (taken without --frames)"),
    h("td", { class: "wrap" }, ...processes));
}

/** Two snapshots and a process both hold: the diff's address. */
function diffForm(snapshots: Source[]): HTMLElement {
  if (snapshots.length < 2) return h("p", { class: "note" }, "Two snapshots of one process (pageatlas snapshot PID -o FILE, before and after) can be compared here: start the server with both (--snapshot) or upload them.");
  const option = (s: Source) => h("option", { value: s.id }, `${s.id} ${s.file ?? ""}`);
  const before = h("select", { name: "before", "aria-label": "before" }, ...snapshots.map(option));
  const after = h("select", { name: "after", "aria-label": "after" }, ...snapshots.map(option));
  const pid = h("select", { name: "pid", "aria-label": "process" });
  after.selectedIndex = snapshots.length - 1;
  before.selectedIndex = snapshots.length - 2;
  const compare = h("button", { type: "submit" }, "Compare");
  const pids = () => {
    const a = snapshots.find(s => s.id === before.value);
    const b = snapshots.find(s => s.id === after.value);
    const both = (a?.processes ?? []).filter(p => b?.processes.some(q => q.pid === p.pid));
    replace(pid, ...both.map(p => h("option", { value: String(p.pid) }, `${p.pid} ${p.command}`)));
    compare.disabled = both.length === 0 || before.value === after.value;
  };
  before.addEventListener("change", pids);
  after.addEventListener("change", pids);
  pids();
  const form = h("form", { class: "toolbar diff-form" }, "Compare ", before, " with ", after, " for process ", pid, compare);
  form.addEventListener("submit", e => {
    e.preventDefault();
    navigate(paths.diff(before.value, after.value, Number(pid.value)));
  });
  return h("div", {}, h("h2", {}, "Diff two snapshots"), form);
}
