import { spellingsOf } from "./_fold-keys.ts";
import { readSmallText } from "./_read-text.ts";
import type { ReadProblem } from "./_read-text.ts";
import { nearestName } from "./_nearest.ts";
import { KitcfgError, quotedName } from "./errors.ts";
import { MAX_DEPTH } from "./formats/index.ts";
import type { Change } from "./formats/types.ts";
import {
  ARRAY_INDEX,
  checkKeyPath,
  exceedsDepth,
  forbiddenKeyIn,
  formatKeyPath,
  getPath,
  isPlainObject,
  parseKeyPath,
} from "./keypath.ts";
import type { Config } from "./plugin.ts";
import { redactText, secretStrings } from "./redact.ts";
import { coerceValue, schemaAt, schemaIssues } from "./schema.ts";
import type { GenericSchema } from "valibot";
import { callPlugin, commandWords } from "./target.ts";
import type { Target } from "./target.ts";

// A request (`--set key=text`, a typed value from MCP, `--unset key`) turned into a typed change
// of the configuration: the key found in the schema, the text coerced to its type.

/** Secrets are short; a bigger "file" is a mistake (or /dev/zero) and is not read whole. */
const MAX_SOURCE_BYTES = 1 << 20;

/** One requested change, as an interface receives it. */
export type UpdateRequest = UpdateOperation & {
  /**
   * The key's segments, when one holds a dot (a map keyed by DNS names, reached through a
   * desired state's nested tables): `key` is then only how messages name it.
   */
  path?: readonly string[];
};

/** What a request does with its key. */
export type UpdateOperation =
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

/**
 * Turn a request into a typed change: the key must exist in the schema (or sit where the
 * schema allows any key), and a text value must coerce to the key's type.
 * @throws KitcfgError `INVALID_KEY`, `UNKNOWN_KEY` or `INVALID_VALUE`.
 */
export function toChange(target: Target, request: UpdateRequest): Change {
  const at = (keyPath: string[]) =>
    schemaAt(target.plugin.schema, keyPath, { caseInsensitive: Boolean(target.plugin.caseInsensitiveKeys) });
  let typed = request.path ? checkKeyPath(request.path) : parseKeyPath(request.key);
  let lookup = at(typed);
  // A name with dots is one segment where the schema has a map keyed by names (DNS names); where
  // it has none (a table `Swarm` holding "ConnMgr.HighWater"), its dots are the path's.
  if (!lookup.found && request.path) {
    const dotted = parseKeyPath(request.key);
    const again = at(dotted);
    if (again.found) [typed, lookup] = [dotted, again];
  }
  const name = target.label;
  const path = lookup.found ? lookup.path : typed;
  if (!lookup.found) {
    if (isListItem(target, path, lookup.at)) throw listItemKey(target, request.key, lookup.at);
    // Kept for `assertUnsetsHeld`, which sees the file: a key the daemon ignores can be removed.
    if (request.op === "unset") return { op: "unset", path };
    throw unknownKey(target, request.key, path, lookup);
  }
  if (request.op === "unset") return { op: "unset", path };
  if ("value" in request) return { op: "set", path, value: withinDepth(target, request.key, path, request.value) };
  const text = "text" in request ? request.text : readRequestSource(target, request);
  // The schema is the plugin's code (a `v.check` may throw): its failure is the plugin's error.
  const coerced = callPlugin(target.loaded, "schema", () => coerceValue(lookup.schema, text));
  if (!coerced.ok) {
    // A long value is cut: the message stays one readable line.
    const shown = isSecretKey(target, path) ? "a value that does not fit" : quotedName(text);
    const fields = isSecretKey(target, path)
      ? undefined
      : callPlugin(target.loaded, "schema", () => fieldProblems(lookup.schema, text));
    const why = fields
      ? `expected ${coerced.expected}: ${withoutSecretsOf(target, path, text, fields)}`
      : `expected ${coerced.expected}, got ${shown}`;
    // The key as the schema spells it: `highwater` is refused as the `HighWater` it stands for.
    throw new KitcfgError("INVALID_VALUE", `Cannot set "${formatKeyPath(path)}" for ${name}: ${why}`, {
      key: request.key,
    });
  }
  return { op: "set", path, value: withinDepth(target, request.key, path, coerced.value) };
}

