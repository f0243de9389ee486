import { decodeBytes } from "./_bytes.ts";
import { fileIdentity, fileKind, folderNames, pathExists, readBytesIfAny } from "./_fs.ts";
import { KitcfgError, quotedName } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { parseKeyPath } from "./keypath.ts";
import { resolveIn } from "./paths.ts";
import type { Place } from "./paths.ts";
import type { FileSpec, Plugin, PluginContext } from "./plugin.ts";
import type { LoadedPlugin } from "./registry.ts";

/** One file of a target, with its path resolved. */
export interface TargetFile {
  key: string;
  spec: FileSpec;
  /** Absolute path, under the root when there is one. */
  path: string;
  /** Key path where the file is mounted; [] for the root. */
  mount: string[];
  /** The first root file that is not derived: its presence means "configured". */
  main: boolean;
  /** Holds secrets: 0600 in a 0700 folder, redacted everywhere. */
  secret: boolean;
}

/** A plugin resolved for one place and instance: what every operation works on. */
export interface Target {
  loaded: LoadedPlugin;
  plugin: Plugin;
  instance?: string;
  ctx: PluginContext;
  files: TargetFile[];
  /** `name` or `name/instance`, for messages. */
  label: string;
  /** Why this plugin could not be resolved (a hook threw); set only by `failedTarget`. */
  failure?: KitcfgError;
}

/** Characters allowed in an instance name: it becomes a folder name. */
export const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ResolveTargetOptions {
  loaded: LoadedPlugin;
  place: Place;
  instance?: string;
}

/**
 * Resolve a plugin's files for a place (and instance).
 * @throws KitcfgError `USAGE` for an instance given to a plugin without instances, or an
 * instance name that is not a plain folder name; `PLUGIN_FAILED` when a path function throws.
 */
export function resolveTarget(options: ResolveTargetOptions): Target {
  const { loaded, place } = options;
  const plugin = loaded.plugin;
  const instance = pickInstance(plugin, options.instance);
  const paths: Record<string, string> = {};
  const ctx = makeContext(place, instance, paths);
  const mounts = Object.values(plugin.files).map((spec) => spec.mount ?? "");
  const files: TargetFile[] = [];
  let mainFound = false;
  for (const [key, spec] of Object.entries(plugin.files)) {
    const raw = callPlugin(loaded, `files.${key}.path`, () =>
      typeof spec.path === "function" ? spec.path(ctx) : spec.path,
    );
    const path = resolveIn(place, raw);
    paths[key] = path;
    const mount = spec.mount ? parseKeyPath(spec.mount) : [];
    const main: boolean = !mainFound && mount.length === 0 && !spec.derive;
    mainFound ||= main;
    files.push({ key, spec, path, mount, main, secret: isSecretFile(plugin, spec, mounts) });
  }
  return { loaded, plugin, instance, ctx, files, label: instance ? `${plugin.name}/${instance}` : plugin.name };
}

/**
 * Run a plugin's function, stamping its name and file on anything it throws that is not
 * already a user-facing error, and checking that what it returns has the shape its hook
 * promises (`validate` a list of issues, `env` strings, ...): a plugin's bug is reported as
 * that plugin's error (`PLUGIN_FAILED`), never as kitcfg's. Only `defaults` and `validate`
 * may return a Promise (given back, to be awaited); from any other hook one is refused, as
 * its caller would take the Promise for the value. Names `instances.list` gives that are
 * not instance names are left out (see `skippedInstancesIssue`).
 */
export function callPlugin<T>(loaded: LoadedPlugin, what: string, fn: () => T): T {
  try {
    const result = fn();
    if (isThenable(result)) {
      if (!ASYNC_HOOKS.has(hookOf(what))) throw promiseReturned(loaded, what, result);
      return Promise.resolve(result).then(
        (value: unknown) => checkResult(loaded, what, value),
        (error: unknown) => {
          throw wrapPluginError(loaded, what, error);
        },
      ) as T;
    }
    return checkResult(loaded, what, result);
  } catch (error) {
    throw wrapPluginError(loaded, what, error);
  }
}

