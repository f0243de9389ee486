/**
 * What a Go TOML decoder sees that a JavaScript parse does not: whether a number was written
 * as an integer or as a float. BurntSushi/toml (lotus) refuses a float for an integer field
 * (decode.go `unifyInt`) and turns a float into text as `%f` where a string is wanted
 * (`unifyText`), while a JavaScript parse gives `5.0` and `5` as the same number.
 */

/**
 * The key paths at which `text` writes a float (`5.0`, `1e3`, `inf`, `nan`), wherever it is:
 * under a `[table]` header, in an inline table, after a dotted key, in an array (items by
 * index). Keys are as written. Empty for a text that does not parse: its parse error is
 * reported where the file is read.
 */
export async function tomlFloatPaths(text: string): Promise<string[][]> {
  // Loaded here, on first use: only a plugin that asks about a TOML file pays for the parser.
  const { parse } = await import("smol-toml");
  let document: unknown;
  try {
    // Every integer a bigint: a value still a number is one written as a float.
    document = parse(text, { integersAsBigInt: true });
  } catch {
    return [];
  }
  const found: string[][] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (typeof node === "number") found.push(path);
    else if (Array.isArray(node)) for (const [i, item] of node.entries()) walk(item, [...path, String(i)]);
    else if (typeof node === "object" && node !== null && !(node instanceof Date))
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
  };
  walk(document, []);
  return found;
}
