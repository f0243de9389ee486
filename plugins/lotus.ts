import { definePlugin, expandVars } from "kitcfg";
import type { PluginContext } from "kitcfg";
import { canonicalLotusKeys, floatLiteralIssues } from "./lotus/keys.ts";
import { withLotusEnv } from "./lotus/env.ts";
import { decoderValueIssues, loadedIssues, twinIssues, unknownIssues, utf8Issues } from "./lotus/rules.ts";
import { lotusSchema, SECRET_OPTIONS } from "./lotus/options.ts";
import { hasAppendedBlock, repairLotusConfig } from "./lotus/repair.ts";
import { lotusListens } from "./lotus/start.ts";
import { lotusKeyDocs } from "./lotus/docs.ts";
import { LOTUS_DEFAULT_CONFIG } from "./lotus/template.ts";

// Facts: tests/fixtures/FORMATS.md §2 (filecoin-project/lotus node/config/load.go, def.go,
// types.go, node/repo/fsrepo.go, node/builder_chain.go). Lotus writes its own commented
// default file on first start; kitcfg writes the same bytes and edits them in place, so a
// setting is its documented line uncommented, and unsetting it gives the line back.

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
      // BurntSushi/toml v1.6.0 lets a header or dotted key define again a table that was only
      // implicit (parse.go `setValue`, `isImplicit`): `Fees.DefaultMaxFee = ...` above `[Fees]` loads.
      reading: { reopensImplicitTables: true },
      template: () => LOTUS_DEFAULT_CONFIG,
    },
  },
  schema: lotusSchema,
  // BurntSushi/toml matches a key to a field with strings.EqualFold (decode.go unifyStruct), and
  // decodes every spelling of one, keeping either: `get`, `set` and `unset` match keys so (a set
  // goes to the spelling the file uses), and `validate` judges each spelling (lotus/keys.ts).
  caseInsensitiveKeys: "lookup",
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
    const { config, issues, twins } = canonicalLotusKeys(written);
    const text = ctx.paths.config ? ctx.readText(ctx.paths.config) : undefined;
    // The decoder reads the file, then the LOTUS_* variables of lotus's environment replace fields
    // (lotus/env.ts): the rules lotus applies once loaded see those values. kitcfg sees its own environment.
    const view = withLotusEnv(config, ctx.env);
    return [
      ...(text === undefined ? [] : utf8Issues(text)),
      ...issues,
      ...loadedIssues(config, text, view),
      ...twinIssues(twins, view?.config ?? config, view),
      ...unknownIssues(config, hasAppendedBlock(text)),
      ...(text === undefined ? [] : await floatLiteralIssues(text, config)),
      ...(text === undefined ? [] : await decoderValueIssues(text)),
      ...(view?.refusals ?? []),
    ];
  },
  // Lotus listens on what the LOTUS_* variables of its environment leave (lotus/env.ts), as validate judges.
  listens: (written, ctx) => {
    const config = canonicalLotusKeys(written).config;
    const view = withLotusEnv(config, ctx.env);
    const listeners = lotusListens(view?.config ?? config, ctx);
    return listeners.map((l) => (view?.sources.has(l.key) ? { ...l, variable: view.sources.get(l.key) } : l));
  },
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