/**
 * `changes` (those of `requests`, in order), refusing an unset of a key the schema does not
 * know and `config` does not hold: a misspelt key, refused as a set of it is, rather than
 * reported as nothing to change. A key the schema does not know but the file holds (one the
 * daemon ignores) is removed; a known key that is absent is nothing to change, so a second
 * unset of it succeeds as the first did. With `onUnheld`, such an unset is left out and
 * reported to it instead (a desired state applied twice: the ignored key it removed is gone).
 * @throws KitcfgError `UNKNOWN_KEY` naming the first such key as the request spelled it.
 */
export function unsetsHeld(
  target: Target,
  requests: readonly UpdateRequest[],
  changes: readonly Change[],
  config: Config,
  onUnheld?: (key: string) => void,
): Change[] {
  const caseInsensitive = Boolean(target.plugin.caseInsensitiveKeys);
  return changes.filter((change, i) => {
    const request = requests[i]!;
    if (change.op === "unset") {
      const lookup = schemaAt(target.plugin.schema, change.path, { caseInsensitive });
      const spellings = caseInsensitive ? spellingsOf(target.plugin.schema, config, change.path) : [change.path];
      if (!lookup.found && !spellings.some((path) => holdsPath(config, path))) {
        if (!onUnheld) throw unknownKey(target, request.key, change.path, lookup);
        onUnheld(request.key);
        return false;
      }
    }
    return true;
  });
}

/**
 * The text a `file` or `env` request stands for (`--set key=@FILE`, `--set-env`): a file's
 * content with one trailing newline dropped, or an environment variable of the session.
 * @throws KitcfgError `IO_FAILED` for a file that cannot be read, `USAGE` for an unset variable,
 * `INVALID_VALUE` for a source that gives nothing (an empty variable, an empty file).
 */
export function readRequestSource(
  target: Target,
  request: { key: string; file: string } | { key: string; env: string },
): string {
  if ("env" in request) {
    const value = target.ctx.env[request.env];
    if (value === undefined) {
      throw new KitcfgError(
        "USAGE",
        `Cannot set "${request.key}" for ${target.label} from the environment: ` +
          `${JSON.stringify(request.env)} is not set`,
        {
          key: request.key,
        },
      );
    }
    // As a pipe that gives nothing: `HF_TOKEN=$(cat missing-file)` is no wish to empty the key.
    if (value === "") {
      throw new KitcfgError(
        "INVALID_VALUE",
        `Cannot set "${request.key}" for ${target.label}: the variable ${JSON.stringify(request.env)} is empty; ` +
          `to empty the key, give --set ${request.key}= or unset it`,
        { key: request.key },
      );
    }
    return value;
  }
  // Text that is no value (not UTF-8, too long) is a refused value, as an empty one is; a terminal, a usage error.
  const fail = (why: string, cause?: unknown, kind: ReadProblem = "io") =>
    new KitcfgError(
      kind === "content" ? "INVALID_VALUE" : kind === "terminal" ? "USAGE" : "IO_FAILED",
      `Cannot set "${request.key}" for ${target.label}: ${kind === "io" ? "cannot read " : ""}${request.file}: ${why}`,
      { key: request.key, file: request.file, cause },
    );
  // One trailing newline is dropped: `echo "$TOKEN" > file` writes one.
  const text = readSmallText(request.file, { maxBytes: MAX_SOURCE_BYTES, fail }).replace(/\r?\n$/, "");
  // Nothing read is a pipe that gave nothing (`printf %s "$UNSET" |`), not a wish to empty the key.
  if (text === "") {
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot set "${request.key}" for ${target.label}: ${request.file} gave no value; ` +
        `to empty the key, give --set ${request.key}= or unset it`,
      { key: request.key, file: request.file },
    );
  }
  if (text.includes("\0"))
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot set "${request.key}" for ${target.label}: ${request.file} holds a NUL byte: it is binary, not a value`,
      { key: request.key, file: request.file },
    );
  return text;
}

// --- internal ---

/** The error for a key the schema has no place for, with the nearest key and the keys at that level. */
function unknownKey(
  target: Target,
  key: string,
  path: readonly string[],
  lookup: { at: string[]; known: string[] },
): KitcfgError {
  const near = nearestName(path[lookup.at.length]!, lookup.known);
  const prefix = lookup.at.length > 0 ? `${formatKeyPath(lookup.at)}.` : "";
  return new KitcfgError(
    "UNKNOWN_KEY",
    `Unknown key "${key}" for ${target.label}${near ? `: did you mean "${prefix}${near}"?` : ""}`,
    {
      key,
      hint: lookup.known.length > 0 ? `Keys here: ${lookup.known.map((k) => prefix + k).join(", ")}` : undefined,
    },
  );
}

