// What the page-table view draws of a tree, and where: each table's lines (its runs, a folded group
// of child tables, the entries of an expanded run), which tables are visible (the root, and the
// children of every visible pointer line), and each column's cards stacked one under the other.
// Nothing here touches the page: the view draws only the cards that are scrolled into sight.
import { EntryRun, PageTableTree, Table } from "./pageTableDocument.js";

/** A table with more child tables than this shows the first and last few and folds the middle, as the library's PageTableView does. */
export const mostChildrenDrawn = 8;
const leadingChildren = 3;
const trailingChildren = 2;

/** Pixel sizes shared with style.css (.pt-line, .pt-card): a card's height is known before it is drawn. */
export const lineHeight = 18;
export const headLines = 2;

/** A card's head: its name and span, and a line of its own for the table's physical address when the kernel companion gave them (a narrow column would cut it off the span's line). */
export function headLinesOf(tree: PageTableTree): number {
  return tree.tables.some(t => t.physicalAddress !== null) ? headLines + 1 : headLines;
}
export const cardPadding = 10;
export const cardGap = 8;

export type Line =
  | { kind: "run"; run: EntryRun; expandable: boolean; expanded: boolean }
  | { kind: "entry"; run: EntryRun; index: number }
  | { kind: "folded"; first: number; last: number; tables: number; level: string }
  | { kind: "refold"; tables: number };

/** What the person opened: tables whose folded children are shown, runs whose entries are listed. */
export interface Openings {
  unfolded: Set<number>;
  expanded: Set<string>;
}

export function runKey(table: Table, run: EntryRun): string {
  return `${table.id}:${run.first}`;
}

/** The lines of a table, in entry order. */
export function linesOf(tree: PageTableTree, table: Table, open: Openings): Line[] {
  const pointers = table.runs.filter(r => r.kind === "table");
  const folds = pointers.length > mostChildrenDrawn;
  const unfolded = folds && open.unfolded.has(table.id);
  const hideFrom = folds ? pointers[leadingChildren].first : -1;
  const hideTo = folds ? pointers[pointers.length - trailingChildren - 1].first : -1;
  const lines: Line[] = [];
  if (unfolded) lines.push({ kind: "refold", tables: pointers.length - leadingChildren - trailingChildren });
  let foldedAdded = false;
  for (const run of table.runs) {
    const hidden = folds && !unfolded && run.kind === "table" && run.first >= hideFrom && run.first <= hideTo;
    if (hidden) {
      if (!foldedAdded) {
        const level = run.child !== null ? tree.tables[run.child]?.level ?? "" : "";
        lines.push({ kind: "folded", first: hideFrom, last: hideTo, tables: pointers.length - leadingChildren - trailingChildren, level });
        foldedAdded = true;
      }
      continue;
    }
    const expandable = run.kind !== "table" && run.count > 1;
    const expanded = expandable && open.expanded.has(runKey(table, run));
    lines.push({ kind: "run", run, expandable, expanded });
    if (expanded) for (let i = 0; i < run.count; i++) lines.push({ kind: "entry", run, index: run.first + i });
  }
  return lines;
}

export interface Card { table: Table; lines: Line[]; top: number; height: number }

export interface Column { level: string; cards: Card[]; height: number; byId: Map<number, Card> }

/** The visible tables, level by level, each level's cards stacked in address order (the tree's pre-order). */
export function columnsOf(tree: PageTableTree, open: Openings): Column[] {
  const columns = new Map<string, Column>(tree.levels.map(l => [l.level, { level: l.level, cards: [], height: 0, byId: new Map() }]));
  if (tree.tables.length === 0) return [...columns.values()];
  const head = headLinesOf(tree);
  const pending = [0];
  while (pending.length > 0) {
    const table = tree.tables[pending.pop()!];
    const lines = linesOf(tree, table, open);
    const column = columns.get(table.level);
    if (column) {
      const height = cardPadding + lineHeight * (head + lines.length);
      const card = { table, lines, top: column.height, height };
      column.cards.push(card);
      column.byId.set(table.id, card);
      column.height += height + cardGap;
    }
    const children = lines.flatMap(l => (l.kind === "run" && l.run.kind === "table" && l.run.child !== null ? [l.run.child] : []));
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return [...columns.values()];
}

/** The cards of a column that overlap [top, bottom): a binary search, then a walk. */
export function cardsBetween(column: Column, top: number, bottom: number): Card[] {
  const cards = column.cards;
  let lo = 0, hi = cards.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cards[mid].top + cards[mid].height < top) lo = mid + 1;
    else hi = mid;
  }
  const out: Card[] = [];
  for (let i = lo; i < cards.length && cards[i].top < bottom; i++) out.push(cards[i]);
  return out;
}

/** The virtual address of entry <index> of a table. */
export function entryAddress(tree: PageTableTree, table: Table, index: number): bigint {
  const span = tree.levels.find(l => l.level === table.level)?.entrySpan ?? 0;
  return table.spanStart + BigInt(index) * BigInt(span);
}
