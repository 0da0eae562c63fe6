// How a VMA is written for a person: its /proc/PID/maps line, its class, its colour.
import { Palette, VmaLine } from "./documents.js";

/** The line /proc/PID/maps has for it. */
export function mapsLine(v: VmaLine): string {
  const offset = v.offset.replace(/^0x/, "").padStart(8, "0");
  return `${v.start.toString(16)}-${v.end.toString(16)} ${v.perms} ${offset} ${v.device} ${v.inode} ${v.path}${v.deleted ? " (deleted)" : ""}`;
}

/** "lib-code libc.so.6", "thread-stack tid 812". */
export function classLabel(v: VmaLine): string {
  return [v.cls.kind, v.cls.owner, v.cls.thread !== null ? `tid ${v.cls.thread}` : null].filter(Boolean).join(" ");
}

/** The page-table picture's fill for a segment kind. */
export function fillOf(palette: Palette, kind: string): string {
  const style = palette.kinds.get(kind) ?? "other";
  return palette.styles.find(s => s.style === style)?.fill ?? "#ffffff";
}
