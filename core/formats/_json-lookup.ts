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
  const found = scanDocument(bytes, start, path, maxDepth);
  if (found === UNDECIDED || skipSpace(bytes, found.end) !== bytes.length) return { kind: "undecided" };
  if (path.length === 0) return { kind: "found", bytes: bytes.subarray(start, found.end), levels: [] };
  if (found.match === undefined) return { kind: "absent" };
  return { kind: "found", bytes: bytes.subarray(found.match.start, found.match.end), levels: found.levels };
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

/** Where the document ends, and the value at the path with the kind of each container on the way. */
interface Scan {
  end: number;
  match: Span | undefined;
  levels: ("object" | "array")[];
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Read the document at `at` through to its end, checking JSON's grammar, and follow `path`
 * on the way: a container is "on the path" when every segment before it matched; in one,
 * the entry its segment names is noted (a later duplicate replaces it, and whatever was
 * found inside the earlier one). One flat loop over the bytes with a stack of open
 * containers, so that a big document is read by compiled code rather than by a call per
 * value.
 */
function scanDocument(b: Uint8Array, at: number, path: readonly string[], maxDepth: number): Scan | typeof UNDECIDED {
  const levels = path.length;
  const keys = path.map((segment) => ENCODER.encode(segment));
  const indexes = path.map((segment) => (ARRAY_INDEX.test(segment) ? Number(segment) : -1));
  // By container depth (the root container is depth 1). The containers on the path are
  // those of depth 1 to `onPath` (every segment before each matched): one comparison tells.
  const open = new Uint8Array(maxDepth + 1);
  const wanted = new Uint8Array(levels + 1);
  const items = new Float64Array(levels + 1);
  let onPath = 0;
  // By path level (1 to `levels`): the span of the last match, and the kind of its container.
  const matchStart = new Float64Array(levels + 1).fill(-1);
  const matchEnd = new Float64Array(levels + 1).fill(-1);
  const kinds = new Uint8Array(levels + 1);
  wanted[0] = levels > 0 ? 1 : 0;
  const n = b.length;
  let depth = 0;
  let state = VALUE;
  let i = at;
  while (i < n) {
    const c = b[i]!;
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
      continue;
    }
    let ended = false; // a value ended at i
    if (state === VALUE || (state === FIRST_ITEM && c !== CLOSE_ARRAY)) {
      const match = depth <= onPath && wanted[depth] === 1;
      if (match && depth > 0) {
        matchStart[depth] = i;
        matchEnd[depth] = -1;
        // A later duplicate: nothing found inside the earlier one stands.
        for (let level = depth + 1; level <= levels; level++) matchStart[level] = -1;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth === maxDepth) return UNDECIDED;
        open[++depth] = c === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY;
        if (match && depth <= levels) {
          onPath = depth;
          kinds[depth] = open[depth]!;
          items[depth] = 0;
          wanted[depth] = c === OPEN_ARRAY && indexes[depth - 1] === 0 ? 1 : 0;
        }
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
          if (depth <= onPath) wanted[depth] = ++items[depth]! === indexes[depth - 1] ? 1 : 0;
          state = VALUE;
        }
        i++;
        continue;
      }
      if (c !== (open[depth] === IN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) return UNDECIDED;
      if (onPath === depth) onPath--;
      depth--;
      i++;
      ended = true;
    } else if (state === KEY || state === FIRST_KEY) {
      if (state === FIRST_KEY && c === CLOSE_OBJECT) {
        if (onPath === depth) onPath--;
        depth--;
        i++;
        ended = true;
      } else {
        if (c !== QUOTE) return UNDECIDED;
        const keyStart = i;
        i = skipString(b, i);
        if (i === UNDECIDED) return UNDECIDED;
        if (depth <= onPath) wanted[depth] = keyIs(b, keyStart, i, keys[depth - 1]!) ? 1 : 0;
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
      if (onPath === depth) onPath--;
      depth--;
      i++;
      ended = true;
    }
    if (ended) {
      if (depth <= onPath && depth > 0 && wanted[depth] === 1) {
        matchEnd[depth] = i;
        wanted[depth] = 0;
      }
      if (depth === 0) {
        if (levels === 0 || matchStart[levels]! < 0) return { end: i, match: undefined, levels: [] };
        const found = Array.from({ length: levels }, (_, level) =>
          kinds[level + 1] === IN_OBJECT ? ("object" as const) : ("array" as const),
        );
        return { end: i, match: { start: matchStart[levels]!, end: matchEnd[levels]! }, levels: found };
      }
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