/** Whether `config` has a key at `path` (a null value counts: the key is there). */
function holdsPath(config: unknown, path: readonly string[]): boolean {
  const parent = getPath(config, path.slice(0, -1));
  return isPlainObject(parent) && Object.hasOwn(parent, path.at(-1)!);
}

/** A path whose first unknown segment is an index into a list of the schema (`Peers.0`). */
function isListItem(target: Target, path: string[], at: string[]): boolean {
  const segment = path[at.length];
  if (segment === undefined || !ARRAY_INDEX.test(segment)) return false;
  const parent = schemaAt(target.plugin.schema, at);
  return parent.found && baseType(parent.schema) === "array";
}

/**
 * Items of a list are read by index (`kitcfg get DAEMON Peers.0`) but not written one by one: the
 * files hold lists whole, and an index shifts under every insertion.
 */
function listItemKey(target: Target, key: string, at: string[]): KitcfgError {
  const list = formatKeyPath(at);
  return new KitcfgError(
    "INVALID_KEY",
    `Cannot change "${key}" for ${target.label}: "${list}" is a list, set as a whole`,
    {
      key,
      hint:
        `Give the whole list as JSON: --set '${list}=["…", "…"]' ` +
        `(\`kitcfg get ${commandWords(target.plugin.name, target.instance)} ${list}\` prints it)`,
    },
  );
}

/** The schema type under optional/nullable wrappers. */
function baseType(schema: GenericSchema): string {
  let node = schema as unknown as { type: string; wrapped?: unknown };
  while (node.wrapped) node = node.wrapped as typeof node;
  return node.type;
}

/**
 * For a JSON object given where an object of known fields belongs, what is wrong with its
 * fields (`"user" is not one of its fields (username, password); "username" is missing`),
 * so the message names the real problem rather than "expected a JSON object".
 */
function fieldProblems(schema: GenericSchema, text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value) || (baseType(schema) !== "object" && baseType(schema) !== "strict_object"))
    return undefined;
  const known = schemaAt(schema, ["\0"]);
  const fields = known.found ? [] : known.known;
  const problems: string[] = [];
  const unknown = Object.keys(value).filter((field) => !fields.includes(field));
  if (unknown.length > 0)
    problems.push(
      `${unknown.map((f) => JSON.stringify(f)).join(", ")} ` +
        `${unknown.length === 1 ? "is not one of its fields" : "are not among its fields"} (${fields.join(", ")})`,
    );
  for (const issue of schemaIssues(schema, value)) {
    if (issue.key === "" || unknown.includes(issue.key)) continue;
    problems.push(
      getPath(value, parseKeyPath(issue.key)) === undefined
        ? `"${issue.key}" is missing`
        : `"${issue.key}": ${issue.message}`,
    );
  }
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/** @throws KitcfgError `INVALID_VALUE` for a value that would nest the config deeper than any file may. */
function withinDepth(target: Target, key: string, path: string[], value: unknown): unknown {
  if (exceedsDepth(value, MAX_DEPTH - path.length)) {
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot set "${key}" for ${target.label}: the value nests more than ${MAX_DEPTH} levels deep`,
      { key },
    );
  }
  // valibot ignores keys an object schema does not name: these would reach the file unchecked.
  const forbidden = forbiddenKeyIn(value);
  if (forbidden) {
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot set "${key}" for ${target.label}: the value holds the key "${forbidden.join(".")}", ` +
        `and "${forbidden.at(-1)}" is not a configuration key`,
      {
        key,
      },
    );
  }
  return value;
}

/**
 * `message` without the secret values that `text`, a JSON object given for the key at `path`,
 * holds below it: a field's issue may quote the value it refused (a password that fails a regex).
 */
function withoutSecretsOf(target: Target, path: string[], text: string, message: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return message;
  }
  const placed = path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
  return redactText(message, secretStrings(placed, target.plugin.secrets ?? []));
}

function isSecretKey(target: Target, path: string[]): boolean {
  return (target.plugin.secrets ?? []).some((pattern) => {
    const parts = pattern.split(".");
    return parts.length === path.length && parts.every((p, i) => p === "*" || p === path[i]);
  });
}