/**
 * A warning for `validate` about the names `target`'s plugin gave from `instances.list` that
 * are not instance names (a hidden folder in the instances' base): they were skipped. Given
 * once per listing, for the first instance listed; undefined when nothing was skipped.
 */
export function skippedInstancesIssue(target: Target): Issue | undefined {
  const skipped = SKIPPED_INSTANCES.get(target.loaded);
  if (!skipped || skipped.reportedWith !== (target.instance ?? "")) return undefined;
  const shown = skipped.names.slice(0, 3).map(quotedName).join(", ");
  const more = skipped.names.length > 3 ? ` and ${skipped.names.length - 3} more` : "";
  return {
    key: "",
    severity: "warning",
    message:
      `${pluginLabel(target.loaded)} gave ${shown}${more} from instances.list: skipped, not ` +
      `${skipped.names.length === 1 ? "an instance name" : "instance names"} (letters, digits, ".", "_" and "-")`,
  };
}

/**
 * A target for a plugin whose files or instances cannot be resolved: operations on it
 * report `failure` for this daemon and go on with the others.
 */
export function failedTarget(loaded: LoadedPlugin, failure: KitcfgError, instance?: string): Target {
  const ctx = makeContext({ home: "", env: {} } as unknown as Place, instance, {});
  return {
    loaded,
    plugin: loaded.plugin,
    instance,
    ctx,
    files: [],
    label: instance ? `${loaded.plugin.name}/${instance}` : loaded.plugin.name,
    failure,
  };
}

/**
 * A daemon (and instance) as a command line names it, for hints that say what to run next:
 * `DAEMON --instance NAME`, so the command reaches the same instance.
 */
export function commandWords(daemon: string, instance?: string): string {
  return instance === undefined ? daemon : `${daemon} --instance ${instance}`;
}

/**
 * Refuse an instance given where every daemon is meant ("all", or no daemon named): it
 * names one daemon's configuration, and would otherwise be ignored without a word.
 * @throws KitcfgError `USAGE` when `instance` is given.
 */
export function refuseInstanceForAll(instance: string | undefined): void {
  if (instance === undefined) return;
  throw new KitcfgError(
    "USAGE",
    `Cannot use instance ${quotedName(instance)} for every daemon: an instance belongs to one daemon`,
    { hint: "Name the daemon it belongs to, or leave the instance out" },
  );
}

// --- internal ---

function pickInstance(plugin: Plugin, given: string | undefined): string | undefined {
  if (!plugin.instances) {
    if (given !== undefined)
      throw new KitcfgError("USAGE", `${plugin.name} has no instances: drop --instance ${quotedName(given)}`);
    return undefined;
  }
  const name = given ?? plugin.instances.default;
  if (!INSTANCE_NAME.test(name)) {
    throw new KitcfgError(
      "USAGE",
      `Invalid instance name ${quotedName(name.replaceAll("\0", "\\0"))} for ${plugin.name}: ` +
        `use up to 128 letters, digits, ".", "_" and "-", starting with a letter or digit`,
    );
  }
  return name;
}

/** The context plugin hooks get, for a place (home, root, environment) and instance. */
export function makeContext(place: Place, instance: string | undefined, paths: Record<string, string>): PluginContext {
  return {
    env: place.env,
    home: place.home,
    root: place.root,
    instance,
    // Read when a plugin asks (a daemon that names its peer after the host): node:os costs start-up time.
    get hostname() {
      return (require("node:os") as typeof import("node:os")).hostname();
    },
    paths,
    resolve: (path: string) => resolveIn(place, path),
    daemonPath: (path: string) => (place.root === undefined ? resolveIn(place, path) : path),
    readText: (path: string) => {
      // As the core reads a config file: a byte that is not UTF-8 kept (see `nonUtf8Problem`), not replaced.
      const bytes = readBytesIfAny(resolveIn(place, path));
      return bytes === undefined ? undefined : decodeBytes(bytes);
    },
    listDir: (path: string) => folderNames(resolveIn(place, path))?.sort(),
    exists: (path: string) => pathExists(resolveIn(place, path)),
    fileKind: (path: string) => fileKind(resolveIn(place, path)),
    isLockHeld: (path: string) => isLockHeld(resolveIn(place, path)),
  };
}

