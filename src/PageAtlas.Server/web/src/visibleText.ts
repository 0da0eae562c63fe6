// Process names, file names and cgroup names are chosen by other users, and may hold characters a
// browser acts on instead of showing: a newline or a tab shows as a space (the file "a\nb" looks like
// "a b"), a bidirectional override (U+202E) reverses the rest of its line, the page's own words beside
// it included ("pid 21442" shown as "24412 dip"). As the CLI's TerminalText.Escape does for a terminal,
// each becomes a visible escape, the same one the CLI prints, so the page and `pageatlas maps` agree:
// C0 and C1 controls and DEL (\n, \r, \t, \e, \xHH), the line and paragraph separators, the bidi
// controls (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) and unpaired surrogates (\u{HHHH}).

// Code units, not code points (no u flag), so that an unpaired surrogate can be matched.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e" };

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16).padStart(4, "0")}}`);
}

/** The text with every character a browser would act on (break, reorder) shown as the CLI's escape. */
export function visible(text: string): string {
  return text.replace(unsafe, escape);
}
