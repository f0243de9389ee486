/**
 * One value of a JSON document read straight from its bytes: the document is checked
 * against JSON's grammar from end to end, as `JSON.parse` would, but only the value asked
 * for is handed back, so a one-key read of a big file builds no tree of the rest, nor a
 * string of it.
 *
 * Anything this reader does not settle on its own (a syntax error, nesting past
 * `maxDepth`) is answered `undecided`: the caller then parses the whole text, which
 * refuses the document with its line and column, as before.
 */

/**
 * What `lookupJson` found: the bytes of the value and whether each level of the path is an
 * object or an array, or that the path leads nowhere.
 */
export type JsonLookup =
  | { kind: "found"; bytes: Uint8Array; levels: ("object" | "array")[] }
  | { kind: "absent" }
  | { kind: "undecided" };

/**
 * The value at `path` in the UTF-8 JSON document `bytes` (a leading BOM is skipped), as
 * `lookupPath(JSON.parse(text), path)` finds it: the last of duplicate keys wins, a whole
 * number indexes an array, and anything else leads nowhere.
 */
export function lookupJson(bytes: Uint8Array, path: readonly string[], maxDepth: number): JsonLookup {
  const start = skipSpace(bytes, hasBom(bytes) ? 3 : 0);
  // The whole document first, which also checks it from end to end; then, again, only the
  // value each segment leads to.
  let scan = scanValue(bytes, start, ...wanted(bytes, start, path[0]), maxDepth);
  if (scan === UNDECIDED || skipSpace(bytes, scan.end) !== bytes.length) return { kind: "undecided" };
  let span: Span = { start, end: scan.end };
  const levels: ("object" | "array")[] = [];
  for (let depth = 0; depth < path.length; depth++) {
    if (scan.match === undefined) return { kind: "absent" };
    levels.push(bytes[span.start] === OPEN_OBJECT ? "object" : "array");
    span = scan.match;
    if (depth + 1 === path.length) break;
    scan = scanValue(bytes, span.start, ...wanted(bytes, span.start, path[depth + 1]), maxDepth);
    if (scan === UNDECIDED) return { kind: "undecided" };
  }
  return { kind: "found", bytes: bytes.subarray(span.start, span.end), levels };
}

// --- internal ---

const ENCODER = new TextEncoder();
const UNDECIDED = -1;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const ARRAY_INDEX = /^(0|[1-9]\d{0,8})$/;

/** What the reader expects next: a value, a key (or "}" first), ":", "," or a close, a value (or "]" first). */
const VALUE = 0;
const KEY = 1;
const FIRST_KEY = 2;
const COLON_NEXT = 3;
const AFTER = 4;
const FIRST_ITEM = 5;
const IN_OBJECT = 1;
const IN_ARRAY = 2;

interface Span {
  start: number;
  end: number;
}

/** Where a value ends, and the span of the entry of its own that was asked for. */
interface Scan {
  end: number;
  match: Span | undefined;
}

