import { readSmallText } from "./_read-text.ts";
import type { ReadProblem } from "./_read-text.ts";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import { nearestName } from "./_nearest.ts";
import { KitcfgError, locate, ParseError } from "./errors.ts";
import type { JsonNode } from "./formats/_json-scan.ts";
import { scanJson } from "./formats/_json-scan.ts";
import { loadFormat } from "./formats/index.ts";
import { isPlainObject } from "./keypath.ts";
import type { Kit } from "./kit.ts";
import { findPlugin } from "./registry.ts";
import type { UpdateRequest } from "./request.ts";

/** What one daemon (or one instance of it) should have, as a desired-state file says. */
export interface DesiredDaemon {
  /** The plugin's name (an alias in the file is resolved to it). */
  daemon: string;
  /** For a daemon with instances: which one (its default when the file names none). */
  instance?: string;
  /** A profile applied first, as `update --profile` / `configure --profile`. */
  profile?: string;
  /** The sets and unsets, in the order the file gives them (a `source` first). */
  requests: UpdateRequest[];
}

/** A parsed desired-state document: every daemon it names. Daemons not named are left alone. */
export interface DesiredState {
  daemons: DesiredDaemon[];
}

export interface ParseDesiredOptions {
  /** Folder a relative `@file` reference is read from (the document's own); default the cwd. */
  baseDir?: string;
  /**
   * Accept secrets by reference (`@/path`, `env:NAME`; default true). An interface serving
   * callers that must not read the server's files or environment (MCP) passes false, and
   * such a value is refused.
   */
  references?: boolean;
}

/**
 * Turn a desired-state document (the object a TOML or JSON file holds) into requests:
 *
 * ```toml
 * [acme]
 * profile = "server"
 * unset = ["Some.Key"]
 * [acme.set]
 * "Limits.Connections" = 200                  # a native value, checked by the schema as is
 * "auth.secret" = "@/run/secrets/acme"        # by reference: "@FILE", "env:NAME"; "@@x" is "@x", "@=env:x" "env:x"
 * [acme-follower.instances.collab]            # a daemon with instances: one table each
 * source = "https://example.org/config.json"
 * ```
 *
 * A string is typed by the schema as `--set` text is ("200" becomes a number where the key
 * is one); numbers, booleans and arrays are kept as given; a table reaches the keys inside
 * it (`[acme.set.Limits]` is `Limits.*`; a key inside a table is one name, dots and all:
 * `[acme.set.Hosts."a.example"]`), an empty one is set as `{}`.
 * `set` and `unset` apply in the order they appear. Fields directly under a daemon with
 * instances are for its default instance.
 * @throws KitcfgError `UNKNOWN_DAEMON` for a daemon no plugin knows; `USAGE` for an
 * unknown or mistyped field, a daemon or instance named twice, or (with `references:
 * false`) a value given by reference.
 */
export function parseDesired(kit: Kit, document: unknown, options: ParseDesiredOptions = {}): DesiredState {
  if (!isPlainObject(document)) throw usage("the document must be a table (an object) of daemons");
  const daemons: DesiredDaemon[] = [];
  const seen = new Map<string, string>();
  for (const [name, body] of Object.entries(document)) {
    const { plugin } = findPlugin(kit.registry, name);
    for (const entry of daemonEntries(plugin.name, plugin.instances?.default, name, body, options)) {
      const id = `${entry.daemon}/${entry.instance ?? ""}`;
      const label = entry.instance ? `${entry.daemon}/${entry.instance}` : entry.daemon;
      if (seen.has(id)) throw usage(`${label} is named twice ("${seen.get(id)}" and "${name}")`);
      seen.set(id, name);
      daemons.push(entry);
    }
  }
  return { daemons };
}

/**
 * Parse the text of a desired-state document: JSON when `format` says so (or, without
 * one, when the text starts with `{`), else TOML.
 * @throws ParseError naming the line and column; see `parseDesired` for the rest.
 */
export async function parseDesiredText(
  kit: Kit,
  text: string,
  options: ParseDesiredOptions & { format?: "toml" | "json"; name?: string } = {},
): Promise<DesiredState> {
  const format = options.format ?? (text.trimStart().startsWith("{") ? "json" : "toml");
  const name = options.name ?? "the desired state";
  let document: unknown;
  try {
    document = (await loadFormat(format)).parse(text);
    if (format === "json") refuseDuplicateKeys(text, scanJson(text));
  } catch (error) {
    // The format's message says where ("... at line 2, column 5: ..."): keep that part only.
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /^(Cannot parse|Invalid) (TOML|JSON) /,
      "",
    );
    const line = error instanceof ParseError ? { line: error.line, column: error.column } : {};
    throw new ParseError(`Cannot parse ${name} as ${format.toUpperCase()} ${reason}`, {
      file: options.name,
      cause: error,
      ...line,
    });
  }
  return parseDesired(kit, document, options);
}

