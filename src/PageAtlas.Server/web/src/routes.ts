// Every view has its own URL, so a reload or a copied link opens the same view (the server answers
// any path without an extension with the page). The token is never part of these: it is in a cookie.
import { hex } from "./format.js";

export type Route =
  | { view: "processes"; source: string }
  | { view: "process"; source: string; pid: number }
  | { view: "pages"; source: string; pid: number; vmaStart: bigint; at: bigint | null }
  | { view: "page"; source: string; pid: number; address: bigint }
  | { view: "frame"; source: string; pfn: string }
  | { view: "pageTables"; source: string; pid: number; range: string | null }
  | { view: "physmap"; source: string; start: bigint | null; end: bigint | null }
  | { view: "share"; source: string; pids: number[] }
  | { view: "live"; source: string; pid: number }
  | { view: "sources" }
  | { view: "labs" }
  | { view: "diff"; before: string; after: string; pid: number }
  | { view: "unknown"; path: string };

const source = "([A-Za-z0-9]+)";
const address = "(0x[0-9a-fA-F]{1,16})";
const patterns = {
  processes: new RegExp(`^/${source}/processes/?$`),
  process: new RegExp(`^/${source}/processes/(\\d{1,10})/?$`),
  pages: new RegExp(`^/${source}/processes/(\\d{1,10})/vma/${address}$`),
  page: new RegExp(`^/${source}/processes/(\\d{1,10})/page/${address}$`),
  frame: new RegExp(`^/${source}/frames/${address}$`),
  physmap: new RegExp(`^/${source}/physical/?$`),
  pageTables: new RegExp(`^/${source}/processes/(\\d{1,10})/pagetables/?$`),
  share: new RegExp(`^/${source}/share/?$`),
  live: new RegExp(`^/${source}/processes/(\\d{1,10})/live$`),
  diff: new RegExp(`^/diff/${source}/${source}/processes/(\\d{1,10})/?$`),
};

/** The route a location names. */
export function parse(path: string, search: string): Route {
  let m: RegExpMatchArray | null;
  if (path === "/" || path === "") return { view: "processes", source: "live" };
  if ((m = path.match(patterns.processes))) return { view: "processes", source: m[1] };
  if ((m = path.match(patterns.process))) return { view: "process", source: m[1], pid: Number(m[2]) };
  if ((m = path.match(patterns.pages))) {
    const at = new URLSearchParams(search).get("at");
    return { view: "pages", source: m[1], pid: Number(m[2]), vmaStart: BigInt(m[3]), at: at && /^0x[0-9a-f]{1,16}$/i.test(at) ? BigInt(at) : null };
  }
  if ((m = path.match(patterns.page))) return { view: "page", source: m[1], pid: Number(m[2]), address: BigInt(m[3]) };
  if ((m = path.match(patterns.physmap))) {
    const query = new URLSearchParams(search);
    const pfn = (name: string) => { const v = query.get(name); return v && /^0x[0-9a-f]{1,16}$/i.test(v) ? BigInt(v) : null; };
    return { view: "physmap", source: m[1], start: pfn("start"), end: pfn("end") };
  }
  if ((m = path.match(patterns.pageTables))) return { view: "pageTables", source: m[1], pid: Number(m[2]), range: new URLSearchParams(search).get("range") };
  if ((m = path.match(patterns.frame))) return { view: "frame", source: m[1], pfn: m[2] };
  if ((m = path.match(patterns.live))) return { view: "live", source: m[1], pid: Number(m[2]) };
  if ((m = path.match(patterns.share))) return { view: "share", source: m[1], pids: pidList(new URLSearchParams(search).get("pids")) };
  if (path === "/sources" || path === "/sources/") return { view: "sources" };
  if (path === "/labs" || path === "/labs/") return { view: "labs" };
  if ((m = path.match(patterns.diff))) return { view: "diff", before: m[1], after: m[2], pid: Number(m[3]) };
  return { view: "unknown", path };
}

/** "1,2,3" → [1, 2, 3]: distinct positive pids, anything else left out. */
function pidList(text: string | null): number[] {
  const pids = (text ?? "").split(",").filter(p => /^\d{1,10}$/.test(p)).map(Number).filter(p => p > 0);
  return [...new Set(pids)];
}

/** The paths of the views. */
export const paths = {
  processes: (source: string) => `/${source}/processes`,
  process: (source: string, pid: number) => `/${source}/processes/${pid}`,
  pages: (source: string, pid: number, vmaStart: bigint, at?: bigint) =>
    `/${source}/processes/${pid}/vma/${hex(vmaStart)}` + (at !== undefined ? `?at=${hex(at)}` : ""),
  page: (source: string, pid: number, address: bigint | string) =>
    `/${source}/processes/${pid}/page/${typeof address === "string" ? address : hex(address)}`,
  frame: (source: string, pfn: string) => `/${source}/frames/${pfn}`,
  physmap: (source: string, start: bigint | null, end: bigint | null) =>
    `/${source}/physical` + (start !== null && end !== null ? `?start=${hex(start)}&end=${hex(end)}` : ""),
  pageTables: (source: string, pid: number, range: string | null = null) =>
    `/${source}/processes/${pid}/pagetables` + (range ? `?range=${encodeURIComponent(range)}` : ""),
  live: (source: string, pid: number) => `/${source}/processes/${pid}/live`,
  share: (source: string, pids: number[] = []) => `/${source}/share` + (pids.length ? `?pids=${pids.join(",")}` : ""),
  sources: () => "/sources",
  labs: () => "/labs",
  diff: (before: string, after: string, pid: number) => `/diff/${before}/${after}/processes/${pid}`,
};
