import { decodeBytes, encodeText } from "../core/_bytes.ts";
import { parseJsonExact } from "../core/formats/_json-exact.ts";
import { type GoType, normalize, readDocument } from "./_go-json-reading.ts";
import { seededRandom } from "../tests/_safety.ts";
import { runGoReference } from "./_go-run.ts";
import { numberOption } from "./_options.ts";

const CASES = numberOption("--cases", 5000);
const SEED = numberOption("--seed", 7);
const next = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const chance = (p: number) => next() < p;

const STRINGS = [
  '""',
  '"x"',
  '"/ip4/1.2.3.4/tcp/1"',
  '"\\u0041b"',
  '"é"',
  '"\\ud800"',
  '"\\udc00x"',
  '"\\ud83d\\ude00"',
  '"\\ud83dx"',
  '"a\udcffb"',
  '"\udce9"',
  '"basic"',
];
const INTEGERS = [
  "0",
  "1",
  "-1",
  "-0",
  "100",
  "1.0",
  "1e3",
  "1E2",
  "2e0",
  "0.0",
  "-0.0",
  "1.5",
  "1e400",
  "9007199254740993",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "12345678901234567890123",
  "01",
];
const WRONG = ["1", '"s"', "true", "false", "[]", "{}", "[1]", '{"a":1}', "1.5", '""'];
/** Map keys: spellings that a JavaScript string keeps apart and Go may not, and keys JavaScript orders first. */
const MAP_KEYS = ['"a"', '"A"', '"\\u0061"', '"a\udcff"', '"a\udcfe"', '"a\\ud800"', '"a\\udbff"', '"1"', '"0"', '""'];
const UNKNOWN = ["Extra", "Addresses ", " Name", "Add resses", "Nаme", "Offlıne", "OFFLİNE", "Keeps"];

const STRING: GoType = { kind: "string" };
const CONF: GoType = {
  kind: "struct",
  fields: {
    Addresses: { kind: "struct", fields: { API: STRING, Gateway: STRING, Swarm: { kind: "list", item: STRING } } },
    Swarm: {
      kind: "struct",
      fields: {
        ConnMgr: { kind: "struct", fields: { HighWater: { kind: "int64" }, Type: STRING } },
        DisableNatPortMap: { kind: "bool" },
      },
    },
    Peering: {
      kind: "struct",
      fields: {
        Peers: {
          kind: "list",
          item: { kind: "struct", fields: { ID: STRING, Addrs: { kind: "list", item: STRING } } },
        },
      },
    },
    Resolvers: { kind: "map", value: STRING },
    Services: {
      kind: "map",
      value: {
        kind: "struct",
        fields: {
          Endpoint: STRING,
          Policies: { kind: "struct", fields: { Enable: { kind: "bool" }, Kind: STRING } },
        },
      },
    },
    Bootstrap: { kind: "list", item: STRING },
    Offline: { kind: "bool" },
    Name: STRING,
    Keep: { kind: "int64" },
  },
};

/** A key for the field `name` as a hand, an editor or another tool may write it. */
function spell(name: string): string {
  let key = name;
  const each = (f: (c: string) => string) => [...key].map((c) => (chance(0.5) ? f(c) : c)).join("");
  if (chance(0.3)) key = pick([key.toLowerCase(), key.toUpperCase(), each((c) => c.toLowerCase())]);
  if (chance(0.2)) key = each((c) => (c === "s" || c === "S" ? "ſ" : c === "k" || c === "K" ? "\u212a" : c));
  if (chance(0.04)) key = each((c) => ({ i: "ı", I: "İ", a: "Ａ", s: "ß" })[c] ?? c);
  if (chance(0.03)) key = pick([`${key} `, ` ${key}`, `${key}\udcff`, `${key}\u0000`, `${key}\\`]);
  return quote(key);
}

