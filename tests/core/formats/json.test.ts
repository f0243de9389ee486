import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ParseError } from "../../../core/errors.ts";
import { format } from "../../../core/formats/json.ts";
import type { Change } from "../../../core/formats/types.ts";
import { setPath, unsetPath } from "../../../core/keypath.ts";
import { seededRandom } from "../../_safety.ts";
import { FIXTURES, thrownBy } from "../../helpers.ts";

const read = (path: string) => readFileSync(join(FIXTURES, path), "utf8");
const KUBO_V15 = read("ipfs/v15-repo/config");
const KUBO_V16 = read("ipfs/v16-repo/config");
const CLUSTER_SERVICE = read("ipfs-cluster-service/service.json");
const CLUSTER_IDENTITY = read("ipfs-cluster-service/identity.json");
const API: Change = { op: "set", path: ["Addresses", "API"], value: "/ip4/0.0.0.0/tcp/5001" };

/** Edit, and check the result reads back as the changes applied to the old value. */
function edit(text: string, changes: Change[], style = {}): string {
  const out = format.edit(text, changes, style);
  let expected = JSON.parse(text.replace(/^\uFEFF/, ""));
  for (const c of changes) expected = c.op === "set" ? setPath(expected, c.path, c.value) : unsetPath(expected, c.path);
  expect(JSON.parse(out.replace(/^\uFEFF/, ""))).toEqual(expected);
  return out;
}

/** The lines of `after` that differ from `before`, for edits that keep the line count. */
function changedLines(before: string, after: string): string[] {
  const [a, b] = [before.split("\n"), after.split("\n")];
  expect(b.length).toBe(a.length);
  return b.filter((line, i) => line !== a[i]);
}

test("a negative zero is written 0, in place and whole: Go reads -0 into no unsigned field", () => {
  const edited = format.edit!('{\n  "port": 8080\n}', [{ op: "set", path: ["port"], value: -0 }], {});
  expect(edited).toBe('{\n  "port": 0\n}');
  expect(format.stringify({ port: -0 }, {})).toBe('{\n  "port": 0\n}');
  // Already 0: no change to write.
  expect(format.edit!('{\n  "port": 0\n}', [{ op: "set", path: ["port"], value: -0 }], {})).toBe('{\n  "port": 0\n}');
});

