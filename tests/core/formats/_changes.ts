import { expect } from "bun:test";
import type { Change } from "../../../core/formats/types.ts";

/** A set change at a dotted path, for format edit tests. */
export const set = (path: string, value: unknown): Change => ({ op: "set", path: path.split("."), value });

/** An unset change at a dotted path. */
export const unset = (path: string): Change => ({ op: "unset", path: path.split(".") });

/** Line numbers (1-based) whose text differs, for edits that keep the line count. */
export function changedLines(before: string, after: string): number[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [i + 1]));
}
