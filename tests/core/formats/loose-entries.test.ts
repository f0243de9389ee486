import { expect, test } from "bun:test";
import { commentEntries, looseEntries } from "../../../core/formats/_loose-entries.ts";
import { seededRandom } from "../../_safety.ts";

// Key-value lines read loosely, to find secrets in text no format reads (core/formats/_loose-entries.ts).

/** The line rule as one regex states it (the former implementation), for lines short enough to run it on. */
const BY_REGEX = /^\s*(?:[#;]+\s*)?(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)[\s,]*$/;
const lineByRegex = (line: string) => {
  const match = BY_REGEX.exec(line);
  if (!match) return [];
  const value = match[2]!.replace(/^(["'])(.*?)\1?$/, "$2");
  return value ? [{ path: [match[1]!], value }] : [];
};

test("KEY=VALUE, KEY: VALUE, quoted, exported and commented out; blanks and commas after a value dropped", () => {
  const text = [
    "a=1",
    '  export B = "two" ,',
    "#c: 'three'",
    ";; d = four\t, ,",
    "e =",
    "no key here",
    '{"f": "five", "g": "six\\u0021"}',
  ].join("\n");
  expect(looseEntries(text)).toEqual([
    { path: ["a"], value: "1" },
    { path: ["B"], value: "two" },
    { path: ["c"], value: "three" },
    { path: ["d"], value: "four" },
    { path: ["f"], value: "five" },
    { path: ["g"], value: "six\\u0021" },
    { path: ["g"], value: "six!" },
  ]);
  expect(commentEntries("x = 1\n  # y = 2\n")).toEqual([{ path: ["y"], value: "2" }]);
});

test("the same as the one-regex rule on random lines of key-value pieces", () => {
  const next = seededRandom(43);
  const pieces = ["a", "K_1", " ", "\t", ",", "=", ":", "#", ";", '"', "'", "export ", "x y", "\r", "\u2028", "\u00a0"];
  for (let round = 0; round < 20_000; round++) {
    const length = 1 + Math.floor(next() * 12);
    const line = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join("");
    // A line with a `"` may add the JSON-member reading after the line rule's entry.
    const expected = lineByRegex(line);
    expect([line, looseEntries(line).slice(0, expected.length)]).toEqual([line, expected]);
    if (expected.length === 0 && !line.includes('"')) expect(looseEntries(line)).toEqual([]);
  }
});

test("a line of 100 KB of blanks and commas before its end is read once, not once per length of its value", () => {
  // The regex took 0.5 s for 32 KB of them and grew with the square: minutes for a megabyte.
  const line = `#Token = ${" ,".repeat(500_000)}x`;
  // The blank after `=` goes with it.
  expect(looseEntries(line)).toEqual([{ path: ["Token"], value: `,${" ,".repeat(499_999)}x` }]);
}, 10_000);
