// A table body that holds only the rows scrolled into sight (and a few either side), for tables of
// tens of thousands of rows: the live view's 20,000 VMAs would otherwise be 20,000 rows built at once
// (seconds in a browser) and laid out again at every change. Every row has one fixed height, so the
// rows above and below the window are two spacer rows of the height they would take: the scroll box
// has the full height and its scroll bar means what it shows, and the sticky header keeps its columns.
import { h, replace } from "./dom.js";

export interface RowWindow<T> {
  /** Shows these items (in this order); redraws the window only when `changed` says a row in sight changed (always when not given or the count changed). */
  show(items: readonly T[], changed?: (item: T) => boolean): void;
  /** Draws the rows in sight again (a row's look changed: the chosen one). */
  redraw(): void;
  /** Scrolls item `index` into sight (the chosen row when the table is first drawn). */
  reveal(index: number): void;
  /** Scrolls item `index` into sight and focuses its row (keyboard navigation). */
  focus(index: number): void;
  /** The index of this row's item, or -1. */
  indexOf(row: Element): number;
}

const margin = 10; // rows drawn beyond each edge of the box, so a small scroll shows rows already there

export function rowWindow<T>(scroller: HTMLElement, body: HTMLTableSectionElement, rowHeight: number, columns: number, draw: (item: T) => HTMLElement): RowWindow<T> {
  let items: readonly T[] = [];
  let first = 0, last = 0; // the items drawn: [first, last)
  let scheduled = false;

  function spacer(height: number): HTMLElement {
    const row = h("tr", { class: "row-spacer", "aria-hidden": "true" }, h("td", { colspan: columns }));
    row.style.height = `${height}px`;
    return row;
  }

  function inSight(): [number, number] {
    const from = Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - margin);
    const to = Math.min(items.length, Math.ceil((scroller.scrollTop + Math.max(scroller.clientHeight, rowHeight)) / rowHeight) + margin);
    return [Math.min(from, to), to];
  }

  function redraw(): void {
    [first, last] = inSight();
    // the row that had the keyboard keeps it when it is drawn again
    const focused = document.activeElement instanceof HTMLElement && body.contains(document.activeElement) ? Number(document.activeElement.dataset.index) : -1;
    const rows = items.slice(first, last).map((item, i) => {
      const row = draw(item);
      row.dataset.index = String(first + i);
      return row;
    });
    // (removing the row that has the keyboard lays the page out with the body empty, which clamps the
    // box's scroll to its top: the scroll is put back)
    const top = scroller.scrollTop;
    replace(body, ...(first ? [spacer(first * rowHeight)] : []), ...rows, ...(last < items.length ? [spacer((items.length - last) * rowHeight)] : []));
    if (focused >= first && focused < last) rows[focused - first].focus({ preventScroll: true });
    if (scroller.scrollTop !== top) scroller.scrollTop = top;
  }

  function redrawIfMoved(): void {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const [from, to] = inSight();
      if (from !== first || to !== last) redraw();
    });
  }
  scroller.addEventListener("scroll", redrawIfMoved);
  // The box grows with its rows (up to its maximum height): the first rows are drawn while it is
  // still empty and short, so a box that then grows must draw the rows now in sight, or they stay blank.
  new ResizeObserver(redrawIfMoved).observe(scroller);

  function reveal(index: number): void {
    if (index < 0 || index >= items.length) return;
    const top = index * rowHeight, header = body.offsetTop; // the sticky header covers the box's top
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + rowHeight > scroller.scrollTop + scroller.clientHeight - header) scroller.scrollTop = top + rowHeight - scroller.clientHeight + header;
    redraw();
  }

  return {
    show(next, changed) {
      const sameCount = next.length === items.length;
      items = next;
      if (!sameCount || !changed || items.slice(first, last).some(changed)) redraw();
    },
    redraw,
    reveal,
    focus(index) {
      if (index < 0 || index >= items.length) return;
      reveal(index);
      (body.querySelector(`tr[data-index="${index}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
    },
    indexOf(row) {
      return row instanceof HTMLElement && row.dataset.index !== undefined ? Number(row.dataset.index) : -1;
    },
  };
}
