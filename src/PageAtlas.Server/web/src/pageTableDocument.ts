// The "pageatlas/pagetable" document (pagetable --json, docs/json.md) read into the page-table
// view's shapes. Its keys live here and nowhere else, as documents.ts keeps the other documents'.
import { header, Header, Json, list, num, obj, optNum, optStr, str, strings, vmaLine, VmaLine } from "./documents.js";

export interface LevelCount {
  level: string; entrySpan: number; tables: number; pointers: number; leaves: number; swap: number; markers: number; kernelTables: number | null;
}

/** A run of used entries: pointers to a table (`child`), leaves, zero-page leaves, swap entries or markers. */
export interface EntryRun {
  first: number; count: number; kind: string; child: number | null; vma: number | null; leafBytes: number;
  minPfn: string | null; maxPfn: string | null; entryValue: string | null;
}

export interface Table {
  id: number; level: string; name: string; spanStart: bigint; spanEnd: bigint; parent: number | null; used: number;
  physicalAddress: string | null; runs: EntryRun[];
}

export interface VmPte {
  reconstructedTables: number; reconstructedBytes: number; depositedTables: number; kernelBytes: number | null;
  wholeProcess: boolean; extraKernelTables: number | null; explanation: string[];
}

export interface PageTableTree {
  header: Header; rangeStart: string; rangeEnd: string; levels: LevelCount[]; vmPte: VmPte; tables: Table[]; vmas: VmaLine[]; notes: string[];
}

function run(r: Json): EntryRun {
  return {
    first: num(r, "first"), count: num(r, "count"), kind: str(r, "kind"), child: optNum(r, "child"), vma: optNum(r, "vma"),
    leafBytes: num(r, "leafBytes"), minPfn: optStr(r, "minPfn"), maxPfn: optStr(r, "maxPfn"), entryValue: optStr(r, "entryValue"),
  };
}

export function pageTableTree(doc: Json): PageTableTree {
  const v = obj(doc, "vmPte");
  return {
    header: header(doc), rangeStart: str(doc, "rangeStart"), rangeEnd: str(doc, "rangeEnd"),
    levels: list(doc, "levels").map(l => ({
      level: str(l, "level"), entrySpan: num(l, "entrySpanBytes"), tables: num(l, "tableCount"), pointers: num(l, "pointerEntries"),
      leaves: num(l, "leafEntries"), swap: num(l, "swapEntries"), markers: num(l, "markerEntries"), kernelTables: optNum(l, "kernelTables"),
    })),
    vmPte: {
      reconstructedTables: num(v, "reconstructedTables"), reconstructedBytes: num(v, "reconstructedBytes"), depositedTables: num(v, "depositedTables"),
      kernelBytes: optNum(v, "kernelBytes"), wholeProcess: v["wholeProcess"] === true, extraKernelTables: optNum(v, "extraKernelTables"),
      explanation: strings(v, "explanation"),
    },
    tables: list(doc, "tables").map(t => ({
      id: num(t, "id"), level: str(t, "level"), name: str(t, "name"), spanStart: BigInt(str(t, "spanStart") || "0"),
      spanEnd: BigInt(str(t, "spanEnd") || "0"), parent: optNum(t, "parent"), used: num(t, "usedEntries"),
      physicalAddress: optStr(t, "physicalAddress"), runs: list(t, "entries").map(run),
    })),
    vmas: list(doc, "vmas").map(vmaLine),
    notes: strings(doc, "notes"),
  };
}
