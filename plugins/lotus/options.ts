import { v } from "kitcfg";
import { goTrimSpace, isGoDuration } from "kitcfg";
import { decodesAsPeerId } from "kitcfg";
import { dialArgs, isAddressMask, isListenable, multiaddrProblem, multiaddrProtocols, parseGoUrl } from "kitcfg";

// Every option of Lotus's full-node config.toml and the Go type lotus decodes it into
// (tests/fixtures/FORMATS.md §2; filecoin-project/lotus node/config/types.go and the
// `# type:` lines of the fixture). BurntSushi/toml refuses a value of the wrong TOML type,
// so the schema checks types; the text forms (durations, FIL, multiaddrs, log levels) are
// checked by `optionProblem` with a reason.

/** Where lotus's API listens unless configured (node/config/def.go, the fixture's API.ListenAddress). */
export const LOTUS_API_DEFAULT = "/ip4/127.0.0.1/tcp/1234/http";

/**
 * BurntSushi/toml (v1.6.0, lotus's decoder) reads every TOML integer as an int64 (parse.go
 * `valueInteger`: a larger one fails the whole file). A uint option (Go uint or uint64) then
 * takes it as `uint64(num)`: decode.go `unifyInt` checks the sign for uint8/16/32 only, so a
 * negative number is read as 2^64 plus it, with no error. A uint option holds 0 to 2^63-1 as written.
 */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** How lotus reads an option. A list of strings is a closed set of values. */
export type OptionKind =
  | "bool"
  | "string"
  | "uint"
  | "int"
  | "duration"
  | "fil"
  | "listen"
  | "multiaddrs"
  | "levels"
  | "peeraddr"
  | "apiinfo"
  | "tracerurl"
  | ListKind
  | readonly string[];

/** Lists of strings lotus parses item by item when it starts (see `itemProblem`). */
export type ListKind = "bootstrap" | "p2paddrs" | "peerids" | "cidrs" | "noannounce";

/** Every kind whose value is a TOML array of strings. */
export const LIST_KINDS: ReadonlySet<string> = new Set([
  "multiaddrs",
  "bootstrap",
  "p2paddrs",
  "peerids",
  "cidrs",
  "noannounce",
]);

/** The sections and their options, in the order of lotus's own file. */
export const LOTUS_OPTIONS = {
  API: { ListenAddress: "listen", RemoteListenAddress: "string", Timeout: "duration" },
  Backup: { DisableMetadataLog: "bool" },
  Logging: { SubsystemLevels: "levels" },
  Libp2p: {
    ListenAddresses: "multiaddrs",
    AnnounceAddresses: "multiaddrs",
    NoAnnounceAddresses: "noannounce",
    // Not in lotus's generated file (empty lists are left out), but read (node/config/types.go Libp2p).
    BootstrapPeers: "bootstrap",
    ProtectedPeers: "peerids",
    DisableNatPortMap: "bool",
    ConnMgrLow: "uint",
    ConnMgrHigh: "uint",
    ConnMgrGrace: "duration",
  },
  Pubsub: {
    Bootstrapper: "bool",
    DirectPeers: "p2paddrs",
    IPColocationWhitelist: "cidrs",
    RemoteTracer: "peeraddr",
    JsonTracer: "string",
    ElasticSearchTracer: "tracerurl",
    ElasticSearchIndex: "string",
    TracerSourceAuth: "string",
  },
  Wallet: { RemoteBackend: "apiinfo", EnableLedger: "bool", DisableLocal: "bool" },
  Fees: { DefaultMaxFee: "fil" },
  Chainstore: {
    EnableSplitstore: "bool",
    Splitstore: {
      // The choices the template's doc lines name for each store type. Lotus reads them only
      // with EnableSplitstore on (node/builder_chain.go), so lotus.ts warns otherwise.
      ColdStoreType: ["discard", "messages", "universal"],
      HotStoreType: ["badger"],
      MarkSetType: ["map", "badger"],
      HotStoreMessageRetention: "uint",
      HotStoreFullGCFrequency: "uint",
      HotStoreMaxSpaceTarget: "uint",
      HotStoreMaxSpaceThreshold: "uint",
      HotstoreMaxSpaceSafetyBuffer: "uint",
    },
  },
  Fevm: { EnableEthRPC: "bool", EthTraceFilterMaxResults: "uint", EthBlkCacheSize: "int" },
  Events: {
    EnableActorEventsAPI: "bool",
    FilterTTL: "duration",
    MaxFilters: "int",
    MaxFilterResults: "int",
    MaxFilterHeightRange: "uint",
  },
  ChainIndexer: {
    EnableIndexer: "bool",
    GCRetentionEpochs: "int",
    ReconcileEmptyIndex: "bool",
    MaxReconcileTipsets: "uint",
    AllowIndexReconciliationFailure: "bool",
  },
  FaultReporter: {
    EnableConsensusFaultReporter: "bool",
    ConsensusFaultReporterDataDir: "string",
    ConsensusFaultReporterAddress: "string",
  },
  PaymentChannels: { EnablePaymentChannelManager: "bool" },
} as const;

