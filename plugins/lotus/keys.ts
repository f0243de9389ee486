import { isTable, LOTUS_OPTIONS, TABLE_EXPECTED, typeProblem } from "./options.ts";
import type { OptionKind } from "./options.ts";
import { goFoldKey, tomlFloats } from "kitcfg";
import type { Config, PluginIssue } from "kitcfg";

// How lotus's TOML decoder (BurntSushi/toml v1.6.0, decode.go) matches keys to its config
// structs, and what the parsed config cannot show. `unifyStruct` takes a key that equals a
// field name, else one that equals it ignoring case (strings.EqualFold), so `[libp2p]` /
// `connmgrlow` is Libp2p.ConnMgrLow; a key matching no field is left undecoded, and lotus
// never asks for undecoded keys (node/config/load.go FromReader), so it is ignored.

type Section = { readonly [key: string]: OptionKind | Section };

/**
 * A value of an option written twice (two spellings) that `config` does not keep: lotus decodes
 * it too and may start with it (`key`: lotus's name; `at`: as written).
 */
export type LotusTwin = { key: string; at: string; value: unknown };

/**
 * The config with every key lotus would match written as lotus's own, one issue per other
 * spelling, and the values of twice-written options it does not keep, for the rules to judge.
 */
export function canonicalLotusKeys(config: Config): { config: Config; issues: PluginIssue[]; twins: LotusTwin[] } {
  const found = { issues: [] as PluginIssue[], twins: [] as LotusTwin[] };
  const out = canonicalTable(config, LOTUS_OPTIONS as Section, [], [], found);
  return { config: out as Config, ...found };
}

/**
 * Integer options written as TOML floats (`ConnMgrLow = 5.0`, `1e3`): the parser kitcfg uses
 * gives the same number as `5`, but BurntSushi's `unifyInt` refuses a float for an integer
 * field and lotus does not start. Likewise a Duration written `0.0`: the integer 0 reads as
 * the duration "0", the float as "0.000000", which has no unit. Which numbers are floats
 * comes from the text itself (`tomlFloats`: tables, inline tables, dotted keys alike);
 * `config` is the configuration being validated, with lotus's key names, and only a number
 * it still holds is reported (a planned change may be about to replace it).
 */
export async function floatLiteralIssues(text: string, config: Config): Promise<PluginIssue[]> {
  const issues: PluginIssue[] = [];
  // How each number is spelled, for the messages: read only when the file has a float.
  let literals: Map<string, string> | undefined;
  for (const float of await tomlFloats(text)) {
    const path = resolve(float.path);
    if (!path) continue;
    const value = valueAt(config, path.key);
    if (value !== float.value) continue;
    literals ??= writtenLiterals(text);
    const literal = literals.get(path.key);
    if (path.kind === "uint" || path.kind === "int") {
      const written = literal
        ? `the TOML float ${literal}`
        : `a TOML float (${value}, written with a fraction or exponent)`;
      issues.push({
        key: path.key,
        message:
          `is ${written}: lotus reads an integer here and refuses a float; ` +
          "write it without a fraction or exponent",
      });
    } else if (path.kind === "duration" && value === 0) {
      // Any other bare number is refused already (options.ts durationNumberProblem).
      issues.push({
        key: path.key,
        message:
          `is the number 0 written as ${literal ? `the TOML float ${literal}` : "a TOML float"}: ` +
          'lotus reads the integer 0 as a duration but the float as "0.000000", which has no unit; ' +
          'write 0, or a string such as "0s"',
      });
    }
  }
  return issues;
}

// --- internal ---

