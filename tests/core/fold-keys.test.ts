import { expect, test } from "bun:test";
import * as v from "valibot";
import { foldKeys, respellPath, spellingsOf } from "../../core/_fold-keys.ts";
import { goFoldKey } from "../../core/keypath.ts";
import { schemaAt } from "../../core/schema.ts";

// Go's encoding/json key matching, as core/_fold-keys.ts mirrors it for plugins with
// `caseInsensitiveKeys` (FORMATS.md "kubo load-time rules").

const schema = v.object({
  Swarm: v.optional(
    v.object({
      ConnMgr: v.optional(v.object({ HighWater: v.optional(v.number()), LowWater: v.optional(v.number()) })),
    }),
  ),
  Peers: v.optional(v.record(v.string(), v.object({ Addr: v.optional(v.string()) }))),
  List: v.optional(v.array(v.object({ Name: v.optional(v.string()) }))),
});

test(
  "schemaAt() with caseInsensitive finds a field whatever its case and gives its spelling; " +
    "record keys stay as typed",
  () => {
    expect(schemaAt(schema, ["swarm", "CONNMGR", "highwater"], { caseInsensitive: true })).toMatchObject({
      found: true,
      path: ["Swarm", "ConnMgr", "HighWater"],
    });
    expect(schemaAt(schema, ["peers", "Alice", "addr"], { caseInsensitive: true })).toMatchObject({
      found: true,
      path: ["Peers", "Alice", "Addr"],
    });
    expect(schemaAt(schema, ["swarm"])).toMatchObject({ found: false });
    expect(schemaAt(schema, ["Swarm", "ConnMgr", "HighWatr"], { caseInsensitive: true })).toMatchObject({
      found: false,
      at: ["Swarm", "ConnMgr"],
      known: ["HighWater", "LowWater"],
    });
  },
);

test(
  "foldKeys() reads variants as their field: the last value wins, " + "objects merge, unknown keys stay and are listed",
  () => {
    const folded = foldKeys(schema, {
      Swarm: { ConnMgr: { HighWater: 1, LowWater: 2 } },
      swarm: { connmgr: { highwater: 3 } },
      Peers: { bob: { ADDR: "x" } },
      List: [{ name: "n" }],
      Extra: true,
    });
    expect(folded.value).toEqual({
      Swarm: { ConnMgr: { HighWater: 3, LowWater: 2 } },
      Peers: { bob: { Addr: "x" } },
      List: [{ Name: "n" }],
      Extra: true,
    });
    expect(folded.respelled.map((r) => [r.path.join("."), r.as.join(".")])).toEqual([
      ["swarm", "Swarm"],
      ["swarm.connmgr", "Swarm.ConnMgr"],
      ["swarm.connmgr.highwater", "Swarm.ConnMgr.HighWater"],
      ["Peers.bob.ADDR", "Peers.bob.Addr"],
      ["List.0.name", "List.0.Name"],
    ]);
    expect(folded.unknown).toEqual([{ path: ["Extra"], known: ["Swarm", "Peers", "List"] }]);
  },
);

test("foldKeys() keeps a __proto__ key as an own key", () => {
  const folded = foldKeys(schema, JSON.parse('{"__proto__": {"polluted": true}}'));
  expect(Object.hasOwn(folded.value, "__proto__")).toBe(true);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test(
  "respellPath() picks the written spelling that reaches deepest, " +
    "the last of equals; spellingsOf() lists every one",
  () => {
    const config = { Swarm: { ConnMgr: { highwater: 1 } }, swarm: { Other: 1 } };
    expect(respellPath(schema, config, ["Swarm", "ConnMgr", "HighWater"])).toEqual(["Swarm", "ConnMgr", "highwater"]);
    expect(respellPath(schema, config, ["Swarm", "ConnMgr", "LowWater"])).toEqual(["Swarm", "ConnMgr", "LowWater"]);
    expect(respellPath(schema, {}, ["Swarm", "ConnMgr", "LowWater"])).toEqual(["Swarm", "ConnMgr", "LowWater"]);
    expect(respellPath(schema, { Swarm: {}, SWARM: {} }, ["Swarm", "ConnMgr"])).toEqual(["SWARM", "ConnMgr"]);
    expect(
      spellingsOf(schema, { Swarm: { ConnMgr: { HighWater: 1, highwater: 2 } } }, ["Swarm", "ConnMgr", "HighWater"]),
    ).toEqual([
      ["Swarm", "ConnMgr", "HighWater"],
      ["Swarm", "ConnMgr", "highwater"],
    ]);
  },
);

test("goFoldKey() folds as Go's EqualFold does for ASCII names: a long s is s, the Kelvin sign k", () => {
  expect(goFoldKey("Addre\u017f\u017fes")).toBe("addresses");
  expect(goFoldKey("\u212aeep")).toBe("keep");
  // Neither dotted nor accented letters fold to ASCII in Go.
  expect(goFoldKey("\u0130d")).not.toBe("id");
  const folded = foldKeys(schema, {
    Swarm: { ConnMgr: { HighWater: 1 } },
    "\u017fwarm": { connmgr: { HighWater: 5 } },
  });
  expect(folded.value).toEqual({ Swarm: { ConnMgr: { HighWater: 5 } } });
  expect(folded.respelled.map((r) => r.path.join("."))).toEqual(["\u017fwarm", "\u017fwarm.connmgr"]);
  expect(folded.unknown).toEqual([]);
});
