import { definePlugin, expandVars, GO_INTEGER_RANGES, getAt, goTomlValueProblems, nonUtf8Problem } from "kitcfg";
import type { Config, PluginContext, PluginIssue } from "kitcfg";
import type { OptionKind } from "./lotus/options.ts";
import { canonicalLotusKeys, floatLiteralIssues } from "./lotus/keys.ts";
import { fromLotusEnv, withLotusEnv } from "./lotus/env.ts";
import type { LotusEnvView } from "./lotus/env.ts";
import {
  LOTUS_OPTIONS,
  lotusSchema,
  OPTION_KINDS,
  optionProblem,
  problemSeverity,
  SECRET_OPTIONS,
  SECTIONS,
} from "./lotus/options.ts";
import { hasAppendedBlock, repairLotusConfig } from "./lotus/repair.ts";
import { lotusListens, startIssues } from "./lotus/start.ts";
import { lotusKeyDocs } from "./lotus/docs.ts";
import { LOTUS_DEFAULT_CONFIG } from "./lotus/template.ts";

// Facts: tests/fixtures/FORMATS.md §2 (filecoin-project/lotus node/config/load.go, def.go,
// types.go, node/repo/fsrepo.go, node/builder_chain.go). Lotus writes its own commented
// default file on first start; kitcfg writes the same bytes and edits them in place, so a
// setting is its documented line uncommented, and unsetting it gives the line back.

/** A full node refuses a config.toml without this line (node/config/load.go `MatchEnableSplitstoreField`). */
const SPLITSTORE_LINE = /^\s*EnableSplitstore\s*=/m;

export default definePlugin({
  name: "lotus",
  summary: "Lotus Filecoin full node: config.toml (API, libp2p, fees, splitstore, indexer)",
  files: {
    // $LOTUS_PATH (or --repo), default ~/.lotus; lotus creates config.toml 0644. kitcfg creates
    // it 0600 because it may hold tokens (Wallet.RemoteBackend, Pubsub.TracerSourceAuth).
    config: {
      path: (ctx) => `${lotusPath(ctx)}/config.toml`,
      format: "toml",
      // Lotus indents keys and nested tables by two spaces and disables an option by
      // commenting it out (`#Key = value`), never by deleting it.
      // Lotus has no float option (node/config/types.go), and its decoder refuses `5.0` for an int.
      style: { indent: 2, commentOnUnset: true, noFloats: true },
      template: () => LOTUS_DEFAULT_CONFIG,
    },
  },
  schema: lotusSchema,
  // SECRET_OPTIONS, and under any table (one or two deep): the older tool's appended
  // `Wallet.RemoteBackend = ...` line lands in the file's last table, which lotus ignores, and
  // the token is on disk there all the same.
  secrets: ["", "*.", "*.*."].flatMap((under) => [...SECRET_OPTIONS].map((key) => under + key)),
  // What lotus's template parses to: every section present, only EnableSplitstore set.
  defaults: () => ({
    API: {},
    Backup: {},
    Logging: { SubsystemLevels: {} },
    Libp2p: {},
    Pubsub: {},
    Wallet: {},
    Fees: {},
    Chainstore: { EnableSplitstore: true, Splitstore: {} },
    Fevm: {},
    Events: {},
    ChainIndexer: {},
    FaultReporter: {},
    PaymentChannels: {},
  }),
  validate: async (written, ctx) => {
    // Lotus matches keys without regard to case: check what it reads, under its own names.
    const { config, issues } = canonicalLotusKeys(written);
    const text = ctx.paths.config ? ctx.readText(ctx.paths.config) : undefined;
    // The decoder reads the file, then the LOTUS_* variables of lotus's environment replace fields
    // (lotus/env.ts): the rules lotus applies once loaded see those values. kitcfg sees its own environment.
    const view = withLotusEnv(config, ctx.env);
    return [
      ...(text === undefined ? [] : utf8Issues(text)),
      ...issues,
      ...loadedIssues(config, text, view),
      ...unknownIssues(config, hasAppendedBlock(text)),
      ...(text === undefined ? [] : await floatLiteralIssues(text, config)),
      ...(text === undefined ? [] : await decoderValueIssues(text)),
      ...(view?.refusals ?? []),
    ];
  },
  listens: (written, ctx) => lotusListens(canonicalLotusKeys(written).config, ctx),
  // LOTUS_PATH is how the daemon and the lotus CLI find this repo (and so this file).
  env: (_config, ctx) => ({ LOTUS_PATH: repoDir(ctx) }),
  // lotus holds repo.lock (go-fs-lock) while it runs and writes its API address to `api`,
  // removed on a clean exit (node/repo/fsrepo.go); a crash leaves `api` behind, so the lock decides.
  running: (ctx) => {
    const dir = repoDir(ctx);
    const held = ctx.isLockHeld(`${dir}/repo.lock`);
    const api = ctx.readText(`${dir}/api`)?.trim();
    if (held === true)
      return (
        `lotus is running (it holds ${dir}/repo.lock${api ? `; API at ${api}` : ""}): ` +
        "restart it to apply the change"
      );
    if (held === undefined && api !== undefined)
      return `lotus seems to be running (api file ${dir}/api): restart it to apply the change`;
    return undefined;
  },
  repair: (texts, ctx) => repairLotusConfig(texts.config, ctx.paths.config ?? "config.toml"),
  keyDocs: lotusKeyDocs,
});

