// Building the page. Every string that came from the API (process names, paths, cgroups, user
// names: chosen by other users, hostile) reaches the document as a text node or an attribute value,
// never as markup: this module has no innerHTML, and no other module may use it. Text nodes show
// control and bidi characters as escapes (visibleText.ts), so a name cannot reorder or hide itself.
import { visible } from "./visibleText.js";

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  [name: string]: string | number | boolean | undefined | ((event: Event) => void);
}

/** An element with attributes (functions under "on…" become listeners) and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setProps(element, props);
  append(element, children);
  return element;
}

const svgNamespace = "http://www.w3.org/2000/svg";

/** An SVG element, built as h builds HTML ones. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  setProps(element, props);
  append(element, children);
  return element;
}

function setProps(element: Element, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    // a tooltip is text a person reads, as a text node is (a class's owner, a path): escaped the same way
    else element.setAttribute(name, value === true ? "" : name === "title" ? visible(String(value)) : String(value));
  }
}

/** Appends children; strings and numbers as text nodes, their control and bidi characters as escapes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(visible(String(child))) : child);
  }
}

/** Replaces every child of parent. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

/** A link to one of the explorer's own views (the router follows it without reloading). */
export function link(path: string, ...children: Child[]): HTMLAnchorElement {
  return h("a", { href: path, "data-view-link": true }, ...children);
}

/** A small square of colour, for legends and tables (CSSOM, not a style attribute: the CSP allows no inline style). */
export function swatch(fill: string): HTMLElement {
  const span = h("span", { class: "swatch" });
  span.style.backgroundColor = fill;
  return span;
}

/**
 * Text that may be long (a path: chosen by other users, of any length) shown up to the width its box
 * allows (style.css .clip), cut with an ellipsis, the whole of it in the tooltip: escaped, as in the
 * text node, so the tooltip cannot reorder or hide itself either. Text holding a path ("file /usr/lib/
 * x86_64-linux-gnu/libc.so.6") keeps its file name and loses its directories, as the CLI's
 * CellShortening cuts a path ("file /usr/lib/…/libc.so.6"; "file …/libpython3.1…" when the name alone
 * is too long): two parts, the directories shrinking first (style.css .clip-path).
 */
export function clipped(text: string): HTMLElement {
  const slash = text.lastIndexOf("/");
  if (slash <= 0 || slash === text.length - 1) return h("span", { class: "clip", title: visible(text) }, text);
  return h("span", { class: "clip clip-path", title: visible(text) },
    h("span", { class: "clip-directories" }, text.slice(0, slash)), h("span", { class: "clip-name" }, text.slice(slash)));
}
