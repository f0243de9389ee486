import { nearestName } from "./_nearest.ts";
import { KitcfgError, ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { Change } from "./formats/types.ts";
import { formatKeyPath, isPlainObject, parseKeyPath, setPath, unsetPath } from "./keypath.ts";
import { changedKeys, planFiles } from "./plan.ts";
import type { Plan } from "./plan.ts";
import type { Config } from "./plugin.ts";
import { redactText, secretsOf } from "./redact.ts";
import { coerceValue, schemaAt } from "./schema.ts";
import { assertParsed, composeConfig, partsOf, readSnapshot } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";
import { newIssues, validateConfig } from "./validate.ts";

/** One requested change, as an interface receives it. */
export type UpdateRequest =
  /** `--set key=text`: the text is coerced to the type the schema gives the key. */
  | { op: "set"; key: string; text: string }
  /** A typed value (MCP, API): checked against the schema as is. */
  | { op: "set"; key: string; value: unknown }
  | { op: "unset"; key: string };

export interface PlanUpdateOptions {
  target: Target;
  requests: readonly UpdateRequest[];
}

/**
 * Plan a change of some keys: coerce and check each value against the schema, apply the
 * changes in order (through the plugin's `update` when it has one), validate the result
 * and compute the file edits. A daemon that is not configured yet starts from its defaults.
 * @throws KitcfgError `INVALID_KEY` / `UNKNOWN_KEY` / `INVALID_VALUE` before anything is
 * computed for a key or value that does not fit; `ValidationError` when the result would
 * have issues it did not have before; `ParseError` when a file does not parse.
 */
export async function planUpdate(options: PlanUpdateOptions): Promise<Plan> {
  const { target, requests } = options;
  const changes = requests.map((request) => toChange(target, request));
  const snapshot = await readSnapshot(target);
  assertParsed(snapshot);
  const notes: string[] = [];
  const base = snapshot.configured ? snapshot.config : await withDefaults(target, snapshot);
  if (!snapshot.configured) notes.push(`${target.label} was not configured: starting from its defaults`);
  const after = applyChanges(target, base, changes);
  const beforeIssues = snapshot.configured ? await validateConfig(target, base) : [];
  const issues = await validateConfig(target, after);
  const refused = newIssues(beforeIssues, issues).filter((issue) => issue.severity === "error");
  if (refused.length > 0) throw refusal(target, changes, refused, secretsOf(target, after));
  return {
    kind: "update",
    target,
    files: await planFiles({ target, snapshot, after }),
    before: snapshot.config,
    after,
    issues,
    changedKeys: changedKeys(snapshot.config, after),
    notes,
    secrets: secretsOf(target, snapshot.config, after),
    recompute: () => planUpdate(options),
  };
}

/** Apply changes in order: the plugin's `update` if it has one, else dotted set/unset. */
export function applyChanges(target: Target, config: Config, changes: readonly Change[]): Config {
  const update = target.plugin.update;
  if (update) return callPlugin(target.loaded, "update", () => update(config, changes, target.ctx));
  let next: unknown = config;
  for (const change of changes) next = change.op === "set" ? setPath(next, change.path, change.value) : unsetPath(next, change.path);
  return isPlainObject(next) ? next : {};
}

/**
 * Turn a request into a typed change: the key must exist in the schema (or sit where the
 * schema allows any key), and a text value must coerce to the key's type.
 * @throws KitcfgError `INVALID_KEY`, `UNKNOWN_KEY` or `INVALID_VALUE`.
 */
export function toChange(target: Target, request: UpdateRequest): Change {
  const path = parseKeyPath(request.key);
  const lookup = schemaAt(target.plugin.schema, path);
  const name = target.label;
  if (!lookup.found) {
    if (request.op === "unset") return { op: "unset", path };
    const near = nearestName(path[lookup.at.length]!, lookup.known);
    const prefix = lookup.at.length > 0 ? `${formatKeyPath(lookup.at)}.` : "";
    throw new KitcfgError("UNKNOWN_KEY", `Unknown key "${request.key}" for ${name}${near ? `: did you mean "${prefix}${near}"?` : ""}`, {
      key: request.key,
      hint: lookup.known.length > 0 ? `Keys here: ${lookup.known.map((k) => prefix + k).join(", ")}` : undefined,
    });
  }
  if (request.op === "unset") return { op: "unset", path };
  if (!("text" in request)) return { op: "set", path, value: request.value };
  const coerced = coerceValue(lookup.schema, request.text);
  if (!coerced.ok) {
    const shown = isSecretKey(target, path) ? "a value that does not fit" : JSON.stringify(request.text);
    throw new KitcfgError("INVALID_VALUE", `Cannot set "${request.key}" for ${name}: expected ${coerced.expected}, got ${shown}`, {
      key: request.key,
    });
  }
  return { op: "set", path, value: coerced.value };
}

// --- internal ---

/** Defaults for the files that are missing, the files that exist as they are. */
async function withDefaults(target: Target, snapshot: Snapshot): Promise<Config> {
  const defaults = await callPlugin(target.loaded, "defaults", () => target.plugin.defaults(target.ctx));
  const fromDefaults = partsOf(target, defaults);
  const existing = partsOf(target, snapshot.config);
  const parts = new Map<string, unknown>();
  for (const snap of snapshot.files) {
    const key = snap.file.key;
    parts.set(key, snap.text !== undefined ? existing.get(key) : fromDefaults.get(key));
  }
  return composeConfig(target, parts);
}

function refusal(target: Target, changes: readonly Change[], issues: Issue[], secrets: string[]): ValidationError {
  const changed = changes.map((c) => formatKeyPath(c.path));
  const lines = issues.map((issue) => {
    const verb = changed.includes(issue.key) ? `Cannot set "${issue.key}"` : `Cannot update ${target.label}: "${issue.key || "(file)"}"`;
    return redactText(`${verb}${changed.includes(issue.key) ? ` for ${target.label}` : ""}: ${issue.message}`, secrets);
  });
  const error = new ValidationError(lines.join("\n"), issues.map((issue, i) => ({ ...issue, message: lines[i]! })), {
    key: issues[0]?.key,
    hint: "Nothing was written",
  });
  return error;
}

function isSecretKey(target: Target, path: string[]): boolean {
  return (target.plugin.secrets ?? []).some((pattern) => {
    const parts = pattern.split(".");
    return parts.length === path.length && parts.every((p, i) => p === "*" || p === path[i]);
  });
}