// --- internal ---

/** $LOTUS_PATH, else ~/.lotus (cli/lotus/lotus.go: the --repo flag's env var and default). */
function lotusPath(ctx: PluginContext): string {
  return ctx.env.LOTUS_PATH ? expandVars(ctx.env.LOTUS_PATH, ctx.env) : "~/.lotus";
}

function repoDir(ctx: PluginContext): string {
  return ctx.paths.config ? ctx.paths.config.replace(/\/config\.toml$/, "") : ctx.resolve(lotusPath(ctx));
}

/**
 * The option values' issues, the splitstore line's and the rules lotus applies once it has loaded
 * the file, with `view`'s variables applied where lotus applies them. An issue the variables
 * bring (or move) names them; one they make moot goes.
 */
function loadedIssues(config: Config, text: string | undefined, view: LotusEnvView | undefined): PluginIssue[] {
  const issuesOf = (loaded: Config) => [
    ...valueIssues(config, loaded, view?.sources),
    ...splitstoreIssues(config, text),
    ...startIssues(loaded),
  ];
  const plain = issuesOf(config);
  if (!view) return plain;
  const seen = new Set(plain.map(issueId));
  return issuesOf(view.config).map((issue) => (seen.has(issueId(issue)) ? issue : fromLotusEnv(issue, view.sources)));
}

/** Kinds whose value the TOML decoder itself refuses or wraps (decode.go unifyText, unifyInt): judged in the file. */
const DECODED_KINDS = new Set<OptionKind>(["duration", "fil", "uint"]);

/**
 * Each option's problem: what the decoder reads (`DECODED_KINDS`) as the file holds it, since it
 * stops there before any variable applies (a warning at a key a variable replaces is moot); the
 * rest as lotus holds it once `loaded`.
 */
function valueIssues(file: Config, loaded: Config, replaced?: ReadonlyMap<string, string>): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const [key, kind] of OPTION_KINDS) {
    const decoded = DECODED_KINDS.has(kind);
    const value = getAt(decoded ? file : loaded, key);
    const problem = value === undefined ? undefined : optionProblem(kind, value);
    if (!problem) continue;
    // node/builder_chain.go builds the splitstore, and reads its store types, only when it is on.
    const unused = key.startsWith("Chainstore.Splitstore.") && getAt(loaded, "Chainstore.EnableSplitstore") === false;
    const message = unused ? `${problem} (unused while Chainstore.EnableSplitstore is false)` : problem;
    const severity = unused ? "warning" : problemSeverity(kind);
    if (decoded && severity === "warning" && replaced?.has(key)) continue;
    issues.push({ key, message, severity });
  }
  return issues;
}

