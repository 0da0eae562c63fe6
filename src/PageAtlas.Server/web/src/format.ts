// How figures are written: sizes in binary units, addresses in hexadecimal.

const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/** 4096 → "4 KiB", 1536 → "1.5 KiB". */
export function bytes(value: number | bigint | null | undefined): string {
  if (value === null || value === undefined) return "–";
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  const digits = unit === 0 || n >= 100 ? 0 : n >= 10 ? 1 : 2;
  const text = n.toFixed(digits);
  return `${digits ? text.replace(/\.?0+$/, "") : text} ${units[unit]}`;
}

/** A count with thousands separated. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : value.toLocaleString("en-US");
}

/** bigint → "0x7f…". */
export function hex(value: bigint | number): string {
  return "0x" + value.toString(16);
}
