// The physical map's documents read into the view's shapes: "pageatlas/physmap-cells" (docs/explorer.md:
// the counts as base64 of little-endian 32-bit words, cell-major) and "pageatlas/frames" (frames --json).
import { Json, list, num, optNum, optStr, str, strings } from "./documents.js";

export interface FrameKindInfo { name: string; description: string }
export interface Span { name: string; start: bigint; end: bigint }

export interface PhysmapCells {
  pageSize: number; frameLimit: bigint; start: bigint; end: bigint; perCell: number; cellCount: number; singleFrames: boolean;
  kinds: FrameKindInfo[];
  /** counts[c × kinds.length + k]: frames of kind k in cell c. */
  counts: Uint32Array;
  zones: Span[];
  /** /proc/iomem's top-level ranges, in frames. */
  ranges: Span[];
}

const big = (o: Json, key: string) => BigInt(str(o, key) || "0");

export function physmapCells(doc: Json): PhysmapCells {
  const kinds = list(doc, "kinds").map(k => ({ name: str(k, "name"), description: str(k, "description") }));
  const cellCount = num(doc, "cellCount");
  const raw = atob(str(doc, "counts"));
  const counts = new Uint32Array(Math.min(cellCount * kinds.length, raw.length >> 2));
  for (let i = 0; i < counts.length; i++)
    counts[i] = (raw.charCodeAt(4 * i) | (raw.charCodeAt(4 * i + 1) << 8) | (raw.charCodeAt(4 * i + 2) << 16) | (raw.charCodeAt(4 * i + 3) << 24)) >>> 0;
  const pageSize = BigInt(num(doc, "pageSize") || 4096);
  return {
    pageSize: Number(pageSize), frameLimit: big(doc, "frameLimit"), start: big(doc, "startPfn"), end: big(doc, "endPfn"),
    perCell: num(doc, "framesPerCell"), cellCount, singleFrames: doc["singleFrames"] === true, kinds, counts,
    zones: list(doc, "zones").map(z => ({ name: `node ${num(z, "node")} ${str(z, "name")}`, start: big(z, "startPfn"), end: big(z, "endPfn") })),
    ranges: list(doc, "ranges").map(r => ({ name: str(r, "name"), start: big(r, "start") / pageSize, end: (big(r, "end") + pageSize) / pageSize })),
  };
}

export interface CensusRow { kind: string; label: string; definition: string; frames: number; bytes: number; meminfoFields: string | null; meminfoBytes: number | null }

export interface Census { startPfn: string; endPfn: string; wholeMachine: boolean; rows: CensusRow[]; buddyinfoFreePages: number; notes: string[] }

export function census(doc: Json): Census {
  return {
    startPfn: str(doc, "startPfn"), endPfn: str(doc, "endPfn"), wholeMachine: doc["wholeMachine"] === true,
    rows: list(doc, "rows").map(r => ({
      kind: str(r, "kind"), label: str(r, "label"), definition: str(r, "definition"), frames: num(r, "frames"), bytes: num(r, "bytes"),
      meminfoFields: optStr(r, "meminfoFields"), meminfoBytes: optNum(r, "meminfoBytes"),
    })),
    buddyinfoFreePages: list(doc, "buddyinfo").reduce((sum, z) => sum + num(z, "freePages"), 0),
    notes: strings(doc, "notes"),
  };
}