/** Lotus's options that hold a secret: a wallet backend is "TOKEN:MULTIADDR"; the tracer URL may carry a password. */
export const SECRET_OPTIONS: ReadonlySet<string> = new Set([
  "Wallet.RemoteBackend",
  "Pubsub.TracerSourceAuth",
  "Pubsub.ElasticSearchTracer",
]);

/** What a section (or Chainstore.Splitstore) written as anything but a TOML table is told. */
export const TABLE_EXPECTED =
  "expected a table ([Section] or an inline { ... }), which lotus needs here: not an array or a value";

/**
 * True for a TOML table: the one value lotus's decoder takes for a section (decode.go
 * `unifyStruct` refuses anything else, an array of tables `[[API]]` or an empty array too).
 */
export function isTable(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `Logging.SubsystemLevels`: a table of strings (decode.go `unifyString` refuses another value in
 * it), else anything: lotus skips it.
 */
const LEVELS_SCHEMA = v.lazy((value: unknown) =>
  value === undefined || isTable(value)
    ? v.record(v.string(), v.string())
    : v.pipe(
        v.unknown(),
        // Skipped once read: an integer past int64 in it still fails the parse (parse.go `valueInteger`).
        v.check(
          holdsNoIntegerPastInt64,
          "holds an integer past int64, over which lotus's TOML decoder refuses the file",
        ),
      ),
);

function holdsNoIntegerPastInt64(value: unknown): boolean {
  if (typeof value === "bigint") return value >= INT64_MIN && value <= INT64_MAX;
  return typeof value !== "object" || value === null || Object.values(value).every(holdsNoIntegerPastInt64);
}

/** Each option by dotted key path, with its kind. */
export const OPTION_KINDS: ReadonlyMap<string, OptionKind> = new Map(flatten(LOTUS_OPTIONS, []));

/** Every section's dotted key path (`API`, `Chainstore.Splitstore`). */
export const SECTIONS: ReadonlySet<string> = new Set(
  [...OPTION_KINDS.keys()].flatMap((option) =>
    option
      .split(".")
      .slice(0, -1)
      .map((_, i, all) => all.slice(0, i + 1).join(".")),
  ),
);

/** The valibot schema of the whole file: every section and option optional, as lotus fills in defaults. */
export const lotusSchema = sectionSchema(LOTUS_OPTIONS);

/** Why `value` is not what lotus reads for an option of this kind; undefined when it is. */
export function optionProblem(kind: OptionKind, value: unknown): string | undefined {
  if (kind === "fil" && (typeof value === "number" || typeof value === "bigint")) return filNumberProblem(value);
  if (kind === "duration" && (typeof value === "number" || typeof value === "bigint"))
    return durationNumberProblem(value);
  // A value of the wrong type is the schema's to report.
  const text = ["duration", "fil", "listen", "peeraddr", "apiinfo", "tracerurl"].includes(kind as string);
  if ((text && typeof value !== "string") || (LIST_KINDS.has(kind as string) && !Array.isArray(value)))
    return undefined;
  // BurntSushi v1.6.0 decode.go unifyMap returns no error for a value that is not a table (an array
  // of tables too): lotus starts with no level from it.
  if (kind === "levels" && !isTable(value))
    return (
      "is not a table: lotus's TOML decoder skips it, so it sets no level; " +
      'write a [Logging.SubsystemLevels] table of name = "level" lines'
    );
  if (Array.isArray(kind)) {
    if (typeof value !== "string" || kind.includes(value)) return undefined;
    return `${show(value)} is not a choice lotus has: expected ${kindNoun(kind)}`;
  }
  switch (kind) {
    case "duration":
      return isGoDuration(value)
        ? undefined
        : `${show(value)} is not a Go duration: give a number and a unit (ns, us, ms, s, m, h), e.g. 30s or 1h0m0s`;
    case "fil":
      return filProblem(value as string);
    case "listen":
      return listenProblem(value);
    case "peeraddr": {
      // lp2p.GossipSub: a remote tracer is dialled as peer.AddrInfoFromP2pAddr of the address.
      const why = value === "" ? undefined : addressProblem("p2paddrs", value as string);
      return why && `${show(value)} ${why}`;
    }
    case "apiinfo":
      return apiInfoProblem(value as string);
    case "tracerurl":
      return tracerUrlProblem(value as string);
    case "uint":
      return negativeUintProblem(value);
    case "multiaddrs":
    case "bootstrap":
    case "p2paddrs":
    case "peerids":
    case "cidrs":
    case "noannounce":
      return (value as unknown[]).map((item, i) => itemProblem(kind, item, i)).find(Boolean);
    case "levels":
      return Object.entries(value as Record<string, unknown>)
        .map(([name, level]) => levelProblem(name, level))
        .find(Boolean);
    default:
      return undefined;
  }
}

/** How sure a problem `optionProblem` finds is to stop lotus: a log level or a wrapped uint never does. */
export function problemSeverity(kind: OptionKind): "error" | "warning" {
  return kind === "levels" || kind === "uint" ? "warning" : "error";
}

/** Why `value` has a TOML type (or integer range) lotus cannot decode into an option of this kind. */
export function typeProblem(kind: OptionKind, value: unknown): string | undefined {
  // The value is not shown: the option may be a secret (Wallet.RemoteBackend).
  return v.safeParse(optionSchema(kind), value).success ? undefined : `expected ${kindNoun(kind)}`;
}

/**
 * Why `text` is not a `types.FIL` amount, following lotus's ParseFIL (chain/types/fil.go):
 * digits, `-` and `.` first, then an optional suffix (FIL, attoFIL or aFIL, any case,
 * blanks around it allowed); at most 50 characters before the suffix; a whole number of attoFIL.
 */
export function filProblem(text: string): string | undefined {
  const fail = (why: string) => `${show(text)} is not a FIL amount: ${why}`;
  const number = /^[-.0-9]*/.exec(text)![0];
  const unit = text.slice(number.length);
  const name = goLowerUnit(unit);
  if (!["", "fil", "attofil", "afil"].includes(name))
    return fail(`unknown unit ${show(unit)}: use FIL, attoFIL or aFIL, e.g. "0.07 FIL"`);
  if (number.length > 50) return fail("more than 50 characters before the unit");
  // big.Rat's SetString on this alphabet: one optional sign, digits with at most one point.
  const match = /^-?(\d*)(?:\.(\d*))?$/.exec(number);
  if (!match || `${match[1]}${match[2] ?? ""}` === "") return fail('expected a decimal number, e.g. "0.07 FIL"');
  const decimals = (match[2] ?? "").replace(/(?<!0)0+$/, "").length;
  const atto = name !== "" && name !== "fil";
  if (decimals > (atto ? 0 : 18)) return fail("not a whole number of attoFIL (1 FIL is 10^18 attoFIL)");
  return undefined;
}

// --- internal ---

/**
 * A FIL unit as ParseFIL compares it: strings.ToLower(strings.TrimSpace(unit)). Go lowers rune
 * by rune, so "İ" (U+0130) becomes "i", where JavaScript's toLowerCase gives "i" and a dot.
 */
function goLowerUnit(unit: string): string {
  return goTrimSpace(unit)
    .replace(/\u0130/g, "i")
    .toLowerCase();
}

/**
 * A types.FIL option. Lotus decodes it with UnmarshalText, and BurntSushi/toml hands a bare
 * TOML number to that as text (decode.go `unifyText`: an integer as %d, a float as %f), so
 * `DefaultMaxFee = 1` is 1 FIL. The number is a custom schema rather than `v.number()`, so
 * that `--set` text stays a string, as lotus writes these ("0.07 FIL"): `--set
 * Fees.DefaultMaxFee=1e-19` is then refused for its digits, not written as a float that
 * lotus would read as 0.
 */
function filSchema(): v.GenericSchema {
  return textOrNumber('expected a FIL amount: a string such as "0.07 FIL", or a number', "a number", {
    type: "number",
  });
}

/**
 * A Duration: a Go duration string, or a bare TOML number, which lotus's TOML reader hands
 * `UnmarshalText` as text (see `durationNumberProblem`); `kitcfg schema` shows an editor
 * the one number that is a duration.
 */
function durationSchema(): v.GenericSchema {
  return textOrNumber('expected a Go duration: a string such as "30s" or "1h0m0s"', "the number 0", { const: 0 });
}

/**
 * An option lotus reads as text (an `encoding.TextUnmarshaler`): a string, or any bare TOML
 * number, which its reader turns into text first; the option's own check judges that text.
 * `number` names the number branch (`kitcfg keys`), `json` is what `kitcfg schema` shows for it.
 */
function textOrNumber(message: string, number: string, json: Record<string, unknown>): v.GenericSchema {
  return v.union(
    [
      v.string(),
      v.pipe(
        v.custom<number | bigint>(
          (value) => typeof value === "number" || typeof value === "bigint",
          `expected ${number}`,
        ),
        v.metadata(json),
      ),
    ],
    message,
  );
}

/**
 * Why a bare TOML number is not a Duration once lotus's TOML reader has made it text: only
 * the integer 0 reads as one ("0", the one duration Go takes without a unit). A float 0 is
 * "0.000000", which has none: `floatLiteralIssues` finds it in the file's text, since a
 * parsed 0 does not say how it was written.
 */
function durationNumberProblem(value: number | bigint): string | undefined {
  if (value === 0) return undefined;
  const text = goNumberText(value);
  return (
    `${String(value)} is read by lotus as the text ${show(text)}, which is not a Go duration: ` +
    'give a unit in a string, e.g. "30s" or "1h0m0s"'
  );
}

/** Why a bare TOML number is not a FIL amount once lotus's TOML reader has made it text. */
function filNumberProblem(value: number | bigint): string | undefined {
  if (typeof value === "bigint" && (value < INT64_MIN || value > INT64_MAX))
    return `${value} is beyond the 64-bit integers lotus's TOML reader takes`;
  const text = goNumberText(value);
  const problem = filProblem(text);
  if (!problem) return undefined;
  const why = problem.slice(problem.indexOf(" is not a FIL amount: ") + " is not a FIL amount: ".length);
  return `${String(value)} is read by lotus as the text ${show(text)}, which is not a FIL amount: ${why}`;
}

/**
 * The text BurntSushi/toml gives UnmarshalText for a TOML number: an integer as Go's %d, a
 * float as %f (six decimals; NaN, +Inf, -Inf). A whole number that fits an int64 reads the
 * same either way for a FIL amount (its digits, or its digits and ".000000"), so it is
 * written as an integer whichever the file holds.
 */
function goNumberText(value: number | bigint): string {
  if (typeof value === "bigint") return value.toString();
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  // A float: %f. Past 1e21 toFixed switches to exponents, but such a double is a whole number.
  return Math.abs(value) < 1e21 ? value.toFixed(6) : `${BigInt(value)}.000000`;
}

/** A negative number in a uint option: lotus reads it wrapped (see INT64_MIN), and starts. */
function negativeUintProblem(value: unknown): string | undefined {
  if ((typeof value !== "number" && typeof value !== "bigint") || value >= 0) return undefined;
  const read = 2n ** 64n + BigInt(value);
  return (
    `${String(value)} is read by lotus as ${read}: ` +
    "its TOML decoder wraps a negative number in an unsigned option; give 0 or more"
  );
}

/**
 * Log levels go-log accepts: zap's Level.UnmarshalText names, tried as written and then
 * lower-cased (bytes.ToLower, which lowers "İ" to "i"); "" is info ("make the zero value useful").
 */
const LEVELS = ["debug", "info", "warn", "error", "dpanic", "panic", "fatal"];

function flatten(node: object, at: string[]): [string, OptionKind][] {
  return Object.entries(node).flatMap(([key, item]): [string, OptionKind][] =>
    typeof item === "string" || Array.isArray(item)
      ? [[[...at, key].join("."), item as OptionKind]]
      : flatten(item as object, [...at, key]),
  );
}

function sectionSchema(node: object): v.GenericSchema {
  const entries = Object.fromEntries(
    Object.entries(node).map(([key, item]) => [
      key,
      v.optional(
        typeof item === "string" || Array.isArray(item)
          ? optionSchema(item as OptionKind)
          : sectionSchema(item as object),
      ),
    ]),
  );
  // valibot's object lets an array through, which lotus refuses: the core's schema check reports it
  // (core/schema.ts listsForObjects), lotus/keys.ts for a table spelled in another case.
  return v.object(entries);
}

function optionSchema(kind: OptionKind): v.GenericSchema {
  // Any string decodes; lotus judges the choice only where it builds the store (`optionProblem`).
  if (Array.isArray(kind)) return v.union([v.picklist(kind), v.string()], `expected ${kindNoun(kind)}`);
  if (LIST_KINDS.has(kind as string)) return v.array(v.string());
  switch (kind) {
    case "bool":
      return v.boolean();
    case "uint":
      // A negative number decodes too (see INT64_MIN): `optionProblem` warns of it.
      return integer(INT64_MIN, INT64_MAX, `expected an unsigned integer up to ${INT64_MAX}`);
    case "int":
      return integer(INT64_MIN, INT64_MAX, `expected an integer from ${INT64_MIN} to ${INT64_MAX}`);
    case "levels":
      // Any value decodes: one that is not a table is skipped (`optionProblem` warns of it).
      return LEVELS_SCHEMA;
    case "fil":
      return filSchema();
    case "duration":
      return durationSchema();
    default:
      return v.string();
  }
}

/** A Go integer: a TOML integer beyond JavaScript's safe range arrives as a bigint. */
function integer(min: bigint, max: bigint, message: string): v.GenericSchema {
  const inRange = (n: number | bigint) =>
    (typeof n === "bigint" || Number.isSafeInteger(n)) && BigInt(n) >= min && BigInt(n) <= max;
  return v.pipe(v.union([v.pipe(v.number(), v.integer()), v.bigint()]), v.check(inRange, message));
}

function kindNoun(kind: OptionKind): string {
  if (Array.isArray(kind)) return `one of ${kind.map((k) => JSON.stringify(k)).join(", ")}`;
  if (LIST_KINDS.has(kind as string)) return "a list of strings";
  const nouns: Record<string, string> = {
    bool: "true or false",
    uint: `an unsigned integer from 0 to ${INT64_MAX}`,
    int: `an integer from ${INT64_MIN} to ${INT64_MAX}`,
    levels: "a table of log levels",
    fil: 'a FIL amount: a string such as "0.07 FIL", or a number',
  };
  return nouns[kind as string] ?? "a string";
}

function listenProblem(value: unknown): string | undefined {
  const problem = multiaddrProblem(String(value));
  if (problem) return `${show(value)} is not a multiaddr: ${problem}`;
  // manet.Listen (node/rpc.go ServeRPC) listens on TCP or on a unix socket.
  if (!isListenable(String(value))) {
    return `${show(value)} has no TCP port or unix path to listen on, e.g. /ip4/127.0.0.1/tcp/1234/http`;
  }
  return undefined;
}

/**
 * Why a wallet backend is not what lotus dials (chain/wallet/remotewallet SetupRemoteWallet):
 * cli/util/apiinfo.go ParseApiInfo takes a "TOKEN:" off the front (not from a text that starts
 * with "/", nor at a ":" followed by "//"); the rest is a multiaddr that manet.DialArgs reads,
 * else a URL, which go-jsonrpc's NewMergeClient dials only as http, https, ws or wss. The value
 * holds a token, so the message never shows it.
 */
function apiInfoProblem(text: string): string | undefined {
  if (text === "") return undefined;
  const colon = text.startsWith("/") ? -1 : text.indexOf(":");
  const address = colon > 0 && !text.startsWith("//", colon + 1) ? text.slice(colon + 1) : text;
  const fix = 'write "TOKEN:/ip4/<host>/tcp/<port>/http" or "TOKEN:http://<host>:<port>"';
  if (multiaddrProblem(address) === undefined) {
    const dial = dialArgs(address);
    if (!dial) return `has a multiaddr with no host and port lotus can dial: ${fix}`;
    // DialArgs's host:port becomes a ws:// URL that url.JoinPath parses: an /ip6zone zone is
    // written "%zone" there, which Go's url.Parse refuses (it wants "%25"), as a DNS name with "{".
    if (dial.network === "unix" || parseGoUrl(`ws://${dial.address}`).problem === undefined) return undefined;
    return `has a multiaddr whose host Go's url.Parse refuses in the ws:// URL lotus dials: ${fix}`;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(address)?.[1]?.toLowerCase();
  if (!scheme || !["http", "https", "ws", "wss"].includes(scheme)) {
    return `is neither a multiaddr nor an http, https, ws or wss URL, so lotus cannot dial it: ${fix}`;
  }
  // DialArgs and url.JoinPath parse the URL with Go's url.Parse: the port all digits, no
  // space or "{" in the host, every "%" two hex digits. The reason is not given: it may quote the token.
  return parseGoUrl(address).problem === undefined
    ? undefined
    : `has a URL Go's url.Parse refuses (check its host, port and % escapes): ${fix}`;
}

/**
 * Why lotus cannot set up its Elasticsearch tracer with `text` (node/modules/tracer/
 * elasticsearch_transport.go NewElasticSearchTransport, run by lp2p.GossipSub at start): Go's
 * url.Parse must read it, and go-elasticsearch v7.17.10's NewClient parses scheme + "://" +
 * host again (addrsToURLs), which fails without a scheme ("missing protocol scheme"). The URL
 * may hold a password, so the message never shows it or a piece of it.
 */
function tracerUrlProblem(text: string): string | undefined {
  if (text === "") return undefined;
  const fix = "write it as http://<host>:<port> (user:password@ before the host if needed)";
  const read = parseGoUrl(text);
  if (read.problem !== undefined)
    return `is a URL Go's url.Parse refuses (check its host, port and % escapes), so lotus cannot start: ${fix}`;
  if (read.scheme === "")
    return `has no scheme (http:// or https://), so lotus's Elasticsearch client refuses it: ${fix}`;
  return undefined;
}

/** Why one list item is not what lotus parses for this kind of list. */
function itemProblem(kind: OptionKind, item: unknown, index: number): string | undefined {
  const why = addressProblem(kind, String(item));
  return why && `item ${index} ${show(item)} ${why}`;
}

/** Why lotus refuses `text` as one address of a list of `kind` (what follows the value in a message). */
function addressProblem(kind: OptionKind, text: string): string | undefined {
  if (kind === "peerids") {
    // lp2p.ConnectionManager: peer.Decode of each protected peer, or lotus stops.
    return decodesAsPeerId(text) ? undefined : "is not a peer ID (e.g. 12D3KooW...)";
  }
  if (kind === "cidrs") return cidrProblem(text) ? `is not an IP network: ${cidrProblem(text)}` : undefined;
  // lp2p.MakeAddrsFactory: an address mask (multiaddr-filter NewMask) first, else a multiaddr.
  if (kind === "noannounce" && isAddressMask(text)) return undefined;
  const problem = multiaddrProblem(text);
  if (problem) return `is not a multiaddr: ${problem}`;
  const last = multiaddrProtocols(text)?.at(-1);
  const endsWithPeer = last === "p2p" || last === "ipfs";
  // modules.ConfigBootstrap -> addrutil.ParseAddresses: an address without a trailing /p2p/ is
  // resolved through DNS, and only /dnsaddr/ records can yield one ("found no ipfs peers").
  if (kind === "bootstrap" && !endsWithPeer && !/\/dnsaddr\//.test(text))
    return "must end with /p2p/<peer ID> (or be a /dnsaddr/ name)";
  // lp2p.GossipSub: peer.AddrInfoFromP2pAddr of each direct peer.
  if (kind === "p2paddrs" && !endsWithPeer) return "must end with /p2p/<peer ID>";
  return undefined;
}

/** Why `text` is not what Go's net.ParseCIDR reads: an IPv4 or IPv6 address, "/", a prefix length. */
function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return 'no "/" and prefix length, e.g. 10.0.0.0/8';
  const [ip, bits] = [text.slice(0, slash), text.slice(slash + 1)];
  const v4 = multiaddrProblem(`/ip4/${ip}`) === undefined;
  if (!v4 && (ip.includes("%") || multiaddrProblem(`/ip6/${ip}`) !== undefined))
    return `${show(ip)} is not an IP address`;
  const max = v4 ? 32 : 128;
  // Go's dtoi reads any run of digits, leading zeros too ("/008" is 8).
  return /^\d+$/.test(bits) && Number(bits) <= max ? undefined : `the prefix length must be 0-${max}`;
}

function levelProblem(name: string, level: unknown): string | undefined {
  const text = String(level);
  if (text === "" || LEVELS.includes(text.replace(/\u0130/g, "i").toLowerCase())) return undefined;
  return (
    `${JSON.stringify(name)}: ${show(level)} is not a log level lotus knows (it ignores it): ` +
    `use one of ${LEVELS.join(", ")}`
  );
}

function show(value: unknown): string {
  return JSON.stringify(typeof value === "bigint" ? String(value) : value) ?? String(value);
}
