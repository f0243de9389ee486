/**
 * The commented-default style of generated TOML files: a key set where its default sits
 * commented out takes that line up in place, and an unset can comment a key out again.
 */
import { parseToml } from "./_toml-parse.ts";
import { decodeKey, scanKeyEnd } from "./_toml-scan.ts";
import type { TomlEntry, TomlLayout } from "./_toml-scan.ts";
import { formatValue, isFloatText } from "./_toml-write.ts";
import type { FormatStyle } from "./types.ts";

export interface Commented {
  line: number;
  /** Offset where the value starts, after `#`, the key and `=` with their spacing. */
  valueStart: number;
  hashAt: number;
}

/** A commented-out assignment of exactly `key` (`#Key = ...`, `# Key = ...`) in the lines given. */
export function findCommented(layout: TomlLayout, from: number, to: number, key: string): Commented | undefined {
  const { text } = layout;
  for (let n = from; n <= to; n++) {
    const line = layout.lines[n]!;
    if (line.kind !== "comment") continue;
    const hashAt = text.indexOf("#", line.start);
    const keyStart = skipSpaces(text, hashAt + 1);
    const keyEnd = scanKeyEnd(text, keyStart);
    const eq = skipSpaces(text, keyEnd);
    if (keyEnd === keyStart || text[eq] !== "=") continue;
    const valueStart = skipSpaces(text, eq + 1);
    // Prose such as "# Note = see below" fails here: the rest must be one TOML value.
    if (!isAssignment(text.slice(keyStart, keyEnd), text.slice(valueStart, line.end), key)) continue;
    return { line: n, valueStart, hashAt };
  }
  return undefined;
}

/** Turn the commented line into the live setting in place: same indentation, key and `=` spacing. */
export function uncomment(layout: TomlLayout, commented: Commented, value: unknown, style: FormatStyle): string {
  const { text } = layout;
  const line = layout.lines[commented.line]!;
  const keyStart = skipSpaces(text, commented.hashAt + 1);
  const keyAndEq = text.slice(keyStart, commented.valueStart);
  const old = text.slice(commented.valueStart, line.end);
  return (
    text.slice(0, commented.hashAt) +
    keyAndEq +
    formatValue(value, !style.noFloats && isFloatText(old)) +
    text.slice(line.end)
  );
}

/** The commented-default style of generated TOML files: `#Key = value` at the same indentation, no space. */
export function commentOut(layout: TomlLayout, entry: TomlEntry): string {
  let text = layout.text;
  for (let n = entry.lastLine; n >= entry.line; n--) {
    const line = layout.lines[n]!;
    const at = line.start + /^[ \t]*/.exec(text.slice(line.start, line.end))![0].length;
    text = `${text.slice(0, at)}#${text.slice(at)}`;
  }
  return text;
}

// --- internal ---

function isAssignment(keyText: string, valueText: string, key: string): boolean {
  try {
    const path = decodeKey(keyText);
    if (path.length !== 1 || path[0] !== key) return false;
    parseToml(`x = ${valueText}`);
    return true;
  } catch {
    return false;
  }
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}
