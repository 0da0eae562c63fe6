// The one place that knows the API's JSON keys (docs/json.md, docs/explorer.md): each document is read
// into the front end's own shapes here, so a key renamed on the server (rss → rssBytes, say) is a
// one-line change in the tables below and nowhere else.

export type Json = Record<string, unknown>;

/** Size and count keys, document by document. */
export const keys = {
  process: { pid: "pid", user: "user", command: "command", rss: "rssBytes", pss: "pssBytes", uss: "ussBytes", swap: "swapBytes", thp: "anonHugePagesBytes", vmas: "vmaCount" },
  vma: {
    start: "start", end: "end", perms: "perms", offset: "offset", device: "device", inode: "inode", path: "path", deleted: "deleted",
    size: "sizeBytes", pages: "sizePages", present: "presentPages", zeroPage: "zeroPages", swapped: "swappedPages", sharedSwapped: "sharedSwappedPages",
    guard: "guardPages", markers: "markerPages", notPopulated: "notPopulatedPages", hugeLeafPages: "hugeLeafPages",
  },
  memory: { rss: "rssBytes", pss: "pssBytes", uss: "ussBytes", swap: "swapBytes", anonymous: "anonymousBytes", fileBacked: "fileBackedBytes", thp: "anonHugePagesBytes", vmas: "vmaCount" },
  machine: { pageSize: "pageSize", pagingLevels: "pagingLevels" },
  walk: { spanSize: "spanBytes", leafSize: "leafBytes" },
} as const;

export function num(o: Json, key: string): number {
  const v = o[key];
  return typeof v === "number" ? v : 0;
}

export function optNum(o: Json, key: string): number | null {
  const v = o[key];
  return typeof v === "number" ? v : null;
}

export function str(o: Json, key: string): string {
  const v = o[key];
  return typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
}

export function optStr(o: Json, key: string): string | null {
  const v = o[key];
  return typeof v === "string" ? v : null;
}

