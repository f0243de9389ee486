import { v } from "kitcfg";
import { GO_INTEGER_RANGES, goDurationMs, isByteSize, isGoDuration } from "kitcfg";

// The JSON types of kubo's config as Go's encoding/json and kubo's own decoders read them
// (FORMATS.md "kubo load-time rules"; kubo config/types.go). A value that does not decode
// stops kubo before it starts ("failure to decode config"), so each is a schema type here.
// JSON null leaves a Go field alone, so every field may be null.

/** 2^63: past int64, and past any duration in nanoseconds. */
const INT64_LIMIT = 2 ** 63;
const [INT64_MIN, INT64_MAX] = GO_INTEGER_RANGES.int64;

/**
 * One JSON number for a Go int or int64 field (OptionalInteger and Priority decode into an
 * int64 too): a whole number within int64, which encoding/json reads from the number's text
 * with strconv.ParseInt (decode.go literalStore), every digit of it. kitcfg reads an integer
 * past 2^53 as a bigint with every digit, so -9223372036854775808 and 9223372036854775807 are
 * taken and one past either is refused. A double (as a JSON client such as an MCP one sends
 * 9223372036854775807: 2^63) is judged by the digits kitcfg writes for it (`String`): 2^63 is
 * 9223372036854776000, refused, and so is -2^63, -9223372036854776000.
 */
export const int64 = v.pipe(
  v.union([v.number(), v.bigint()]),
  v.check((n) => typeof n === "bigint" || Number.isInteger(n), "expected a whole number (a Go int64)"),
  v.check(
    (n) => !(typeof n === "bigint" || Number.isInteger(n)) || withinInt64(n),
    (issue) =>
      `is ${String(issue.input)}, past a Go int64 (${INT64_MIN} to ${INT64_MAX}): ` +
      "Go reads it only within those limits; kubo refuses to start",
  ),
);

/** `n` (a bigint, or a whole double as kitcfg writes it) is within int64. */
function withinInt64(n: number | bigint): boolean {
  // A double of 2^64 or more is past int64 whatever its digits (and String writes 1e21 with an exponent).
  if (typeof n === "number" && Math.abs(n) >= 2 ** 64) return false;
  const exact = typeof n === "bigint" ? n : BigInt(String(n));
  return exact >= INT64_MIN && exact <= INT64_MAX;
}

/** Any field may be null or absent: Go leaves the field at its default. */
export const orNull = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema));

/** A Go duration that time.ParseDuration reads: units ns..h, within ±2^63 ns. */
export function isDurationText(text: string): boolean {
  if (/^[+-]?0$/.test(text)) return true;
  if (!isGoDuration(text)) return false;
  return Math.abs(goDurationMs(text)!) * 1e6 < INT64_LIMIT;
}

/** A plain string field read with time.ParseDuration; "" means the default (Datastore.GCPeriod, Ipns.*). */
export const durationString = v.pipe(
  v.string(),
  v.check(
    (text) => text === "" || isDurationText(text),
    'expected a Go duration such as 30s, 5m or 1h30m, or "" for the default',
  ),
);

/** An OptionalDuration in milliseconds; undefined for the default (or a text that is no duration). */
export function durationMs(value: unknown): number | undefined {
  if (value === 0) return 0;
  if (typeof value !== "string" || ["", "default", "null"].includes(value)) return undefined;
  return goDurationMs(value) ?? (/^[+-]?0$/.test(value) ? 0 : undefined);
}

/**
 * OptionalDuration (types.go UnmarshalJSON): null, "", "default" and "null" mean the default;
 * otherwise the raw JSON with its quotes trimmed goes to time.ParseDuration, so a string
 * duration, or the bare number 0. Only `0` and `-0` are that number: `0.0`, `0e0` and escaped
 * strings, which JSON.parse cannot tell apart, are found in the file's text (raw.ts).
 */
export const optionalDuration = v.union([
  v.pipe(
    v.string(),
    v.check(
      (text) => ["", "default", "null"].includes(text) || isDurationText(text),
      'expected a Go duration such as 30s, 5m or 1h30m, or "default"',
    ),
  ),
  v.literal(0),
]);

/**
 * Duration (types.go, Routing.Routers.*.Parameters.Routers[].Timeout): a duration string or a number of
 * nanoseconds; not null.
 */
export const goDuration = v.union([
  v.pipe(v.string(), v.check(isDurationText, "expected a Go duration such as 30s, or a number of nanoseconds")),
  // Decoded into any first: a float64, so an integer past 2^53 (a bigint) is read too, rounded.
  v.pipe(
    v.union([v.number(), v.bigint()]),
    v.check((n) => typeof n === "number" || Number.isFinite(Number(n)), "expected a number"),
  ),
]);

/** One message for both forms: a union repeats each distinct one. */
const BYTES_EXPECTED =
  "expected a byte size such as 256KiB or 10GB, or a number of bytes from 0 to 2^64-1 (kubo panics at start on -0)";

/**
 * OptionalBytes (types.go UnmarshalJSON): a size string ParseBytes reads, or any JSON number,
 * which is kept as its text rounded to a whole number (`%.0f`: 1.5 is "2", -0 and -0.4 are "-0").
 * That text decodes whatever it is, but WithDefault hands it to ParseBytes when kubo starts and
 * panics if it fails: a sign (-0 included) is not a digit, and 2^64 or more is "too large".
 */
export const optionalBytes = v.union([
  v.pipe(
    v.string(),
    v.check((text: string) => isByteSize(text), BYTES_EXPECTED),
  ),
  // An integer past 2^53 (a bigint) is decoded into a float64 too, rounded: 2^64-1 becomes 2^64, too large.
  v.pipe(
    v.union([v.number(), v.bigint()]),
    v.check((n) => n >= 0 && !Object.is(n, -0) && Number(n) < 2 ** 64, BYTES_EXPECTED),
  ),
]);

/** Priority (types.go): null for the default, false to disable, or a positive int64; true is refused. */
export const priority = v.union([
  v.pipe(int64, v.minValue(1, "expected a positive priority, or false to disable")),
  v.literal(false),
]);

/** Strings (types.go): one string or a list of strings. */
export const strings = v.union([v.string(), v.array(v.string())]);

/**
 * A removed setting kubo decodes only to refuse it (types.go swarmLimits,
 * experimentalAcceleratedDHTClient, graphsyncEnabled): any value reaches its decoder,
 * which says why; the plugin's checks mirror it.
 */
export const removed = v.optional(v.unknown());
