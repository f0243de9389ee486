/**
 * A JSON reader that keeps the offset of every value and member, for the JSON editor and for
 * parse errors that say where.
 */
import { ParseError, locate } from "../errors.ts";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Character codes of JSON's punctuation, for readers that go character by character. */
export const OPEN_OBJECT = 123;
export const CLOSE_OBJECT = 125;
export const OPEN_ARRAY = 91;
export const CLOSE_ARRAY = 93;
export const COMMA = 44;
export const COLON = 58;
export const QUOTE = 34;

/** A JSON value in the text: `entries` are an object's members or an array's items. */
export interface JsonNode {
  kind: "object" | "array" | "scalar";
  start: number;
  /** Past the value; unknown (-1) for an object read only up to the member sought (`untilFound`). */
  end: number;
  entries: Entry[];
}

/** A member (`key` set) or an array item (`key` null); `start` is where its key or value begins. */
export interface Entry {
  key: string | null;
  start: number;
  keyEnd: number;
  value: JsonNode;
}

/**
 * Read a whole JSON document (no BOM) into a tree of offsets. With `trailing`, an object or
 * array is read up to its closing bracket and the text after it is left unread, as Go's
 * `json.Decoder.Decode` reads one value from a stream (a scalar must still end the text).
 * @throws ParseError at the first character that is not JSON, with 1-based line and column.
 */
export function scanJson(text: string, trailing = false): JsonNode {
  return new Scanner(text).document(trailing);
}

/**
 * The value at `start` (after any space) of a document known to parse, read for an edit of
 * `path`: a container's entries are listed with the extent of each value, and only the
 * values of members keyed `path[0]` are read further, with the rest of the path. Every
 * other value is skipped over without being read into nodes, so an edit reads the text
 * once, whatever its size. With `untilFound` (a set, which needs only the member it goes
 * into), an object is read no further than the member keyed `path[0]` when the text holds no
 * later spelling of that key, so no later duplicate can be the one a reader keeps: its
 * `end` is then -1 and its `entries` stop there.
 */
export function scanAlong(text: string, start: number, path: readonly string[], untilFound = false): JsonNode {
  const open = text.charCodeAt(start);
  if (open !== OPEN_OBJECT && open !== OPEN_ARRAY)
    return { kind: "scalar", start, end: valueEnd(text, start), entries: [] };
  const object = open === OPEN_OBJECT;
  const entries: Entry[] = [];
  let i = skipSpace(text, start + 1);
  if (text.charCodeAt(i) !== (object ? CLOSE_OBJECT : CLOSE_ARRAY)) {
    for (;;) {
      const entryStart = i;
      let key: string | null = null;
      if (object) {
        const keyEnd = stringEnd(text, i);
        const spelling = text.slice(i, keyEnd);
        key = spelling.includes("\\") ? (JSON.parse(spelling) as string) : spelling.slice(1, -1);
        i = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
        const sought = key === path[0];
        let value = sought && path.length > 1 ? scanAlong(text, i, path.slice(1), untilFound) : shallow(text, i);
        if (sought && untilFound && !spelledAgain(text, keyEnd, key)) {
          entries.push({ key, start: entryStart, keyEnd, value });
          return { kind: "object", start, end: -1, entries };
        }
        // Read on past a value read only up to its own member: its end is found now.
        if (value.end === -1) value = { ...value, end: valueEnd(text, value.start) };
        entries.push({ key, start: entryStart, keyEnd, value });
      } else {
        const value = shallow(text, i);
        entries.push({ key, start: entryStart, keyEnd: entryStart, value });
      }
      i = skipSpace(text, entries.at(-1)!.value.end);
      if (text.charCodeAt(i) !== COMMA) break;
      i = skipSpace(text, i + 1);
    }
  }
  return { kind: object ? "object" : "array", start, end: i + 1, entries };
}

/** Past the closing quote of the string at `start`. */
export function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
  return end === -1 ? text.length : end + 1;
}

/** Past the spaces (JSON's four) at `at`. */
export function skipSpace(text: string, at: number): number {
  let i = at;
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
  return i;
}

/** Past the value at `start`, in a document that parses. */
export function valueEnd(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === QUOTE) return stringEnd(text, start);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === QUOTE) i = stringEnd(text, i) - 1;
      else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return i + 1;
    }
    return text.length;
  }
  // A number or a literal runs to the next space, comma or closing bracket.
  let i = start + 1;
  for (let d = text.charCodeAt(i); i < text.length; d = text.charCodeAt(++i)) {
    if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 32 || d === 9 || d === 10 || d === 13) break;
  }
  return i;
}

