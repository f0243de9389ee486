/**
 * The shape of one TOML value as its text writes it: which inline tables and arrays it holds
 * and how each inline table spells its keys (`{b.c = 1}` or `{b = {c = 1}}`), which the
 * parsed value does not tell and a decoder's implicit tables depend on (`_toml-implicit.ts`).
 */
import { decodeKey, scanKeyEnd, scanString } from "./_toml-scan.ts";
import { isTable } from "./_toml-write.ts";

/** A value: a scalar, an array of values, or an inline table of key/value pairs, keys as written. */
export type TomlShape =
  | { kind: "scalar" }
  | { kind: "array"; items: TomlShape[] }
  | { kind: "table"; pairs: { key: string[]; shape: TomlShape }[] };

/**
 * The shape of the value written at `from` in `text`, which the parser read as `value`.
 * @throws `mismatch` when the text read here does not give that value's shape.
 */
export function shapeOfValue(text: string, from: number, value: unknown, mismatch: Error): TomlShape {
  let shape: TomlShape;
  try {
    shape = readShape(text, from)[0];
  } catch {
    throw mismatch;
  }
  if (!fits(shape, value)) throw mismatch;
  return shape;
}

// --- internal ---

/** The shape of the value at `i` (text the parser has read), and where it ends. */
function readShape(text: string, i: number): [TomlShape, number] {
  const c = text[i];
  if (c === "{") {
    const pairs: { key: string[]; shape: TomlShape }[] = [];
    let at = skipBlank(text, i + 1);
    while (text[at] !== "}") {
      const keyEnd = scanKeyEnd(text, at);
      const key = decodeKey(text.slice(at, keyEnd));
      const eq = skipBlank(text, keyEnd);
      if (text[eq] !== "=") throw new Error(`expected "=" at ${eq}`);
      const [shape, end] = readShape(text, skipBlank(text, eq + 1));
      pairs.push({ key, shape });
      at = afterItem(text, end, "}");
    }
    return [{ kind: "table", pairs }, at + 1];
  }
  if (c === "[") {
    const items: TomlShape[] = [];
    let at = skipBlank(text, i + 1);
    while (text[at] !== "]") {
      const [shape, end] = readShape(text, at);
      items.push(shape);
      at = afterItem(text, end, "]");
    }
    return [{ kind: "array", items }, at + 1];
  }
  if (c === '"' || c === "'") return [{ kind: "scalar" }, scanString(text, i)];
  let end = i;
  while (end < text.length && !",]}#\r\n".includes(text[end]!)) end++;
  if (end === i) throw new Error(`expected a value at ${i}`);
  return [{ kind: "scalar" }, end];
}

/** Past the comma after an item, or at the closing bracket. */
function afterItem(text: string, end: number, close: string): number {
  const at = skipBlank(text, end);
  if (text[at] === ",") return skipBlank(text, at + 1);
  if (text[at] !== close) throw new Error(`expected "," or "${close}" at ${at}`);
  return at;
}

/** Past spaces, line breaks and comments (arrays may hold all three). */
function skipBlank(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
    if (text[i] !== "#") return i;
    while (i < text.length && text[i] !== "\n") i++;
  }
}

function fits(shape: TomlShape, value: unknown): boolean {
  if (shape.kind === "scalar") return !isTable(value) && !Array.isArray(value);
  if (shape.kind === "array")
    return (
      Array.isArray(value) && value.length === shape.items.length && shape.items.every((s, i) => fits(s, value[i]))
    );
  if (!isTable(value)) return false;
  const firsts = new Set(shape.pairs.map((pair) => pair.key[0]));
  return (
    Object.keys(value).every((key) => firsts.has(key)) &&
    shape.pairs.every((pair) => {
      let node: unknown = value;
      for (const segment of pair.key) node = isTable(node) ? node[segment] : undefined;
      return fits(pair.shape, node);
    })
  );
}