/** A JSON string literal of `text`, some characters written as \u escapes. */
function quote(text: string): string {
  const escapeSome = chance(0.15);
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === "\\" || code < 0x20 || (escapeSome && chance(0.4) && code < 0x10000 && !isEscape(code)))
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}

/** A lone low surrogate stands for a byte that is not UTF-8 (`decodeBytes`): written as the byte. */
function isEscape(code: number): boolean {
  return code >= 0xdc80 && code <= 0xdcff;
}

/** The JSON text of a value for a field of `type`: mostly of its type, sometimes null or another type. */
function value(type: GoType, depth: number): string {
  if (chance(0.1)) return "null";
  if (chance(0.05)) return pick(WRONG);
  switch (type.kind) {
    case "string":
      return pick(STRINGS);
    case "bool":
      return pick(["true", "false"]);
    case "int64":
      return pick(INTEGERS);
    case "list": {
      const items = Array.from({ length: Math.floor(next() * 4) }, () => value(type.item, depth + 1));
      return `[${items.join(",")}]`;
    }
    case "map": {
      const members = Array.from(
        { length: Math.floor(next() * 4) },
        () => `${pick(MAP_KEYS)}:${value(type.value, depth + 1)}`,
      );
      return `{${members.join(",")}}`;
    }
    case "struct": {
      const names = Object.keys(type.fields);
      const members: string[] = [];
      const count = Math.floor(next() * (depth === 0 ? 7 : 5));
      for (let i = 0; i < count; i++) {
        if (chance(0.1)) {
          members.push(`${quote(pick(UNKNOWN))}:${value(STRING, depth + 1)}`);
          continue;
        }
        // Half the time a field already given, so duplicates (exact or folded) are common.
        const name = pick(names);
        members.push(`${spell(name)}:${value(type.fields[name]!, depth + 1)}`);
        if (chance(0.3)) members.push(`${spell(name)}:${value(type.fields[name]!, depth + 1)}`);
      }
      return `{${members.join(",")}}`;
    }
  }
}

function document(): string {
  if (chance(0.01)) return pick(["null", "[]", '"x"', "1"]);
  const text = value(CONF, 0);
  return text === "null" || chance(0.02) ? `{"Name":"x"}` : chance(0.01) ? `\ufeff${text}` : text;
}

const cases = Array.from({ length: CASES }, () => encodeText(document()));
const theirs = runGoReference(
  "go-json-reference",
  cases.map((bytes) => bytes.toString("base64")),
).map((line) => parseJsonExact(line) as { ok: boolean; err?: string; v?: unknown });
let accepted = 0;
const disagreements: string[] = [];
const kinds = new Map<string, number>();
cases.forEach((bytes, i) => {
  const mine = readDocument(CONF, bytes);
  const go = theirs[i]!;
  if (go.ok) accepted++;
  const goValue = go.ok ? JSON.stringify(normalize(CONF, go.v)) : undefined;
  const ourValue = mine.ok ? JSON.stringify(mine.value) : undefined;
  if (mine.ok === go.ok && goValue === ourValue) return;
  const kind = !go.ok ? "Go refuses, kitcfg reads" : !mine.ok ? "Go reads, kitcfg refuses" : "both read, values differ";
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  const said = (ok: boolean, v: string | undefined, why?: string) => (ok ? `reads ${v}` : `refuses (${why})`);
  const text = JSON.stringify(decodeBytes(bytes));
  disagreements.push(
    `${text}\n    Go ${said(go.ok, goValue, go.err)}\n    kitcfg ${said(mine.ok, ourValue, mine.why)}`,
  );
});
console.log(`seed ${SEED}: ${cases.length} documents, ${accepted} Go reads, ${disagreements.length} disagreements`);
for (const [kind, count] of kinds) console.log(`  ${kind}: ${count}`);
const shown = numberOption("--show", 20);
for (const line of disagreements.slice(0, shown)) console.log(`  ${line}`);
process.exit(disagreements.length > 0 ? 1 : 0);
