/**
 * Helpers for the safety tests (crash, concurrency, failures, secrets, fuzz) and their
 * longer runs in bench/: they look at whichever plugins are loaded, so a new daemon is
 * covered without touching the tests.
 */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { update } from "../core/change.ts";
import { openKit } from "../core/kit.ts";
import type { Kit } from "../core/kit.ts";
import { getPath } from "../core/keypath.ts";
import { readSnapshot } from "../core/snapshot.ts";
import { cleanEnv } from "./helpers.ts";

/** A leaf of a plugin's schema: its key path and the type it holds. */
export interface SchemaLeaf {
  path: string[];
  kind: "boolean" | "string" | "number" | "other";
}

/** A session on `root` with the built-in plugins only (no user plugin folders). */
export function openTestKit(root: string, env: Record<string, string> = {}): Promise<Kit> {
  return openKit({ root, env: cleanEnv(root, env), cwd: root, userPlugins: false });
}

/** The built-in plugins' names, as the binary built from the same files knows them. */
export async function pluginNames(root: string): Promise<string[]> {
  return (await openTestKit(root)).registry.plugins.map((p) => p.plugin.name);
}

/** Every leaf of a valibot object schema, through optional wrappers and nested objects. */
export function schemaLeaves(schema: unknown, at: string[] = []): SchemaLeaf[] {
  const node = unwrap(schema);
  if (node.entries) return Object.entries(node.entries).flatMap(([key, child]) => schemaLeaves(child, [...at, key]));
  const kind = node.type === "boolean" || node.type === "string" || node.type === "number" ? node.type : "other";
  return at.length === 0 ? [] : [{ path: at, kind }];
}

/**
 * A key of `daemon` that can be switched between two values on a configured root, found
 * by trying each one (dry runs): a boolean if there is one, else a number, else a string.
 * Undefined when none switches on its own.
 */
export async function findToggle(
  root: string,
  daemon: string,
): Promise<{ key: string; values: [string, string] } | undefined> {
  const kit = await openTestKit(root);
  const target = kit.target(daemon);
  const config = (await readSnapshot(target)).config;
  const leaves = schemaLeaves(target.plugin.schema);
  for (const kind of ["boolean", "number", "string"] as const) {
    for (const leaf of leaves.filter((l) => l.kind === kind)) {
      const key = leaf.path.join(".");
      const now = getPath(config, leaf.path);
      const base = typeof now === "number" ? now : 0;
      const values: [string, string] =
        kind === "boolean"
          ? [String(now !== true), String(now === true)]
          : kind === "number"
            ? [String(base + 1), String(base + 2)]
            : ["kitcfg-a", "kitcfg-b"];
      try {
        for (const text of values) await update(kit, { daemon, requests: [{ op: "set", key, text }], dryRun: true });
        return { key, values };
      } catch {
        // this key does not switch on its own (another key must change with it): try the next
      }
    }
  }
  return undefined;
}

/** Every path below `dir` (files, links and folders), relative, sorted. */
export function listTree(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(dir, prefix));
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    out.push(rel);
    if (lstatSync(join(dir, rel)).isDirectory()) out.push(...listTree(dir, rel));
  }
  return out;
}

/** Leftovers a finished kitcfg run must not leave: temporary files and locks. */
export function leftovers(dir: string): string[] {
  return listTree(dir).filter((p) => /\.kitcfg-\d+-[a-z0-9]*\.tmp$|\.lock$|\.lock\.takeover$/.test(p));
}

/** A small seeded generator (mulberry32): the same seed gives the same cases. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- internal ---

interface Node {
  type?: string;
  entries?: Record<string, unknown>;
  wrapped?: unknown;
}

function unwrap(schema: unknown): Node {
  let node = schema as Node;
  while (node.wrapped) node = node.wrapped as Node;
  return node;
}
