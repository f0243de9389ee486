import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "../../../core/formats/json.ts";
import type { Change } from "../../../core/formats/types.ts";
import { seededRandom } from "../../_safety.ts";
import { FIXTURES } from "../../helpers.ts";
import { set, unset } from "./_changes.ts";

const read = (path: string) => readFileSync(join(FIXTURES, path), "utf8");
const KUBO = read("ipfs/v16-repo/config");
const CLUSTER = read("ipfs-cluster-service/service.json");
const parseEdited = format.parseEdited!;
/** kubo's config with 300 peers in Peering (kubo's own layout), so that most members are small beside it. */
const PEERED = JSON.stringify(
  {
    ...JSON.parse(KUBO),
    Peering: {
      Peers: Array.from({ length: 300 }, (_, i) => ({
        ID: "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        Addrs: [`/ip4/10.0.${i >> 8}.${i & 255}/tcp/4001`],
      })),
    },
  },
  null,
  2,
);

/** `parseEdited` of an edit made by the editor, checked against a whole parse. */
function reread(before: string, changes: Change[]): { value: unknown } | undefined {
  const after = format.edit(before, changes, {}, { checked: true });
  const result = parseEdited(before, format.parse(before), after);
  if (result) expect(result.value).toEqual(JSON.parse(after.replace(/^\uFEFF/, "")));
  return result;
}

describe("json parseEdited()", () => {
  test("reads a one-key change from the changed member: the others are the old value's own", () => {
    const before = format.parse(PEERED) as Record<string, unknown>;
    const after = format.edit(PEERED, [set("Gateway.NoFetch", true)], {}, { checked: true });
    const result = parseEdited(PEERED, before, after)?.value as Record<string, unknown>;
    expect(result).toEqual(JSON.parse(after));
    expect(result.Bootstrap).toBe(before.Bootstrap);
    expect(result.Peering).toBe(before.Peering);
    expect(result.Gateway).not.toBe(before.Gateway);
  });

  test("reads a member added or removed, first, last or in between, and changes of two members", () => {
    const cases: Change[][] = [
      [set("Zeta", { a: [1, 2] })],
      [unset("Identity")],
      [unset("Gateway")],
      [unset(Object.keys(JSON.parse(KUBO)).at(-1)!)],
      [set("Addresses.API", "/ip4/0.0.0.0/tcp/5001"), set("Swarm.ConnMgr.HighWater", 900)],
      [set("Gateway.NoFetch", true), set("API.HTTPHeaders", { A: ["b"] })],
    ];
    for (const changes of cases) expect({ changes, read: !!reread(PEERED, changes) }).toEqual({ changes, read: true });
    // Changes on either side of the big member: it would be read again, so the whole text is.
    expect(reread(PEERED, [set("Gateway.NoFetch", true), set("Zeta", 1)])).toBeUndefined();
  });

  test("reads an integer past 2^53 in the changed member with every digit, as parse() does", () => {
    const before = JSON.stringify({ ...JSON.parse(PEERED), Swarm: { ConnMgr: { HighWater: 1 } } }, null, 2);
    const after = format.edit(before, [set("Swarm.ConnMgr.HighWater", 9223372036854775807n)], {}, { checked: true });
    const result = parseEdited(before, format.parse(before), after);
    expect(result).toBeDefined();
    expect((result!.value as { Swarm: unknown }).Swarm).toEqual({ ConnMgr: { HighWater: 9223372036854775807n } });
    expect(result!.value).toEqual(format.parse(after));
  });

  test("keeps a byte-order mark and CRLF line ends", () => {
    const text = `\uFEFF${PEERED.replaceAll("\n", "\r\n")}`;
    expect(reread(text, [set("Gateway.NoFetch", true)])).toBeDefined();
    expect(reread(text, [set("New", 1)])).toBeDefined();
  });

  test("leaves to a whole parse what the changed part cannot tell", () => {
    const undecided: [string, string, Change[]][] = [
      ["a root that is a list", "[1, 2, 3]", [set("0", 5)]],
      ["the key spelled again after the change", '{"a": 1, "b": {"a": 2}}', [set("a", 5)]],
      ["a key spelled earlier too", '{"a": 1, "b": 2, "a": 3}', [set("a", 5)]],
      ["a backslash after the change", '{"a": 1, "b": "x\\u0041"}', [set("a", 5)]],
      ["the stand-in key in use", '{"": 1, "a": 2, "b": 3}', [set("b", 5)]],
      ["a __proto__ member", '{"__proto__": 1, "a": 2, "b": 3}', [set("b", 5)]],
      ["the only member removed", '{"a": {"b": 1}}', [unset("a")]],
      ["a change as big as the document", '{"a": 1, "b": 2}', [set("a", "x".repeat(100))]],
    ];
    for (const [what, before, changes] of undecided) {
      const after = format.edit(before, changes, {}, { checked: true });
      expect({ what, result: parseEdited(before, JSON.parse(before), after) }).toEqual({ what, result: undefined });
    }
    // Not an edit the editor makes (it changes the last spelling), but one a bug could: the later "a" is read.
    const twice = `{"a": 1, "b": 2, "big": [${"0, ".repeat(50)}0], "a": 3}`;
    expect(parseEdited(twice, JSON.parse(twice), twice.replace('"a": 1', '"a": 5'))).toBeUndefined();
  });

  test("never reads a text that JSON.parse refuses, nor reads one otherwise: 20,000 random changes of bytes", () => {
    // Not edits: any bytes inserted, removed or replaced, as a bug in the editor could leave them.
    const pieces = [
      "0",
      "7",
      "-",
      ".",
      "e",
      '"',
      ",",
      ":",
      "{",
      "}",
      "[",
      "]",
      " ",
      "\n",
      "\\",
      "a",
      '"k": 1,',
      "true",
    ];
    // kubo's and cluster's files, and one whose first key comes again after a big member.
    const BASES = [CLUSTER, KUBO, PEERED, `{"a": 1, "b": {"c": [1, 2]}, "big": [${"0, ".repeat(100)}0], "a": 3}`];
    const next = seededRandom(20261206);
    let decided = 0;
    let refused = 0;
    for (let n = 0; n < 20_000; n++) {
      const before = BASES[n % BASES.length]!;
      const value = JSON.parse(before);
      let after = before;
      for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
        const at = Math.floor(next() * after.length);
        const piece = pieces[Math.floor(next() * pieces.length)]!;
        const cut = next() < 0.5 ? 0 : 1 + Math.floor(next() * 3);
        after = after.slice(0, at) + (next() < 0.3 ? "" : piece) + after.slice(at + cut);
      }
      const result = parseEdited(before, value, after);
      let parsed: unknown;
      try {
        parsed = JSON.parse(after);
      } catch {
        refused++;
        expect(result).toBeUndefined();
        continue;
      }
      if (result === undefined) continue;
      decided++;
      expect(result.value).toEqual(parsed);
    }
    // The check is not vacuous: both kinds of text were met, and many were read from their changed part.
    expect(refused).toBeGreaterThan(5000);
    expect(decided).toBeGreaterThan(1000);
  });
});
