// Moving between views without reloading: the URL changes (history), then the page shows the view.

export const navigatedEvent = "pageatlas-navigated";

/** Goes to one of the explorer's own paths. */
export function navigate(path: string): void {
  history.pushState(null, "", path);
  window.dispatchEvent(new Event(navigatedEvent));
}

/** Writes a view's own state (sort, filter, cursor) into the current URL, so a reload or a copied link keeps it; the view stays. */
export function remember(path: string): void {
  history.replaceState(null, "", path);
}