/**
 * Whether the kernel's lock table lists a lock on the file, matched by device and inode.
 * Testing by taking the lock, as a daemon's own "is it locked" check does, would hold it for
 * a moment: a daemon starting right then would fail. /proc/locks is only read, and only when
 * the lock file exists: reading it can take milliseconds (15 ms seen on a small VM).
 */
function isLockHeld(path: string): boolean | undefined {
  const id = fileIdentity(path);
  if (id === undefined) return false;
  const table = readBytesIfAny("/proc/locks");
  if (table === undefined) return undefined;
  // "1: POSIX  ADVISORY  WRITE 1234 fe:00:2155901 0 EOF"; a waiter's line has "->" after the number.
  return new TextDecoder()
    .decode(table)
    .split("\n")
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      if (fields[1] === "->") return false;
      const match = /^([0-9a-f]+):([0-9a-f]+):(\d+)$/i.exec(fields[5] ?? "");
      return (
        match !== null &&
        Number.parseInt(match[1]!, 16) === id.major &&
        Number.parseInt(match[2]!, 16) === id.minor &&
        BigInt(match[3]!) === id.ino
      );
    });
}

/** A file is secret if it says so or if a secret key path falls inside its mount. */
function isSecretFile(plugin: Plugin, spec: FileSpec, mounts: string[]): boolean {
  if (spec.secret) return true;
  if (spec.secret === false && spec.derive) return false;
  const mount = spec.mount ?? "";
  return (plugin.secrets ?? []).some((secret) => {
    if (mount !== "") return secret === mount || secret.startsWith(`${mount}.`);
    return !mounts.some((m) => m !== "" && (secret === m || secret.startsWith(`${m}.`)));
  });
}

/** Hooks whose callers wait for a Promise; every other hook must return its value. */
const ASYNC_HOOKS = new Set(["defaults", "validate", "unread"]);

/**
 * The names the last `instances.list` of each plugin gave that are not instance names, and
 * the instance whose `validate` report carries the one warning about them.
 */
const SKIPPED_INSTANCES = new WeakMap<LoadedPlugin, { names: string[]; reportedWith: string }>();

/** What each hook must return, by the name `callPlugin` is given (`profiles.NAME` as `profiles`). */
const RESULT_SHAPES: Record<string, [check: (value: unknown) => boolean, expected: string]> = {
  defaults: [isObject, "a configuration object"],
  update: [isObject, "a configuration object"],
  profiles: [isObject, "a configuration object"],
  validate: [isIssueList, "a list of { key, message } issues"],
  checks: [isIssueList, "a list of { key, message } issues"],
  listens: [isListenerList, "a list of { key, address } listeners"],
  unread: [isStringList, "a list of key paths"],
  env: [(v) => isObject(v) && Object.values(v).every((x) => typeof x === "string"), "an object of string values"],
  args: [isStringList, "a list of strings"],
  "instances.list": [isStringList, "a list of instance names"],
  running: [(v) => v === undefined || typeof v === "string", "a string or undefined"],
  facts: [isObject, "an object of public facts"],
  repair: [(v) => isObject(v) && isObject(v.texts) && Array.isArray(v.fixes), "{ texts, fixes }"],
  path: [(v) => typeof v === "string" && v.length > 0, "a path"],
  template: [(v) => typeof v === "string", "a string"],
  keyDocs: [(v) => isObject(v) && Object.values(v).every(isKeyDoc), "an object of { doc, default } by key path"],
};

