import { goFoldKey } from "kitcfg";
import type { PluginIssue } from "kitcfg";
import { int64, optionalDuration } from "./go.ts";
import { schema } from "./schema.ts";

// Two kubo readers see a value's JSON text, not its value, and JSON.parse forgets that text:
// - Go's encoding/json reads an integer field with strconv.ParseInt on the number's own text
//   (decode.go literalStore), so `100.0` or `1e3` stops kubo ("cannot unmarshal number 1e3
//   into Go struct field ... of type int64") although both are whole numbers.
// - OptionalDuration (config/types.go UnmarshalJSON) trims the quotes off the raw JSON and hands
//   the rest to time.ParseDuration, which takes the number 0 (and -0) but not `0.0` or `0e0`
//   ("missing unit"), and never an escape such as `\u0073`: it sees the backslash.
// So this looks at the text of the config file itself. (int64's limits need no such look: kitcfg
// reads an integer past 2^53 with every digit, and the schema judges it, go.ts `int64`.)

/**
 * Issues for integer fields whose whole number in `text` has a fraction or an exponent, and
 * for OptionalDuration fields whose zero has one or whose string holds an escape. Only where
 * `config` (the configuration being checked) still holds that value: the text is the file on
 * disk, which a planned change may be about to replace.
 */
export function writtenValueIssues(text: string, config: unknown): PluginIssue[] {
  const issues: PluginIssue[] = [];
  // Most configs hold no such value: one native search says so without visiting each character.
  // Without a backslash there is no escape; a regex of the number's end first (no context to
  // try at each comma), since a big config holds a hundred thousand commas and no such number.
  const escapes = text.includes("\\") && maybeEscapedDuration().test(text);
  if (!escapes && !(POINT_NUMBER_END.test(text) && MAYBE_POINT_NUMBER.test(text))) return issues;
  const integers = schemaPaths(int64);
  const durations = schemaPaths(optionalDuration);
  for (const { path, token } of writtenTokens(text, escapes)) {
    const key = path.join(".");
    if (token.startsWith('"')) {
      if (!durations.some((pattern) => matches(pattern, path))) continue;
      if (valueAt(config, path) !== JSON.parse(token)) continue;
      issues.push({
        key,
        message:
          `is written ${token}: kubo hands this duration's JSON text, escape included, to time.ParseDuration; ` +
          `write ${JSON.stringify(JSON.parse(token))}, else kubo refuses to start`,
      });
    } else if (valueAt(config, path) !== Number(token)) continue;
    else if (Number.isInteger(Number(token)) && integers.some((pattern) => matches(pattern, path))) {
      issues.push({
        key,
        message:
          `is written ${token}: kubo reads an integer here only without a fraction or exponent ` +
          `(write ${Number(token)}); kubo refuses to start`,
      });
    } else if (Number(token) === 0 && durations.some((pattern) => matches(pattern, path))) {
      issues.push({
        key,
        message:
          `is written ${token}: kubo reads a number here only as the bare 0 (time.ParseDuration of the text); ` +
          'write 0 or "0s", else kubo refuses to start',
      });
    }
  }
  return issues;
}

// --- internal ---

interface SchemaNode {
  type: string;
  wrapped?: SchemaNode;
  entries?: Record<string, SchemaNode>;
  value?: SchemaNode;
  item?: SchemaNode;
  options?: SchemaNode[];
}

const cached = new Map<unknown, string[][]>();

/** Key paths of every field of the schema that is `target`, `*` for a record key or an array index. */
function schemaPaths(target: unknown): string[][] {
  const known = cached.get(target);
  if (known) return known;
  const out: string[][] = [];
  const walk = (node: SchemaNode | undefined, path: string[]): void => {
    if (!node) return;
    if ((node as unknown) === target) return void out.push(path);
    if (node.wrapped) return walk(node.wrapped, path);
    if (node.entries) for (const [key, child] of Object.entries(node.entries)) walk(child, [...path, key]);
    if (node.type === "record") walk(node.value, [...path, "*"]);
    if (node.type === "array") walk(node.item, [...path, "*"]);
    for (const option of node.options ?? []) walk(option, path);
  };
  walk(schema as unknown as SchemaNode, []);
  cached.set(target, out);
  return out;
}

/** The value at `path`, keys compared as Go folds them (`goFoldKey`: "ſ" is "s"). */
function valueAt(config: unknown, path: string[]): unknown {
  let node = config;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    const key = Object.keys(node).find((k) => goFoldKey(k) === goFoldKey(segment));
    if (key === undefined) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Fields match whatever their case, as Go folds keys (`goFoldKey`). */
function matches(pattern: string[], path: string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === "*" || goFoldKey(p) === goFoldKey(path[i]!));
}

const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
/**
 * A number with a fraction or an exponent as a JSON value: after a colon, bracket or comma
 * and before a comma or closing bracket. Every such number in a JSON text matches (a string
 * may too: `writtenTokens` then tells them apart).
 */
