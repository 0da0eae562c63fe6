// The live view's documents (docs/json.md `pageatlas/watch`, docs/explorer.md `pageatlas/watch-end`):
// each server-sent event's data read into the front end's shapes, as documents.ts reads the others.
import { Json, VmaLine, list, num, obj, str, vmaLine } from "./documents.js";

export interface LiveVma { vma: VmaLine; change: string; present: number; arrived: number; left: number }

/** One sample: `vmas` are the VMAs that changed, or every VMA when `everyVma` (the first sample a page gets, and after it missed some). */
export interface LiveSample { sequence: number; time: string; virtualBytes: number; present: number; arrived: number; left: number; everyVma: boolean; vmas: LiveVma[] }

export function liveSample(doc: Json): LiveSample {
  return {
    sequence: num(doc, "sequence"), time: str(doc, "time"), virtualBytes: num(doc, "virtualBytes"), present: num(doc, "presentPages"),
    arrived: num(doc, "becamePresentPages"), left: num(doc, "leftPages"), everyVma: doc["everyVma"] === true,
    vmas: list(doc, "changes").map(c => ({
      vma: vmaLine(obj(c, "vma")), change: str(c, "change"), present: num(c, "presentPages"), arrived: num(c, "becamePresentPages"), left: num(c, "leftPages"),
    })),
  };
}

export interface LiveEnd { reason: string; message: string }

export function liveEnd(doc: Json): LiveEnd {
  return { reason: str(doc, "reason"), message: str(doc, "message") };
}
