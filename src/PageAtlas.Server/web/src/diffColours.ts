// Colours of what changed between two snapshots (pageatlas/diff): a page's change (its run's mark on
// the address map and its row) and a VMA's (the outline of its box).

/** Page change (docs/json.md, diff's changedPages keys) → colour. */
export const pageChangeColours: Record<string, string> = {
  "became-present": "#2e7d32",
  "dropped": "#616161",
  "left-page-table": "#a1887f",
  "unmapped": "#c62828",
  "swapped-out": "#ef6c00",
  "swapped-in": "#00838f",
  "copied": "#8e24aa",
  "moved": "#1565c0",
};

/** VMA change (added, removed, grown, shrunk, changed) → outline colour. */
export const vmaChangeColours: Record<string, string> = {
  added: "#2e7d32",
  removed: "#c62828",
  grown: "#1565c0",
  shrunk: "#ef6c00",
  changed: "#8e24aa",
};

export function pageChangeColour(change: string): string {
  return pageChangeColours[change] ?? "#000000";
}

export function vmaChangeColour(change: string): string {
  return vmaChangeColours[change] ?? "#000000";
}
