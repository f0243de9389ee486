/**
 * A JSON reader that keeps the offset of every value and member, for the JSON editor and for
 * parse errors that say where.
 */
import { ParseError, locate } from "../errors.ts";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A JSON value in the text: `entries` are an object's members or an array's items. */
export interface JsonNode {
  kind: "object" | "array" | "scalar";
  start: number;
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
 * Read a whole JSON document (no BOM) into a tree of offsets.
 * @throws ParseError at the first character that is not JSON, with 1-based line and column.
 */
export function scanJson(text: string): JsonNode {
  return new Scanner(text).document();
}

// --- internal ---

/** A recursive-descent reader that keeps the offset of every value, for the editor and for error positions. */
class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): JsonNode {
    const root = this.value();
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
