import { describe, expect, test } from "bun:test";
import { foldJsonText } from "../../core/_fold-json-text.ts";
import { goDecoder, goJsonMap, goPointer, goRawJson } from "../../core/_go-json-marks.ts";
import { v } from "../../index.ts";

// Disagreements bench/go-json-differential.ts found between JSON.parse + foldKeys and Go's own
// json.Unmarshal (Go 1.19, stdlib), with the values Go read written down: no Go needed here.

const int64 = v.optional(v.nullable(v.pipe(v.number(), v.integer())));
const str = v.optional(v.nullable(v.string()));
const schema = v.object({
  Swarm: v.optional(v.nullable(v.object({ ConnMgr: v.optional(v.object({ HighWater: int64, Type: str })) }))),
  Peering: v.optional(v.object({ Peers: v.optional(v.nullable(v.array(v.object({ ID: str })))) })),
  Resolvers: v.optional(v.nullable(v.record(v.string(), v.nullable(v.string())))),
  Bootstrap: v.optional(v.nullable(v.array(v.nullable(v.string())))),
  Name: str,
  Keep: int64,
});

describe("foldJsonText reads a JSON text as Go's encoding/json decodes it into structs", () => {
  test.each([
    // Exact duplicates: the struct is merged into, not replaced (JSON.parse keeps the last only).
    [
      '{"Swarm":{"ConnMgr":{"HighWater":5}},"Swarm":{"ConnMgr":{"Type":"x"}}}',
      { Swarm: { ConnMgr: { HighWater: 5, Type: "x" } } },
    ],
    // Document order across spellings: JSON.parse puts the last "Name" where the first was.
    ['{"Name":"a","name":"b","Name":"c"}', { Name: "c" }],
    // null leaves a scalar or a struct alone, and empties a list or map.
    ['{"Keep":1,"keep":null}', { Keep: 1 }],
    ['{"Swarm":{"ConnMgr":{"Type":"x"}},"Swarm":null}', { Swarm: { ConnMgr: { Type: "x" } } }],
    ['{"Resolvers":{"a":"x"},"Resolvers":null}', { Resolvers: null }],
    // A map gains keys from a second member; a list's items are decoded into the items before them.
    ['{"Resolvers":{"a":"x"},"Resolvers":{"b":"y"}}', { Resolvers: { a: "x", b: "y" } }],
    ['{"Peering":{"Peers":[{"ID":"a"}]},"Peering":{"Peers":[{}]}}', { Peering: { Peers: [{ ID: "a" }] } }],
    ['{"Bootstrap":["a","b"],"Bootstrap":[null]}', { Bootstrap: ["a"] }],
    // A lone surrogate is U+FFFD: two map keys that differ there are one, the later wins.
    ['{"Resolvers":{"a\\ud800":"x","a\\udbff":"y"}}', { Resolvers: { "a\ufffd": "y" } }],
  ])("%s", (text, value) => {
    const read = foldJsonText(schema, text);
    expect(read.value).toEqual(value);
    expect(read.undecodable).toEqual([]);
  });

  test.each([
    ['{"Name":{},"name":"x"}', "Name"],
    ['{"Keep":"1","Keep":1}', "Keep"],
    ['{"Keep":1e3,"Keep":1}', "Keep"],
    ['{"Keep":1.0,"keep":null}', "Keep"],
    ['{"Swarm":"s","Swarm":null,"Swarm":{}}', "Swarm"],
    ['{"Peering":{"Peers":[1],"Peers":[]}}', "Peering.Peers.0"],
  ])("%s is refused at %s although a later member replaces it", (text, key) => {
    expect(foldJsonText(schema, text).undecodable.map((u) => u.path.join("."))).toEqual([key]);
  });

  test("keys are matched as foldKeys matches them, and reported alike", () => {
    const read = foldJsonText(schema, '{"ſwarm":{"connmgr":{"highwater":2}},"Extra":1}');
    expect(read.value).toEqual({ Swarm: { ConnMgr: { HighWater: 2 } }, Extra: 1 });
    expect(read.respelled.map((r) => r.path.join("."))).toEqual(["ſwarm", "ſwarm.connmgr", "ſwarm.connmgr.highwater"]);
    expect(read.unknown.map((u) => u.path.join("."))).toEqual(["Extra"]);
  });
});

