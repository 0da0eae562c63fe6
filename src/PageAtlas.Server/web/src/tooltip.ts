// One floating box of details beside the pointer, shared by the address map and the page grid.
import { Child, h, replace } from "./dom.js";

const box = h("div", { class: "tooltip", role: "tooltip", hidden: true });
document.body.appendChild(box);

export function showTooltip(clientX: number, clientY: number, ...lines: Child[]): void {
  replace(box, ...lines.map(line => (typeof line === "string" ? h("div", {}, line) : line)));
  box.hidden = false;
  box.style.left = `${window.innerWidth - clientX < 380 ? Math.max(0, clientX - 370) : clientX + 14}px`;
  box.style.top = `${Math.max(0, Math.min(window.innerHeight - box.offsetHeight - 4, clientY + 14))}px`;
}

export function hideTooltip(): void {
  box.hidden = true;
}
