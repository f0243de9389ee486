import { readGoText } from "../sdk/go-env.ts";
import { goDurationNs } from "../sdk/go.ts";
import type { GoEnvType } from "../sdk/go-env.ts";
import { seededRandom } from "../tests/_safety.ts";
import { runGoReference } from "./_go-run.ts";
import { numberOption } from "./_options.ts";

const CASES = numberOption("--cases", 20000);
const next = seededRandom(numberOption("--seed", 7));

const KINDS = ["bool", "int64", "int8", "int32", "uint64", "uint16", "float64", "float32", "duration"] as const;
/** Pieces a text is made of: signs, prefixes, digits, separators, exponents, units and words. */
const PIECES = [
  ..."0123456789",
  ..."00000",
  "+",
  "-",
  "_",
  "__",
  ".",
  "0x",
  "0X",
  "0o",
  "0b",
  "0B",
  "e",
  "E",
  "p",
  "P",
  "e+",
  "e-",
  "a",
  "f",
  "F",
  "t",
  "T",
  "x",
  "inf",
  "Inf",
  "infinity",
  "NaN",
  "nan",
  "true",
  "TRUE",
  "True",
  "false",
  "ns",
  "us",
  "µs",
  "μs",
  "ms",
  "s",
  "m",
  "h",
  " ",
  "\t",
  "9223372036854775807",
  "9223372036854775808",
  "18446744073709551615",
  "18446744073709551616",
  "2562047h",
  "1.7976931348623157e308",
  "340282356779733661637539395458142568448",
  "4.9e-324",
  "0x1p-1074",
  "0x1.fffffep127",
];

/** A text built like a number or duration, with a slip now and then: half of the cases. */
function likely(kind: string): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const digits = (alphabet: string) => {
    let out = "";
    const n = 1 + Math.floor(next() * 6);
    for (let i = 0; i < n; i++) out += (next() < 0.15 ? "_" : "") + pick([...alphabet]);
    return out;
  };
  const sign = pick(["", "", "+", "-"]);
  if (kind === "duration") {
    let out = sign;
    const n = 1 + Math.floor(next() * 3);
    for (let i = 0; i < n; i++)
      out +=
        digits("0123456789") +
        (next() < 0.3 ? `.${digits("0123456789")}` : "") +
        pick(["ns", "us", "µs", "ms", "s", "m", "h", ""]);
    return out;
  }
  if (kind === "bool") return pick(["1", "0", "t", "f", "T", "F", "true", "false", "TRUE", "True", "tRUE", "yes", ""]);
  if (kind.startsWith("float")) {
    const hex = next() < 0.2;
    const digitsOf = hex ? "0123456789abcdef" : "0123456789";
    const fraction = next() < 0.5 ? `.${digits(digitsOf)}` : "";
    const exponent = hex || next() < 0.4 ? `${hex ? "p" : "e"}${pick(["", "-", "+"])}${digits("0123456789")}` : "";
    return `${sign}${hex ? "0x" : ""}${digits(digitsOf)}${fraction}${exponent}`;
  }
  const [prefix, alphabet] = pick([
    ["", "0123456789"],
    ["0x", "0123456789abcdefABCDEF"],
    ["0o", "01234567"],
    ["0", "01234567"],
    ["0b", "01"],
  ] as const);
  return `${sign}${prefix}${digits(alphabet)}`;
}

function text(kind: string): string {
  if (next() < 0.5) return likely(kind);
  let out = "";
  const pieces = 1 + Math.floor(next() * 5);
  for (let i = 0; i < pieces; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

/** What kitcfg's reader gives, in the form the Go program prints. */
function ours(kind: GoEnvType, value: string): { ok: boolean; v?: string } {
  const read = readGoText(kind, value);
  if ("problem" in read) return { ok: false };
  if (kind === "duration") return { ok: true, v: goNanoseconds(value) };
  if (kind === "float32" || kind === "float64") {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, read.value as number);
    return { ok: true, v: view.getBigUint64(0).toString(16).padStart(16, "0") };
  }
  return { ok: true, v: String(read.value) };
}

function goNanoseconds(value: string): string {
  return String(goDurationNs(value));
}

const cases = Array.from({ length: CASES }, () => {
  const kind = KINDS[Math.floor(next() * KINDS.length)]!;
  return { kind, value: text(kind) };
});
const theirs = runGoReference(
  "go-reference",
  cases.map((c) => `${c.kind}\t${JSON.stringify(c.value)}`),
).map((line) => JSON.parse(line) as { ok: boolean; v?: string });
const counts = new Map<string, { cases: number; accepted: number }>();
const disagreements: string[] = [];
cases.forEach(({ kind, value }, i) => {
  const mine = ours(kind, value);
  const go = theirs[i]!;
  const count = counts.get(kind) ?? { cases: 0, accepted: 0 };
  count.cases++;
  if (go.ok) count.accepted++;
  counts.set(kind, count);
  // NaN's payload bits are Go's own choice; any NaN is the same value to a reader.
  const nan = (v?: string) => v !== undefined && /^7ff[89a-f]|^fff[89a-f]/.test(v);
  if (mine.ok !== go.ok || (mine.ok && mine.v !== go.v && !(nan(mine.v) && nan(go.v))))
    disagreements.push(`${kind} ${JSON.stringify(value)}: Go ${JSON.stringify(go)}, kitcfg ${JSON.stringify(mine)}`);
});
for (const [kind, { cases, accepted }] of counts) console.log(`${kind.padEnd(9)} ${cases} texts, ${accepted} Go reads`);
console.log(`${cases.length} texts, ${disagreements.length} disagreements`);
for (const line of disagreements.slice(0, 50)) console.log(`  ${line}`);
process.exit(disagreements.length > 0 ? 1 : 0);
