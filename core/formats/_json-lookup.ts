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
 * on the way. Only the containers on the path are read entry by entry (`followPath`); every
 * other value is passed over by `skipValue`, a small function that the JIT compiles early
 * (a big document's bytes go there; one flat loop over them all with the path's bookkeeping
 * made `get` of one key of a 5 MB config about 15% slower: 84 against 72 ms, interleaved).
 */
function scanDocument(b: Uint8Array, at: number, path: readonly string[], maxDepth: number): Scan | typeof UNDECIDED {
  const reader: PathReader = {
    b,
    keys: path.map((segment) => ENCODER.encode(segment)),
    indexes: path.map((segment) => (ARRAY_INDEX.test(segment) ? Number(segment) : -1)),
    maxDepth,
    match: undefined,
    kinds: [],
  };
  const end = followPath(reader, at, 0);
  if (end === UNDECIDED) return UNDECIDED;
  return { end, match: reader.match, levels: reader.match ? reader.kinds.slice(0, path.length) : [] };
}

interface PathReader {
  b: Uint8Array;
  keys: Uint8Array[];
  indexes: number[];
  maxDepth: number;
  /** The value at the whole path, the last one found (a later duplicate key replaces it). */
  match: Span | undefined;
  kinds: ("object" | "array")[];
}

/**
 * Past the value at `at` (no space before it), which sits at `level` of the path and at
 * container depth `level`: a container that the path goes on into is read entry by entry,
 * anything else is skipped.
 */
function followPath(r: PathReader, at: number, level: number): number {
  const { b } = r;
  const c = b[at];
  if (level === r.keys.length || (c !== OPEN_OBJECT && c !== OPEN_ARRAY)) {
    const end = skipValue(b, at, r.maxDepth - level);
    if (end !== UNDECIDED && level === r.keys.length) r.match = { start: at, end };
    return end;
  }
  if (level === r.maxDepth) return UNDECIDED;
  const object = c === OPEN_OBJECT;
  const close = object ? CLOSE_OBJECT : CLOSE_ARRAY;
  let i = skipSpace(b, at + 1);
  if (b[i] === close) return i + 1;
  // A duplicate key met later replaces what was found under the earlier one.
  for (let item = 0; ; item++) {
    let wanted: boolean;
    if (object) {
      if (b[i] !== QUOTE) return UNDECIDED;
      const keyEnd = skipString(b, i);
      if (keyEnd === UNDECIDED) return UNDECIDED;
      wanted = keyIs(b, i, keyEnd, r.keys[level]!);
      i = skipSpace(b, keyEnd);
      if (b[i] !== COLON) return UNDECIDED;
      i = skipSpace(b, i + 1);
    } else {
      wanted = item === r.indexes[level];
    }
    if (wanted) {
      r.match = undefined;
      r.kinds[level] = object ? "object" : "array";
      i = followPath(r, i, level + 1);
    } else {
      i = skipValue(b, i, r.maxDepth - level - 1);
    }
    if (i === UNDECIDED) return UNDECIDED;
    i = skipSpace(b, i);
    if (b[i] === close) return i + 1;
    if (b[i] !== COMMA) return UNDECIDED;
    i = skipSpace(b, i + 1);
  }
}

/**
 * Past the value at `at` (no space before it), checking JSON's grammar, with containers
 * nested no deeper than `maxDepth` below it; `UNDECIDED` otherwise. A call per container.
 */
function skipValue(b: Uint8Array, at: number, maxDepth: number): number {
  const c = b[at];
  if (c === QUOTE) return skipString(b, at);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    if (maxDepth === 0) return UNDECIDED;
    const close = c + 2;
    let i = at + 1;
    let d = b[i];
    while (d === 32 || d === 10 || d === 13 || d === 9) d = b[++i];
    if (d === close) return i + 1;
    for (;;) {
      if (c === OPEN_OBJECT) {
        i = skipKey(b, i);
        if (i === UNDECIDED) return UNDECIDED;
      }
      i = skipValue(b, i, maxDepth - 1);
      if (i === UNDECIDED) return UNDECIDED;
      d = b[i];
      while (d === 32 || d === 10 || d === 13 || d === 9) d = b[++i];
      if (d === close) return i + 1;
      if (d !== COMMA) return UNDECIDED;
      d = b[++i];
      while (d === 32 || d === 10 || d === 13 || d === 9) d = b[++i];
    }
  }
  if (c === MINUS || (c !== undefined && c >= 48 && c <= 57)) return skipNumber(b, at);
  if (c === 116) return word(b, at, TRUE);
  if (c === 102) return word(b, at, FALSE);
  if (c === 110) return word(b, at, NULL);
  return UNDECIDED;
}

/** Past a key, its colon and the space after it, at `at`. */
function skipKey(b: Uint8Array, at: number): number {
  if (b[at] !== QUOTE) return UNDECIDED;
  let i = skipString(b, at);
  if (i === UNDECIDED) return UNDECIDED;
  let c = b[i];
  while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
  if (c !== COLON) return UNDECIDED;
  c = b[++i];
  while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
  return i;
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
