// Requests to the explorer's JSON API (docs/explorer.md). The token travels in the HttpOnly cookie the
// first visit set: nothing here sees or sends it.
import * as doc from "./documents.js";
import { pageTableTree } from "./pageTableDocument.js";
import { census, physmapCells } from "./physmapDocument.js";
import * as shared from "./shareDocuments.js";

/** An answer the server refused or could not give: its status and its one-line message. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function get(path: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return answer(path, await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" }, signal }));
}

/**
 * A POST (an upload, a lab run): the server takes it only with the header below, which a cross-site
 * form cannot send, and from this page's own origin (the browser's Origin header).
 */
async function post(path: string, body?: Blob): Promise<Record<string, unknown>> {
  return answer(path, await fetch(path, {
    method: "POST", credentials: "same-origin", body,
    headers: { Accept: "application/json", "Content-Type": "application/octet-stream", "X-PageAtlas-Request": "explorer" },
  }));
}

async function answer(path: string, response: Response): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status, `${path}: the server's answer is not JSON`);
  }
  const json = (body ?? {}) as Record<string, unknown>;
  if (!response.ok) throw new ApiError(response.status, typeof json["error"] === "string" ? json["error"] : `HTTP ${response.status}`);
  return json;
}

const enc = encodeURIComponent;

function processPath(source: string, pid: number): string {
  return `/api/${enc(source)}/processes/${pid}`;
}

function rangeQuery(range: string | null): string {
  return range ? `?range=${enc(range)}` : "";
}

let paletteAnswer: Promise<doc.Palette> | null = null;

export const api = {
  palette: () => (paletteAnswer ??= get("/api/palette").then(doc.palette)),
  // fresh: figures from a reading that starts after the request (Refresh), else the server's last one.
  processes: async (source: string, fresh = false) => doc.processList(await get(`/api/${enc(source)}/processes${fresh ? "?fresh=1" : ""}`)),
  maps: async (source: string, pid: number) => doc.maps(await get(`${processPath(source, pid)}/maps`)),
  /** The same VMAs and figures from the compact document (a row of values per VMA: a quarter of the bytes at 20,000 VMAs). */
  mapsCompact: async (source: string, pid: number) => doc.mapsCompact(await get(`${processPath(source, pid)}/maps/compact`)),
  /** The maps document of the one VMA holding `at` (only its pages read). */
  vma: async (source: string, pid: number, at: bigint) => doc.maps(await get(`${processPath(source, pid)}/vmas?at=0x${at.toString(16)}`)),
  // the classes and the total only (vmas=0): a row per VMA is 9.6 MB of JSON at 20,000 VMAs, and no view shows them
  composition: async (source: string, pid: number) => doc.composition(await get(`${processPath(source, pid)}/composition?vmas=0`)),
  pages: async (source: string, pid: number, start: bigint, count: number, signal?: AbortSignal) =>
    doc.pageGrid(await get(`${processPath(source, pid)}/pages?start=0x${start.toString(16)}&count=${count}`, signal)),
  walk: async (source: string, pid: number, address: bigint, signal?: AbortSignal) =>
    doc.walk(await get(`${processPath(source, pid)}/walk?address=0x${address.toString(16)}`, signal)),
  pageTable: async (source: string, pid: number, range: string | null) => pageTableTree(await get(`${processPath(source, pid)}/pagetable${rangeQuery(range)}`)),
  pageTableSvgPath: (source: string, pid: number, range: string | null) => `${processPath(source, pid)}/pagetable.svg${rangeQuery(range)}`,
  physmap: async (source: string, start: bigint | null, end: bigint | null, cells: number) =>
    physmapCells(await get(`/api/${enc(source)}/physmap?cells=${cells}` + (start !== null && end !== null ? `&start=0x${start.toString(16)}&end=0x${end.toString(16)}` : ""))),
  census: async (source: string) => census(await get(`/api/${enc(source)}/census`)),
  frame: async (source: string, pfn: string) => doc.frame(await get(`/api/${enc(source)}/frames/${enc(pfn)}`)),
  share: async (source: string, pids: number[]) => shared.share(await get(`/api/${enc(source)}/share?pids=${pids.join(",")}`)),
  sharePages: async (source: string, query: URLSearchParams, signal?: AbortSignal) =>
    shared.sharePages(await get(`/api/${enc(source)}/share/pages?${query}`, signal)),
  sources: async () => doc.sources(await get("/api/sources")),
  labs: async () => doc.labs(await get("/api/labs")),
  labRun: async () => doc.labRun(await get("/api/labs/run")),
  runLab: async (name: string) => doc.labRun(await post(`/api/labs/run?name=${enc(name)}`)),
  upload: async (file: File) => doc.uploaded(await post(`/api/sources?name=${enc(file.name)}`, file)),
  diff: async (before: string, after: string, pid: number) =>
    doc.diff(await get(`/api/diff?before=${enc(before)}&after=${enc(after)}&pid=${pid}`)),
};