export function obj(o: Json, key: string): Json {
  const v = o[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}

function optObj(o: Json, key: string): Json | null {
  const v = o[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
}

export function list(o: Json, key: string): Json[] {
  const v = o[key];
  return Array.isArray(v) ? (v as Json[]) : [];
}

export function strings(o: Json, key: string): string[] {
  return list(o, key).map(String);
}

export interface ProcessRow {
  pid: number; user: string; command: string;
  rss: number; pss: number; uss: number; swap: number; thp: number; vmas: number;
}

/** When a live list's reading started (ISO time) and how old it was when served; null for a snapshot. */
export interface ReadingAge { time: string; ageSeconds: number }

export interface ProcessList { processes: ProcessRow[]; vanished: number; refused: number; measured: ReadingAge | null }

export function processList(doc: Json): ProcessList {
  const k = keys.process;
  const skipped = obj(doc, "skipped");
  return {
    processes: list(doc, "processes").map(p => ({
      pid: num(p, k.pid), user: str(p, k.user), command: str(p, k.command),
      rss: num(p, k.rss), pss: num(p, k.pss), uss: num(p, k.uss), swap: num(p, k.swap), thp: num(p, k.thp), vmas: num(p, k.vmas),
    })),
    vanished: num(skipped, "vanished"),
    refused: num(skipped, "refused"),
    measured: readingAge(optObj(doc, "measured")),
  };
}

function readingAge(measured: Json | null): ReadingAge | null {
  return measured && { time: str(measured, "time"), ageSeconds: num(measured, "ageSeconds") };
}

export interface SegmentClass { kind: string; owner: string | null; thread: number | null }

export function segmentClass(o: Json): SegmentClass {
  const c = obj(o, "class");
  return { kind: str(c, "kind"), owner: optStr(c, "owner"), thread: optNum(c, "thread") };
}

export interface VmaLine { start: bigint; end: bigint; perms: string; offset: string; device: string; inode: number; path: string; deleted: boolean; cls: SegmentClass; note: string | null }

export function vmaLine(v: Json): VmaLine {
  const k = keys.vma;
  return {
    start: BigInt(str(v, k.start) || "0"), end: BigInt(str(v, k.end) || "0"), perms: str(v, k.perms), offset: str(v, k.offset), device: str(v, k.device),
    inode: num(v, k.inode), path: str(v, k.path), deleted: v[k.deleted] === true, cls: segmentClass(v), note: optStr(v, "note"),
  };
}

export interface Vma extends VmaLine {
  size: number; pages: number; present: number; zeroPage: number; swapped: number; sharedSwapped: number;
  guard: number; markers: number; notPopulated: number; hugeLeafPages: number;
}

export interface Header { pid: number; command: string; pageSize: number; pagingLevels: number; pfnsVisible: boolean; reason: string | null }

export function header(doc: Json): Header {
  const machine = obj(doc, "machine");
  const visibility = obj(doc, "visibility");
  return {
    pid: num(doc, "pid"), command: str(doc, "command"),
    pageSize: num(machine, keys.machine.pageSize) || 4096, pagingLevels: num(machine, keys.machine.pagingLevels),
    pfnsVisible: visibility["pfns"] === true, reason: optStr(visibility, "reason"),
  };
}

export interface Maps { header: Header; vmas: Vma[]; notes: string[] }

export function maps(doc: Json): Maps {
  const k = keys.vma;
  return {
    header: header(doc),
    vmas: list(doc, "vmas").map(v => ({
      ...vmaLine(v),
      size: num(v, k.size), pages: num(v, k.pages), present: num(v, k.present), zeroPage: num(v, k.zeroPage), swapped: num(v, k.swapped),
      sharedSwapped: num(v, k.sharedSwapped), guard: num(v, k.guard), markers: num(v, k.markers), notPopulated: num(v, k.notPopulated),
      hugeLeafPages: num(v, k.hugeLeafPages),
    })),
    notes: strings(doc, "notes"),
  };
}

/**
 * The compact maps document (pageatlas/maps-compact: docs/explorer.md): the same VMAs and figures as
 * maps(), each VMA a row of values in the order its `fields` names and its class an index into `classes`.
 */
export function mapsCompact(doc: Json): Maps {
  const k = keys.vma;
  const h = header(doc);
  const fields = strings(doc, "fields");
  const at = (name: string) => fields.indexOf(name);
  const [start, end, perms, offset, device, inode, path, deleted, cls, note] =
    [k.start, k.end, k.perms, k.offset, k.device, k.inode, k.path, k.deleted, "class", "note"].map(at);
  const [pages, present, zeroPage, swapped, sharedSwapped, guard, markers, notPopulated, hugeLeafPages] =
    [k.pages, k.present, k.zeroPage, k.swapped, k.sharedSwapped, k.guard, k.markers, k.notPopulated, k.hugeLeafPages].map(at);
  const classes = list(doc, "classes").map(c => ({ kind: str(c, "kind"), owner: optStr(c, "owner"), thread: optNum(c, "thread") }));
  const text = (row: unknown[], i: number) => (typeof row[i] === "string" ? (row[i] as string) : "");
  const figure = (row: unknown[], i: number) => (typeof row[i] === "number" ? (row[i] as number) : 0);
  const rows = Array.isArray(doc["vmas"]) ? (doc["vmas"] as unknown[]).filter(Array.isArray) : [];
  return {
    header: h,
    vmas: rows.map(row => ({
      start: BigInt(text(row, start) || "0"), end: BigInt(text(row, end) || "0"), perms: text(row, perms), offset: text(row, offset),
      device: text(row, device), inode: figure(row, inode), path: text(row, path), deleted: row[deleted] === true,
      cls: classes[figure(row, cls)] ?? { kind: "", owner: null, thread: null }, note: typeof row[note] === "string" ? (row[note] as string) : null,
      size: figure(row, pages) * h.pageSize, pages: figure(row, pages), present: figure(row, present), zeroPage: figure(row, zeroPage),
      swapped: figure(row, swapped), sharedSwapped: figure(row, sharedSwapped), guard: figure(row, guard), markers: figure(row, markers),
      notPopulated: figure(row, notPopulated), hugeLeafPages: figure(row, hugeLeafPages),
    })),
    notes: strings(doc, "notes"),
  };
}

export interface MemoryRow { label: string; kind: string; vmas: number; rss: number; pss: number; uss: number; swap: number; anonymous: number; fileBacked: number; thp: number }

function memoryRow(o: Json, label: string, kind: string): MemoryRow {
  const k = keys.memory;
  return {
    label, kind, vmas: num(o, k.vmas), rss: num(o, k.rss), pss: num(o, k.pss), uss: num(o, k.uss), swap: num(o, k.swap),
    anonymous: num(o, k.anonymous), fileBacked: num(o, k.fileBacked), thp: num(o, k.thp),
  };
}

export interface Composition { total: MemoryRow; classes: MemoryRow[] }

export function composition(doc: Json): Composition {
  return {
    total: memoryRow(obj(doc, "total"), "total", ""),
    classes: list(doc, "classes").map(c => { const cls = segmentClass(c); return memoryRow(c, cls.owner ? `${cls.kind} ${cls.owner}` : cls.kind, cls.kind); }),
  };
}

export interface PageGrid { start: bigint; count: number; states: string[]; bits: Map<string, number>; cells: Uint16Array }

/** The page-grid document: `cells` is base64 of one little-endian 16-bit word per page (PageGridJson). */
export function pageGrid(doc: Json): PageGrid {
  const raw = atob(str(doc, "cells"));
  const count = Math.min(num(doc, "spanPages"), raw.length >> 1);
  const cells = new Uint16Array(count);
  for (let i = 0; i < count; i++) cells[i] = raw.charCodeAt(2 * i) | (raw.charCodeAt(2 * i + 1) << 8);
  const bits = new Map<string, number>();
  for (const [name, bit] of Object.entries(obj(doc, "bits"))) if (typeof bit === "number") bits.set(name, bit);
  return { start: BigInt(str(doc, "start") || "0"), count, states: strings(doc, "states"), bits, cells };
}

export interface PageFields { state: string; pfn: string | null; frameAddress: string | null; flags: string | null; mapCount: number | null; pagemap: string | null }

function pageFields(o: Json): PageFields {
  return {
    state: str(o, "state"), pfn: optStr(o, "pfn"), frameAddress: optStr(o, "frameAddress"), flags: optStr(o, "flags"),
    mapCount: optNum(o, "mapCount"), pagemap: optStr(o, "pagemap"),
  };
}

export interface WalkLevel {
  level: string; index: number; spanStart: string; spanSize: number; table: string; entry: string;
  tablePhysicalAddress: string | null; entryValue: string | null; entryBits: string | null;
}

export interface Walk {
  header: Header; address: string; state: string; levels: WalkLevel[]; leafLevel: string | null; leafSize: number | null;
  page: PageFields | null; vma: VmaLine | null; physicalAddress: string | null; notes: string[];
}

export function walk(doc: Json): Walk {
  const page = optObj(doc, "page");
  const vma = optObj(doc, "vma");
  return {
    header: header(doc), address: str(doc, "address"), state: str(doc, "state"),
    levels: list(doc, "levels").map(l => {
      const bits = l["entryBits"];
      return {
        level: str(l, "level"), index: num(l, "index"), spanStart: str(l, "spanStart"), spanSize: num(l, keys.walk.spanSize), table: str(l, "table"),
        entry: str(l, "entry"), tablePhysicalAddress: optStr(l, "tablePhysicalAddress"), entryValue: optStr(l, "entryValue"),
        entryBits: Array.isArray(bits) ? bits.join(", ") : typeof bits === "string" ? bits : null,
      };
    }),
    leafLevel: optStr(doc, "leafLevel"), leafSize: optNum(doc, keys.walk.leafSize),
    page: page ? pageFields(page) : null, vma: vma ? vmaLine(vma) : null,
    physicalAddress: optStr(doc, "physicalAddress"), notes: strings(doc, "notes"),
  };
}

export interface FrameMapping { pid: number; command: string; address: string; kind: string; path: string }

export interface Frame {
  pfn: string; physicalAddress: string; flags: string | null; flagNames: string | null; mapCount: number | null; cgroup: string | null;
  mappings: FrameMapping[]; processesSearched: number; processesSkipped: number; notes: string[];
}

export function frame(doc: Json): Frame {
  return {
    pfn: str(doc, "pfn"), physicalAddress: str(doc, "physicalAddress"), flags: optStr(doc, "kpageflags"), flagNames: optStr(doc, "flags"),
    mapCount: optNum(doc, "mapCount"), cgroup: optStr(doc, "cgroup"),
    mappings: list(doc, "mappings").map(m => {
      const vma = obj(m, "vma");
      return { pid: num(m, "pid"), command: str(m, "command"), address: str(m, "address"), kind: segmentClass(vma).kind, path: str(vma, "path") };
    }),
    processesSearched: num(doc, "processesSearched"), processesSkipped: num(doc, "processesSkipped"), notes: strings(doc, "notes"),
  };
}

export interface Style { style: string; name: string; fill: string }

export interface Palette { styles: Style[]; kinds: Map<string, string> }

export function palette(doc: Json): Palette {
  const kinds = new Map<string, string>();
  for (const [kind, style] of Object.entries(obj(doc, "kinds"))) kinds.set(kind, String(style));
  return { styles: list(doc, "styles").map(s => ({ style: str(s, "style"), name: str(s, "name"), fill: str(s, "fill") })), kinds };
}

export interface SavedProcess { pid: number; command: string }

export interface Source {
  id: string; kind: string; file: string | null; uploaded: boolean; created: string | null; host: string | null; frames: boolean; processes: SavedProcess[];
}

/** The sources document (docs/json.md, pageatlas/sources): the sources, and the largest upload the server takes (null: uploads are off). */
export function sources(doc: Json): { sources: Source[]; maxUploadBytes: number | null } {
  return { sources: list(doc, "sources").map(o => ({
    id: str(o, "id"), kind: str(o, "kind"), file: optStr(o, "file"), uploaded: o["uploaded"] === true, created: optStr(o, "created"),
    host: optStr(o, "host"), frames: o["frames"] === true, processes: list(o, "processes").map(p => ({ pid: num(p, "pid"), command: str(p, "command") })),
  })), maxUploadBytes: optNum(doc, "maxUploadBytes") };
}

/** The answer to an upload (pageatlas/source-added): the new source's id and the name it is shown by. */
export function uploaded(doc: Json): { id: string; file: string } {
  return { id: str(doc, "id"), file: str(doc, "file") };
}

export interface VmaChange { change: string; before: VmaLine | null; after: VmaLine | null }

export interface PageRun { change: string; start: bigint; pages: number; vmaStart: bigint; kind: string; movedFrom: bigint | null }

export interface Diff {
  before: SavedProcess; after: SavedProcess; changedPages: Map<string, number>; vmas: VmaChange[]; pages: PageRun[]; notes: string[];
}

/** The diff document (docs/json.md, pageatlas/diff): `pages` are runs of consecutive pages that changed alike. */
export function diff(doc: Json): Diff {
  const process = (o: Json) => ({ pid: num(o, "pid"), command: str(o, "command") });
  const changed = new Map<string, number>();
  for (const [name, n] of Object.entries(obj(doc, "changedPages"))) if (typeof n === "number") changed.set(name, n);
  return {
    before: process(obj(doc, "before")), after: process(obj(doc, "after")), changedPages: changed,
    vmas: list(doc, "vmas").map(v => {
      const before = optObj(v, "before");
      const after = optObj(v, "after");
      return { change: str(v, "change"), before: before ? vmaLine(before) : null, after: after ? vmaLine(after) : null };
    }),
    pages: list(doc, "pages").map(r => {
      const from = optStr(r, "movedFrom");
      return {
        change: str(r, "change"), start: BigInt(str(r, "start") || "0"), pages: num(r, "pages"), vmaStart: BigInt(str(r, "vmaStart") || "0"),
        kind: segmentClass(r).kind, movedFrom: from ? BigInt(from) : null,
      };
    }),
    notes: strings(doc, "notes"),
  };
}

export interface LabEntry { name: string; title: string }

/** The labs document (`lab --json` without a name). */
export function labs(doc: Json): LabEntry[] {
  return list(doc, "labs").map(l => ({ name: str(l, "name"), title: str(l, "title") }));
}

/** A view of the lab's snapshot that shows a claim's figures: share (pids), page (pid, address), frame (pfn), address-space (pid). */
export interface LabLink { view: string; label: string; pids: number[]; address: string | null; pfn: string | null }

export interface LabVerdict { claim: string; holds: boolean; evidence: string; links: LabLink[] }

export interface LabReport { name: string; title: string; seed: string; allHold: boolean; verdicts: LabVerdict[]; observations: string[] }

export interface LabRun { name: string | null; state: string; error: string | null; report: LabReport | null; source: string | null; sourceNote: string | null }

/** The lab-run document: the explorer's current or last lab run, its report once done (a pageatlas/lab document of one lab). */
export function labRun(doc: Json): LabRun {
  const report = list(obj(doc, "report"), "labs")[0];
  return {
    name: optStr(doc, "name"), state: str(doc, "state"), error: optStr(doc, "error"),
    report: report ? {
      name: str(report, "name"), title: str(report, "title"), seed: str(report, "seed"), allHold: report["allHold"] === true,
      verdicts: list(report, "verdicts").map(v => ({
        claim: str(v, "claim"), holds: v["holds"] === true, evidence: str(v, "evidence"),
        links: list(v, "links").map(l => ({ view: str(l, "view"), label: str(l, "label"), pids: list(l, "pids").map(Number), address: optStr(l, "address"), pfn: optStr(l, "pfn") })),
      })),
      observations: strings(report, "observations"),
    } : null,
    source: optStr(doc, "source"), sourceNote: optStr(doc, "sourceNote"),
  };
}
