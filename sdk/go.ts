// Go value syntaxes the daemons parse: time.ParseDuration (kubo OptionalDuration, cluster,
// lotus Duration, lassie timeouts) and humanize byte sizes (kubo Datastore.StorageMax).

const DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** True for a Go duration string such as `30s`, `1h0m0s`, `2m0s`, `1.5h`, or `0`. */
export function isGoDuration(text: unknown): boolean {
  return typeof text === "string" && (text === "0" || DURATION.test(text));
}

/** Milliseconds of a Go duration string; undefined when it does not parse. */
export function goDurationMs(text: string): number | undefined {
  if (!isGoDuration(text)) return undefined;
  if (text === "0") return 0;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  for (const [, number, unit] of text.replace(/^[+-]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(number) * units[unit!]!;
  }
  return text.startsWith("-") ? -total : total;
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

/** True for a byte size the way kubo's humanize parser reads one: `10GB`, `500MiB`, `1024`. */
export function isByteSize(text: unknown): boolean {
  return typeof text === "string" && /^\s*\d+(\.\d+)?\s*([kKmMgGtTpPeE]i?[bB]?|[bB])?\s*$/.test(text);
}
