/**
 * What a Go TOML decoder sees that a JavaScript parse does not: whether a number was written
 * as an integer or as a float. BurntSushi/toml (lotus) refuses a float for an integer field
 * (decode.go `unifyInt`) and turns a float into text as `%f` where a string is wanted
 * (`unifyText`), while a JavaScript parse gives `5.0` and `5` as the same number.
 */

/**
 * Every number `text` writes as a float (`5.0`, `1e3`, `inf`, `nan`), wherever it is: under a
 * `[table]` header, in an inline table, after a dotted key, in an array (items by index),
 * with its key path (keys as written) and value. Empty for a text that does not parse: its
 * parse error is reported where the file is read.
 */
export async function tomlFloats(text: string): Promise<{ path: string[]; value: number }[]> {
  // Loaded on first use: only a plugin that asks about a TOML file pays for the parser (and a
  // text the core has just parsed, the file being validated, is not parsed again).
  const { tomlFloatsOf } = await import("../core/formats/_toml-scan.ts");
  try {
    return tomlFloatsOf(text).map(({ path, value }) => ({ path: [...path], value }));
  } catch {
    return [];
  }
}
