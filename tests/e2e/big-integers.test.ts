import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, MCP_INITIALIZED, mcpInitialize, mcpPiped, mcpToolCall, tempDir } from "../helpers.ts";

// kubo reads its integer fields with Go's encoding/json (strconv.ParseInt on the number's own
// text: -9223372036854775808 to 9223372036854775807, every digit), so kitcfg reads, checks,
// shows and writes an integer past 2^53 exactly too (tests/fixtures/FORMATS.md §1a).

let root: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
});
afterEach(() => cleanup());

const config = () => join(root, ".ipfs/config");
/** The binary on the root; `--root` goes before a `--` that lets a value start with "-". */
const run = (args: string[]) => {
  const end = args.indexOf("--");
  return end === -1
    ? kitcfg(args, { root })
    : kitcfg([...args.slice(0, end), "--root", root, ...args.slice(end)], { env: cleanEnv(root), cwd: root });
};
const highWater = () => /"HighWater": (\S+?),?\n/.exec(readFileSync(config(), "utf8"))?.[1];

test("set writes an int64 past 2^53 with every digit given, int64's limits included", () => {
  for (const [args, written] of [
    [["9007199254740993"], "9007199254740993"],
    [["9223372036854775807"], "9223372036854775807"],
    [["--", "-9223372036854775808"], "-9223372036854775808"],
  ] as const) {
    const ran = run(["set", "ipfs", "Swarm.ConnMgr.HighWater", ...args]);
    expect({ written, code: ran.code, stderr: ran.stderr }).toEqual({ written, code: 0, stderr: "" });
    expect(highWater()).toBe(written);
    expect(kitcfg(["get", "ipfs", "Swarm.ConnMgr.HighWater"], { root }).stdout).toBe(`${written}\n`);
  }
  expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
});

test("set and update --set refuse an integer one past int64, and leave the file byte for byte", () => {
  const before = readFileSync(config());
  for (const args of [
    ["set", "ipfs", "Swarm.ConnMgr.HighWater", "9223372036854775808"],
    ["set", "ipfs", "Swarm.ConnMgr.HighWater", "--", "-9223372036854775809"],
    ["update", "ipfs", "--set", "Swarm.ConnMgr.LowWater=18446744073709551615"],
  ]) {
    const ran = run(args);
    expect({ args, code: ran.code }).toEqual({ args, code: 1 });
    expect(ran.stderr).toContain("expected a whole number (a Go int64)");
    expect(readFileSync(config())).toEqual(before);
  }
});

test("get, show and --json print a hand-written integer past 2^53 exactly; another key's edit keeps it", () => {
  const text = readFileSync(config(), "utf8").replace(
    '"ConnMgr": {}',
    '"ConnMgr": {\n      "HighWater": 9223372036854775807,\n      "LowWater": -9007199254740993\n    }',
  );
  writeFileSync(config(), text);
  const validate = kitcfg(["validate", "ipfs"], { root });
  expect(validate.stderr).toBe("");
  expect(validate.code).toBe(0);
  expect(kitcfg(["get", "ipfs", "Swarm.ConnMgr.HighWater"], { root }).stdout).toBe("9223372036854775807\n");
  expect(kitcfg(["get", "ipfs", "Swarm.ConnMgr.HighWater", "--json"], { root }).stdout).toBe("9223372036854775807\n");
  expect(kitcfg(["get", "ipfs", "Swarm.ConnMgr"], { root }).stdout).toBe(
    '{"HighWater":9223372036854775807,"LowWater":-9007199254740993}\n',
  );
  expect(kitcfg(["show", "ipfs", "Swarm.ConnMgr"], { root }).stdout).toBe(
    '{\n  "HighWater": 9223372036854775807,\n  "LowWater": -9007199254740993\n}\n',
  );
  expect(kitcfg(["show", "ipfs", "Swarm.ConnMgr.LowWater"], { root }).stdout).toBe("-9007199254740993\n");
  const shown = kitcfg(["show", "ipfs", "--json"], { root }).stdout;
  expect(shown).toContain('"HighWater": 9223372036854775807,');
  expect(shown).toContain('"LowWater": -9007199254740993');
  expect(kitcfg(["show", "ipfs"], { root }).stdout).toContain('"HighWater": 9223372036854775807,');
  // An in-place edit of another key changes only that key's line.
  expect(kitcfg(["set", "ipfs", "Swarm.ConnMgr.GracePeriod", "30s"], { root }).code).toBe(0);
  const after = readFileSync(config(), "utf8");
  expect(after).toContain('"HighWater": 9223372036854775807,\n      "LowWater": -9007199254740993,\n');
  expect(after.replace(',\n      "GracePeriod": "30s"', "")).toBe(text);
});

