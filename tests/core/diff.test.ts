import { afterEach, beforeEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { unifiedDiff } from "../../core/diff.ts";
import { tempDir } from "../helpers.ts";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** GNU diff's hunks for the same two texts (headers differ: they carry times). */
function gnuDiff(a: string, b: string): string {
  writeFileSync(join(dir, "a"), a);
  writeFileSync(join(dir, "b"), b);
  const out = Bun.spawnSync(["diff", "-u", join(dir, "a"), join(dir, "b")]).stdout.toString();
  return out.split("\n").slice(2).join("\n");
}

const lines = (n: number, change: (i: number) => string | undefined = () => undefined) =>
  `${Array.from({ length: n }, (_, i) => change(i) ?? `line ${i}`)
    .filter((l) => l !== "")
    .join("\n")}\n`;

test("unifiedDiff() gives the same hunks as GNU diff -u", () => {
  const cases: [string, string][] = [
    [lines(20), lines(20, (i) => (i === 3 ? "changed" : undefined))],
    [lines(30), lines(30, (i) => (i === 2 || i === 25 ? "x" : i === 10 ? "" : undefined))],
    [lines(5), `${lines(5)}tail`],
    ["a\nb\nc\n", "c\nb\na\n"],
    ["same\n", "same\r\n"],
  ];
  for (const [a, b] of cases) {
    const ours = unifiedDiff({ before: a, after: b, name: "f" }).split("\n").slice(2).join("\n");
    expect(ours).toBe(gnuDiff(a, b));
  }
});

test("unifiedDiff() is empty for equal texts and uses /dev/null for created and removed files", () => {
  expect(unifiedDiff({ before: "x\n", after: "x\n", name: "/f" })).toBe("");
  expect(unifiedDiff({ before: undefined, after: "x\n", name: "/f" })).toBe(
    "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n",
  );
  expect(unifiedDiff({ before: "x\n", after: undefined, name: "/f" })).toStartWith("--- a/f\n+++ /dev/null\n");
});

test("unifiedDiff() of one line against many keeps that line where the other side has it, both ways", () => {
  /** The two texts a diff's hunks hold (the whole file here: every hunk line is context or a change). */
  const sides = (diff: string) => {
    const body = diff.split("\n").filter((l) => /^[ +-]/.test(l) && !/^(---|\+\+\+) /.test(l));
    const side = (skip: string) =>
      body
        .filter((l) => l[0] !== skip)
        .map((l) => `${l.slice(1)}\n`)
        .join("");
    return [side("+"), side("-"), body.filter((l) => l[0] !== " ").length] as const;
  };
  const wrap = (middle: string[]) => `p1\n${middle.map((l) => `${l}\n`).join("")}s1\n`;
  const many = (n: number, keep: number) => Array.from({ length: n }, (_, i) => (i === keep ? "X" : `m${i}`));
  for (const [one, other, changed] of [
    [["X"], many(40, 0), 39],
    [["X"], many(40, 17), 39],
    [["X"], many(40, 39), 39],
    [["X"], many(40, -1), 41],
    [["X"], ["m0", "X", "X"], 2],
  ] as const) {
    const [x, y] = [wrap([...one]), wrap([...other])];
    for (const [a, b] of [
      [x, y],
      [y, x],
    ] as const) {
      const [before, after, count] = sides(unifiedDiff({ before: a, after: b, name: "f" }));
      expect({ before, after, count }).toEqual({ before: a, after: b, count: changed });
    }
  }
});