/** The number each `key = value` line of a table writes, by lotus's key name: for messages. */
function writtenLiterals(text: string): Map<string, string> {
  const literals = new Map<string, string>();
  let table: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    // The name between the brackets trimmed after the match: a lazy match of it, each length
    // tried against the blanks after it, grew with the square of a line of blanks.
    const header = /^\s*\[([^[\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1]!
        .trim()
        .split(".")
        .map((part) => part.trim().replace(/^"(.*)"$/, "$1"));
      continue;
    }
    const assignment = /^\s*([A-Za-z0-9_-]+)\s*=\s*([^#\s]+)\s*(#.*)?$/.exec(line);
    const path = assignment ? resolve([...table, assignment[1]!]) : undefined;
    if (path) literals.set(path.key, assignment![2]!);
  }
  return literals;
}

/**
 * `node` with lotus's own key names. `renamed`: a table up the path was written in another
 * case, so the core's schema check (which reads the keys as written) never saw these values.
 */
function canonicalTable(
  node: unknown,
  spec: Section,
  written: string[],
  canonical: string[],
  found: { issues: PluginIssue[]; twins: LotusTwin[] },
  renamed = false,
): unknown {
  const { issues } = found;
  if (!isTable(node)) return node;
  const out: Record<string, unknown> = {};
  const entries = Object.entries(node);
  for (const [key, value] of entries) {
    const match = Object.hasOwn(spec, key) ? key : Object.keys(spec).find((name) => goFoldKey(name) === goFoldKey(key));
    const here = [...written, key];
    if (match === undefined) {
      out[key] = value;
      continue;
    }
    const target = [...canonical, match];
    const item = spec[match]!;
    if (match !== key) {
      const twin = entries.some(([other]) => other !== key && goFoldKey(other) === goFoldKey(key));
      issues.push({ key: here.join("."), severity: "warning", message: spellingMessage(target, match, item, twin) });
    }
    if (match !== key || renamed) {
      const problem = isKind(item) ? typeProblem(item, value) : isTable(value) ? undefined : TABLE_EXPECTED;
      if (problem) issues.push({ key: here.join("."), message: `(read as ${target.join(".")}): ${problem}` });
    }
    const read = isKind(item) ? value : canonicalTable(value, item, here, target, found, renamed || match !== key);
    out[match] = Object.hasOwn(out, match) ? mergeTwin(out[match], read, item, { here, target }, found) : read;
  }
  return out;
}

function spellingMessage(target: string[], match: string, item: OptionKind | Section, twin: boolean): string {
  if (!twin)
    return `is read by lotus as ${target.join(".")} (its keys match without regard to case): write it as ${match}`;
  return isKind(item)
    ? `is also written as ${target.join(".")}: lotus reads both as that option and keeps either one; remove one`
    : `is also written as ${target.join(".")}: lotus reads both into that table; merge them under ${match}`;
}

/**
 * Two spellings of one field: BurntSushi decodes both, in Go's map order, so tables merge and
 * of two values either is kept. Both must decode (a type the decoder refuses is an error here),
 * and either may be the one lotus starts with: the value not kept goes to `twins`, for the rules
 * lotus applies once loaded.
 */
function mergeTwin(
  kept: unknown,
  other: unknown,
  item: OptionKind | Section | undefined,
  path: { here: string[]; target: string[] },
  found: { issues: PluginIssue[]; twins: LotusTwin[] },
): unknown {
  if (item !== undefined && !isKind(item) && isTable(kept) && isTable(other)) {
    const out: Record<string, unknown> = { ...kept };
    for (const [key, value] of Object.entries(other)) {
      const next = { here: [...path.here, key], target: [...path.target, key] };
      out[key] = Object.hasOwn(out, key) ? mergeTwin(out[key], value, item[key], next, found) : value;
    }
    return out;
  }
  if (item !== undefined && isKind(item)) {
    const problem = typeProblem(item, other);
    if (problem) found.issues.push({ key: path.here.join("."), message: problem });
    else found.twins.push({ key: path.target.join("."), at: path.here.join("."), value: other });
  }
  return kept;
}

function resolve(path: string[]): { key: string; kind: OptionKind } | undefined {
  let spec: Section | OptionKind = LOTUS_OPTIONS as Section;
  const names: string[] = [];
  for (const part of path) {
    if (isKind(spec)) return undefined;
    const section: Section = spec;
    const match = Object.hasOwn(section, part)
      ? part
      : Object.keys(section).find((name) => goFoldKey(name) === goFoldKey(part));
    if (match === undefined) return undefined;
    names.push(match);
    spec = section[match]!;
  }
  return isKind(spec) ? { key: names.join("."), kind: spec } : undefined;
}

function valueAt(config: Config, key: string): unknown {
  let node: unknown = config;
  for (const part of key.split("."))
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

function isKind(item: OptionKind | Section): item is OptionKind {
  return typeof item === "string" || Array.isArray(item);
}
