/**
 * Reading TOML as a decoder that lets a table defined only implicitly be defined once more
 * (`FormatReading.reopensImplicitTables`): BurntSushi/toml v1.6.0's parse.go, whose parser
 * keeps the tables that dotted keys, headers and inline tables create on the way
 * (`addImplicit`), lets one `[header]` or dotted key define such a table again (`setValue`,
 * "the key could have been defined implicitly and it's allowed to be redefined concretely"),
 * and stops counting it as implicit then (`removeImplicit`). TOML 1.0 refuses all of these.
 *
 * The text is read strictly first; only a text refused for defining something twice is read
 * again here, statement by statement: each one alone must parse (smol-toml checks its syntax
 * and reads its values), and the statements are put together as parse.go does, step for step
 * (`topLevel`, `addContext`, `setValue`, `valueInlineTable`, `valueArray`).
 */
import { TomlError } from "smol-toml";
import { ParseError } from "../errors.ts";
import { shapeOfValue } from "./_toml-shape.ts";
import type { TomlShape } from "./_toml-shape.ts";
import { parseToml, parseTomlLines, settleToml } from "./_toml-parse.ts";
import { scanToml } from "./_toml-scan.ts";
import { isTable } from "./_toml-write.ts";

/**
 * Parse TOML text as `parseToml` does, except that a table defined only implicitly (by a
 * dotted key, as a header's parent, or inside an inline table) may be defined once more, as
 * BurntSushi/toml v1.6.0 allows (see the file's header).
 * @throws ParseError where that decoder refuses too, or the text does not parse.
 */
export function parseTomlReopening(text: string): Record<string, unknown> {
  try {
    return parseToml(text);
  } catch (error) {
    // A text that refuses for anything else refuses here too, with the same message: what
    // precedes the first problem of a TOML text is TOML, read alike by both.
    if (!(error instanceof ParseError) || !(error.cause instanceof TomlError)) throw error;
    if (!REDEFINITION.test(error.cause.message)) throw error;
    return settleToml(text, assemble(text, error));
  }
}

// --- internal ---

/** smol-toml's messages for a table or value defined twice. */
const REDEFINITION = /trying to redefine an already defined/;

/** A statement the decoder refuses: parse.go `panicf`, with its message. */
class Refusal extends Error {}

