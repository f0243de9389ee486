import { expect, test } from "bun:test";
import { parseJSONRPCMessage } from "@modelcontextprotocol/server";
import { isPlainCall } from "../../mcp/_message-check.ts";
import { seededRandom } from "../_safety.ts";

// mcp/_message-check.ts takes the plain requests and notifications clients send without the
// SDK's zod schema; it must never take one that schema refuses (the SDK would drop it unanswered).

test("the plain calls clients send are taken without the SDK's schema", () => {
  for (const message of [
    { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {} } },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "x", arguments: {} } },
  ])
    expect(isPlainCall(message)).toBe(true);
});

test("whatever it takes, the SDK's schema takes (20,000 generated messages)", () => {
  const random = seededRandom(91);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const values = [
    "2.0",
    "1.0",
    2,
    "",
    "x",
    1,
    -0,
    1.5,
    2 ** 53,
    -(2 ** 53) + 1,
    null,
    true,
    [],
    {},
    { a: 1 },
    { _meta: {} },
    { _meta: { progressToken: null } },
    { _meta: { progressToken: "t" } },
    [1],
  ];
  const members = ["jsonrpc", "id", "method", "params", "result", "error", "extra", "__proto__"];
  let taken = 0;
  for (let i = 0; i < 20_000; i++) {
    const message: Record<string, unknown> = {};
    if (random() < 0.9) message.jsonrpc = random() < 0.8 ? "2.0" : pick(values);
    if (random() < 0.9) message.method = random() < 0.8 ? "tools/call" : pick(values);
    for (const member of members) if (random() < 0.3) message[member] = pick(values);
    const value = JSON.parse(JSON.stringify(message));
    if (!isPlainCall(value)) continue;
    taken++;
    expect(() => parseJSONRPCMessage(value)).not.toThrow();
  }
  expect(taken).toBeGreaterThan(1000);
});
