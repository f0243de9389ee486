import { GO_INTEGER_RANGES, getAt, goTomlValueProblems, nonUtf8Problem } from "kitcfg";
import type { Config, PluginIssue } from "kitcfg";
import { fromLotusEnv } from "./env.ts";
import type { LotusTwin } from "./keys.ts";
import type { LotusEnvView } from "./env.ts";
import { LOTUS_OPTIONS, OPTION_KINDS, optionProblem, problemSeverity, SECTIONS } from "./options.ts";
import type { OptionKind } from "./options.ts";
import { startIssues } from "./start.ts";

// What lotus makes of config.toml's text and values as it loads it (FORMATS.md §2, "Lotus
// load-time rules"): the decoder's refusals, the splitstore line, each option's value, the rules
// it applies once loaded, and the keys it ignores.

/**
 * A full node refuses a config.toml whose raw text lacks this line (node/config/load.go l. 238-248
 * `MatchEnableSplitstoreField`: `(?m)^\s*EnableSplitstore\s*=`), wherever it is. Go's `\s` is [\t\n\f\r ] and its
 * `(?m)^` follows "\n" only; JavaScript's take Unicode spaces and U+2028 as well, so they are spelt out.
 * Matched from the last line break before the name (blanks but line breaks after it), which finds the
 * same lines: tried from every line break, a run of empty lines was read again from each of them.
 */
const SPLITSTORE_LINE = /(?:^|\n)[\t\f\r ]*EnableSplitstore[\t\n\f\r ]*=/;

/** Kinds whose value the TOML decoder itself refuses or wraps (decode.go unifyText, unifyInt): judged in the file. */
const DECODED_KINDS = new Set<OptionKind>(["duration", "fil", "uint"]);

/**
 * The option values' issues, the splitstore line's and the rules lotus applies once it has loaded
 * the file, with `view`'s variables applied where lotus applies them. An issue the variables
 * bring (or move) names them; one they make moot goes.
 */
export function loadedIssues(config: Config, text: string | undefined, view: LotusEnvView | undefined): PluginIssue[] {
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

/**
 * The problems of option values written twice that lotus may start with instead of the one kept
 * (keys.ts `canonicalLotusKeys`), judged as that option's value is: a store type only while the
 * splitstore is on, as lotus reads it then only (node/builder_chain.go); one a LOTUS_* variable
 * replaces (`view`) is moot once decoded.
 */
export function twinIssues(twins: readonly LotusTwin[], loaded: Config, view?: LotusEnvView): PluginIssue[] {
  return twins.flatMap(({ key, at, value }) => {
    const kind = OPTION_KINDS.get(key);
    const problem = kind === undefined ? undefined : optionProblem(kind, value);
    if (kind === undefined || !problem || (!DECODED_KINDS.has(kind) && view?.sources.has(key))) return [];
    return [{ key: at, ...judged(key, kind, problem, loaded) }];
  });
}

/** Lotus ignores keys it does not know (no undecoded-key check): worth a warning, not an error. */
export function unknownIssues(config: Config, repairable: boolean): PluginIssue[] {
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

/** Values the TOML decoder refuses while reading, under any key: lotus stops before it looks at a key. */
export async function decoderValueIssues(text: string): Promise<PluginIssue[]> {
  return (await goTomlValueProblems(text)).map(({ line, problem }) => ({
    key: "",
    message: `config.toml line ${line}: ${problem}, and lotus's TOML decoder refuses the whole file over it`,
  }));
}

/** The TOML decoder (BurntSushi/toml lex.go `next`) stops on a byte that is not UTF-8, a comment's included. */
export function utf8Issues(text: string): PluginIssue[] {
  const problem = nonUtf8Problem(text);
  if (!problem) return [];
  return [{ key: "", message: `config.toml ${problem}: lotus's TOML decoder stops on it; save the file as UTF-8` }];
}

// --- internal ---

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
    const { message, severity } = judged(key, kind, problem, loaded);
    if (decoded && severity === "warning" && replaced?.has(key)) continue;
    issues.push({ key, message, severity });
  }
  return issues;
}

/** A value's problem as lotus meets it once `loaded`. */
function judged(key: string, kind: OptionKind, problem: string, loaded: Config) {
  // node/builder_chain.go builds the splitstore, and reads its store types, only when it is on.
  const unused = key.startsWith("Chainstore.Splitstore.") && getAt(loaded, "Chainstore.EnableSplitstore") === false;
  const message = unused ? `${problem} (unused while Chainstore.EnableSplitstore is false)` : problem;
  return { message, severity: unused ? ("warning" as const) : problemSeverity(kind) };
}

function issueId(issue: PluginIssue): string {
  return `${issue.severity ?? "error"}\u0000${issue.key}\u0000${issue.message}`;
}

function splitstoreIssues(config: Config, text: string | undefined): PluginIssue[] {
  const key = "Chainstore.EnableSplitstore";
  const set = getAt(config, key) !== undefined;
  // Lotus tests the text alone: a line at the top level or in another table passes, and the splitstore keeps
  // its default, on (load_test.go TestValidateSplitstoreSet); unknownIssues warns that the key there is ignored.
  if (text !== undefined && SPLITSTORE_LINE.test(text)) return [];
  if (!set) {
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
  if (text !== undefined) {
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
