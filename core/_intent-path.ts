/**
 * Where intent records live (see `_intent.ts`), apart from the code that settles one: a
 * reader looks for a record on every read and finds one only after a killed writer.
 */
import { join } from "node:path";
import { pathExists, readBytesIfAny } from "./_fs.ts";
import { stateDir } from "./paths.ts";
import type { Target } from "./target.ts";

/** Where a target's intent record lives: its history folder. */
export function intentPath(target: Target): string {
  const parts = [
    stateDir({ home: target.ctx.home, root: target.ctx.root, env: target.ctx.env }),
    "history",
    target.plugin.name,
  ];
  if (target.instance) parts.push(target.instance);
  return join(...parts, ".intent.json");
}

/**
 * Whether a target has an intent record: a change a killed writer left half-made. Asked
 * before every read, and almost always answered no: one access(2) settles that.
 */
export function hasIntent(target: Target): boolean {
  const path = intentPath(target);
  return pathExists(path) && readBytesIfAny(path) !== undefined;
}
