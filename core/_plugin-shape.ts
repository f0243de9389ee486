import { nearestName } from "./_nearest.ts";
import { quotedName } from "./errors.ts";
import { FORMAT_NAMES } from "./formats/index.ts";
import { parseKeyPath } from "./keypath.ts";
import { PLUGIN_FUNCTIONS } from "./plugin.ts";
import { INSTANCE_NAME } from "./target.ts";

/** A plugin's name: kebab-case, lowercase as the registry matches a daemon argument. */
export const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;
/** Words the command line takes in a daemon's place (`configure all`): no plugin may answer to one. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(["all"]);
/** An alias may also hold `_`: the older Python tool's spellings (`ipfs_cluster_service`). */
const ALIAS_NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * What is wrong with `value` as a plugin, naming the field (`"secrets" must be a list, got
 * the string "token"`); undefined when nothing is. Every field of `core/plugin.ts` that the
 * core relies on, in one pass over the object, so that a wrong field refuses the file when
 * it is loaded instead of failing a command (any daemon's) when the field is first used.
 */
export function pluginShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return "its default export is not an object";
  const p = value;
  return (
    unknownFieldProblem(p) ??
    nameProblem(p.name, "name", PLUGIN_NAME, "kebab-case (a-z, 0-9, -)") ??
    typeProblem(p.summary, "summary", "string") ??
    listProblem(p.aliases, "aliases", (alias, at) => nameProblem(alias, at, ALIAS_NAME, "a-z, 0-9, - and _")) ??
    filesProblem(p.files) ??
    schemaProblem(p.schema) ??
    typeProblem(p.defaults, "defaults", "function") ??
    PLUGIN_FUNCTIONS.map((fn) => typeProblem(p[fn], fn, "function", true)).find(Boolean) ??
    listProblem(p.secrets, "secrets", keyPathProblem) ??
    caseProblem(p.caseInsensitiveKeys) ??
    listProblem(p.checks, "checks", checkProblem) ??
    profilesProblem(p.profiles) ??
    instancesProblem(p.instances)
  );
}

// --- internal ---

/** The fields of `Plugin` (core/plugin.ts). */
const PLUGIN_FIELDS: ReadonlySet<string> = new Set([
  "name",
  "summary",
  "aliases",
  "files",
  "schema",
  "secrets",
  "caseInsensitiveKeys",
  "checks",
  "profiles",
  "instances",
  ...PLUGIN_FUNCTIONS,
]);

/**
 * A field no plugin has: a misspelt one (`secret` for `secrets`) would be ignored, and the
 * values it meant to hide shown.
 */
function unknownFieldProblem(plugin: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(plugin).find((key) => !PLUGIN_FIELDS.has(key));
  if (unknown === undefined) return undefined;
  const near = nearestName(unknown, [...PLUGIN_FIELDS]);
  return `it has a field ${quotedName(unknown)} no plugin has${near ? `: did you mean "${near}"?` : ""}`;
}

function nameProblem(name: unknown, at: string, pattern: RegExp, rule: string): string | undefined {
  if (typeof name !== "string") return `"${at}" must be a name, got ${kindOf(name)}`;
  if (RESERVED_NAMES.has(name)) return `"${at}" ${quotedName(name)} stands for every daemon on the command line`;
  if (!pattern.test(name)) return `"${at}" ${quotedName(name)} is not a name: use ${rule}, starting with a letter`;
  return undefined;
}

/** Each file's spec, and a main file: the core reads the first root file that is not derived as the main one. */
function filesProblem(files: unknown): string | undefined {
  if (!isRecord(files) || Object.keys(files).length === 0) {
    return `"files" must name at least one file ({ main: { path, format } }), got ${kindOf(files)}`;
  }
  let main = false;
  for (const [key, spec] of Object.entries(files)) {
    const at = `files.${key}`;
    if (!isRecord(spec)) return `"${at}" must be an object ({ path, format }), got ${kindOf(spec)}`;
    if (typeof spec.path !== "string" && typeof spec.path !== "function")
      return `"${at}.path" must be a string or a function, got ${kindOf(spec.path)}`;
    if (!FORMAT_NAMES.includes(spec.format as never))
      return `"${at}.format" must be one of ${FORMAT_NAMES.join(", ")}, got ${kindOf(spec.format)}`;
    const problem =
      typeProblem(spec.mount, `${at}.mount`, "string", true) ??
      (spec.mount ? keyPathProblem(spec.mount, `${at}.mount`) : undefined) ??
      modeProblem(spec.mode, `${at}.mode`) ??
      modeProblem(spec.dirMode, `${at}.dirMode`) ??
      typeProblem(spec.secret, `${at}.secret`, "boolean", true) ??
      (spec.style === undefined || isRecord(spec.style) ? undefined : `"${at}.style" must be an object`) ??
      (spec.reading === undefined || isRecord(spec.reading) ? undefined : `"${at}.reading" must be an object`) ??
      typeProblem(spec.header, `${at}.header`, "string", true) ??
      FILE_FUNCTIONS.map((fn) => typeProblem(spec[fn], `${at}.${fn}`, "function", true)).find(Boolean);
    if (problem) return problem;
    main ||= !spec.mount && spec.derive === undefined;
  }
  return main ? undefined : '"files" must hold a main file: one at the root (no mount) that is not derived';
}