/** What `segment` asks of the value at `at`: a member's key (UTF-8) or an item's index (-1: none). */
function wanted(b: Uint8Array, at: number, segment: string | undefined): [key: Uint8Array | null, index: number] {
  if (segment === undefined) return [null, -1];
  if (b[at] === OPEN_OBJECT) return [ENCODER.encode(segment), -1];
  return [null, b[at] === OPEN_ARRAY && ARRAY_INDEX.test(segment) ? Number(segment) : -1];
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Read the value at `at` through to its end, checking JSON's grammar, and note the last
 * member keyed `key` (an object) or the item `index` (an array) among its own entries. One
 * flat loop over the bytes with a stack of open containers, so that a big document is read
 * by compiled code rather than by a call per value.
 */
function scanValue(
  b: Uint8Array,
  at: number,
  key: Uint8Array | null,
  index: number,
  maxDepth: number,
): Scan | typeof UNDECIDED {
  const open = new Uint8Array(maxDepth + 1);
  const n = b.length;
  let depth = 0;
  let state = VALUE;
  let item = 0;
  let wanted = false;
  let matchStart = -1;
  let matchEnd = -1;
  let i = at;
  while (i < n) {
    const c = b[i]!;
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
      continue;
    }
    let ended = false; // a value ended at i
    if (state === VALUE || (state === FIRST_ITEM && c !== CLOSE_ARRAY)) {
      if (wanted && depth === 1) matchStart = i;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth === maxDepth) return UNDECIDED;
        open[++depth] = c === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY;
        if (depth === 1) wanted = c === OPEN_ARRAY && index === 0;
        state = c === OPEN_OBJECT ? FIRST_KEY : FIRST_ITEM;
        i++;
        continue;
      }
      if (c === QUOTE) i = skipString(b, i);
      else if (c === MINUS || (c >= 48 && c <= 57)) i = skipNumber(b, i);
      else if (c === 116) i = word(b, i, TRUE);
      else if (c === 102) i = word(b, i, FALSE);
      else if (c === 110) i = word(b, i, NULL);
      else return UNDECIDED;
      if (i === UNDECIDED) return UNDECIDED;
      ended = true;
    } else if (state === AFTER) {
      if (c === COMMA) {
        if (open[depth] === IN_OBJECT) {
          state = KEY;
        } else {
          if (depth === 1) wanted = ++item === index;
          state = VALUE;
        }
        i++;
        continue;
      }
      if (c !== (open[depth] === IN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) return UNDECIDED;
      depth--;
      i++;
      ended = true;
    } else if (state === KEY || state === FIRST_KEY) {
      if (state === FIRST_KEY && c === CLOSE_OBJECT) {
        depth--;
        i++;
        ended = true;
      } else {
        if (c !== QUOTE) return UNDECIDED;
        const keyStart = i;
        i = skipString(b, i);
        if (i === UNDECIDED) return UNDECIDED;
        if (depth === 1) wanted = key !== null && keyIs(b, keyStart, i, key);
        state = COLON_NEXT;
        continue;
      }
    } else if (state === COLON_NEXT) {
      if (c !== COLON) return UNDECIDED;
      state = VALUE;
      i++;
      continue;
    } else {
      // FIRST_ITEM meeting "]": the array is empty
      depth--;
      i++;
      ended = true;
    }
    if (ended) {
      if (wanted && depth === 1) {
        matchEnd = i;
        wanted = false;
      }
      if (depth === 0) return { end: i, match: matchStart < 0 ? undefined : { start: matchStart, end: matchEnd } };
      state = AFTER;
    }
  }
  return UNDECIDED; // the text ended inside the value
}

/** Whether the key literal from `start` to `end` (quotes included) spells `key` (UTF-8). */
function keyIs(b: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  const raw = b.subarray(start + 1, end - 1);
  if (raw.indexOf(BACKSLASH) === -1) {
    if (raw.length !== key.length) return false;
    for (let i = 0; i < raw.length; i++) if (raw[i] !== key[i]) return false;
    return true;
  }
  // Escapes: rare in keys, read as JSON reads them.
  return JSON.parse(new TextDecoder().decode(b.subarray(start, end))) === new TextDecoder().decode(key);
}

const TRUE = ENCODER.encode("true");
const FALSE = ENCODER.encode("false");
const NULL = ENCODER.encode("null");

function word(b: Uint8Array, at: number, spelling: Uint8Array): number {
  for (let i = 0; i < spelling.length; i++) if (b[at + i] !== spelling[i]) return UNDECIDED;
  return at + spelling.length;
}

/** Past the string literal at `at`: no raw control character, only JSON's escapes. */
function skipString(b: Uint8Array, at: number): number {
  const n = b.length;
  for (let i = at + 1; i < n; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return UNDECIDED;
    if (c === BACKSLASH) {
      const e = b[++i];
      if (e === 117) {
        for (let k = 0; k < 4; k++) if (!isHex(b[++i])) return UNDECIDED;
      } else if (
        !(e === QUOTE || e === BACKSLASH || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)
      ) {
        return UNDECIDED;
      }
    }
  }
  return UNDECIDED;
}

/** Past the number at `at`: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function skipNumber(b: Uint8Array, at: number): number {
  let i = at;
  if (b[i] === MINUS) i++;
  if (b[i] === 48) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return UNDECIDED;
  if (b[i] === DOT) {
    if (!isDigit(b[++i])) return UNDECIDED;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 101 || b[i] === 69) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return UNDECIDED;
    while (isDigit(b[i])) i++;
  }
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));
}

function skipSpace(b: Uint8Array, at: number): number {
  let i = at;
  let c = b[i];
  while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
  return i;
}