// --- internal ---

/**
 * Whether a member keyed `key` may come again after `from` (past its key): the key's plain
 * spelling is there (as a key or not, within its own value too), or a backslash is, behind
 * which an escaped spelling could be.
 */
function spelledAgain(text: string, from: number, key: string): boolean {
  return text.includes(JSON.stringify(key), from) || text.includes("\\", from);
}

/** A value's kind and extent, its entries not read. */
function shallow(text: string, start: number): JsonNode {
  const c = text.charCodeAt(start);
  const kind = c === OPEN_OBJECT ? "object" : c === OPEN_ARRAY ? "array" : "scalar";
  return { kind, start, end: valueEnd(text, start), entries: [] };
}

/** The character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let count = 0;
  while (text.charCodeAt(at - 1 - count) === 92) count++;
  return count % 2 === 1;
}

/** A recursive-descent reader that keeps the offset of every value, for the editor and for error positions. */
class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(trailing: boolean): JsonNode {
    const root = this.value();
    if (trailing && root.kind !== "scalar") return root;
    this.skipSpace();
    if (this.pos < this.text.length) this.fail("end of input");
    return root;
  }

  private value(): JsonNode {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[start];
    if (c === "{" || c === "[") return this.container(c);
    if (c === '"') this.string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) this.number();
    else this.literal();
    return { kind: "scalar", start, end: this.pos, entries: [] };
  }

  private container(open: "{" | "["): JsonNode {
    const start = this.pos++;
    const close = open === "{" ? "}" : "]";
    const entries: Entry[] = [];
    this.skipSpace();
    if (this.text[this.pos] !== close) {
      for (;;) {
        entries.push(open === "{" ? this.member() : this.item());
        this.skipSpace();
        if (this.text[this.pos] !== ",") break;
        this.pos++;
      }
    }
    this.expect(close, `"," or "${close}"`);
    return { kind: open === "{" ? "object" : "array", start, end: this.pos, entries };
  }

  private member(): Entry {
    this.skipSpace();
    const start = this.pos;
    if (this.text[start] !== '"') this.fail("a string key");
    this.string();
    const keyEnd = this.pos;
    this.skipSpace();
    this.expect(":", '":"');
    return { key: JSON.parse(this.text.slice(start, keyEnd)) as string, start, keyEnd, value: this.value() };
  }

  private item(): Entry {
    const value = this.value();
    return { key: null, start: value.start, keyEnd: value.start, value };
  }

  private string(): void {
    for (this.pos++; ; this.pos++) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 34) break;
      if (Number.isNaN(c)) this.fail("a closing quote");
      if (c < 0x20) this.fail("an escaped control character");
      if (c === 92) this.escape();
    }
    this.pos++;
  }

  private escape(): void {
    const next = this.text[++this.pos];
    if (next === "u") {
      for (let i = 0; i < 4; i++) if (!/[0-9a-fA-F]/.test(this.text[++this.pos] ?? "")) this.fail("a hex digit");
    } else if (next === undefined || !'"\\/bfnrt'.includes(next)) {
      this.fail("an escape sequence");
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.test(this.text)) {
      this.pos++; // only a lone "-" fails: point past it
      this.fail("a digit");
    }
    this.pos = NUMBER.lastIndex;
  }

  private literal(): void {
    const word = ["true", "false", "null"].find((w) => w[0] === this.text[this.pos]);
    if (word === undefined) this.fail("a value");
    for (const ch of word) {
      if (this.text[this.pos] !== ch) this.fail(`"${word}"`);
      this.pos++;
    }
  }

  private expect(ch: string, expected: string): void {
    if (this.text[this.pos] !== ch) this.fail(expected);
    this.pos++;
  }

  private skipSpace(): void {
    let c = this.text.charCodeAt(this.pos);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = this.text.charCodeAt(++this.pos);
  }

  private fail(expected: string): never {
    const code = this.text.codePointAt(this.pos);
    const found = code === undefined ? "end of input" : JSON.stringify(String.fromCodePoint(code));
    const { line, column } = locate(this.text, this.pos);
    throw new ParseError(`Invalid JSON at line ${line}, column ${column}: unexpected ${found}, expected ${expected}`, {
      line,
      column,
    });
  }
}
