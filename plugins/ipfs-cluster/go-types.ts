import { GO_INTEGER_RANGES, v } from "kitcfg";

// The Go field types of ipfs-cluster v1.1.6's jsonConfig structs, as the schemas the key tables
// (component-keys.ts, datastore-keys.ts) are written with, and the ranges of Go's integers.

/** Absent or null: Go keeps the field's zero value. */
export const opt = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema));
/** An item of a list or a value of a map: null holds the zero value there. */
export const slot = <T extends v.GenericSchema>(schema: T) => v.nullable(schema);

export const str = opt(v.string());
/**
 * Go's int is 64-bit on the builds cluster ships; encoding/json reads an integer field from the
 * number's text (strconv.ParseInt / ParseUint) and refuses one outside the field's range
 * ("cannot unmarshal number ... into Go struct field"), which fails the load. kitcfg reads an
 * integer past 2^53 as a bigint with every digit, judged here exactly; a double (written with a
 * fraction or exponent, which `floatLiteralIssues` reports) passes up to 2^63 or 2^64, and
 * `integerLimitIssues` (keys.ts) judges it as kitcfg would write it.
 */
export const INT64 = goInteger("int64", 2 ** 63);
export const UINT64 = goInteger("uint64", 2 ** 64);
export const int = opt(INT64);
export const uint = opt(UINT64);
export const bool = opt(v.boolean());
/**
 * A float64 field: encoding/json's strconv.ParseFloat fails the load on a number too large for
 * a double (`1e400`), which JSON.parse reads as Infinity.
 */
export const finite = v.pipe(
  v.union([v.number(), v.bigint()]),
  // An integer past 2^53 (a bigint) is read as the double nearest to it.
  v.check((n) => Number.isFinite(Number(n)), "expected a number within Go's float64 range"),
);
export const num = opt(finite);
/** Go uint32 (badger's value_log_max_entries): exact in a double, so the schema alone decides. */
export const UINT32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1));
export const uint32 = opt(UINT32);
export const list = opt(v.array(slot(v.string())));
/** Go `config.Strings`: one string or a list of them. */
export const strings = opt(v.union([v.string(), v.array(slot(v.string()))]));

/**
 * Why a Go integer field of `kind` refuses `value` (an integer read exactly), or undefined when it
 * loads it: outside the field's range, encoding/json stops the load.
 */
export function goRangeProblem(kind: keyof typeof GO_INTEGER_RANGES, value: bigint): string | undefined {
  const [min, max] = GO_INTEGER_RANGES[kind];
  if (value >= min && value <= max) return undefined;
  return (
    `is ${value}, outside Go's ${kind} range: ipfs-cluster refuses to load it; ` +
    `write ${value > max ? `at most ${max}` : `at least ${min}`}`
  );
}

// --- internal ---

/**
 * A Go integer field of `kind`: a bigint (an integer past 2^53) judged exactly; a double, which
 * stands for every integer that rounds to it, up to `limit`, past which none is within range.
 */
function goInteger(kind: "int64" | "uint64", limit: number) {
  const min = Number(GO_INTEGER_RANGES[kind][0]);
  return v.pipe(
    v.union([v.number(), v.bigint()]),
    v.check(
      (n) => (typeof n === "bigint" ? true : Number.isInteger(n) && n >= min && n <= limit),
      `expected an integer within Go's ${kind} range`,
    ),
    v.check(
      (n) => typeof n !== "bigint" || goRangeProblem(kind, n) === undefined,
      (issue) => goRangeProblem(kind, issue.input as bigint)!,
    ),
  );
}
