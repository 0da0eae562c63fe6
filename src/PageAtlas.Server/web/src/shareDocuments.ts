// The sharing view's documents (docs/json.md `pageatlas/share`, docs/explorer.md `pageatlas/share-pages`),
// read into the front end's shapes as documents.ts reads the others.
import { Json, SegmentClass, VmaLine, list, num, obj, optNum, optStr, segmentClass, str, strings, vmaLine } from "./documents.js";

export interface ShareProcess { pid: number; command: string; parentPid: number }

export interface ShareCounts {
  commonFrames: number; sameAddress: number; sameFrame: number; otherFrame: number;
  perProcess: { pid: number; resident: number; private: number; vma: VmaLine | null }[];
}

/** A row of the report: every page ("total"), a class, or one VMA (a class with its rank). */
export interface ShareGroup { cls: SegmentClass | null; rank: number | null; counts: ShareCounts }

export interface Share { processes: ShareProcess[]; forkedFrom: number | null; total: ShareGroup; classes: ShareGroup[]; vmas: ShareGroup[]; notes: string[] }

function counts(o: Json): ShareCounts {
  return {
    commonFrames: num(o, "commonFrames"), sameAddress: num(o, "sameAddressPages"),
    sameFrame: num(o, "sameAddressSameFramePages"), otherFrame: num(o, "sameAddressOtherFramePages"),
    perProcess: list(o, "perProcess").map(p => {
      const vma = p["vma"];
      return { pid: num(p, "pid"), resident: num(p, "residentPages"), private: num(p, "privatePages"), vma: vma && typeof vma === "object" ? vmaLine(vma as Json) : null };
    }),
  };
}

export function share(doc: Json): Share {
  const group = (o: Json): ShareGroup => ({ cls: segmentClass(o), rank: optNum(o, "rank"), counts: counts(o) });
  return {
    processes: list(doc, "processes").map(p => ({ pid: num(p, "pid"), command: str(p, "command"), parentPid: num(p, "parentPid") })),
    forkedFrom: optNum(doc, "forkedFrom"),
    total: { cls: null, rank: null, counts: counts(obj(doc, "total")) },
    classes: list(doc, "classes").map(group),
    vmas: list(doc, "vmas").map(group),
    notes: strings(doc, "notes"),
  };
}

export interface SharedPage { pid: number; address: string; pfn: string; flags: string | null; mapCount: number | null }

export interface SharePages { figure: string; pids: number[]; totalRows: number; offset: number; rows: SharedPage[][] }

export function sharePages(doc: Json): SharePages {
  const rows = Array.isArray(doc["rows"]) ? (doc["rows"] as unknown[]) : [];
  return {
    figure: str(doc, "figure"),
    pids: Array.isArray(doc["pids"]) ? (doc["pids"] as unknown[]).map(Number) : [],
    totalRows: num(doc, "totalRows"), offset: num(doc, "offset"),
    rows: rows.map(r => (Array.isArray(r) ? (r as Json[]) : []).map(p =>
      ({ pid: num(p, "pid"), address: str(p, "address"), pfn: str(p, "pfn"), flags: optStr(p, "flags"), mapCount: optNum(p, "mapCount") }))),
  };
}