/**
 * Read and parse a desired-state file: `.json` is JSON, anything else TOML unless it starts
 * with `{`. Relative `@file` references are read from the file's folder.
 * @throws KitcfgError `IO_FAILED` when the file cannot be read; see `parseDesiredText`.
 */
export async function readDesired(
  kit: Kit,
  path: string,
  options: { cwd?: string; references?: boolean } = {},
): Promise<DesiredState> {
  const full = resolve(options.cwd ?? process.cwd(), path);
  const text = readDocument(full);
  const format = extname(full).toLowerCase() === ".json" ? "json" : undefined;
  return parseDesiredText(kit, text, { format, name: full, baseDir: dirname(full), references: options.references });
}

/**
 * Read and parse a desired state from stdin (`kitcfg apply -`), as a file is read: at most
 * 8 MiB of UTF-8 (bytes that are not are refused, not replaced). A terminal on stdin is
 * refused: nobody pipes a document into it. Relative `@file` references are read from `cwd`.
 * @throws KitcfgError `USAGE` for a terminal, `IO_FAILED` for what cannot be read; see
 * `parseDesiredText`.
 */
export async function readDesiredStdin(
  kit: Kit,
  options: { cwd?: string; references?: boolean } = {},
): Promise<DesiredState> {
  const text = readDocument(STDIN, "on stdin");
  return parseDesiredText(kit, text, {
    name: "the desired state on stdin",
    baseDir: options.cwd ?? process.cwd(),
    references: options.references,
  });
}

// --- internal ---

/** stdin through the file system, so a pipe, a redirect and a here-string read as a file does. */
const STDIN = "/dev/stdin";
/** The fields a daemon's table may hold; `instances` and `source` only for daemons with instances. */
const FIELDS = ["profile", "unset", "set"];
const INSTANCE_FIELDS = [...FIELDS, "source"];
/** Deeper than any daemon's configuration; bounds the recursion on hostile input. */
const MAX_DEPTH = 64;
/** A desired-state document is small; a bigger file is a mistake. */
const MAX_DOCUMENT_BYTES = 8 << 20;

function daemonEntries(
  daemon: string,
  defaultInstance: string | undefined,
  name: string,
  body: unknown,
  options: ParseDesiredOptions,
): DesiredDaemon[] {
  if (!isPlainObject(body)) throw usage(`"${name}" must be a table of ${FIELDS.join(", ")}`);
  if (defaultInstance === undefined) return [entryOf(daemon, undefined, name, body, FIELDS, options)];
  const { instances, ...direct } = body;
  const entries: DesiredDaemon[] = [];
  if (Object.keys(direct).length > 0 || instances === undefined) {
    entries.push(entryOf(daemon, defaultInstance, name, direct, [...INSTANCE_FIELDS, "instances"], options));
  }
  if (instances === undefined) return entries;
  if (!isPlainObject(instances)) throw usage(`"${name}.instances" must be a table with one table per instance`);
  for (const [instance, fields] of Object.entries(instances)) {
    if (!isPlainObject(fields))
      throw usage(`"${name}.instances.${instance}" must be a table of ${INSTANCE_FIELDS.join(", ")}`);
    entries.push(entryOf(daemon, instance, `${name}.instances.${instance}`, fields, INSTANCE_FIELDS, options));
  }
  return entries;
}

function entryOf(
  daemon: string,
  instance: string | undefined,
  where: string,
  body: Record<string, unknown>,
  fields: string[],
  options: ParseDesiredOptions,
): DesiredDaemon {
  const entry: DesiredDaemon = { daemon, ...(instance !== undefined ? { instance } : {}), requests: [] };
  const source: UpdateRequest[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (!fields.includes(field)) {
      const near = nearestName(field, fields);
      // What only a daemon with instances takes, given to one without (Ansible's `instance`, `source`).
      const single = !fields.includes("source") && (field === "instances" || field === "source");
      throw usage(
        `Unknown field "${field}" in "${where}"` +
          (single
            ? `: ${daemon} has no instances (expected ${fields.join(", ")})`
            : near
              ? `: did you mean "${near}"?`
              : `: expected ${fields.join(", ")}`),
      );
    }
    if (field === "profile") entry.profile = stringField(`${where}.profile`, value, "a profile name");
    else if (field === "source")
      source.push(valueRequest("source", stringField(`${where}.source`, value, "a URL"), options));
    else if (field === "unset") entry.requests.push(...unsetRequests(`${where}.unset`, value));
    else if (field === "set") {
      if (!isPlainObject(value)) throw usage(`"${where}.set" must be a table of keys and values`);
      collectSets(value, [], entry.requests, options);
    }
  }
  entry.requests.unshift(...source);
  return entry;
}

function stringField(where: string, value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw usage(`"${where}" must be ${what} (a string)`);
  return value;
}

function unsetRequests(where: string, value: unknown): UpdateRequest[] {
  if (!Array.isArray(value) || !value.every((key) => typeof key === "string"))
    throw usage(`"${where}" must be a list of key paths`);
  return value.map((key) => ({ op: "unset", key }));
}

