/**
 * Generated lotus config.toml texts for bench/lotus-toml-differential.ts: what a reader of TOML
 * other than BurntSushi's tends to get wrong. Key spellings (case, Unicode folding, quoted keys
 * with escapes), ways to write one table (header, dotted keys, inline table, twice, an array of
 * tables), value syntaxes for each Go type lotus decodes (integers, floats, big numbers, dates,
 * the four string forms and their escapes, durations and FIL amounts as text or numbers), and
 * the bytes around them (comments, CRLF, a BOM, a byte that is not UTF-8).
 */

/** One generated text: its bytes, the keys it sets (lotus's names) and their Go defaults. */
export type LotusText = {
  bytes: Uint8Array;
  keys: { key: string; kind: Kind }[];
  /** Two spellings of one key or table: Go's map order picks the value, so values are not compared. */
  ambiguous: boolean;
};

type Kind = "bool" | "int" | "uint" | "duration" | "fil" | "free" | "store" | "listen" | "addrs" | "levels";

/** The full node's fields (node/config/types.go) and how the generator fills each. */
const FIELDS: Record<string, Record<string, Kind>> = {
  API: { ListenAddress: "listen", RemoteListenAddress: "free", Timeout: "duration" },
  Backup: { DisableMetadataLog: "bool" },
  Logging: { SubsystemLevels: "levels" },
  Libp2p: {
    ListenAddresses: "addrs",
    AnnounceAddresses: "addrs",
    DisableNatPortMap: "bool",
    ConnMgrLow: "uint",
    ConnMgrHigh: "uint",
    ConnMgrGrace: "duration",
  },
  Pubsub: { Bootstrapper: "bool", JsonTracer: "free", ElasticSearchIndex: "free", TracerSourceAuth: "free" },
  Wallet: { EnableLedger: "bool", DisableLocal: "bool" },
  Fees: { DefaultMaxFee: "fil" },
  Chainstore: { EnableSplitstore: "bool" },
  "Chainstore.Splitstore": {
    ColdStoreType: "store",
    MarkSetType: "store",
    HotStoreMessageRetention: "uint",
    HotStoreMaxSpaceTarget: "uint",
    HotstoreMaxSpaceSafetyBuffer: "uint",
  },
  Fevm: { EnableEthRPC: "bool", EthTraceFilterMaxResults: "uint", EthBlkCacheSize: "int" },
  Events: { FilterTTL: "duration", MaxFilters: "int", MaxFilterHeightRange: "uint" },
  ChainIndexer: { EnableIndexer: "bool", GCRetentionEpochs: "int", MaxReconcileTipsets: "uint" },
  FaultReporter: { EnableConsensusFaultReporter: "bool", ConsensusFaultReporterDataDir: "free" },
  PaymentChannels: { EnablePaymentChannelManager: "bool" },
};

