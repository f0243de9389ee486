// Go value syntaxes the daemons parse: time.ParseDuration (kubo OptionalDuration, cluster,
// lotus Duration, lassie timeouts) and humanize byte sizes (kubo Datastore.StorageMax).

/** True for a Go duration string such as `30s`, `1h0m0s`, `2m0s`, `1.5h`, or `0`. */
export function isGoDuration(text: unknown): boolean {
  return typeof text === "string" && goDurationNs(text) !== undefined;
}

/** Milliseconds of a Go duration string; undefined when it does not parse. */
export function goDurationMs(text: string): number | undefined {
  const ns = goDurationNs(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

/**
 * Nanoseconds of a Go duration string as time.ParseDuration reads it, or undefined where it
 * fails: an optional sign, then numbers (a fraction allowed) each with a unit; a lone `0`
 * (also `-0`, `+0`) needs none; a total beyond int64 nanoseconds (about 2562047h) is refused.
 */
export function goDurationNs(text: string): bigint | undefined {
  const negative = text.startsWith("-");
  const body = /^[+-]/.test(text) ? text.slice(1) : text;
  if (body === "0") return 0n;
  if (body === "") return undefined;
  let total = 0n;
  let read = 0;
  for (const part of body.matchAll(DURATION_PART)) {
    const ns = partNs(part[1] ?? "", part[2], part[3]!);
    if (ns === undefined) return undefined;
    total += ns;
    read += part[0].length;
    if (total > INT64_LIMIT) return undefined;
  }
  // The parts are matched one after another from the start (sticky): all of the text must be read.
  if (read !== body.length || (!negative && total === INT64_LIMIT)) return undefined;
  return negative ? -total : total;
}

/** A duration in Go's canonical form (`time.Duration.String`): `1h0m0s`, `2m0s`, `30s`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.abs(ms) / 1000;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = Number((rest - minutes * 60).toFixed(9));
  const sign = ms < 0 ? "-" : "";
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/**
 * True for a size go-humanize's ParseBytes reads ("10GB", "1,000 KiB", "512 "), as kubo's OptionalBytes
 * and StorageMax do: digits, "." and "," from the first character, then a unit (SI or IEC, any case,
 * blanks around it), below 2^64 bytes.
 */
export function isByteSize(text: unknown): boolean {
  return typeof text === "string" && parseByteSize(text) !== undefined;
}

/**
 * `text` without the blanks Go's strings.TrimSpace removes at either end: unicode.IsSpace,
 * which takes U+0085 (NEL) and leaves U+FEFF (a byte order mark), unlike JavaScript's trim.
 */
export function goTrimSpace(text: string): string {
  return text.replace(GO_SPACE_ENDS, "");
}

/** The number of bytes go-humanize's ParseBytes gives `text` (whole, as its uint64), or undefined if it fails. */
export function parseByteSize(text: string): number | undefined {
  const digits = /^[0-9.,]*/.exec(text)![0];
  const number = digits.replaceAll(",", "");
  if (!/^(\d+(?:\.\d*)?|\.\d+)$/.test(number)) return undefined;
  const unit = goTrimSpace(text.slice(digits.length)).toLowerCase();
  const scale = BYTE_UNITS[unit];
  const bytes = scale === undefined ? undefined : Number(number) * scale;
  return bytes !== undefined && bytes < 2 ** 64 ? Math.floor(bytes) : undefined;
}

// --- internal ---

/** Go's unicode.IsSpace: ASCII blanks, U+0085, U+00A0 and the separators (Zs, Zl, Zp). */
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/** Blanks at both ends; the end's run tried from its first blank only (as `_python-space.ts` ENDS). */
const GO_SPACE_ENDS = new RegExp(`^[${GO_SPACE}]+|(?<![${GO_SPACE}])[${GO_SPACE}]+$`, "g");

/** go-humanize bytesSizeTable: SI and IEC units, "b" and none, case-insensitive. */
const BYTE_UNITS: Record<string, number> = Object.fromEntries(
  [
    ["", 1],
    ["b", 1],
  ].concat(
    ["k", "m", "g", "t", "p", "e"].flatMap((prefix, i) => [
      [prefix, 1000 ** (i + 1)],
      [`${prefix}b`, 1000 ** (i + 1)],
      [`${prefix}i`, 1024 ** (i + 1)],
      [`${prefix}ib`, 1024 ** (i + 1)],
    ]),
  ) as [string, number][],
);

/** One number and its unit; time.ParseDuration reads the unit up to the next digit or ".". */
const DURATION_PART = /(\d*)(?:\.(\d*))?([^\d.]+)/gy;
const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
/** 2^63: a sum may reach it only for a negative duration. */
const INT64_LIMIT = 1n << 63n;

/** Nanoseconds of one part, computed as Go does (the fraction through a float64), or undefined. */
function partNs(whole: string, fraction: string | undefined, unit: string): bigint | undefined {
  if (whole === "" && (fraction ?? "") === "") return undefined; // no digits: ".s"
  const scale = UNIT_NS[unit];
  if (scale === undefined) return undefined;
  // The integer part fails past 2^63; the fraction keeps the digits that fit and ignores the rest.
  const v = whole === "" ? 0n : BigInt(whole);
  if (v > INT64_LIMIT) return undefined;
  let f = 0n;
  let digits = 1;
  for (const c of fraction ?? "") {
    const next = f * 10n + BigInt(c);
    if (f > (INT64_LIMIT - 1n) / 10n || next > INT64_LIMIT) break;
    f = next;
    digits *= 10;
  }
  if (v > INT64_LIMIT / scale) return undefined;
  let ns = v * scale;
  if (f > 0n) ns += BigInt(Math.trunc(Number(f) * (Number(scale) / digits)));
  return ns > INT64_LIMIT ? undefined : ns;
}