/**
 * A table reaches the keys inside it; everything else is a value for the key path. A key of
 * `set` itself is a dotted path; a key inside a table is one name, dots and all: a map keyed
 * by DNS names (`[acme.set.Hosts."a.example"]`) gets that entry, and keeps the others, as any
 * table keeps the keys it does not name.
 */
function collectSets(
  table: Record<string, unknown>,
  prefix: string[],
  out: UpdateRequest[],
  options: ParseDesiredOptions,
): void {
  if (prefix.length > MAX_DEPTH)
    throw usage(`"set" nests deeper than ${MAX_DEPTH} levels at "${prefix.slice(0, 3).join(".")}..."`);
  for (const [key, value] of Object.entries(table)) {
    const path = prefix.length === 0 ? key.split(".") : [...prefix, key];
    if (!isPlainObject(value) || value instanceof Date || Object.keys(value).length === 0) {
      const request = valueRequest(path.join("."), value, options);
      // A name with a dot cannot be told from the path's own dots once joined: the segments go along.
      out.push(path.some((segment) => segment.includes(".")) ? { ...request, path } : request);
    } else collectSets(value, path, out, options);
  }
}

/** One value: text (coerced by the schema), a reference, or a typed value kept as is. */
function valueRequest(key: string, value: unknown, options: ParseDesiredOptions): UpdateRequest {
  // A TOML date or time: its TOML text (toISOString of smol-toml's dates), the same on every
  // host whatever its time zone, which the schema types like any other string.
  if (value instanceof Date) return { op: "set", key, text: value.toISOString() };
  if (typeof value !== "string") return { op: "set", key, value: isPlainObject(value) ? {} : value };
  if (value.startsWith("@@")) return { op: "set", key, text: value.slice(1) };
  // Whatever follows "@=" is the value as written: "@=env:x" is the text "env:x".
  if (value.startsWith("@=")) return { op: "set", key, text: value.slice(2) };
  const reference = value.startsWith("@") ? "file" : value.startsWith("env:") ? "env" : undefined;
  if (reference === undefined) return { op: "set", key, text: value };
  if (options.references === false) {
    throw usage(
      `Cannot read "${key}" by reference here: give the value itself ` +
        '(a value that starts with "@" or "env:" is written after "@=": "@=env:x" is the text "env:x")',
      {
        hint: "Secrets by reference (@FILE, env:NAME) are read by `kitcfg apply FILE` on the host itself",
      },
    );
  }
  if (reference === "env") {
    const name = value.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      // What follows is not shown: a secret written in the file after "env:" by mistake would be.
      throw usage(
        `"${key}": "env:" needs the name of an environment variable (letters, digits and _), ` +
          'not a value; a value that starts with "env:" is written "@=env:..."',
      );
    return { op: "set", key, env: name };
  }
  const file = value.slice(1);
  if (file === "") throw usage(`"${key}": "@" needs a file name after it, e.g. "@/run/secrets/token"`);
  return { op: "set", key, file: isAbsolute(file) ? file : resolve(options.baseDir ?? process.cwd(), file) };
}

/**
 * A JSON document that names a key twice in one object: JSON.parse keeps the later one and
 * drops the other without a word, where TOML refuses it. A desired state so written would
 * lose half of what it says (a daemon's block given twice, one key set twice).
 * @throws ParseError at the second spelling of the key.
 */
function refuseDuplicateKeys(text: string, node: JsonNode): void {
  const seen = new Set<string>();
  for (const entry of node.entries) {
    if (entry.key !== null) {
      if (seen.has(entry.key)) {
        const { line, column } = locate(text, entry.start);
        const twice = `${JSON.stringify(entry.key)} is given twice in one object`;
        throw new ParseError(`Cannot parse JSON at line ${line}, column ${column}: ${twice}`, { line, column });
      }
      seen.add(entry.key);
    }
    refuseDuplicateKeys(text, entry.value);
  }
}

/** @throws KitcfgError `IO_FAILED` naming the file (or `where` it was read from) and why; `USAGE` for a terminal. */
function readDocument(path: string, where = path): string {
  const fail = (why: string, cause?: unknown, kind?: ReadProblem) =>
    kind === "terminal"
      ? new KitcfgError("USAGE", `Cannot read the desired state ${where}: it is a terminal`, {
          hint: "Pipe the document in (kitcfg apply - < host.toml), or give the file's name",
        })
      : new KitcfgError("IO_FAILED", `Cannot read the desired state ${where}: ${why}`, { file: path, cause });
  return readSmallText(path, { maxBytes: MAX_DOCUMENT_BYTES, fail });
}

function usage(message: string, options: { hint?: string } = {}): KitcfgError {
  return new KitcfgError(
    "USAGE",
    message.startsWith("Unknown") || message.startsWith("Cannot") ? message : `Invalid desired state: ${message}`,
    options,
  );
}
