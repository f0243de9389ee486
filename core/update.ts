import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { nearestName } from "./_nearest.ts";
import { KitcfgError, ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { exceedsDepth, MAX_DEPTH } from "./formats/index.ts";
import type { Change } from "./formats/types.ts";
import { formatKeyPath, isPlainObject, parseKeyPath, setPath, unsetPath } from "./keypath.ts";
import { assemblePlan } from "./plan.ts";
import type { Plan } from "./plan.ts";
import type { Config } from "./plugin.ts";
import { applyProfile } from "./configure.ts";
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
  /**
   * `--set key=@FILE`: the text is read from an absolute path (one trailing newline
   * dropped), so a secret need not pass through shell history. An interface serving
   * untrusted callers should not offer this: it reads any file the process can.
   */
  | { op: "set"; key: string; file: string }
  /** `--set-env key=VAR`: the text is the value of an environment variable of the session. */
  | { op: "set"; key: string; env: string }
  | { op: "unset"; key: string };

export interface PlanUpdateOptions {
  target: Target;
  requests: readonly UpdateRequest[];
  /** A profile of the plugin, applied before the requests (`update --profile NAME`). */
  profile?: string;
}

/**
 * Plan a change of some keys: coerce and check each value against the schema, apply the
 * profile if one is named, then the changes in order (through the plugin's `update` when it
 * has one), validate the result and compute the file edits. A daemon that is not
 * configured yet starts from its defaults.
 * @throws KitcfgError `INVALID_KEY` / `UNKNOWN_KEY` / `INVALID_VALUE` before anything is
 * computed for a key or value that does not fit; `USAGE` for an unknown profile, or an
 * init-only one on an existing configuration; `ValidationError` when the result would
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
  const after = applyChanges(target, withProfile(target, base, options.profile, snapshot.configured), changes);
  const beforeIssues = snapshot.configured ? await validateConfig(target, base) : [];
  const issues = await validateConfig(target, after);
  const refused = newIssues(beforeIssues, issues).filter((issue) => issue.severity === "error");
  if (refused.length > 0) throw refusal(target, changes, refused, secretsOf(target, after));
  const kind = options.profile === undefined ? "update" : "profile";
  return assemblePlan({ kind, target, snapshot, after, issues, notes, recompute: () => planUpdate(options) });
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
  if ("value" in request) return { op: "set", path, value: withinDepth(target, request.key, path, request.value) };
  const text = "text" in request ? request.text : readSource(target, request);
  const coerced = coerceValue(lookup.schema, text);
  if (!coerced.ok) {
    // A long value is cut: the message stays one readable line.
    const shown = isSecretKey(target, path) ? "a value that does not fit" : JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
    throw new KitcfgError("INVALID_VALUE", `Cannot set "${request.key}" for ${name}: expected ${coerced.expected}, got ${shown}`, {
      key: request.key,
    });
  }
  return { op: "set", path, value: withinDepth(target, request.key, path, coerced.value) };
}

// --- internal ---

/** @throws KitcfgError `INVALID_VALUE` for a value that would nest the config deeper than any file may. */
function withinDepth(target: Target, key: string, path: string[], value: unknown): unknown {
  if (!exceedsDepth(value, MAX_DEPTH - path.length)) return value;
  throw new KitcfgError("INVALID_VALUE", `Cannot set "${key}" for ${target.label}: the value nests more than ${MAX_DEPTH} levels deep`, { key });
}

/** Secrets are short; a bigger "file" is a mistake (or /dev/zero) and is not read whole. */
const MAX_SOURCE_BYTES = 1 << 20;

/**
 * The text of a `file` or `env` request.
 * @throws KitcfgError `IO_FAILED` for a file that cannot be read, `USAGE` for an unset variable.
 */
function readSource(target: Target, request: { key: string; file: string } | { key: string; env: string }): string {
  if ("env" in request) {
    const value = target.ctx.env[request.env];
    if (value === undefined) {
      throw new KitcfgError("USAGE", `Cannot set "${request.key}" for ${target.label} from the environment: ${JSON.stringify(request.env)} is not set`, {
        key: request.key,
      });
    }
    return value;
  }
  const fail = (why: string, cause?: unknown) =>
    new KitcfgError("IO_FAILED", `Cannot set "${request.key}" for ${target.label}: cannot read ${request.file}: ${why}`, { key: request.key, file: request.file, cause });
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer.
    fd = openSync(request.file, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    // A pipe (`@-`, `@/dev/stdin`, a shell's `<(...)`) is read to its end; a device is not.
    if (stat.isFIFO() || stat.isSocket()) return readPipe(fd, () => fail(`it holds more than ${MAX_SOURCE_BYTES} bytes`)).replace(/\r?\n$/, "");
    if (stat.isCharacterDevice() && request.file === "/dev/stdin") throw fail("stdin is a terminal: pipe the value in, e.g. printf %s \"$TOKEN\" | kitcfg ...");
    if (!stat.isFile()) throw fail("it is not a regular file or a pipe");
    if (stat.size > MAX_SOURCE_BYTES) throw fail(`it is larger than ${MAX_SOURCE_BYTES} bytes`);
    return readFileSync(fd, "utf8").replace(/\r?\n$/, "");
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? String(error)), error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Read a pipe opened non-blocking to its end: while the writer has not written yet, wait a
 * little and try again.
 */
function readPipe(fd: number, tooLarge: () => KitcfgError): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 5);
      continue;
    }
    if (n === 0) return Buffer.concat(chunks).toString("utf8");
    total += n;
    if (total > MAX_SOURCE_BYTES) throw tooLarge();
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
}

/** The configuration with the named profile applied; an init-only one only to a new configuration. */
function withProfile(target: Target, config: Config, name: string | undefined, configured: boolean): Config {
  if (name === undefined) return config;
  if (configured && target.plugin.profiles?.[name]?.initOnly) {
    throw new KitcfgError("USAGE", `Cannot apply profile "${name}" to the existing ${target.label} configuration: it applies only when the configuration is first written`, {
      hint: `Use it for a new configuration: \`kitcfg configure ${target.plugin.name} --profile ${name}\` where none exists yet`,
    });
  }
  return applyProfile(target, config, name);
}

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