describe("json parse()", () => {
  test("parse() reads the real kubo and cluster files as JSON.parse does", () => {
    for (const text of [KUBO_V15, KUBO_V16, CLUSTER_SERVICE, CLUSTER_IDENTITY]) {
      expect(format.parse(text)).toEqual(JSON.parse(text));
    }
  });

  test("parse() reads an integer past 2^53 with every digit (a bigint), as Go's encoding/json reads it", () => {
    const text =
      '{"HighWater": 9223372036854775807, "LowWater": 9007199254740993, "Safe": 9007199254740991, "F": 1e19}';
    expect(format.parse(text)).toEqual({
      HighWater: 9223372036854775807n,
      LowWater: 9007199254740993n,
      Safe: 9007199254740991,
      F: 1e19,
    });
    expect(format.parse('\uFEFF{"a": [-9223372036854775808]}')).toEqual({ a: [-9223372036854775808n] });
  });

  test("parse() accepts a leading UTF-8 BOM", () => {
    expect(format.parse('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  test("parse() keeps __proto__ as an own key", () => {
    const value = format.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  const cases: [string, string, number, number, string][] = [
    ["empty text", "", 1, 1, "unexpected end of input"],
    ["blank text", "  \n", 2, 1, "unexpected end of input"],
    ["missing value", '{\n  "a": 1,\n  "b": }', 3, 8, 'unexpected "}"'],
    ["trailing comma", '{\n  "a": 1,\n}', 3, 1, 'unexpected "}"'],
    ["unquoted key", "{a: 1}", 1, 2, 'unexpected "a"'],
    ["single quotes", "{'a': 1}", 1, 2, `unexpected "'"`],
    ["unterminated array", "[1, 2", 1, 6, "unexpected end of input"],
    ["unterminated string", '{"a": "b', 1, 9, "unexpected end of input"],
    ["raw newline in string", '{"a": "b\nc"}', 1, 9, 'unexpected "\\n"'],
    ["bad escape", '"\\q"', 1, 3, 'unexpected "q"'],
    ["bad number", "[01]", 1, 3, 'unexpected "1"'],
    ["lone minus", "-", 1, 2, "unexpected end of input"],
    ["misspelt literal", "[tru]", 1, 5, 'unexpected "]"'],
    ["text after the document", '{"a": 1} x', 1, 10, 'unexpected "x"'],
    ["two documents", "{}\n{}", 2, 1, 'unexpected "{"'],
  ];
  for (const [name, text, line, column, fragment] of cases) {
    test(`parse() reports line and column: ${name}`, () => {
      const error = thrownBy(() => format.parse(text));
      expect(error).toBeInstanceOf(ParseError);
      expect(error.code).toBe("PARSE_FAILED");
      expect(error.message).toStartWith(`Invalid JSON at line ${line}, column ${column}: ${fragment}`);
      expect(error.message).not.toContain("\n");
      expect((error as ParseError).line).toBe(line);
      expect((error as ParseError).column).toBe(column);
    });
  }

  test("parse() counts columns after a BOM from the first real character", () => {
    const error = thrownBy(() => format.parse("\uFEFF{x}")) as ParseError;
    expect([error.line, error.column]).toEqual([1, 2]);
  });
});

describe("json stringify()", () => {
  test("stringify() reproduces kubo's config byte for byte", () => {
    expect(format.stringify(JSON.parse(KUBO_V15))).toBe(KUBO_V15);
    // The v16 fixture was hand-saved with a trailing newline (tests/fixtures/SOURCES.md).
    expect(format.stringify(JSON.parse(KUBO_V16), { indent: 2, trailingNewline: true })).toBe(KUBO_V16);
  });

  test("stringify() reproduces cluster's 4-space identity.json", () => {
    expect(format.stringify(JSON.parse(CLUSTER_IDENTITY), { indent: 4 })).toBe(CLUSTER_IDENTITY);
  });

  test("stringify() writes cluster's service.json as Go would, differing only at the hand-edited tab line", () => {
    const written = format.stringify(JSON.parse(CLUSTER_SERVICE), { trailingNewline: true });
    expect(changedLines(CLUSTER_SERVICE, written)).toEqual(['      "tags": {}']);
  });

  test("stringify() keeps empty objects and arrays on one line", () => {
    expect(format.stringify({ a: {}, b: [], c: [{}] })).toBe('{\n  "a": {},\n  "b": [],\n  "c": [\n    {}\n  ]\n}');
  });

  test("stringify() adds a newline only when asked", () => {
    expect(format.stringify({ a: 1 }, { trailingNewline: true })).toBe('{\n  "a": 1\n}\n');
    expect(format.stringify({ a: 1 })).toBe('{\n  "a": 1\n}');
  });

  test("stringify() takes the indent as spaces or a string, 0 for compact", () => {
    expect(format.stringify({ a: [1] }, { indent: 4 })).toBe('{\n    "a": [\n        1\n    ]\n}');
    expect(format.stringify({ a: [1] }, { indent: "\t" })).toBe('{\n\t"a": [\n\t\t1\n\t]\n}');
    expect(format.stringify({ a: [1, 2] }, { indent: 0 })).toBe('{"a":[1,2]}');
  });

  test("stringify() escapes <, > and & as Go does only with escapeHtml", () => {
    const value = { "<k>": "a<b>&c\u2028" };
    expect(format.stringify(value, { indent: 0, escapeHtml: true })).toBe(
      '{"\\u003ck\\u003e":"a\\u003cb\\u003e\\u0026c\\u2028"}',
    );
    expect(format.stringify(value, { indent: 0 })).toBe('{"<k>":"a<b>&c\u2028"}');
  });

  test("stringify() keeps insertion order and writes bigints as integers", () => {
    expect(format.stringify({ z: 1, a: 12345678901234567890n }, { indent: 0 })).toBe(
      '{"z":1,"a":12345678901234567890}',
    );
  });

  test("stringify() refuses values JSON cannot hold", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, undefined, () => 1, { a: Symbol("s") }]) {
      expect(thrownBy(() => format.stringify(value)).code).toBe("INVALID_VALUE");
    }
  });

  test("stringify() skips undefined members and writes undefined items as null, like JSON.stringify", () => {
    expect(format.stringify({ a: undefined, b: [undefined] }, { indent: 0 })).toBe('{"b":[null]}');
  });
});

describe("json edit() on real files", () => {
  test("edit() setting Addresses.API in kubo configs changes exactly one line", () => {
    for (const text of [KUBO_V15, KUBO_V16]) {
      const out = edit(text, [API]);
      expect(changedLines(text, out)).toEqual(['    "API": "/ip4/0.0.0.0/tcp/5001",']);
      expect(out.endsWith("}")).toBe(text.endsWith("}"));
    }
  });

  test("edit() with no changes returns the text unchanged", () => {
    expect(format.edit(CLUSTER_SERVICE, [])).toBe(CLUSTER_SERVICE);
  });

  test("edit() adds a new key at the end of a nested object with its siblings' indent", () => {
    const out = edit(KUBO_V15, [{ op: "set", path: ["Mounts", "MFS"], value: "/mfs" }]);
    expect(out).toBe(KUBO_V15.replace('"FuseAllowOther": false\n', '"FuseAllowOther": false,\n    "MFS": "/mfs"\n'));
  });

  test("edit() expands an empty object in a multi-line document", () => {
    const out = edit(KUBO_V15, [
      { op: "set", path: ["API", "HTTPHeaders", "Access-Control-Allow-Origin"], value: ["*"] },
    ]);
    const expected = '"HTTPHeaders": {\n      "Access-Control-Allow-Origin": [\n        "*"\n      ]\n    }';
    expect(out).toBe(KUBO_V15.replace('"API": {\n    "HTTPHeaders": {}', `"API": {\n    ${expected}`));
  });

  test("edit() renders a replaced object value in the document's indent and depth", () => {
    const out = edit(KUBO_V15, [{ op: "set", path: ["Routing", "Routers"], value: { r: { Type: "http" } } }]);
    expect(out).toContain(
      '  "Routing": {\n    "Routers": {\n      "r": {\n' +
        '        "Type": "http"\n      }\n    },\n    "Methods": null\n  },',
    );
  });

  test("edit() creates missing intermediate objects", () => {
    const out = edit(KUBO_V15, [{ op: "set", path: ["AutoTLS", "Enabled"], value: true }]);
    expect(out).toBe(
      KUBO_V15.replace('  "Internal": {}\n}', '  "Internal": {},\n  "AutoTLS": {\n    "Enabled": true\n  }\n}'),
    );
  });

  test("edit() replaces a non-object level on the way with an object", () => {
    const out = edit(KUBO_V15, [{ op: "set", path: ["Ipns", "RepublishPeriod", "x"], value: 1 }]);
    expect(out).toContain('"RepublishPeriod": {\n      "x": 1\n    },');
  });

  test("edit() unsets the first, a middle and the last member cleanly", () => {
    const first = edit(KUBO_V15, [{ op: "unset", path: ["Mounts", "IPFS"] }]);
    expect(first).toBe(KUBO_V15.replace('    "IPFS": "/ipfs",\n', ""));
    const middle = edit(KUBO_V15, [{ op: "unset", path: ["Mounts", "IPNS"] }]);
    expect(middle).toBe(KUBO_V15.replace('    "IPNS": "/ipns",\n', ""));
    const last = edit(KUBO_V15, [{ op: "unset", path: ["Mounts", "FuseAllowOther"] }]);
    expect(last).toBe(KUBO_V15.replace('"IPNS": "/ipns",\n    "FuseAllowOther": false\n', '"IPNS": "/ipns"\n'));
    const top = edit(KUBO_V15, [{ op: "unset", path: ["Internal"] }]);
    expect(top).toBe(
      KUBO_V15.replace('    "HashFunction": null\n  },\n  "Internal": {}\n}', '    "HashFunction": null\n  }\n}'),
    );
  });

  test("edit() unsets the first member of a document written with leading commas", () => {
    const text = '{\n  "a": 1\n  , "b": 2\n  , "c": 3\n}';
    expect(edit(text, [{ op: "unset", path: ["a"] }])).toBe('{\n  "b": 2\n  , "c": 3\n}');
  });

  test("edit() leaves {} when the only member is unset", () => {
    const out = edit(KUBO_V15, [{ op: "unset", path: ["Discovery", "MDNS", "Enabled"] }]);
    expect(out).toBe(KUBO_V15.replace('"MDNS": {\n      "Enabled": true\n    }', '"MDNS": {}'));
  });

  test("edit() unset of a missing key or through a non-object changes nothing", () => {
    expect(edit(KUBO_V15, [{ op: "unset", path: ["Nope"] }])).toBe(KUBO_V15);
    expect(edit(KUBO_V15, [{ op: "unset", path: ["Mounts", "Nope", "x"] }])).toBe(KUBO_V15);
    expect(edit(KUBO_V15, [{ op: "unset", path: ["Bootstrap", "0"] }])).toBe(KUBO_V15);
  });

  test("edit() keeps cluster's tab-indented line and trailing newline byte for byte", () => {
    const out = edit(CLUSTER_SERVICE, [{ op: "set", path: ["cluster", "peername"], value: "node-2" }]);
    expect(changedLines(CLUSTER_SERVICE, out)).toHaveLength(1);
    expect(out).toContain('\n\t"tags": {}\n');
    expect(out.endsWith("}\n")).toBe(true);
  });

  test("edit() adding next to the tab-indented line copies that sibling's indent", () => {
    const out = edit(CLUSTER_SERVICE, [{ op: "set", path: ["informer", "tags", "tags", "region"], value: "eu" }]);
    expect(out).toContain('"metric_ttl": "5s",\n\t"tags": {\n\t  "region": "eu"\n\t}\n    }');
  });

  test("edit() keeps identity.json's 4-space indent and missing trailing newline", () => {
    const out = edit(CLUSTER_IDENTITY, [{ op: "set", path: ["extra"], value: { a: 1 } }]);
    expect(out).toBe(CLUSTER_IDENTITY.replace(/"\n}$/, '",\n    "extra": {\n        "a": 1\n    }\n}'));
  });

  test("edit() ignores style.indent when the text shows its own", () => {
    const out = edit(CLUSTER_IDENTITY, [{ op: "set", path: ["o"], value: { a: 1 } }], { indent: 2 });
    expect(out).toContain('    "o": {\n        "a": 1\n    }');
  });

  test("edit() writes a bigint with every digit, and leaves such a literal of another key byte for byte", () => {
    const text = '{\n  "Big": 9223372036854775807,\n  "Low": 9007199254740993,\n  "N": 1\n}';
    const other = format.edit(text, [{ op: "set", path: ["N"], value: 2 }]);
    expect(changedLines(text, other)).toEqual(['  "N": 2']);
    const set = format.edit(text, [{ op: "set", path: ["Low"], value: -9223372036854775808n }]);
    expect(changedLines(text, set)).toEqual(['  "Low": -9223372036854775808,']);
    expect(format.parse(set)).toEqual({ Big: 9223372036854775807n, Low: -9223372036854775808n, N: 1 });
  });

  test("edit() tells apart objects whose integers differ only past a double's precision", () => {
    // A double reads both as 9007199254740992: the value would be kept, the change silently lost.
    const text = '{"Spec": {"size": 9007199254740992}}';
    for (const checked of [false, true]) {
      const change: Change = { op: "set", path: ["Spec"], value: { size: 9007199254740993n } };
      expect(format.edit(text, [change], {}, { checked })).toBe('{"Spec": {"size": 9007199254740993}}');
    }
  });

  test("edit() applies several changes in order", () => {
    const out = edit(KUBO_V15, [
      API,
      { op: "set", path: ["Gateway", "RootRedirect"], value: "/ipfs/x" },
      { op: "unset", path: ["Addresses", "Gateway"] },
      { op: "set", path: ["Addresses", "Gateway"], value: "/ip4/127.0.0.1/tcp/8081" },
    ]);
    expect(out).toContain('"API": "/ip4/0.0.0.0/tcp/5001",\n    "Gateway": "/ip4/127.0.0.1/tcp/8081"\n  },');
    expect(out).toContain('"RootRedirect": "/ipfs/x",');
  });
});

describe("json edit() of many members of one object", () => {
  const LAYOUTS = {
    kubo: KUBO_V15,
    "cluster, a tab-indented line": CLUSTER_SERVICE,
    identity: CLUSTER_IDENTITY,
    crlf: KUBO_V16.replaceAll("\n", "\r\n"),
    compact: '{"a":1,"m":{"k0":0},"e":{},"n":{"x":{"y":1}}}',
    "leading commas": '{\n  "a": 1\n  , "m": {\n    "k0": 0\n    , "k1": 1\n  }\n}',
    "one line, spaced": '{"a": 1, "m": {"k0": 0}, "e": {}}',
  };
  /** Paths under objects of the document: new and existing members, nested objects, unsets. */
  function randomChanges(text: string, next: () => number): Change[] {
    const objects: string[][] = [[]];
    const walk = (value: unknown, path: string[]): void => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return;
      if (path.length > 0) objects.push(path);
      for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key]);
    };
    walk(JSON.parse(text), []);
    const changes: Change[] = [];
    while (changes.length < 40) {
      const parent = objects[Math.floor(next() * objects.length)]!;
      // Runs of members into one object, as a map set whole from a desired state gives.
      for (let n = 1 + Math.floor(next() * 12); n > 0; n--) {
        const roll = next();
        const key = roll < 0.15 ? "k0" : `k${Math.floor(next() * 30)}`;
        const value = roll < 0.3 ? { x: [1, "<b>"], y: {} } : roll < 0.4 ? [] : roll < 0.5 ? {} : n;
        changes.push(
          roll > 0.93 ? { op: "unset", path: [...parent, key] } : { op: "set", path: [...parent, key], value },
        );
      }
    }
    return changes;
  }

  test("edit() gives what the changes give one by one, in every layout (runs of new members go in at once)", () => {
    const next = seededRandom(11);
    for (const [name, text] of Object.entries(LAYOUTS)) {
      for (let round = 0; round < 25; round++) {
        const changes = randomChanges(text, next);
        for (const style of [{}, { escapeHtml: true, indent: 4 }]) {
          const oneByOne = changes.reduce((doc, change) => format.edit(doc, [change], style), text);
          expect([name, round, format.edit(text, changes, style)]).toEqual([name, round, oneByOne]);
        }
      }
    }
  });

  test("edit() reads the layout again where a change alters what it is read from, as one change at a time does", () => {
    const cases: [string, Change[]][] = [
      // The root's only member gives no comma hint; a second member appended gives one.
      [
        '{"a":{"x":1, "y":2}}',
        [
          { op: "set", path: ["b"], value: 0 },
          { op: "set", path: ["c"], value: { k: 1, j: 2 } },
        ],
      ],
      // The unset removes the member whose indent was the hint.
      [
        '{\n\t"b": "<"\n}',
        [
          { op: "set", path: ["b", "x"], value: 1 },
          { op: "unset", path: ["b"] },
          { op: "set", path: ["d"], value: 1 },
        ],
      ],
    ];
    for (const [text, changes] of cases) {
      const oneByOne = changes.reduce((doc, change) => format.edit(doc, [change], {}), text);
      expect(format.edit(text, changes, {})).toBe(oneByOne);
    }
  });

  test("edit() of a thousand new members of one map writes them in order, each in its siblings' layout", () => {
    const members = Array.from(
      { length: 1000 },
      (_, i): Change => ({
        op: "set",
        path: ["Gateway", "HTTPHeaders", `X-H${i}`],
        value: [`v${i}`],
      }),
    );
    const out = edit(KUBO_V15, members);
    expect(out).toContain('"X-H0": [\n        "v0"\n      ],\n      "X-H1": [\n        "v1"\n      ],');
    expect(out).toContain('"X-H999": [\n        "v999"\n      ]\n    },');
  });
});

