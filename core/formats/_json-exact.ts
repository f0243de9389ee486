/**
 * JSON read with every integer exact. JSON.parse reads each number as a double, so an integer
 * past 2^53 comes back rounded: 9007199254740993 as 9007199254740992, int64's largest value
 * 9223372036854775807 as 2^63. Go's encoding/json reads an integer field from the number's own
 * text (strconv.ParseInt / ParseUint: decode.go literalStore), every digit of it, and so must
 * kitcfg, to check, show and write such a number as the daemon reads it.
 */

/**
 * `JSON.parse(text)`, except that an integer written without fraction or exponent whose value
 * is not a safe integer (past ±(2^53-1)) comes back as a bigint holding every digit written, as
 * the TOML parser gives such integers (`_toml-parse.ts`). Every other number is JSON.parse's double.
 * Only a text with a run of 16 digits can hold such an integer (2^53 has 16), so any other text
 * is read by JSON.parse alone, at its usual cost.
 * @throws SyntaxError as JSON.parse does.
 */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(text, keepBigIntegers);
}

/**
 * A `JSON.stringify` replacer that writes a bigint as its digits, where JSON.stringify throws
 * on one: the reverse of `parseJsonExact`.
 */
export function exactIntegers(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? (JSON as unknown as RawJson).rawJSON(String(value)) : value;
}

// --- internal ---

/** The text of every integer past 2^53 holds such a run (9007199254740992 is 16 digits). */
const LONG_DIGITS = /\d{16}/;
const INTEGER = /^-?\d+$/;

/** JSON.rawJSON (Bun, V8): a value JSON.stringify writes as the given text. */
interface RawJson {
  rawJSON(text: string): unknown;
}

/**
 * A JSON.parse reviver, given each number's source text as its third argument (TC39 "JSON.parse
 * source text access", which Bun 1.4.5 has): a double that is not a safe integer, written as an
 * integer, becomes the bigint of its text. Without that argument the double stays.
 */
function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER.test(source) ? BigInt(source) : value;
}