const FILE_FUNCTIONS = ["template", "decode", "encode", "derive"] as const;

function schemaProblem(schema: unknown): string | undefined {
  // Valibot's own test of a schema: `kind` says so, and `~run` is what parsing calls.
  if (isRecord(schema) && schema.kind === "schema" && typeof schema["~run"] === "function") return undefined;
  return `"schema" must be a valibot schema (v.object({ ... })), got ${kindOf(schema)}`;
}

function checkProblem(check: unknown, at: string): string | undefined {
  if (!isRecord(check)) return `"${at}" must be an object ({ needs, run }), got ${kindOf(check)}`;
  return (
    listProblem(check.needs, `${at}.needs`, (need, where) => typeProblem(need, where, "string"), true) ??
    typeProblem(check.run, `${at}.run`, "function")
  );
}

function profilesProblem(profiles: unknown): string | undefined {
  if (profiles === undefined) return undefined;
  if (!isRecord(profiles)) return `"profiles" must be an object of profiles by name, got ${kindOf(profiles)}`;
  for (const [name, profile] of Object.entries(profiles)) {
    const at = `profiles.${name}`;
    if (!isRecord(profile)) return `"${at}" must be an object ({ summary, apply }), got ${kindOf(profile)}`;
    const problem =
      typeProblem(profile.summary, `${at}.summary`, "string") ??
      typeProblem(profile.apply, `${at}.apply`, "function") ??
      typeProblem(profile.initOnly, `${at}.initOnly`, "boolean", true) ??
      typeProblem(profile.random, `${at}.random`, "boolean", true);
    if (problem) return problem;
  }
  return undefined;
}

function instancesProblem(instances: unknown): string | undefined {
  if (instances === undefined) return undefined;
  if (!isRecord(instances)) return `"instances" must be an object ({ default, list }), got ${kindOf(instances)}`;
  const problem =
    typeProblem(instances.default, "instances.default", "string") ??
    typeProblem(instances.list, "instances.list", "function");
  if (problem || INSTANCE_NAME.test(instances.default as string)) return problem;
  return (
    `"instances.default" ${quotedName(instances.default as string)} is not an instance name: ` +
    'use letters, digits, ".", "_" and "-"'
  );
}

/** A list whose items `item` checks; `required` when it may not be left out. */
function listProblem(
  list: unknown,
  at: string,
  item: (value: unknown, at: string) => string | undefined,
  required = false,
): string | undefined {
  if (list === undefined && !required) return undefined;
  if (!Array.isArray(list)) return `"${at}" must be a list, got ${kindOf(list)}`;
  for (const [i, value] of list.entries()) {
    const problem = item(value, `${at}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** A dotted key path as the core parses one (`*` is a segment like any other, for secret patterns). */
function keyPathProblem(path: unknown, at: string): string | undefined {
  if (typeof path !== "string") return `"${at}" must be a dotted key path, got ${kindOf(path)}`;
  try {
    parseKeyPath(path);
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid key .*?: /, "");
    return `"${at}" ${quotedName(path)} is not a dotted key path: ${reason}`;
  }
}

function modeProblem(mode: unknown, at: string): string | undefined {
  if (mode === undefined || (typeof mode === "number" && Number.isInteger(mode) && mode >= 0 && mode <= 0o7777))
    return undefined;
  return `"${at}" must be a file mode from 0o0 to 0o7777, got ${kindOf(mode)}`;
}

/** `caseInsensitiveKeys`: a boolean, or "lookup". */
function caseProblem(value: unknown): string | undefined {
  if (value === undefined || typeof value === "boolean" || value === "lookup") return undefined;
  return `"caseInsensitiveKeys" must be a boolean or "lookup", got ${kindOf(value)}`;
}

function typeProblem(value: unknown, at: string, type: string, optional = false): string | undefined {
  if (typeof value === type || (optional && value === undefined)) return undefined;
  return `"${at}" must be a ${type}, got ${kindOf(value)}`;
}

function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${quotedName(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