describe("json edit() layouts", () => {
  test("edit() keeps CRLF line endings and inserts new lines with CRLF", () => {
    const crlf = `${KUBO_V15.replaceAll("\n", "\r\n")}\r\n`;
    const out = edit(crlf, [API, { op: "set", path: ["Pinning", "RemoteServices", "s"], value: { a: 1 } }]);
    expect(out.replaceAll("\r\n", "")).not.toContain("\n");
    expect(out).toContain('"RemoteServices": {\r\n      "s": {\r\n        "a": 1\r\n      }\r\n    }\r\n');
    expect(out.endsWith("}\r\n")).toBe(true);
    const removed = edit(crlf, [{ op: "unset", path: ["Mounts", "IPNS"] }]);
    expect(removed).toBe(crlf.replace('    "IPNS": "/ipns",\r\n', ""));
  });

  test("edit() keeps a compact document compact", () => {
    const text = '{"a":1,"b":{"c":2},"e":{}}';
    expect(edit(text, [{ op: "set", path: ["b", "d"], value: { x: [1, 2] } }])).toBe(
      '{"a":1,"b":{"c":2,"d":{"x":[1,2]}},"e":{}}',
    );
    expect(edit(text, [{ op: "set", path: ["e", "f"], value: true }])).toBe('{"a":1,"b":{"c":2},"e":{"f":true}}');
    expect(edit(text, [{ op: "unset", path: ["a"] }])).toBe('{"b":{"c":2},"e":{}}');
    expect(edit(text, [{ op: "unset", path: ["b"] }])).toBe('{"a":1,"e":{}}');
    expect(edit(text, [{ op: "unset", path: ["b", "c"] }])).toBe('{"a":1,"b":{},"e":{}}');
  });

  test("edit() keeps kubo's compact datastore_spec compact", () => {
    const spec = read("ipfs/v15-repo/datastore_spec");
    const out = edit(spec, [
      { op: "set", path: ["type"], value: "measure" },
      { op: "set", path: ["extra"], value: { a: [1, {}] } },
    ]);
    expect(out).toBe(spec.replace('"type":"mount"}', '"type":"measure","extra":{"a":[1,{}]}}'));
  });

  test("edit() copies the spacing of a spaced one-line document", () => {
    const text = '{"a": 1, "b": [1, 2]}\n';
    expect(edit(text, [{ op: "set", path: ["c"], value: { d: [3, 4] } }])).toBe(
      '{"a": 1, "b": [1, 2], "c": {"d": [3, 4]}}\n',
    );
  });

  test("edit() keeps unusual spacing around colons", () => {
    const text = '{\n  "a" : 1,\n  "b" : 2\n}';
    expect(edit(text, [{ op: "set", path: ["a"], value: 5 }])).toBe('{\n  "a" : 5,\n  "b" : 2\n}');
    expect(edit(text, [{ op: "set", path: ["c"], value: 3 }])).toBe('{\n  "a" : 1,\n  "b" : 2,\n  "c" : 3\n}');
  });

  test("edit() follows a comma-first layout", () => {
    const text = '{ "a": 1\n, "b": 2\n}';
    expect(edit(text, [{ op: "set", path: ["c"], value: 3 }])).toBe('{ "a": 1\n, "b": 2\n, "c": 3\n}');
    expect(edit(text, [{ op: "unset", path: ["a"] }])).toBe('{ "b": 2\n}');
  });

  test("edit() expands {} with style.indent when the text gives no hint", () => {
    expect(edit("{}", [{ op: "set", path: ["a"], value: 1 }])).toBe('{\n  "a": 1\n}');
    expect(edit("{}\n", [{ op: "set", path: ["a"], value: { b: 1 } }], { indent: 4 })).toBe(
      '{\n    "a": {\n        "b": 1\n    }\n}\n',
    );
    expect(edit("{}", [{ op: "set", path: ["a"], value: 1 }], { indent: 0 })).toBe('{"a":1}');
  });

  test("edit() detects a tab indent", () => {
    const text = '{\n\t"a": {\n\t\t"b": 1\n\t}\n}';
    expect(edit(text, [{ op: "set", path: ["c"], value: { d: 1 } }])).toBe(
      '{\n\t"a": {\n\t\t"b": 1\n\t},\n\t"c": {\n\t\t"d": 1\n\t}\n}',
    );
  });

  test("edit() replacing the whole document keeps the trailing-newline state", () => {
    expect(edit('{\n  "a": 1\n}\n', [{ op: "set", path: [], value: { b: 2 } }])).toBe('{\n  "b": 2\n}\n');
    expect(edit('{"a":1}', [{ op: "set", path: [], value: { b: [2] } }])).toBe('{"b":[2]}');
    expect(edit(KUBO_V15, [{ op: "set", path: [], value: JSON.parse(KUBO_V15) }])).toBe(KUBO_V15);
  });

  test("edit() turns a non-object root into an object", () => {
    expect(edit("[1, 2]\n", [{ op: "set", path: ["a"], value: 1 }])).toBe('{"a": 1}\n');
  });

  test("edit() refuses to unset the whole document", () => {
    expect(thrownBy(() => format.edit("{}", [{ op: "unset", path: [] }])).code).toBe("EDIT_FAILED");
  });

  test("edit() keeps a BOM", () => {
    expect(edit('\uFEFF{"a":1}', [{ op: "set", path: ["a"], value: 2 }])).toBe('\uFEFF{"a":2}');
  });

  test("edit() throws ParseError with position on malformed text", () => {
    const error = thrownBy(() => format.edit('{\n  "a": 1,\n}', [{ op: "set", path: ["a"], value: 2 }])) as ParseError;
    expect(error.code).toBe("PARSE_FAILED");
    expect([error.line, error.column]).toEqual([3, 1]);
  });
});

