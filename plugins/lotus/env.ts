import { getAt, isPlainObject, readGoEnv, setAt } from "kitcfg";
import type { Config, GoEnvField, GoEnvType, PluginIssue } from "kitcfg";
import { filProblem, LIST_KINDS, OPTION_KINDS, SECRET_OPTIONS } from "./options.ts";
import type { OptionKind } from "./options.ts";

// After decoding config.toml, lotus runs `envconfig.Process("LOTUS", cfg)` over the result
// (node/config/load.go FromReader l. 98-101, kelseyhightower/envconfig v1.4.0): every LOTUS_<SECTION>_
// <FIELD> variable set in its environment, "" included, replaces the field, and one whose text the
// field's Go type refuses stops lotus ("processing env vars overrides: ..."). `Common` is embedded
// in FullNode, so API, Backup and Logging take no extra name; no full-node field has an envconfig
// tag (node/config/types.go). What the fields then hold is judged by the same rules as the file's,
// since lotus builds its node from the result. FORMATS.md §2 "Lotus load-time rules".

/** The prefix lotus hands envconfig. */
const PREFIX = "LOTUS";

/** Every full-node option as envconfig sees its Go field, in the structs' order (LOTUS_OPTIONS keeps it). */
export const LOTUS_ENV_FIELDS: readonly GoEnvField[] = [...OPTION_KINDS].map(([key, kind]) => ({
  path: key.split("."),
  type: goType(kind),
}));

/** config.toml as lotus holds it once this environment's LOTUS_* variables are applied. */
export interface LotusEnvView {
  /** The configuration with every variable whose value envconfig reads applied. */
  config: Config;
  /** Key path -> the variable that gave its value. */
  sources: Map<string, string>;
  /** The variables envconfig refuses (lotus stops at start), one error each. */
  refusals: PluginIssue[];
}

/** A variable of this process is not necessarily one of lotus's: every message says so. */
export const IF_LOTUS_TOO = "if it runs with this environment too";

/**
 * `config` (keys as lotus matches them) with the LOTUS_* variables of `env` applied as envconfig
 * applies them, or undefined when none names a field. A variable under a section the file holds
 * as something other than a table is left out: the decoder refuses the file before envconfig runs.
 */
export function withLotusEnv(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): LotusEnvView | undefined {
  const reading = readGoEnv(PREFIX, LOTUS_ENV_FIELDS, env);
  if (reading.values.length === 0 && reading.refusals.length === 0) return undefined;
  const view: LotusEnvView = { config, sources: new Map(), refusals: [] };
  for (const { variable, path, value } of reading.values) {
    if (!path.slice(0, -1).every((_, i) => isTableOrMissing(getAt(config, path.slice(0, i + 1))))) continue;
    view.config = setAt(view.config, path, value);
    view.sources.set(path.join("."), variable);
  }
  for (const { variable, path, text, problem } of reading.refusals) {
    const key = path.join(".");
    // A FIL amount's reason quotes it already; a secret (a wallet token, a tracer password) is never shown.
    const quoted = SECRET_OPTIONS.has(key) || OPTION_KINDS.get(key) === "fil" ? "" : `, got ${JSON.stringify(text)}`;
    view.refusals.push({
      key,
      message:
        `${variable} in this environment: ${problem}${quoted}; lotus stops at start ` +
        `("processing env vars overrides") ${IF_LOTUS_TOO}`,
      variables: [variable],
    });
  }
  return view;
}

/**
 * `issue` worded for the configuration lotus reads with the variables applied: it names the
 * variables that gave its key (or a key under it, or one in its section for a rule across keys).
 */
export function fromLotusEnv(issue: PluginIssue, sources: ReadonlyMap<string, string>): PluginIssue {
  const names = variablesNear(issue.key, sources);
  return {
    ...issue,
    message: `${issue.message} (with ${names.join(", ")} from this environment, as lotus reads it ${IF_LOTUS_TOO})`,
    variables: names,
  };
}

// --- internal ---

/** The Go type of an option of this kind (node/config/types.go). */
function goType(kind: OptionKind): GoEnvType {
  switch (kind) {
    case "bool":
      return "bool";
    case "uint":
      // Go uint (ConnMgrLow/High) and uint64 alike: 64 bits.
      return "uint64";
    case "int":
      return "int64";
    case "duration":
      // config.Duration's UnmarshalText is time.ParseDuration (node/config/def.go l. 237).
      return "duration";
    case "fil":
      // types.FIL's UnmarshalText is ParseFIL (chain/types/fil.go l. 81-95).
      return { text: (text) => filProblem(text) };
    case "levels":
      return { map: { key: "string", value: "string" } };
    default:
      return LIST_KINDS.has(kind as string) ? { slice: "string" } : "string";
  }
}

function isTableOrMissing(value: unknown): boolean {
  return value === undefined || isPlainObject(value);
}

/** The variables at or under `key`, else under its section, else all of them. */
function variablesNear(key: string, sources: ReadonlyMap<string, string>): string[] {
  const entries = [...sources];
  const at = entries.filter(([path]) => path === key || key.startsWith(`${path}.`) || path.startsWith(`${key}.`));
  const section = key.split(".")[0];
  const near = at.length > 0 ? at : entries.filter(([path]) => path.split(".")[0] === section);
  return [...new Set((near.length > 0 ? near : entries).map(([, name]) => name))];
}