/** Read `text` statement by statement; `strict` is the error of the strict reading, given when unsure. */
function assemble(text: string, strict: ParseError): Record<string, unknown> {
  let layout: ReturnType<typeof scanToml>;
  try {
    layout = scanToml(text);
  } catch {
    throw strict;
  }
  const reader = new ImplicitReader();
  const statements = [
    ...layout.headers.map((header) => ({ line: header.line, lastLine: header.line, header })),
    ...layout.entries.map((entry) => ({ line: entry.line, lastLine: entry.lastLine, entry })),
  ].sort((a, b) => a.line - b.line);
  // A comment line may hold what no comment may (a control character): each one is read too.
  layout.lines.forEach((line, n) => {
    if (line.kind === "comment") parseTomlLines(layout, n, n);
  });
  for (const statement of statements) {
    const parsed = parseTomlLines(layout, statement.line, statement.lastLine);
    try {
      if ("header" in statement) reader.header(statement.header.path, statement.header.array);
      else {
        const { key, valueStart } = statement.entry;
        const value = valueAt(parsed, key, strict);
        reader.entry(key, shapeOfValue(text, valueStart, value, strict), value);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const { start, end } = layout.lines[statement.line]!;
      const at = { line: statement.line + 1, column: /^[ \t]*/.exec(text.slice(start, end))![0].length + 1 };
      throw new ParseError(`Cannot parse TOML at line ${at.line}, column ${at.column}: ${error.message}`, at);
    }
  }
  return reader.root;
}

/** The value a one-statement document gives `key`; `strict` when it holds anything else. */
function valueAt(parsed: Record<string, unknown>, key: readonly string[], strict: ParseError): unknown {
  let node: unknown = parsed;
  for (const segment of key) {
    if (!isTable(node) || Object.keys(node).length !== 1 || !Object.hasOwn(node, segment)) throw strict;
    node = node[segment];
  }
  return node;
}

/** What parse.go's `keyInfo` records that matters here: whether a key holds an array value. */
type TomlType = "array" | "other";

/** parse.go's parser state, without the lexer: `mapping`, `implicits`, `keyInfo`, `context`. */
class ImplicitReader {
  readonly root: Record<string, unknown> = table();
  private context: string[] = [];
  private currentKey = "";
  private readonly implicits = new Set<string>();
  private readonly arrayKeys = new Set<string>();
  /** Arrays of tables (`[]map[string]any`), which value arrays (`[]any`) are not. */
  private readonly tableArrays = new WeakSet<unknown[]>();

  /** A `[header]` or `[[header]]` line: `topLevel`, itemTableStart and itemArrayTableStart. */
  header(path: string[], array: boolean): void {
    this.addContext(path, array);
    this.setType("", "other");
  }

  /** A `key = value` line: `topLevel`, itemKeyStart. */
  entry(key: readonly string[], shape: TomlShape, value: unknown): void {
    const outer = this.context;
    this.currentKey = key[key.length - 1]!;
    for (const segment of key.slice(0, -1)) this.addImplicitContext([...this.context, segment]);
    const type = this.value(shape, value, false);
    this.setValue(this.currentKey, value);
    this.setType(this.currentKey, type);
    this.context = outer;
    this.currentKey = "";
  }

  /** `value`: an inline table or array walks its items; `value` itself is what smol-toml read. */
  private value(shape: TomlShape, value: unknown, parentIsArray: boolean): TomlType {
    if (shape.kind === "table") {
      this.inlineTable(shape, value as Record<string, unknown>, parentIsArray);
      return "other";
    }
    if (shape.kind === "array") {
      this.setType(this.currentKey, "array");
      shape.items.forEach((item, i) => {
        this.value(item, (value as unknown[])[i], true);
      });
      return "array";
    }
    return "other";
  }

  /** `valueInlineTable`: its keys are set in the document as the file's own are. */
  private inlineTable(shape: TomlShape & { kind: "table" }, value: Record<string, unknown>, inArray: boolean): void {
    const [outerContext, outerKey] = [this.context, this.currentKey];
    this.context = [...this.context, this.currentKey];
    const inner = this.context;
    this.currentKey = "";
    this.addImplicit(this.context);
    this.addContext(this.context, inArray);
    for (const pair of shape.pairs) {
      this.currentKey = pair.key[pair.key.length - 1]!;
      for (const segment of pair.key.slice(0, -1)) this.addImplicitContext([...this.context, segment]);
      let item: unknown = value;
      for (const segment of pair.key) item = (item as Record<string, unknown>)[segment];
      const type = this.value(pair.shape, item, false);
      this.setValue(this.currentKey, item);
      this.setType(this.currentKey, type);
      this.context = inner;
    }
    [this.context, this.currentKey] = [outerContext, outerKey];
  }

  /** `addContext`: make `key` the current table, creating its parents as implicit tables. */
  private addContext(key: readonly string[], array: boolean): void {
    let hash = this.root;
    const keyContext: string[] = [];
    for (const segment of key.slice(0, -1)) {
      keyContext.push(segment);
      if (!Object.hasOwn(hash, segment)) {
        this.addImplicit(keyContext);
        hash[segment] = table();
      }
      hash = this.tableIn(hash[segment], `"${keyContext.join(".")}" is not a table`);
    }
    this.context = keyContext;
    const last = key[key.length - 1]!;
    if (array) {
      if (!Object.hasOwn(hash, last)) this.tableArrays.add((hash[last] = []));
      const list = hash[last];
      if (!Array.isArray(list) || !this.tableArrays.has(list))
        throw new Refusal(`"${key.join(".")}" is already defined and cannot be an array of tables`);
      list.push(table());
    } else this.setValue(last, table());
    this.context = [...keyContext, last];
  }

  /** `setValue`: set `key` in the current table; a key already there only if it is implicit. */
  private setValue(key: string, value: unknown): void {
    let hash = this.root;
    const keyContext: string[] = [];
    for (const segment of this.context) {
      keyContext.push(segment);
      hash = this.tableIn(hash[segment], `"${keyContext.join(".")}" is already defined`);
    }
    keyContext.push(key);
    if (Object.hasOwn(hash, key)) {
      const implicit = this.isImplicit(keyContext);
      if (!implicit) throw new Refusal(`"${keyContext.join(".")}" is already defined`);
      this.implicits.delete(JSON.stringify(keyContext));
      // An implicit table redefined as an array value becomes that array; otherwise the table stays.
      if (this.arrayKeys.has(JSON.stringify(keyContext))) hash[key] = value;
      return;
    }
    hash[key] = value;
  }

  /** The table `node` is (the last one of an array of tables), or a refusal saying `message`. */
  private tableIn(node: unknown, message: string): Record<string, unknown> {
    if (Array.isArray(node) && this.tableArrays.has(node)) return node[node.length - 1] as Record<string, unknown>;
    if (isTable(node)) return node;
    throw new Refusal(message);
  }

  /** `setType`: keys are by path, arrays of tables not told apart by index, as parse.go's are. */
  private setType(key: string, type: TomlType): void {
    const path = JSON.stringify(key === "" ? this.context : [...this.context, key]);
    if (type === "array") this.arrayKeys.add(path);
    else this.arrayKeys.delete(path);
  }

  private addImplicit(key: readonly string[]): void {
    this.implicits.add(JSON.stringify(key));
  }

  private isImplicit(key: readonly string[]): boolean {
    return this.implicits.has(JSON.stringify(key));
  }

  private addImplicitContext(key: readonly string[]): void {
    this.addImplicit(key);
    this.addContext(key, false);
  }
}

function table(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}