describe("json edit() values and keys", () => {
  test("edit() escapes <, > and & in inserted strings with escapeHtml", () => {
    const text = '{\n  "a": "\\u003cold\\u003e"\n}';
    const out = edit(text, [{ op: "set", path: ["b&"], value: "<p>&" }], { escapeHtml: true });
    expect(out).toBe('{\n  "a": "\\u003cold\\u003e",\n  "b\\u0026": "\\u003cp\\u003e\\u0026"\n}');
    expect(edit(text, [{ op: "set", path: ["b"], value: "<p>" }])).toContain('"b": "<p>"');
  });

  test("edit() writes unusual keys JSON-escaped", () => {
    const keys = ["__proto__", "a.b", "ключ", 'q"uote', "back\\slash", "new\nline", ""];
    let text = "{}";
    for (const key of keys) text = edit(text, [{ op: "set", path: [key], value: key }]);
    expect(Object.keys(JSON.parse(text))).toEqual(keys);
    expect(text).toContain('"a.b": "a.b"');
    expect(text).toContain('"q\\"uote"');
    const nested = edit(text, [{ op: "set", path: ["__proto__", "x"], value: 1 }]);
    expect(Object.getPrototypeOf(JSON.parse(nested))).toBe(Object.prototype);
  });

  test("edit() with duplicate keys edits the last one and unset removes them all", () => {
    const text = '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}';
    expect(edit(text, [{ op: "set", path: ["a"], value: 4 }])).toBe('{\n  "a": 1,\n  "b": 2,\n  "a": 4\n}');
    expect(edit(text, [{ op: "unset", path: ["a"] }])).toBe('{\n  "b": 2\n}');
  });

  test("a set reads no further than the member it goes into only when no later one can be read instead", () => {
    // Duplicates later, nested or not, spelled plainly or escaped: the last one is edited.
    const cases: [string, string, string][] = [
      ['{"a": {"x": 1}, "b": 2, "a": {"x": 3}}', "a.x", '{"a": {"x": 1}, "b": 2, "a": {"x": 5}}'],
      ['{"a": {"x": 1, "x": 2}, "b": 3}', "a.x", '{"a": {"x": 1, "x": 5}, "b": 3}'],
      ['{"a": {"x": 1}, "a": {"y": 3}}', "a.x", '{"a": {"x": 1}, "a": {"y": 3,"x": 5}}'],
      ['{"a": {"x": 1}, "\\u0061": {"x": 3}}', "a.x", '{"a": {"x": 1}, "\\u0061": {"x": 5}}'],
      // "a" later as a value: the members after the first are read, past a value read only in part.
      [
        '{"a": {"x": 1, "y": [2]}, "b": "a", "c": {"a": 0}}',
        "a.x",
        '{"a": {"x": 5, "y": [2]}, "b": "a", "c": {"a": 0}}',
      ],
      ['{"a": {"x": 1, "y": [2]}, "b": [3]}', "a.x", '{"a": {"x": 5, "y": [2]}, "b": [3]}'],
      ['{"a": {"y": [2]}, "b": [3]}', "a.x", '{"a": {"y": [2],"x": 5}, "b": [3]}'],
    ];
    for (const [text, key, after] of cases) {
      expect([text, key, edit(text, [{ op: "set", path: key.split("."), value: 5 }])]).toEqual([text, key, after]);
    }
  });

  test("edit() leaves a value's bytes alone when it is set to what it already holds", () => {
    const text = '{"a": 1, "b": "\\u003c", "c": {"d": [1.0]}}';
    const same: Change[] = [
      { op: "set", path: ["a"], value: 1 },
      { op: "set", path: ["b"], value: "<" },
      { op: "set", path: ["c"], value: { d: [1] } },
    ];
    expect(edit(text, same)).toBe(text);
    // A number set is written as asked: Go reads 1.0 into an integer field as an error.
    expect(edit('{"a": 1.0, "b": 2e0}', [{ op: "set", path: ["a"], value: 1 }])).toBe('{"a": 1, "b": 2e0}');
    expect(edit(KUBO_V15, [{ op: "set", path: ["Identity"], value: JSON.parse(KUBO_V15).Identity }])).toBe(KUBO_V15);
  });

  test("edit() writes bigints as integers", () => {
    expect(format.edit('{"n":1}', [{ op: "set", path: ["n"], value: 12345678901234567890n }])).toBe(
      '{"n":12345678901234567890}',
    );
  });

  test("edit() refuses values JSON cannot hold", () => {
    for (const value of [undefined, Number.NaN, () => 1]) {
      expect(thrownBy(() => format.edit("{}", [{ op: "set", path: ["a"], value }])).code).toBe("INVALID_VALUE");
      expect(thrownBy(() => format.edit('{"a": null}', [{ op: "set", path: ["a"], value }])).code).toBe(
        "INVALID_VALUE",
      );
    }
  });
});

