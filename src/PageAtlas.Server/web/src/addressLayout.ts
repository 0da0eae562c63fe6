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

/** Segments [first, end) narrower than a pixel that fall in one pixel column, drawn as one mark. */
export interface Column { x: number; width: number; first: number; end: number }

/** What the map draws between x = from and x = to: a segment at least minWidthPx wide as itself, runs of narrower ones as one Column per pixel column. */
export type Mark = Segment | Column;

export const isColumn = (m: Mark): m is Column => "first" in m;

/**
 * The marks in view. 20,000 one-page VMAs fit to a 1,280-pixel map are 16 to a pixel: one SVG element
 * each (and their strips) made every redraw take seconds; a mark per pixel column keeps a redraw to
 * at most a few thousand elements whatever the VMA count, and zooming in splits the columns again.
 */
export function marks(segments: Segment[], from: number, to: number, minWidthPx = 1): Mark[] {
  const out: Mark[] = [];
  let column: Column | null = null;
  for (let i = firstAt(segments, from); i < segments.length && segments[i].x < to; i++) {
    const sg = segments[i];
    if (sg.width >= minWidthPx) {
      if (column) out.push(column);
      column = null;
      out.push(sg);
    } else if (column && Math.floor(sg.x) === Math.floor(column.x)) {
      column.end = i + 1;
      column.width = sg.x + sg.width - column.x;
    } else {
      if (column) out.push(column);
      column = { x: sg.x, width: sg.width, first: i, end: i + 1 };
    }
  }
  if (column) out.push(column);
  return out;
}
