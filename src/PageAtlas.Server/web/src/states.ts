// Colours of page states, for the residency strips and the page grid alike. The segment classes'
// colours are the page-table picture's (the server's /api/palette); these mark what a page is.

/** State name (docs/json.md, page fields) → colour. */
export const stateColours: Record<string, string> = {
  "present": "#2e7d32",
  "zero-page": "#9e9e9e",
  "swapped": "#ef6c00",
  "shared-swapped": "#ffb74d",
  "shared-resident": "#66bb6a",
  "guard": "#6a1b9a",
  "marker": "#c62828",
  "not-populated": "#e8e8e8",
};

/** The mark of a page mapped by a huge leaf. */
export const hugeLeafColour = "#f9a825";

/** Colouring by an attribute: pages with it, populated pages without it, pages not populated. */
export const attributeColours = { on: "#1565c0", off: "#bdbdbd", none: "#e8e8e8" };

export function stateColour(state: string): string {
  return stateColours[state] ?? "#ffffff";
}
