// Where each VMA and each gap between VMAs lies on the address map. VMAs are to scale (bytes × a
// zoomable scale, at least a sliver wide); a gap is drawn at a fixed small width with its size written,
// so a gap of terabytes does not dwarf a 4 KiB VMA.
import { Vma } from "./documents.js";

export interface Segment { kind: "vma" | "gap"; index: number; start: bigint; end: bigint; bytes: number; x: number; width: number }

export const gapWidth = 46;
export const minWidth = 3;

/** Pixels per byte at zoom 1: what makes the VMAs and gaps fill viewWidth (when their slivers allow). */
export function baseScale(vmas: Vma[], viewWidth: number): number {
  let bytes = 0;
  let gaps = 0;
  for (let i = 0; i < vmas.length; i++) {
    bytes += vmas[i].size;
    if (i > 0 && vmas[i].start > vmas[i - 1].end) gaps++;
  }
  const room = Math.max(viewWidth * 0.25, viewWidth - gaps * gapWidth - vmas.length * minWidth);
  return bytes > 0 ? room / bytes : 1;
}

/** The segments in address order with their x and width at scale pixelsPerByte; slivers and gaps shrink when zoomed out below 1. */
export function layout(vmas: Vma[], pixelsPerByte: number, zoom: number): Segment[] {
  const shrink = Math.min(1, zoom);
  const segments: Segment[] = [];
  let x = 0;
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i];
    if (i > 0 && v.start > vmas[i - 1].end) {
      const width = gapWidth * shrink;
      segments.push({ kind: "gap", index: i, start: vmas[i - 1].end, end: v.start, bytes: Number(v.start - vmas[i - 1].end), x, width });
      x += width;
    }
    const width = Math.max(minWidth * shrink, v.size * pixelsPerByte * zoom);
    segments.push({ kind: "vma", index: i, start: v.start, end: v.end, bytes: v.size, x, width });
    x += width;
  }
  return segments;
}

/** The index of the first segment whose right edge is past x (segments are in x order). */
export function firstAt(segments: Segment[], x: number): number {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].x + segments[mid].width <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