/** The hook `what` names: `files.KEY.derive` is `derive`, `profiles.NAME` is `profiles`. */
function hookOf(what: string): string {
  if (what.startsWith("files.")) return what.slice(what.lastIndexOf(".") + 1);
  return what.startsWith("profiles.") ? "profiles" : what;
}

function checkResult<T>(loaded: LoadedPlugin, what: string, value: T): T {
  const hook = hookOf(what);
  const shape = RESULT_SHAPES[hook];
  if (shape && !shape[0](value)) throw misshapen(loaded, what, value, shape[1]);
  return hook === "instances.list" ? (keepInstanceNames(loaded, value as string[]) as T) : value;
}

/**
 * The names of `listed` that can be instances; the others (a hidden folder, a name with a
 * blank) are remembered for one warning, so one odd folder in the instances' base does not
 * hide every instance of the daemon.
 */
function keepInstanceNames(loaded: LoadedPlugin, listed: string[]): string[] {
  const kept = listed.filter((name) => INSTANCE_NAME.test(name));
  if (kept.length === listed.length) SKIPPED_INSTANCES.delete(loaded);
  else {
    const names = listed.filter((name) => !INSTANCE_NAME.test(name));
    SKIPPED_INSTANCES.set(loaded, { names, reportedWith: kept[0] ?? loaded.plugin.instances?.default ?? "" });
  }
  return kept;
}

/**
 * The error for a hook that returned a Promise where its caller needs the value (an `async`
 * derive, encode, decode or update: TypeScript lets one through where the hook's type is
 * `unknown`, and the caller would take the Promise for the value).
 */
function promiseReturned(loaded: LoadedPlugin, what: string, result: PromiseLike<unknown>): KitcfgError {
  // Its rejection, if it comes, is part of this error: not an unhandled rejection ending the run.
  Promise.resolve(result).catch(() => {});
  return new KitcfgError(
    "PLUGIN_FAILED",
    `${pluginLabel(loaded)} returned a Promise from ${what}: the hook must return its value, not a Promise`,
    {
      file: loaded.source === "built-in" ? undefined : loaded.source,
      hint: `Make ${what} a plain function, not async: kitcfg waits only for ${[...ASYNC_HOOKS].join(", ")}`,
    },
  );
}

function misshapen(loaded: LoadedPlugin, what: string, value: unknown, expected: string): KitcfgError {
  return new KitcfgError(
    "PLUGIN_FAILED",
    `${pluginLabel(loaded)} returned ${describe(value)} from ${what}: expected ${expected}`,
    {
      file: loaded.source === "built-in" ? undefined : loaded.source,
    },
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function isKeyDoc(value: unknown): boolean {
  return isObject(value) && (value.doc === undefined || typeof value.doc === "string");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function isListenerList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (l) =>
        isObject(l) &&
        typeof l.key === "string" &&
        typeof l.address === "string" &&
        (l.written === undefined ||
          (isObject(l.written) && typeof l.written.address === "string" && typeof l.written.why === "string")) &&
        (l.variable === undefined || typeof l.variable === "string"),
    )
  );
}

function isIssueList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((item) => isObject(item) && typeof item.key === "string" && typeof item.message === "string")
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "a list that does not fit";
  return typeof value === "object" ? "an object that does not fit" : `a ${typeof value}`;
}

function pluginLabel(loaded: LoadedPlugin): string {
  return `Plugin "${loaded.plugin.name}"${loaded.source === "built-in" ? "" : ` (${loaded.source})`}`;
}

function wrapPluginError(loaded: LoadedPlugin, what: string, error: unknown): KitcfgError {
  if (error instanceof KitcfgError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new KitcfgError("PLUGIN_FAILED", `${pluginLabel(loaded)} failed in ${what}: ${reason.split("\n")[0]}`, {
    cause: error,
    file: loaded.source === "built-in" ? undefined : loaded.source,
  });
}