test("get of one key of a big config (read without parsing the rest) prints it exactly", () => {
  const doc = JSON.parse(readFileSync(config(), "utf8"));
  doc.Peering = {
    Peers: Array.from({ length: 8000 }, (_, i) => ({
      ID: "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
      Addrs: [`/ip4/10.0.${i >> 8}.${i & 255}/tcp/4001`],
    })),
  };
  doc.Swarm.ConnMgr = { HighWater: "@big" };
  writeFileSync(config(), JSON.stringify(doc, null, 2).replace('"@big"', "9223372036854775807"));
  expect(readFileSync(config()).length).toBeGreaterThan(512 * 1024);
  expect(kitcfg(["get", "ipfs", "Swarm.ConnMgr.HighWater"], { root }).stdout).toBe("9223372036854775807\n");
  expect(kitcfg(["get", "ipfs", "Swarm.ConnMgr", "--json"], { root }).stdout).toBe(
    '{\n  "HighWater": 9223372036854775807\n}\n',
  );
});

test("the MCP server answers with every digit, in the text and the structured content, and in a resource", async () => {
  writeFileSync(
    config(),
    readFileSync(config(), "utf8").replace('"ConnMgr": {}', '"ConnMgr": {"HighWater": 9223372036854775807}'),
  );
  const requests = [
    mcpInitialize(1),
    MCP_INITIALIZED,
    mcpToolCall(2, "get_daemon_config", { daemon_name: "ipfs", key: "Swarm.ConnMgr.HighWater" }),
    { jsonrpc: "2.0", id: 3, method: "resources/read", params: { uri: "kitcfg://config/ipfs" } },
  ];
  const { out, code } = await mcpPiped(root, requests);
  expect(code).toBe(0);
  // The answers as sent (JSON.parse would round the numbers), by id.
  const answers = new Map(
    out
      .trim()
      .split("\n")
      .map((line) => [JSON.parse(line).id, line] as const),
  );
  expect(answers.get(2)).toContain('"text":"9223372036854775807"');
  expect(answers.get(2)).toContain('"value":9223372036854775807');
  expect(JSON.parse(answers.get(3)!).result.contents[0].text).toContain('"HighWater": 9223372036854775807');
});

test("update --set of JSON holding an integer past 2^53 writes it, and history records it, with every digit", () => {
  const value = '{"ds":{"Config":{"n":12345678901234567890}}}';
  const ran = kitcfg(["update", "ipfs", "--set", `Plugins.Plugins=${value}`], { root });
  expect(ran.code).toBe(0);
  expect(readFileSync(config(), "utf8")).toContain('"n": 12345678901234567890');
  expect(kitcfg(["history", "ipfs"], { root }).stdout).toContain(`--set Plugins.Plugins=${value}`);
});

test("the JSON Schema export types an int64 field as a number or integer, never as anything", () => {
  const schema = JSON.parse(kitcfg(["schema", "ipfs"], { root }).stdout);
  // Every field may be null: each object is anyOf [object, null].
  const swarm = schema.properties.Swarm.anyOf[0];
  const highWater = swarm.properties.ConnMgr.anyOf[0].properties.HighWater;
  expect(highWater).toEqual({ anyOf: [{ anyOf: [{ type: "number" }, { type: "integer" }] }, { type: "null" }] });
});
