/**
 * What a Go TOML decoder sees that a JavaScript parse does not: whether a number was written
 * as an integer or as a float. BurntSushi/toml (lotus) refuses a float for an integer field
 * (decode.go `unifyInt`) and turns a float into text as `%f` where a string is wanted
 * (`unifyText`), while a JavaScript parse gives `5.0` and `5` as the same number.
 */

/**
 * Values a Go TOML decoder (BurntSushi/toml v1.6.0, lotus's) refuses, failing the whole
 * file, that a JavaScript parse reads: a float past float64's range (`1e400`, parse.go
 * `valueFloat`), a date Go's time.Parse finds impossible (`1979-02-30`) and more than 9
 * digits of a second (`valueDatetime`). Each with its 1-based line; empty for a text that
 * does not parse (its parse error is reported where the file is read).
 */
export async function goTomlValueProblems(text: string): Promise<{ line: number; problem: string }[]> {
  const { tomlBareText } = await import("../core/formats/_toml-scan.ts");
  const { tomlFloatsOf } = await import("../core/formats/_toml-parse.ts");
  const { parseTomlReopening } = await import("../core/formats/_toml-implicit.ts");
  try {
    // Parses, unless the core has just parsed this text; as BurntSushi reads tables (`reopensImplicitTables`).
    tomlFloatsOf(text, parseTomlReopening);
  } catch {
    return [];
  }
  // Table headers go too: `[1979-02-30]` names a table.
  const bare = tomlBareText(text).replace(HEADER_LINE, (line) => " ".repeat(line.length));
  const lineOf = (at: number) => bare.slice(0, at).split("\n").length;
  const problems: { line: number; problem: string }[] = [];
  for (const m of bare.matchAll(GO_FLOAT)) {
    const value = Number(m[0].replaceAll("_", ""));
    if (!Number.isFinite(value))
      problems.push({ line: lineOf(m.index), problem: `the float ${m[0]} is past float64's range` });
  }
  for (const m of bare.matchAll(DATE)) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (month >= 1 && month <= 12 && day > (month === 2 ? (leap ? 29 : 28) : DAYS[month - 1]!))
      problems.push({ line: lineOf(m.index), problem: `the date ${m[0]} does not exist` });
  }
  for (const m of bare.matchAll(LONG_FRACTION))
    problems.push({ line: lineOf(m.index), problem: `the time ${m[0]} gives more than 9 digits of a second` });
  return problems.sort((a, b) => a.line - b.line);
}

const HEADER_LINE = /^[ \t]*\[\[?[^\]\n]*\]\]?[ \t]*$/gm;
// A value starts after "=", "[", "," or "{" (a bare key may look like a date or a number).
const VALUE_START = "(?<=[=[,{]\\s*)";
const GO_FLOAT = new RegExp(
  `${VALUE_START}[+-]?\\d[\\d_]*(?:\\.[\\d_]+)?[eE][+-]?[\\d_]+|${VALUE_START}[+-]?\\d[\\d_]*\\.[\\d_]+`,
  "g",
);
/** Days of each month in a year that is not a leap year. */
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE = new RegExp(`${VALUE_START}(\\d{4})-(\\d{2})-(\\d{2})`, "g");
const LONG_FRACTION = new RegExp(`${VALUE_START}(?:\\d{4}-\\d{2}-\\d{2}[Tt ])?\\d{2}:\\d{2}:\\d{2}\\.\\d{10,}`, "g");

/**
 * Every number `text` writes as a float (`5.0`, `1e3`, `inf`, `nan`), wherever it is: under a
 * `[table]` header, in an inline table, after a dotted key, in an array (items by index),
 * with its key path (keys as written) and value. Empty for a text that does not parse: its
 * parse error is reported where the file is read.
 */
export async function tomlFloats(text: string): Promise<{ path: string[]; value: number }[]> {
  // Loaded on first use: only a plugin that asks about a TOML file pays for the parser (and a
  // text the core has just parsed, the file being validated, is not parsed again).
  const { tomlFloatsOf } = await import("../core/formats/_toml-parse.ts");
  const { parseTomlReopening } = await import("../core/formats/_toml-implicit.ts");
  try {
    return tomlFloatsOf(text, parseTomlReopening).map(({ path, value }) => ({ path: [...path], value }));
  } catch {
    return [];
  }
}
