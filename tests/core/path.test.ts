import { describe, expect, test } from "bun:test";
import * as node from "node:path";
import * as ours from "../../core/_path.ts";

// core/_path.ts stands in for node:path in the compiled binary: every function must give
// node's POSIX result. Compared over generated paths: every mix of the segments below.
const SEGMENTS = ["", ".", "..", "a", "b.txt", ".hidden", "c.d.e", "x.", "/"];

function paths(): string[] {
  const out = new Set<string>(["", "/", "//", "///a//b//", "a/./b/../../..", "/a/b/../../../c", ".", ".."]);
  for (const a of SEGMENTS)
    for (const b of SEGMENTS)
      for (const c of SEGMENTS) {
        out.add(`${a}/${b}/${c}`);
        out.add(`${a}${b}/${c}`);
        out.add(`/${a}/${b}${c}/`);
        out.add(`${a}//${b}/${c}//`);
      }
  return [...out];
}

describe("core/_path.ts gives node:path's POSIX results", () => {
  const all = paths();
  const pairs: [string, (p: string) => unknown, (p: string) => unknown][] = [
    ["normalize", ours.normalize, node.posix.normalize],
    ["dirname", ours.dirname, node.posix.dirname],
    ["basename", ours.basename, node.posix.basename],
    ["extname", ours.extname, node.posix.extname],
    ["isAbsolute", ours.isAbsolute, node.posix.isAbsolute],
    ["resolve", ours.resolve, node.posix.resolve],
  ];
  test.each(pairs)("%s", (_name, mine, theirs) => {
    for (const p of all) expect([p, mine(p)]).toEqual([p, theirs(p)]);
  });

  test("join and resolve of several parts, relative", () => {
    const some = all.filter((_, i) => i % 7 === 0);
    for (const a of some)
      for (const b of some) {
        expect([a, b, ours.join(a, b)]).toEqual([a, b, node.posix.join(a, b)]);
        expect([a, b, ours.resolve(a, b)]).toEqual([a, b, node.posix.resolve(a, b)]);
        expect([a, b, ours.relative(a, b)]).toEqual([a, b, node.posix.relative(a, b)]);
      }
    expect(ours.join()).toBe(node.posix.join());
    expect(ours.resolve()).toBe(node.posix.resolve());
  });
});