function issueId(issue: PluginIssue): string {
  return `${issue.severity ?? "error"}\u0000${issue.key}\u0000${issue.message}`;
}

function splitstoreIssues(config: Config, text: string | undefined): PluginIssue[] {
  const key = "Chainstore.EnableSplitstore";
  if (getAt(config, key) === undefined) {
    return [
      {
        key,
        message:
          "is missing: a full node refuses a config.toml without an explicit EnableSplitstore line; " +
          "set it (true, or false for an archival node)",
      },
    ];
  }
  // Set as an inline table or a dotted key it parses, but lotus reads the raw text for this line.
  if (text !== undefined && !SPLITSTORE_LINE.test(text)) {
    return [
      {
        key,
        message:
          'is set, but not on a line that starts with "EnableSplitstore =", which lotus looks for: ' +
          "write it as such under [Chainstore]",
      },
    ];
  }
  return [];
}

/** Lotus ignores keys it does not know (no undecoded-key check): worth a warning, not an error. */
function unknownIssues(config: Config, repairable: boolean): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const walk = (node: unknown, known: unknown, path: string[]) => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const spec = (known as Record<string, unknown>)[key];
      const here = [...path, key];
      if (spec === undefined) {
        issues.push({ key: here.join("."), severity: "warning", message: unknownMessage(key, value, repairable) });
        const huge = integerPastInt64(value);
        if (huge !== undefined)
          issues.push({
            key: here.join("."),
            message:
              `holds ${huge}, past int64: lotus's TOML decoder reads every integer as an int64 and refuses ` +
              "the whole file over it, even under a key lotus ignores",
          });
      } else if (typeof spec === "object" && !Array.isArray(spec)) walk(value, spec, here);
    }
  };
  walk(config, LOTUS_OPTIONS, []);
  return issues;
}

/**
 * The first integer in `value` (a TOML value, lists and tables walked) outside int64, which
 * BurntSushi's parse.go `valueInteger` refuses.
 */
function integerPastInt64(value: unknown): bigint | undefined {
  const [min, max] = GO_INTEGER_RANGES.int64;
  if (typeof value === "bigint") return value < min || value > max ? value : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = integerPastInt64(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * What an unknown key is. One whose name is an option or section elsewhere belongs there: the
 * older tool's `API.ListenAddress = ...` line lands in the last table as `API` (which `kitcfg
 * repair` moves, where the file holds its block), and an older lotus's default file had
 * sections since moved (`[Fevm.Events]`, empty but for comments).
 */
function unknownMessage(key: string, value: unknown, repairable: boolean): string {
  const home = [...OPTION_KINDS.keys(), ...SECTIONS].filter((path) => path === key || path.endsWith(`.${key}`));
  if (home.length !== 1) return "is not a Lotus option here: lotus ignores it";
  if (typeof value === "object" && value !== null && Object.keys(value).length === 0)
    return `is an empty table lotus does not read here: nothing is lost (these settings are read at ${home[0]})`;
  const repair = repairable ? " (if the older tool appended it, run `kitcfg repair lotus`)" : "";
  return `is not a Lotus option here: lotus ignores it; it belongs at ${home[0]}${repair}`;
}

/** Values the TOML decoder refuses while reading, under any key: lotus stops before it looks at a key. */
async function decoderValueIssues(text: string): Promise<PluginIssue[]> {
  return (await goTomlValueProblems(text)).map(({ line, problem }) => ({
    key: "",
    message: `config.toml line ${line}: ${problem}, and lotus's TOML decoder refuses the whole file over it`,
  }));
}

/** The TOML decoder (BurntSushi/toml lex.go `next`) stops on a byte that is not UTF-8, a comment's included. */
function utf8Issues(text: string): PluginIssue[] {
  const problem = nonUtf8Problem(text);
  if (!problem) return [];
  return [{ key: "", message: `config.toml ${problem}: lotus's TOML decoder stops on it; save the file as UTF-8` }];
}
