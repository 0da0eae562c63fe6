// Requests to the explorer's JSON API (docs/explorer.md). The token travels in the HttpOnly cookie the
// first visit set: nothing here sees or sends it.
import * as doc from "./documents.js";

/** An answer the server refused or could not give: its status and its one-line message. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function get(path: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" }, signal });
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

let paletteAnswer: Promise<doc.Palette> | null = null;

export const api = {
  palette: () => (paletteAnswer ??= get("/api/palette").then(doc.palette)),
  // fresh: figures from a reading that starts after the request (Refresh), else the server's last one.
  processes: async (source: string, fresh = false) => doc.processList(await get(`/api/${enc(source)}/processes${fresh ? "?fresh=1" : ""}`)),
  maps: async (source: string, pid: number) => doc.maps(await get(`${processPath(source, pid)}/maps`)),
  composition: async (source: string, pid: number) => doc.composition(await get(`${processPath(source, pid)}/composition`)),
  pages: async (source: string, pid: number, start: bigint, count: number, signal?: AbortSignal) =>
    doc.pageGrid(await get(`${processPath(source, pid)}/pages?start=0x${start.toString(16)}&count=${count}`, signal)),
  walk: async (source: string, pid: number, address: bigint, signal?: AbortSignal) =>
    doc.walk(await get(`${processPath(source, pid)}/walk?address=0x${address.toString(16)}`, signal)),
  frame: async (source: string, pfn: string) => doc.frame(await get(`/api/${enc(source)}/frames/${enc(pfn)}`)),
};