describe("foldJsonText reads json.RawMessage fields, maps of named keys and pointers as Go does", () => {
  // Shaped like ipfs-cluster's config/config.go jsonConfig: a *json.RawMessage and a map of them.
  // A mark is on the schema object itself: each field gets its own.
  const part = () => v.optional(v.nullable(v.object({ A: int64, B: int64 })));
  const shaped = v.object({
    Raw: goRawJson(v.optional(v.nullable(v.object({ A: int64, P: goPointer(part()) })))),
    Map: goJsonMap(v.optional(v.nullable(v.object({ c: goRawJson(part()), d: goRawJson(part()) })))),
  });
  test.each([
    // A later raw value replaces the earlier whole, whatever the earlier's type: what was written
    // there is never decoded (`replaced`, where no value that stands was written).
    ['{"Raw":{"A":1},"raw":{"P":{"B":2}}}', { Raw: { P: { B: 2 } } }, [], ["Raw"]],
    ['{"Raw":"x","Raw":{"A":1}}', { Raw: { A: 1 } }, [], []],
    ['{"Raw":{"A":"x"},"raw":{"A":1},"Raw":{"A":2}}', { Raw: { A: 2 } }, [], ["raw"]],
    ['{"raw":{"A":"x"},"Raw":null}', { Raw: null }, [], ["raw"]],
    // A later map adds its keys; names match exactly; a name given again is replaced whole.
    [
      '{"Map":{"c":{"A":1}},"Map":{"d":{"B":2},"C":{"A":3}}}',
      { Map: { c: { A: 1 }, d: { B: 2 }, C: { A: 3 } } },
      [],
      [],
    ],
    ['{"Map":{"c":{"A":1},"c":{"B":2}}}', { Map: { c: { B: 2 } } }, [], []],
    ['{"map":{"c":{"A":"x"}},"Map":{"c":{"A":1}}}', { Map: { c: { A: 1 } } }, [], ["map.c"]],
    ['{"Map":{"c":"x"},"Map":null,"Map":{"d":{}}}', { Map: { d: {} } }, [], ["Map.c"]],
    // Inside a raw value members merge, and null makes a pointer nil.
    ['{"Raw":{"P":{"A":1},"P":{"B":2}}}', { Raw: { P: { A: 1, B: 2 } } }, [], []],
    ['{"Raw":{"P":{"A":1},"P":null,"P":{"B":2}}}', { Raw: { P: { B: 2 } } }, [], []],
    // What Go cannot decode in the raw value that stands stops it.
    ['{"Map":{"c":{"A":"x","A":1}}}', { Map: { c: { A: 1 } } }, ["Map.c.A"], []],
  ])("%s", (text, value, undecodable, replaced) => {
    const read = foldJsonText(shaped, text);
    expect({
      value: read.value,
      undecodable: read.undecodable.map(({ path }) => path.join(".")),
      replaced: read.replaced.map((path) => path.join(".")),
    }).toEqual({ value, undecodable, replaced });
  });
});

describe("a field whose Go type decodes itself (goDecoder) fails on a value it refuses, even one replaced", () => {
  // As kubo's OptionalDuration: UnmarshalJSON parses the duration as the member is read; an error stops json.Unmarshal.
  const duration = goDecoder(v.optional(v.nullable(v.pipe(v.string(), v.regex(/^\d+[smh]$/, "expected a duration")))));
  const strict = goDecoder(v.optional(v.pipe(v.string(), v.regex(/^\d+[smh]$/, "expected a duration"))));
  const decoding = v.object({
    Grace: duration,
    Timeouts: goJsonMap(v.optional(v.nullable(v.object({ a: duration, b: duration })))),
    List: v.optional(v.nullable(v.array(duration))),
    Raw: goRawJson(v.optional(v.object({ Grace: duration }))),
    Strict: strict,
  });
  const refused = (text: string) => foldJsonText(decoding, text).undecodable.map((u) => u.path.join("."));

  test.each([
    // Replaced by a later member, emptied by null, cut off by a shorter list: decoded all the same.
    ['{"Grace":"soon","grace":"5s"}', ["Grace"]],
    ['{"Timeouts":{"a":"soon"},"Timeouts":{"a":"5s"}}', ["Timeouts.a"]],
    ['{"Timeouts":{"b":"soon"},"Timeouts":null}', ["Timeouts.b"]],
    ['{"List":["1s","soon"],"List":["2s"]}', ["List.1"]],
    // Inside raw JSON that stands, decoded later on its own: its replaced member counts.
    ['{"Raw":{"Grace":"soon","Grace":"5s"}}', ["Raw.Grace"]],
    // A decoder that refuses null (kubo's Duration: "unable to parse duration ... got <nil>").
    ['{"Strict":null,"Strict":"5s"}', ["Strict"]],
  ])("%s", (text, paths) => expect(refused(text)).toEqual(paths));

  test("null to a decoder that takes it resets the field (an OptionalDuration): the earlier value is gone", () => {
    expect(foldJsonText(decoding, '{"Grace":"5s","Grace":null}').value).toEqual({ Grace: null });
    expect(foldJsonText(decoding, '{"Grace":"soon","Grace":null}').undecodable.map((u) => u.path)).toEqual([["Grace"]]);
  });

  test.each([
    // The value that stands is the schema's to judge, as any value is: not reported twice.
    '{"Grace":"5s","Grace":"soon"}',
    '{"Grace":"5s","Grace":"6s"}',
    // A raw JSON value a later one replaces whole is never decoded (RawMessage keeps bytes).
    '{"Raw":{"Grace":"soon"},"Raw":{"Grace":"5s"}}',
  ])("%s: nothing more", (text) => expect(refused(text)).toEqual([]));
});