describe("json entries()", () => {
  test("lists every string and number member by its path, each duplicate's too; none if no key is repeated", () => {
    const text =
      '\uFEFF{"Identity": {"PrivKey": "S1"}, "a": [1, "x", {"b": true}],\n "Identity": {"PrivKey": "S\\u0032"}}';
    expect(format.entries!(text)).toEqual(
      expect.arrayContaining([
        { path: ["Identity", "PrivKey"], value: "S1" },
        { path: ["Identity", "PrivKey"], value: "S2" },
        { path: ["a"], value: "1" },
        { path: ["a"], value: "x" },
      ]),
    );
    expect(format.entries!(text)).toHaveLength(4);
    expect(() => format.entries!('{"a": ')).toThrow("Invalid JSON");
    // parse() keeps every member of such a document: its value tells them.
    expect(format.entries!('{"Identity": {"PrivKey": "S1"}, "a": "x :"}')).toEqual([]);
  });
});

describe("json read as Go's json.Decoder reads it (reading ignoresTrailingText)", () => {
  const decoder = format.reading!({ ignoresTrailingText: true });
  const DOC = '{\n  "API": {\n    "Key": "k"\n  },\n  "Port": 1\n}';

  test("parse() reads the object and leaves out whatever follows its closing brace", () => {
    for (const tail of ["}", "\n}\n", '{"Port": 2}', 'garbage \\q " \uDCFF', "\n\n  x", "]"]) {
      expect(decoder.parse(DOC + tail)).toEqual({ API: { Key: "k" }, Port: 1 });
      // json.Unmarshal and JSON.parse refuse it: the plain format still does.
      expect(thrownBy(() => format.parse(DOC + tail)).code).toBe("PARSE_FAILED");
    }
    expect(decoder.parse(`\uFEFF  ${DOC}}`)).toEqual({ API: { Key: "k" }, Port: 1 });
    expect(decoder.parse("[1, 2]]")).toEqual([1, 2]);
  });

  test("parse() still refuses a broken document, an empty text and a scalar with text after it", () => {
    // Decoder reads the first value whole: an error in it stops the decode as before.
    const broken = thrownBy(() => decoder.parse('{"a": 1,}}')) as ParseError;
    expect(broken.message).toContain("line 1, column 9");
    expect(thrownBy(() => decoder.parse('{"a": 1')).code).toBe("PARSE_FAILED");
    expect(thrownBy(() => decoder.parse(" \n")).code).toBe("PARSE_FAILED");
    expect(thrownBy(() => decoder.parse("1 }")).code).toBe("PARSE_FAILED");
  });

  test("edit() sets, appends and unsets in the document and keeps the text after it byte for byte", () => {
    const tail = '\n}\n{"Identity": {"PrivKey": "old"}}\n\\q "\uDCFF';
    const changes: [Change[], string][] = [
      [[{ op: "set", path: ["Port"], value: 2 }], DOC.replace('"Port": 1', '"Port": 2')],
      [[{ op: "set", path: ["API", "Other"], value: true }], DOC.replace('"k"\n', '"k",\n    "Other": true\n')],
      [[{ op: "unset", path: ["API"] }], '{\n  "Port": 1\n}'],
      [
        [
          { op: "set", path: ["A"], value: 1 },
          { op: "set", path: ["B"], value: { C: [] } },
        ],
        DOC.replace("1\n}", '1,\n  "A": 1,\n  "B": {\n    "C": []\n  }\n}'),
      ],
      [[{ op: "set", path: [], value: { Port: 3 } }], '{\n  "Port": 3\n}'],
    ];
    for (const [change, doc] of changes) {
      // Unchecked, the editor reads the text and the result as the decoder does.
      expect(decoder.edit(DOC + tail, change, {})).toBe(doc + tail);
      expect(decoder.edit(DOC + tail, change, {}, { checked: true })).toBe(doc + tail);
    }
    expect(() => format.edit(DOC + tail, changes[0]![0], {})).toThrow();
  });

  test("unread() gives the line the text after the document starts on, none for blanks", () => {
    expect(decoder.unread!(DOC)).toBeUndefined();
    expect(decoder.unread!(`${DOC} \n\t\r\n`)).toBeUndefined();
    expect(decoder.unread!(`${DOC}}`)).toBe(6);
    expect(decoder.unread!(`\uFEFF${DOC}\n\n  {"a": 1}`)).toBe(8);
  });

  test("strings() lists the document's strings whatever follows; entries() the values written after it", () => {
    const text = `${DOC}\n{"Identity":{"PrivKey":"S1"}}\n"Key" : "S\\u0032" "x"\n"\\q": "S3"`;
    expect(
      decoder.strings!(text)
        .slice(0, 3)
        .map((span) => span.value),
    ).toEqual(["API", "Key", "k"]);
    expect(decoder.entries!(text)).toEqual(
      expect.arrayContaining([
        { path: ["PrivKey"], value: "S1" },
        { path: ["Key"], value: "S2" },
        { path: ["Key"], value: "S\\u0032" },
      ]),
    );
    // Read by line, not as JSON: a quote that opens no string does not hide the lines after it.
    expect(decoder.entries!(`${DOC}\n2" drive\n"PrivKey": "S3"\nPrivKey: S4`)).toEqual(
      expect.arrayContaining([
        { path: ["PrivKey"], value: "S3" },
        { path: ["PrivKey"], value: "S4" },
      ]),
    );
    expect(decoder.entries!(DOC)).toEqual([]);
    // A line of text after the document whose quotes JSON cannot read ends the list of strings, not the diff.
    expect(format.lineStrings!('"a": "b"\n"\\q" "c"').map((span) => span.value)).toEqual(["a", "b"]);
  });
});
