import { expect, test } from "bun:test";
import { KitcfgError } from "../../core/errors.ts";
import {
  checkKeyPath,
  deepEqual,
  diffValues,
  forbiddenKeyIn,
  getPath,
  lookupPath,
  parseKeyPath,
  setPath,
  unsetPath,
  withChanges,
} from "../../core/keypath.ts";
import { loadFormat } from "../../core/formats/index.ts";
import type { Change } from "../../core/formats/types.ts";

test("parseKeyPath() refuses empty segments, NUL bytes and prototype keys", () => {
  expect(parseKeyPath("Addresses.API")).toEqual(["Addresses", "API"]);
  for (const bad of ["", "a..b", ".a", "a.", "a\0b", "__proto__", "a.constructor.prototype", "prototype"]) {
    expect(() => parseKeyPath(bad)).toThrow(KitcfgError);
  }
});

test("checkKeyPath() takes segments that hold dots, and refuses what parseKeyPath refuses in a segment", () => {
  expect(checkKeyPath(["DNS", "Resolvers", "."])).toEqual(["DNS", "Resolvers", "."]);
  expect(checkKeyPath(["Gateway", "PublicGateways", "dweb.link"])).toEqual(["Gateway", "PublicGateways", "dweb.link"]);
  for (const bad of [[], [""], ["a", ""], ["a\0b"], ["a", "__proto__"], ["constructor"], ["x".repeat(2000)]]) {
    expect(() => checkKeyPath(bad)).toThrow(KitcfgError);
  }
});

test("setPath() and unsetPath() copy, create levels, and never touch a prototype", () => {
  const base = { a: { b: 1 }, keep: true };
  const set = setPath(base, ["a", "c", "d"], 2);
  expect(set).toEqual({ a: { b: 1, c: { d: 2 } }, keep: true });
  expect(base).toEqual({ a: { b: 1 }, keep: true });
  expect(unsetPath(set, ["a", "b"])).toEqual({ a: { c: { d: 2 } }, keep: true });
  const odd = setPath({}, ["__proto__", "polluted"], 1) as Record<string, unknown>;
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
  expect(getPath(odd, ["__proto__", "polluted"])).toBe(1);
});

test("diffValues() lists leaf changes and replaces arrays whole", () => {
  expect(diffValues({ a: 1, b: { c: [1], d: 2 } }, { a: 1, b: { c: [1, 2] }, e: "x" })).toEqual([
    { op: "unset", path: ["b", "d"] },
    { op: "set", path: ["b", "c"], value: [1, 2] },
    { op: "set", path: ["e"], value: "x" },
  ]);
  expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
  expect(deepEqual(1n, 1)).toBe(true);
  expect(deepEqual(new Date(0), new Date(1))).toBe(false);
});

test("lookupPath indexes lists by whole numbers, as readers expect; getPath, used for edits, does not", () => {
  const config = { Bootstrap: ["/ip4/1.2.3.4/tcp/4001", "/ip4/5.6.7.8/tcp/4001"], Peering: { Peers: [{ ID: "a" }] } };
  expect(lookupPath(config, ["Bootstrap", "1"])).toBe("/ip4/5.6.7.8/tcp/4001");
  expect(lookupPath(config, ["Peering", "Peers", "0", "ID"])).toBe("a");
  for (const index of ["2", "01", "-1", "1.0", "length"])
    expect(lookupPath(config, ["Bootstrap", index])).toBeUndefined();
  expect(getPath(config, ["Bootstrap", "0"])).toBeUndefined();
});

test("forbiddenKeyIn finds a prototype-named key at any depth, in objects and lists, with its path", () => {
  expect(forbiddenKeyIn(JSON.parse('{"a": [1, {"b": {"__proto__": 1}}]}'))).toEqual(["a", "1", "b", "__proto__"]);
  expect(forbiddenKeyIn({ a: { constructor: 1 } })).toEqual(["a", "constructor"]);
  expect(forbiddenKeyIn([{ prototype: 1 }])).toEqual(["0", "prototype"]);
  expect(forbiddenKeyIn({ a: [{ b: "constructor" }], c: { proto: 1 } })).toBeUndefined();
  // An inherited enumerable property is not the value's own key.
  expect(forbiddenKeyIn(Object.create({ constructor: 1 }))).toBeUndefined();
});

test("forbiddenKeyIn searches a value nested 100,000 levels deep without running out of stack", () => {
  const nest = (inner: unknown) => {
    let value = inner;
    for (let i = 0; i < 100_000; i++) value = i % 2 ? { k: value } : [value];
    return value;
  };
  expect(forbiddenKeyIn(nest({ x: 1 }))).toBeUndefined();
  expect(forbiddenKeyIn(nest(JSON.parse('{"__proto__": 1}')))?.at(-1)).toBe("__proto__");
});

test("a long list of a parsed file is walked once for depth and prototype keys; such a key is found", async () => {
  const json = await loadFormat("json");
  const items = Array.from({ length: 100 }, (_, i) => `{"id": ${i}, "tags": ["a", {"b": [${i}]}]}`);
  const clean = json.parse(`{"list": [${items.join(", ")}], "other": [{"x": 1}]}`);
  expect(forbiddenKeyIn(clean)).toBeUndefined();
  items[70] = '{"id": 70, "tags": [{"constructor": 1}]}';
  const held = json.parse(`{"list": [${items.join(", ")}]}`);
  expect(forbiddenKeyIn(held)).toEqual(["list", "70", "tags", "0", "constructor"]);
  // Outside any long list, in the same file.
  const beside = json.parse(`{"list": [${items.slice(0, 64).join(", ")}], "x": {"__proto__": {}}}`);
  expect(forbiddenKeyIn(beside)).toEqual(["x", "__proto__"]);
  // Too deep is refused as before.
  expect(() => json.parse(`${"[".repeat(65)}${"]".repeat(65)}`)).toThrow("nested more than 64 levels deep");
});

test("withChanges gives what setPath and unsetPath give in turn, and leaves every value it was given alone", () => {
  const root = { a: { b: 1, c: { d: 2 } }, list: [1, 2], e: "x" };
  const given = { x: 1 };
  const changes: Change[] = [
    { op: "set", path: ["a", "n"], value: given },
    { op: "set", path: ["a", "n", "y"], value: 2 },
    { op: "unset", path: ["a", "c", "d"] },
    { op: "set", path: ["list", "k"], value: true },
    { op: "set", path: ["e", "f"], value: null },
    { op: "unset", path: ["missing", "z"] },
    { op: "set", path: ["a", "b"], value: 3 },
  ];
  const before = structuredClone(root);
  const oneByOne = changes.reduce<unknown>(
    (value, change) =>
      change.op === "set" ? setPath(value, change.path, change.value) : unsetPath(value, change.path),
    root,
  );
  expect(withChanges(root, changes)).toEqual(oneByOne);
  expect(root).toEqual(before);
  expect(given).toEqual({ x: 1 });
  expect(withChanges(root, [{ op: "set", path: [], value: 5 }])).toBe(5);
  expect(withChanges(root, [])).toBe(root);
});
