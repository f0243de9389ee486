// Python literals as `repr()` writes them, for reading what the older Python tool appended
// to other programs' files (`f"{key} = {repr(value)}"`): True/False/None, ints, floats,
// quoted strings with Python escapes, lists, tuples and dicts.

/** A Python float that has no JSON form (`inf`, `nan`). */
export class PythonFloat {
  constructor(readonly text: string) {}
}

/**
 * The value of one Python literal. Ints beyond JavaScript's safe range become bigints; a
 * dict becomes an object (keys turned into strings).
 * @throws Error naming the offset where the text stops being a literal.
 */
export function parsePythonLiteral(text: string): unknown {
  const reader = { text, at: 0 };
  const value = readValue(reader);
  skipBlanks(reader);
  if (reader.at !== text.length)
    throw new Error(`unexpected ${JSON.stringify(text.slice(reader.at, reader.at + 10))} at ${reader.at}`);
  return value;
}

// --- internal ---

interface Reader {
  text: string;
  at: number;
}

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

function readValue(r: Reader): unknown {
  skipBlanks(r);
  const rest = r.text.slice(r.at);
  const word = /^(True|False|None|inf|nan)\b/.exec(rest);
  if (word) {
    r.at += word[0].length;
    const constants: Record<string, boolean | null> = { True: true, False: false, None: null };
    return word[1]! in constants ? constants[word[1]!] : new PythonFloat(word[1]!);
  }
  const number = /^-?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(rest);
  if (number) {
    r.at += number[0].length;
    if (/[.eE]/.test(number[0])) return Number(number[0]);
    const big = BigInt(number[0]);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  const open = r.text[r.at];
  if (open === "'" || open === '"') return readString(r, open);
  if (open === "[" || open === "(") return readItems(r, open === "[" ? "]" : ")");
  if (open === "{") return readDict(r);
  throw new Error(`no value at ${r.at}`);
}

function readString(r: Reader, quote: string): string {
  let out = "";
  r.at++;
  for (;;) {
    const char = r.text[r.at++];
    if (char === undefined || char === "\n") throw new Error("unterminated string");
    if (char === quote) return out;
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = r.text[r.at++] ?? "";
    const hex = { x: 2, u: 4, U: 8 }[next];
    if (hex !== undefined) {
      const digits = r.text.slice(r.at, r.at + hex);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) throw new Error(`bad \\${next} escape at ${r.at}`);
      out += String.fromCodePoint(parseInt(digits, 16));
      r.at += hex;
    } else out += ESCAPES[next] ?? `\\${next}`;
  }
}

function readItems(r: Reader, close: string): unknown[] {
  const items: unknown[] = [];
  r.at++;
  for (;;) {
    skipBlanks(r);
    if (r.text[r.at] === close) return (r.at++, items);
    items.push(readValue(r));
    if (!readSeparator(r, close)) return items;
  }
}

function readDict(r: Reader): Record<string, unknown> {
  const dict: Record<string, unknown> = {};
  r.at++;
  for (;;) {
    skipBlanks(r);
    if (r.text[r.at] === "}") return (r.at++, dict);
    const key = readValue(r);
    skipBlanks(r);
    if (r.text[r.at++] !== ":") throw new Error(`expected ":" at ${r.at - 1}`);
    Object.defineProperty(dict, String(key), {
      value: readValue(r),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (!readSeparator(r, "}")) return dict;
  }
}

/** After an item: a comma (true, more may follow) or the closing bracket (false, consumed). */
function readSeparator(r: Reader, close: string): boolean {
  skipBlanks(r);
  const char = r.text[r.at++];
  if (char === ",") return true;
  if (char === close) return false;
  throw new Error(`expected "," or "${close}" at ${r.at - 1}`);
}

function skipBlanks(r: Reader): void {
  while (r.text[r.at] === " " || r.text[r.at] === "\t") r.at++;
}
