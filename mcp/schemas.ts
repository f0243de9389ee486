import * as v from "valibot";
import { KitcfgError } from "../core/errors.ts";
import { findPlugin } from "../core/registry.ts";
import type { Registry } from "../core/registry.ts";

/**
 * Tool argument schemas. Arguments are strict: a misspelt optional argument (`dryrun`) is
 * refused rather than ignored, since ignoring it would write what the caller meant to
 * preview. Messages read like the CLI's; the SDK prefixes them with the argument name.
 */
export interface InputSchemas {
  configure: v.GenericSchema;
  update: v.GenericSchema;
  validate: v.GenericSchema;
  status: v.GenericSchema;
  get: v.GenericSchema;
}

/**
 * Build the argument schemas for the daemons loaded at start. `daemon_name` is an enum of
 * every name and alias (the older tool's spellings such as `ipfs_cluster_service` among
 * them), so its clients keep working; a name outside it gets the CLI's "Unknown daemon"
 * message with the nearest known name.
 */
export function inputSchemas(registry: Registry): InputSchemas {
  const daemon = (extra: string[], what: string) => daemonArg(registry, extra, what);
  const instance = INSTANCE_ARG;
  const dryRun = DRY_RUN_ARG;
  return {
    configure: args({
      daemon_name: daemon(["all"], 'Daemon to configure, or "all"'),
      force: flag(
        "Replace existing files with fresh defaults, new identities and secrets included (the old files are kept " +
          "in history)",
      ),
      dry_run: dryRun,
      profile: v.optional(
        v.pipe(v.string("expected a profile name"), v.description("Apply a named profile to the defaults")),
      ),
      instance,
    }),
    update: args({
      daemon_name: daemon([], "Daemon to update"),
      config_updates: v.pipe(
        v.record(v.string(), v.unknown(), 'expected an object of keys and values, e.g. {"offline": true}'),
        v.description(
          "Keys to change, typed as JSON (not coerced). Nested objects merge deeply, dotted keys reach nested keys " +
            '("Addresses.API"), null removes a key, arrays are set whole',
        ),
      ),
      dry_run: dryRun,
      force: flag(
        "Write even if the result is invalid (a refused value or one already in the file); the issues are returned",
      ),
      instance,
    }),
    validate: args({
      daemon_name: v.optional(
        daemon([], "Validate only this daemon (default: every configured one and the agreement between them)"),
      ),
      instance,
    }),
    status: args({}),
    get: args({
      daemon_name: daemon([], "Daemon whose configuration to return"),
      key: v.optional(
        v.pipe(
          v.string("expected a dotted key path"),
          v.description("Dotted key path of one value (default: the whole configuration)"),
        ),
      ),
      instance,
    }),
  };
}

/** `daemon_name`: an enum of every loaded name and alias, plus `extra` ("all"). */
export function daemonArg(registry: Registry, extra: string[], what: string) {
  const names = registry.plugins.flatMap(({ plugin }) => [plugin.name, ...(plugin.aliases ?? [])]);
  return v.pipe(
    v.picklist([...names, ...extra], (issue) => unknownDaemon(registry, issue.input, extra)),
    v.description(what),
  );
}

export const INSTANCE_ARG = v.optional(
  v.pipe(
    v.string("expected an instance name"),
    v.description("Instance, for daemons with several configurations (ipfs-cluster-follow)"),
  ),
);

export const DRY_RUN_ARG = flag("Compute the change and its diff, write nothing");

/** An object of arguments that refuses unknown ones, naming the known ones. */
export function args(entries: v.ObjectEntries): v.GenericSchema {
  return v.strictObject(entries, (found) =>
    found.expected === "never"
      ? `Unknown argument ${found.received}: expected ${Object.keys(entries).join(", ") || "no arguments"}`
      : "expected an object of arguments",
  );
}

/** An optional boolean argument. */
export function flag(what: string) {
  return v.optional(v.pipe(v.boolean("expected true or false"), v.description(what)));
}

export const ISSUE = v.object({
  key: v.string(),
  message: v.string(),
  severity: v.picklist(["error", "warning"]),
  file: v.optional(v.string()),
  daemon: v.optional(v.string()),
  /** The environment variables whose values the issue judges (the daemon reads them over its file). */
  variables: v.optional(v.array(v.string())),
});

export const CHANGE_RESULT = v.object({
  daemon: v.string(),
  instance: v.optional(v.string()),
  kind: v.string(),
  dryRun: v.boolean(),
  changed: v.boolean(),
  files: v.array(v.object({ key: v.string(), path: v.string(), action: v.string(), keys: v.array(v.string()) })),
  diff: v.string(),
  changedKeys: v.array(v.string()),
  issues: v.array(ISSUE),
  notes: v.array(v.string()),
  history: v.array(v.string()),
  restart: v.optional(v.string()),
  error: v.optional(v.object({ code: v.string(), message: v.string() })),
});

const daemonReport = v.object({
  daemon: v.string(),
  instance: v.optional(v.string()),
  configured: v.boolean(),
  valid: v.boolean(),
  issues: v.array(ISSUE),
  files: v.array(v.object({ key: v.string(), path: v.string(), exists: v.boolean() })),
  restart: v.optional(v.string()),
});

/**
 * What an `isError` result carries as `structuredContent`: the CLI's `--json` error object.
 * Every tool's advertised output schema allows it beside the tool's own result (`withError`),
 * so a client that checks structured content against the schema accepts error results too.
 */
export const ERROR_RESULT = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    hint: v.optional(v.string()),
    key: v.optional(v.string()),
    file: v.optional(v.string()),
    issues: v.optional(v.array(ISSUE)),
  }),
});

/** A tool's result schema, or the error shape. */
export function withError(result: v.GenericSchema): v.GenericSchema {
  return v.union([result, ERROR_RESULT]);
}

/** Result schemas: the shapes `kitcfg <command> --json` prints (configure adds `ok`). */
export const OUTPUT_SCHEMAS = {
  configure: v.object({ ok: v.boolean(), results: v.array(CHANGE_RESULT) }),
  update: CHANGE_RESULT,
  validate: v.object({ ok: v.boolean(), daemons: v.array(daemonReport), cross: v.array(ISSUE) }),
  status: v.object({ daemons: v.array(daemonReport) }),
  get: v.object({
    daemon: v.string(),
    instance: v.optional(v.string()),
    key: v.optional(v.string()),
    value: v.unknown(),
  }),
};

// --- internal ---

function unknownDaemon(registry: Registry, input: unknown, extra: string[]): string {
  if (typeof input !== "string") return "expected the name of a daemon (see get_daemon_config_status)";
  if (extra.includes(input.toLowerCase())) return `"${input}" is not accepted here`;
  try {
    findPlugin(registry, input);
    return `Use the daemon's lowercase name, not "${input}"`;
  } catch (error) {
    if (!(error instanceof KitcfgError)) throw error;
    if (!error.hint) return error.message;
    return `${error.message}${/[.?!]$/.test(error.message) ? "" : "."} ${error.hint}`;
  }
}
