import { describe, expect, test } from "bun:test";
import { lookupJson } from "../../../core/formats/_json-lookup.ts";
import { exceedsDepth } from "../../../core/keypath.ts";
import { lookupPath } from "../../../core/keypath.ts";
import { seededRandom } from "../../_safety.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What `lookupJson` answers, in terms a parse would give: the value, absent, or undecided. */
function viaBytes(text: string, path: string[], maxDepth = 64): unknown {
  const found = lookupJson(encoder.encode(text), path, maxDepth);
  if (found.kind !== "found") return found.kind;
  return { value: JSON.parse(decoder.decode(found.bytes)), levels: found.levels };
}

/** What the whole parse answers: the value at the path (with its containers' kinds), or absent. */
function viaParse(text: string, path: string[]): unknown {
  const root = JSON.parse(text.replace(/^\uFEFF/, ""));
  const value = lookupPath(root, path);
  if (value === undefined) return "absent";
  const levels = path.map((_, depth) => (Array.isArray(lookupPath(root, path.slice(0, depth))) ? "array" : "object"));
  return { value, levels };
}

const KEYS = ["a", "b", "API", "0", "1", "é", "__proto__", "", "a.b", 'q"uote', "tab\t", "\u2028"];

/** A random document as text, with duplicate keys, escapes, odd spacing and every kind of value. */
function randomDocument(random: () => number, depth = 0): string {
  const space = () => [" ", "", "\n  ", "\t", "\r\n"][Math.floor(random() * 5)]!;
  const roll = random();
  if (depth > 3 || roll < 0.3) {
    const scalars = [
      "1",
      "-0",
      "2.5e-3",
      "1E+2",
      "true",
      "false",
      "null",
      '"x"',
      '"\\u00e9\\n"',
      '"é"',
      '"a\\"b"',
      "0.0",
    ];
    return scalars[Math.floor(random() * scalars.length)]!;
  }
  const count = Math.floor(random() * 4);
  const entries: string[] = [];
  if (roll < 0.65) {
    for (let i = 0; i < count; i++) {
      const key = KEYS[Math.floor(random() * KEYS.length)]!;
      const spelled =
        random() < 0.2
          ? `"${[...key].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
          : JSON.stringify(key);
      entries.push(`${space()}${spelled}${space()}:${space()}${randomDocument(random, depth + 1)}${space()}`);
    }
    return `{${entries.join(",")}${space()}}`;
  }
  for (let i = 0; i < count; i++) entries.push(`${space()}${randomDocument(random, depth + 1)}${space()}`);
  return `[${entries.join(",")}${space()}]`;
}

function randomPath(random: () => number): string[] {
  const length = Math.floor(random() * 4);
  return Array.from({ length }, () =>
    random() < 0.3 ? String(Math.floor(random() * 3)) : KEYS[Math.floor(random() * KEYS.length)]!,
  );
}

describe("lookupJson", () => {
  test("finds what a whole parse finds, on thousands of random documents and paths", () => {
    const random = seededRandom(11);
    let found = 0;
    for (let n = 0; n < 4000; n++) {
      const text = randomDocument(random);
      for (let k = 0; k < 4; k++) {
        const path = randomPath(random);
        const expected = viaParse(text, path);
        expect({ text, path, got: viaBytes(text, path) }).toEqual({ text, path, got: expected });
        if (expected !== "absent") found++;
      }
    }
    // The documents lead somewhere often enough for the comparison to mean something.
    expect(found).toBeGreaterThan(3000);
  });

  test("never answers for a document a parse refuses: the whole parse then says where", () => {
    const random = seededRandom(5);
    let broken = 0;
    for (let n = 0; n < 4000; n++) {
      const good = randomDocument(random);
      // One byte dropped, doubled or replaced by a character JSON gives meaning to.
      const at = Math.floor(random() * good.length);
      const cut = [
        good.slice(0, at) + good.slice(at + 1),
        good.slice(0, at) + good[at] + good.slice(at),
        `${good.slice(0, at)}${'{}[],:"\\ 0-e.tx\u0001'[Math.floor(random() * 18)]}${good.slice(at + 1)}`,
      ][n % 3]!;
      let parses = true;
      try {
        JSON.parse(cut);
      } catch {
        parses = false;
      }
      for (const path of [[], ["a"], ["0"], randomPath(random)]) {
        const got = viaBytes(cut, path);
        if (parses) expect({ cut, path, got }).toEqual({ cut, path, got: viaParse(cut, path) });
        else expect({ cut, path, got }).toEqual({ cut, path, got: "undecided" });
      }
      if (!parses) broken++;
    }
    expect(broken).toBeGreaterThan(1500);
  });

  test("the last of duplicate keys wins, as JSON.parse and Go's decoder read them", () => {
    const text = '{"A": {"x": 1}, "B": 2, "A": {"y": 3}}';
    expect(viaBytes(text, ["A", "x"])).toBe("absent");
    expect(viaBytes(text, ["A", "y"])).toEqual({ value: 3, levels: ["object", "object"] });
  });

  test("a whole number indexes an array; anything else leads nowhere", () => {
    const text = '{"P": [{"ID": "a"}, {"ID": "b"}], "O": {"0": "zero"}}';
    expect(viaBytes(text, ["P", "1", "ID"])).toEqual({ value: "b", levels: ["object", "array", "object"] });
    expect(viaBytes(text, ["P", "01"])).toBe("absent");
    expect(viaBytes(text, ["P", "2"])).toBe("absent");
    expect(viaBytes(text, ["P", "ID"])).toBe("absent");
    expect(viaBytes(text, ["O", "0"])).toEqual({ value: "zero", levels: ["object", "object"] });
    expect(viaBytes(text, ["P", "0", "ID", "x"])).toBe("absent");
  });

  test("a leading BOM is skipped; text after the document, or none at all, is not a document", () => {
    expect(viaBytes('\uFEFF{"a": 1}', ["a"])).toEqual({ value: 1, levels: ["object"] });
    expect(viaBytes('{"a": 1} x', ["a"])).toBe("undecided");
    expect(viaBytes('{"a": 1}{}', ["a"])).toBe("undecided");
    expect(viaBytes("", [])).toBe("undecided");
    expect(viaBytes("  ", [])).toBe("undecided");
  });

  test("nesting past the limit is left to the whole parse, which refuses it", () => {
    const deep = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
    expect(exceedsDepth(JSON.parse(deep(64)), 64)).toBe(false);
    expect(viaBytes(deep(64), [])).toEqual({ value: JSON.parse(deep(64)), levels: [] });
    expect(exceedsDepth(JSON.parse(deep(65)), 64)).toBe(true);
    expect(viaBytes(deep(65), [])).toBe("undecided");
  });
});
