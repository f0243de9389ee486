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