const GOOD_INTEGERS = [..."0123456789", "42", "1_000", "0x1F", "0o17", "0b101", "+5", "-0", "+0", "3000"];
const INTEGERS = [
  ...GOOD_INTEGERS,
  "1__0",
  "_1",
  "1_",
  "0x1F",
  "0xdead_beef",
  "0X1F",
  "0o17",
  "0O17",
  "0b101",
  "+5",
  "-5",
  "-0",
  "+0",
  "012",
  "00",
  "-0x1",
  "+0o7",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "18446744073709551615",
  "0x7FFFFFFFFFFFFFFF",
  "0x8000000000000000",
  `0b${"1".repeat(63)}`,
  "0o1777777777777777777777",
];
const FLOATS = ["5.0", "1e3", "1E3", "-0.0", "0.0", "1.5", "inf", "+inf", "-inf", "nan", "1e400", ".5", "1.", "1e-7"];
const OTHERS = ["true", "false", "1979-05-27", "07:32:00", "07:32", "1979-05-27T07:32:00Z", "[]", "{}", '"5"', "True"];
const DURATIONS = [
  ..."30s 1h0m0s 1.5h .5s 5.s -1s 0 -0 +0 1 1us 1µs 1μs 1S 3000000h 2562047h 2562048h 1h1h 1e3s 0x10s +5m".split(" "),
  "9223372036854775807ns",
  "9223372036854775808ns",
  "",
  " 1s",
  "1 s",
];
const FILS = [
  ...["0.07 FIL", "1", "0.5", "1 FIL", "1FIL", "1 fil", "1 aFIL", "1 attofil", "0.5 aFIL", "1e18", "-1", ""],
  ...[" 1 FIL", "1 FIL ", "1.", ".5", "1/2", "1 \u00a0FIL", "1\u0085FIL", "1 \ufeffFIL", "1 FİL", "1".repeat(51)],
];
const FREE = ["", "a", "é", "a b", "#x", "'", '"', "\\", "\t", "\u00a0", "😀", "\u0001", "\u007f", "\r", "\n"];
const ESCAPES = [...'\\n \\t \\\\ \\" \\u00e9 \\U0001F600 \\x41 \\e \\uD800 \\u0000 \\b \\f \\r \\a \\ '.split(" ")];
const LISTEN = ["/ip4/127.0.0.1/tcp/1234/http", "/ip4/0.0.0.0/tcp/1235/http", "/ip6/::1/tcp/1234/http"];
const ADDRS = ["/ip4/0.0.0.0/tcp/0", "/ip6/::/tcp/0", "/ip4/0.0.0.0/udp/0/quic-v1"];
const STORES = ["discard", "messages", "universal", "badger", "map", "Discard", "", "badger "];
const LEVELS = ['{ rpc = "info" }', '{ rpc = "debug", chain = "warn" }', "{ rpc = 1 }", '"x"', "3", "[]", "{}"];

/** One text from `next` (a seeded source of [0, 1)). */
export function generateLotusText(next: () => number): LotusText {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const keys: LotusText["keys"] = [];
  let ambiguous = false;
  const top: string[] = [];
  const tables: string[] = [];
  const sections = Object.keys(FIELDS).filter((s) => s === "Chainstore" || chance(0.3));
  for (const section of sections) {
    const fields = Object.keys(FIELDS[section]!).filter(() => chance(0.5));
    if (section === "Chainstore" && !fields.includes("EnableSplitstore")) fields.unshift("EnableSplitstore");
    const entries = fields.flatMap((field) => {
      const kind = FIELDS[section]![field]!;
      keys.push({ key: `${section}.${field}`, kind });
      const written = [`${spell(field, pick, chance)} = ${value(kind, pick, chance)}`];
      if (chance(0.03)) {
        const again = spell(field, pick, chance);
        ambiguous ||= again !== written[0]!.split(" = ")[0];
        written.push(`${again} = ${value(kind, pick, chance)}`);
      }
      return written;
    });
    const path = section.split(".").map((part) => spell(part, pick, chance, 0.15));
    const form = section === "Chainstore" && chance(0.9) ? "header" : pick(["header", "header", "dotted", "inline"]);
    if (form === "header") {
      const header = chance(0.02) ? `[[${path.join(".")}]]` : `[${pick(["", " "])}${path.join(pick([".", " . "]))}]`;
      tables.push(header, ...entries.map((e) => `${pick(["", "  ", "\t"])}${e}${comment(pick, chance)}`));
      if (chance(0.02)) tables.push(header);
    } else if (form === "dotted") {
      top.push(...entries.map((e) => `${path.join(".")}.${e}${comment(pick, chance)}`));
    } else {
      const inner = entries.join(pick([", ", ","]));
      top.push(`${path.join(".")} = {${inner ? ` ${inner}${chance(0.05) ? "," : ""} ` : ""}}${comment(pick, chance)}`);
    }
    ambiguous ||= path.join(".") !== section;
  }
  if (chance(0.05)) top.push(`Common = { API = { Timeout = ${value("duration", pick, chance)} } }`);
  let text = [...top, ...tables].join("\n") + pick(["\n", "", "\n\n"]);
  if (chance(0.15)) text = text.replaceAll("\n", "\r\n");
  const bytes = [...(chance(0.05) ? [0xef, 0xbb, 0xbf] : []), ...new TextEncoder().encode(text)];
  if (chance(0.03)) bytes.push(...new TextEncoder().encode("# a"), 0xff, 0x0a);
  return { bytes: new Uint8Array(bytes), keys, ambiguous };
}

