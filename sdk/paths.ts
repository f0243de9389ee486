import { getPath, isPlainObject, parseKeyPath, setPath, unsetPath } from "../core/keypath.ts";
import type { KeyPath } from "../core/formats/types.ts";

/** A key path as plugins write it: dotted text (`Swarm.ConnMgr.HighWater`) or its segments. */
export type KeyPathLike = string | KeyPath;

/**
 * The value at `key` (`"Swarm.ConnMgr.HighWater"` or `["Swarm", "ConnMgr", "HighWater"]`); undefined when any
 * level is missing.
 */
export function getAt(root: unknown, key: KeyPathLike): unknown {
  return getPath(root, segments(key));
}

/** A copy of `root` with `value` at `key`; missing levels become objects. The input is not changed. */
export function setAt<T>(root: T, key: KeyPathLike, value: unknown): T {
  return setPath(root, segments(key), value) as T;
}

/** A copy of `root` without `key`. The input is not changed. */
export function unsetAt<T>(root: T, key: KeyPathLike): T {
  return unsetPath(root, segments(key)) as T;
}

/** The object at `key`, or an empty one when it is absent or not an object: for reading nested sections safely. */
export function sectionAt(root: unknown, key: KeyPathLike): Record<string, unknown> {
  const value = getAt(root, key);
  return isPlainObject(value) ? value : {};
}

/** The strings of a list value, ignoring anything else (a hand-edited list may hold other types). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

// --- internal ---

function segments(key: KeyPathLike): KeyPath {
  return typeof key === "string" ? parseKeyPath(key) : key;
}
