/** The lines of a scanned TOML text: the region a table owns, and whole lines added or removed. */
import type { TomlHeader, TomlLayout } from "./_toml-scan.ts";

/** Lines a table owns directly: after its header up to the next header (root: before the first). */
export function ownRegion(layout: TomlLayout, table: TomlHeader | undefined): [number, number] {
  if (table) return [table.line + 1, table.ownEnd];
  return [0, (layout.headers[0]?.line ?? layout.lines.length) - 1];
}

/** The last non-blank line in `from..to`. */
export function lastNonBlank(layout: TomlLayout, from: number, to: number): number | undefined {
  for (let n = to; n >= from; n--) if (layout.lines[n]!.kind !== "blank") return n;
  return undefined;
}

/** The first non-blank line in `from..to`. */
export function firstNonBlank(layout: TomlLayout, from: number, to: number): number | undefined {
  for (let n = from; n <= to; n++) if (layout.lines[n]!.kind !== "blank") return n;
  return undefined;
}

/** Remove lines `from..to` with their line breaks; a file without a final newline keeps none. */
export function removeLines(layout: TomlLayout, from: number, to: number): string {
  const { text, lines } = layout;
  const last = lines[to]!;
  if (last.next > last.end || from === 0) return text.slice(0, lines[from]!.start) + text.slice(last.next);
  return text.slice(0, lines[from - 1]!.end) + text.slice(last.end);
}
