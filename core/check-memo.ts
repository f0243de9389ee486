import type { Issue } from "./errors.ts";
import type { PluginContext } from "./plugin.ts";
import type { Snapshot } from "./snapshot.ts";
import type { FileState } from "./_file-state.ts";
import type { Target } from "./target.ts";

/** A daemon's files as read and checked: what `validate` and `status` report on. */
export interface CheckedTarget {
  snapshot: Snapshot;
  /** Issues of the files and of the configuration. */
  issues: Issue[];
  /** The secret values in the configuration, for redaction. */
  secrets: string[];
}

/**
 * Checked daemons kept across the calls of a long-running session (the MCP server, which
 * validates every daemon again on each call). An entry is used only while everything it
 * was computed from is unchanged: the text and mode of each file, just read again, and
 * every answer the plugin got from its context (a file it read with `readText`, a lock,
 * the host name, an environment variable), asked again. Built-in plugins only: a user
 * plugin may read the disk by other means.
 */
export interface CheckMemo {
  entries: Map<string, MemoEntry>;
}

export function createCheckMemo(): CheckMemo {
  return { entries: new Map() };
}

/**
 * `check(target)` for files read as `states`, or the result of an earlier call made on the
 * same inputs. The returned snapshot's `target` is always `target`.
 */
export async function recallChecked(
  memo: CheckMemo,
  target: Target,
  states: ReadonlyMap<string, FileState>,
  check: (target: Target) => Promise<CheckedTarget>,
): Promise<CheckedTarget> {
  if (target.loaded.source !== "built-in") return check(target);
  const key = [target.plugin.name, target.instance ?? "", ...target.files.map((f) => f.path)].join("\0");
  const entry = memo.entries.get(key);
  if (
    entry?.loaded === target.loaded &&
    sameStates(entry.states, states) &&
    entry.observed.every((seen) => seen.again(target.ctx))
  ) {
    return withTarget(entry.checked, target);
  }
  const observed: Observation[] = [];
  const checked = await check({ ...target, ctx: recordingContext(target.ctx, observed) });
  memo.entries.delete(key);
  // Modes read now: a state's mode is read from disk when first asked (store.ts), and asked
  // first on the next call it would be the file's mode then, not the one checked.
  const kept = new Map([...states].map(([file, state]) => [file, { text: state.text, mode: state.mode }]));
  memo.entries.set(key, { loaded: target.loaded, states: kept, observed, checked });
  // One entry per daemon and instance; a session that walks through many instances keeps the latest.
  if (memo.entries.size > MAX_ENTRIES) memo.entries.delete(memo.entries.keys().next().value!);
  return withTarget(checked, target);
}

// --- internal ---

const MAX_ENTRIES = 64;

interface MemoEntry {
  loaded: Target["loaded"];
  states: ReadonlyMap<string, FileState>;
  observed: Observation[];
  checked: CheckedTarget;
}

/** One answer the plugin got from its context, and how to ask it again: true when it is the same. */
interface Observation {
  again: (ctx: PluginContext) => boolean;
}

function sameStates(a: ReadonlyMap<string, FileState>, b: ReadonlyMap<string, FileState>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, state] of a) {
    const other = b.get(key);
    if (other === undefined || other.text !== state.text || other.mode !== state.mode) return false;
  }
  return true;
}

/** The checked result with the caller's target: the recording context stays out of later calls. */
function withTarget(checked: CheckedTarget, target: Target): CheckedTarget {
  return { ...checked, snapshot: { ...checked.snapshot, target }, issues: [...checked.issues] };
}

/** `ctx`, noting every answer it gives that could differ on a later call. */
function recordingContext(ctx: PluginContext, observed: Observation[]): PluginContext {
  return {
    env: recordingEnv(ctx.env, observed),
    home: ctx.home,
    root: ctx.root,
    instance: ctx.instance,
    paths: ctx.paths,
    resolve: ctx.resolve,
    daemonPath: ctx.daemonPath,
    get hostname() {
      const value = ctx.hostname;
      observed.push({ again: (now) => now.hostname === value });
      return value;
    },
    readText: (path: string) => {
      const value = ctx.readText(path);
      observed.push({ again: (now) => now.readText(path) === value });
      return value;
    },
    listDir: (path: string) => {
      const value = ctx.listDir(path);
      const text = JSON.stringify(value);
      observed.push({ again: (now) => JSON.stringify(now.listDir(path)) === text });
      return value;
    },
    exists: (path: string) => {
      const value = ctx.exists(path);
      observed.push({ again: (now) => now.exists(path) === value });
      return value;
    },
    fileKind: (path: string) => {
      const value = ctx.fileKind(path);
      observed.push({ again: (now) => now.fileKind(path) === value });
      return value;
    },
    isLockHeld: (path: string) => {
      const value = ctx.isLockHeld(path);
      observed.push({ again: (now) => now.isLockHeld(path) === value });
      return value;
    },
  };
}

/** The environment, noting each variable read (or the whole of it, when listed). */
function recordingEnv(env: PluginContext["env"], observed: Observation[]): PluginContext["env"] {
  const whole = (of: PluginContext["env"]) => JSON.stringify(Object.entries(of));
  return new Proxy(env, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof name === "string") observed.push({ again: (now) => now.env[name] === value });
      return value;
    },
    has(target, name) {
      const value = Reflect.has(target, name);
      observed.push({ again: (now) => Reflect.has(now.env, name) === value });
      return value;
    },
    ownKeys(target) {
      const value = whole(target);
      observed.push({ again: (now) => whole(now.env) === value });
      return Reflect.ownKeys(target);
    },
  });
}