const MAYBE_POINT_NUMBER = /[:[,][ \t\n\r]*-?\d+(?:\.\d+(?:[eE][+-]?\d+)?|[eE][+-]?\d+)[ \t\n\r]*[,}\]]/;
/** The end of every text `MAYBE_POINT_NUMBER` finds: a fraction or an exponent, then the value's end. */
const POINT_NUMBER_END = /(?:\.\d+|[eE][+-]?\d+)[ \t\n\r]*[,}\]]/;
let escapedDuration: RegExp | undefined;

/**
 * A string with a backslash after a key an OptionalDuration field has (any case), or a key
 * written with a backslash (it may spell one): the only texts where an escaped duration may be.
 */
function maybeEscapedDuration(): RegExp {
  if (escapedDuration) return escapedDuration;
  const names = [...new Set(schemaPaths(optionalDuration).map((path) => path.at(-1)!))];
  const blank = "[ \\t\\n\\r]*";
  // From the last backslash before a quote (`[^"\\\\]`): it finds the same, where each backslash of a
  // long run was read from up to the quote.
  escapedDuration = new RegExp(`"(?:${names.join("|")})"${blank}:${blank}"[^"]*\\\\|\\\\[^"\\\\]*"${blank}:`, "i");
  return escapedDuration;
}

/** A closed string literal without a backslash or a control character. */
const PLAIN_STRING = /^"[^"\\\x00-\x1f]*"$/;

/**
 * Where the string opened at `i` closes, as a reader skipping escapes two characters at a
 * time finds it: the next quote not escaped (a search, not a loop over the letters), or
 * past the end of an unclosed string.
 */
function closingQuote(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
  if (j !== -1) return j;
  j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return j;
}

/** The character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let count = 0;
  while (text.charCodeAt(at - 1 - count) === 92) count++;
  return count % 2 === 1;
}

/** What `/\s/` matches, for one character code (NaN past the end matches nothing). */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Each number written with `.`, `e` or `E` in a JSON text's document (not in text after it, which
 * kubo leaves unread), and (if `escapes`) each string value written with a backslash, with the
 * key path it sits at. This visits every character of a big file, so
 * each level's key is kept as where its string is (decoded only for the rare token found
 * under it), and blanks are passed before anything else is asked of a character.
 */
function writtenTokens(text: string, escapes: boolean): { path: string[]; token: string }[] {
  const found: { path: string[]; token: string }[] = [];
  // Where the next backslash is: one search per backslash, not one per string.
  let backslash = escapes ? text.indexOf("\\") : -1;
  // One slot per open container: an array's index, or the quote positions of an object's current key (-1: none).
  const levels: { array: boolean; index: number; keyStart: number; keyEnd: number }[] = [];
  let depth = 0;
  let pendingStart = -1;
  let pendingEnd = -1;
  const here = () =>
    levels
      .slice(0, depth)
      .map((level) =>
        level.array ? String(level.index) : level.keyStart < 0 ? "0" : stringAt(text, level.keyStart, level.keyEnd),
      );
  const startValue = () => {
    if (depth === 0) return;
    const top = levels[depth - 1]!;
    if (top.array) top.index++;
    else {
      top.keyStart = pendingStart;
      top.keyEnd = pendingEnd;
    }
  };
  for (let i = 0; i < text.length; ) {
    // Character codes, not one-letter strings: this loop visits every character of a big file.
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10) i++;
    else if (c === 34) {
      const j = closingQuote(text, i);
      let k = j + 1;
      while (isSpace(text.charCodeAt(k))) k++;
      const isKey = depth > 0 && !levels[depth - 1]!.array && text.charCodeAt(k) === 58;
      if (isKey) {
        pendingStart = i;
        pendingEnd = j;
      } else startValue();
      if (backslash !== -1 && backslash < j) {
        if (!isKey && backslash > i && j < text.length) found.push({ path: here(), token: text.slice(i, j + 1) });
        backslash = text.indexOf("\\", j + 1);
      }
      i = j + 1;
    } else if (c === 123 || c === 91) {
      startValue();
      levels[depth++] = { array: c === 91, index: -1, keyStart: -1, keyEnd: -1 };
      i++;
    } else if (c === 125 || c === 93) {
      i++;
      // The document ends: kubo's decoder reads nothing after it, nor does this.
      if (depth === 0 || --depth === 0) break;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)![0];
      startValue();
      if (/[.eE]/.test(token)) found.push({ path: here(), token });
      i += token.length;
    } else if (c === 116 || c === 102 || c === 110) {
      startValue();
      i += c === 102 ? 5 : 4;
    } else i++;
  }
  return found;
}

/** The value of the string literal from the quote at `start` to the one at `end`. */
function stringAt(text: string, start: number, end: number): string {
  const spelling = text.slice(start, end + 1);
  // A plain string (no escape, no control character) reads as its letters: JSON.parse only the others.
  return PLAIN_STRING.test(spelling) ? spelling.slice(1, -1) : (JSON.parse(spelling) as string);
}