// --- internal ---

/** A key as lotus names it, or spelled another way BurntSushi still matches (or does not). */
function spell(name: string, pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean, p = 0.25): string {
  if (!chance(p)) return name;
  const bare = pick([
    name.toLowerCase(),
    name.toUpperCase(),
    name.replaceAll(/s/gi, "ſ"),
    name.replaceAll(/k/gi, "\u212a"),
    `${name} `,
  ]);
  if (/^[A-Za-z0-9_-]+$/.test(bare) && chance(0.5)) return bare;
  return pick([`"${bare}"`, `'${bare}'`, `"${bare.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}"`]);
}

function value(kind: Kind, pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): string {
  const wrong = () => (chance(0.5) ? pick(["true", "1", '"a"']) : pick([...INTEGERS, ...FLOATS, ...OTHERS]));
  switch (kind) {
    case "bool":
      return chance(0.9) ? pick(["true", "false"]) : wrong();
    case "int":
    case "uint":
      return chance(0.6) ? pick(GOOD_INTEGERS) : chance(0.5) ? pick(INTEGERS) : wrong();
    case "duration":
      return chance(0.9) ? quote(pick(DURATIONS), pick, chance) : wrong();
    case "fil":
      return chance(0.9) ? quote(pick(FILS), pick, chance) : wrong();
    case "free": {
      let s = "";
      for (let i = Math.floor(next3(chance)); i > 0; i--) s += pick(FREE);
      if (chance(0.4)) return `"${s.replaceAll(/["\\\n\r]/g, "")}${pick(ESCAPES)}"`;
      return chance(0.95) ? quote(s, pick, chance) : wrong();
    }
    case "store":
      return chance(0.95) ? quote(pick(STORES), pick, chance) : wrong();
    case "listen":
      return chance(0.95) ? quote(pick(LISTEN), pick, chance) : wrong();
    case "addrs": {
      const items = ADDRS.filter(() => chance(0.5)).map((a) => quote(a, pick, chance));
      if (chance(0.05)) items.push(wrong());
      return chance(0.95) ? `[${items.join(pick([", ", ",\n  "]))}${chance(0.2) ? "," : ""}]` : wrong();
    }
    case "levels":
      return pick(LEVELS);
  }
}

/** `text` as one of TOML's four strings, each a little off now and then. */
function quote(text: string, pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): string {
  const plain = !/["'\\\n\r]/.test(text);
  const form = pick(["basic", "basic", "literal", "multi", "multiLiteral"]);
  if (form === "literal" && !/['\n\r]/.test(text)) return `'${text}'`;
  if (form === "multiLiteral" && !text.includes("'''")) return `'''${chance(0.3) ? "\n" : ""}${text}'''`;
  const escaped = JSON.stringify(text).slice(1, -1);
  if (form === "multi" && plain) return `"""${chance(0.3) ? "\n" : ""}${chance(0.2) ? "\\\n  " : ""}${text}"""`;
  return `"${escaped}"`;
}

function comment(pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): string {
  return chance(0.15) ? pick([" # note", "# x", "\t#", " #\u00e9 \"'"]) : chance(0.05) ? " " : "";
}

function next3(chance: (p: number) => boolean): number {
  return chance(0.5) ? 1 : chance(0.5) ? 2 : 3;
}
