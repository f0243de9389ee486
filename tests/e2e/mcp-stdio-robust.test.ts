import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { cleanEnv, jsonLines, KITCFG, MCP_INITIALIZED, mcpInitialize, mcpToolCall, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
let server: Subprocess<"pipe", "pipe", "pipe"> | undefined;
beforeEach(() => ({ dir: root, cleanup } = tempDir("kitcfg-mcp-robust-")));
afterEach(() => {
  // A server a failed test left running is stopped here, never left behind.
  server?.kill("SIGKILL");
  server = undefined;
  cleanup();
});

/** `dist/kitcfg mcp --root <root>` with raw pipes, initialized: what a client writes, byte for byte. */
async function startServer() {
  const proc = Bun.spawn([KITCFG, "mcp", "--root", root], {
    env: cleanEnv(root),
    cwd: root,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  server = proc;
  const lines = jsonLines(proc);
  const nextMessage = lines.next;
  const writeLine = (line: string) => proc.stdin.write(`${line}\n`);
  writeLine(JSON.stringify(mcpInitialize(0)));
  expect((await nextMessage()).id).toBe(0);
  writeLine(JSON.stringify(MCP_INITIALIZED));
  /** Close the client's end of the server's stdout: its next answer fails (EPIPE). */
  const hangUpStdout = async () => {
    lines.release();
    await proc.stdout.cancel();
  };
  /** The exit code, or "still running" after `ms`. */
  const exited = (ms: number) => Promise.race([proc.exited, Bun.sleep(ms).then(() => "still running" as const)]);
  return { proc, nextMessage, writeLine, hangUpStdout, exited };
}

/** A stack, a line of bundle source, Bun's crash banner: what an uncaught error prints. */
function expectNoCrashReport(stderr: string): void {
  expect(stderr).not.toContain("EPIPE");
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain("$bunfs");
  expect(stderr).not.toMatch(/Bun v\d/);
}

describe("kitcfg mcp on stdio when the client goes away", () => {
  test("answers due when the client closes stdout and stdin: exit 0 at once, one line, no stack", async () => {
    const { proc, writeLine, hangUpStdout, exited } = await startServer();
    await hangUpStdout();
    // tools/list is more than a pipe takes at once (Bun's write is then a promise that fails).
    writeLine(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
    writeLine(JSON.stringify(mcpToolCall(2, "get_daemon_config", { daemon_name: "s3" })));
    await proc.stdin.flush();
    proc.stdin.end();
    // Not the 30 s the server gives answers still due: none can be written any more.
    expect(await exited(10_000)).toBe(0);
    const stderr = await new Response(proc.stderr).text();
    expectNoCrashReport(stderr);
    expect(stderr.match(/client gone/g)).toEqual(["client gone"]);
    expect(stderr).not.toContain("MCP transport error");
  }, 20_000);

  test("a client that closes stdout but leaves stdin open: the server still ends, exit 0", async () => {
    const { proc, writeLine, hangUpStdout, exited } = await startServer();
    await hangUpStdout();
    writeLine(JSON.stringify(mcpToolCall(1, "get_daemon_config", { daemon_name: "s3" })));
    await proc.stdin.flush();
    const code = await exited(10_000);
    proc.stdin.end();
    expect(code).toBe(0);
    const stderr = await new Response(proc.stderr).text();
    expectNoCrashReport(stderr);
    expect(stderr).toContain("MCP client gone (it closed its end of stdout): stopping");
  }, 20_000);
});

describe("kitcfg mcp on stdio: lines that are no valid message", () => {
  test("each is answered as JSON-RPC says (-32700, -32600 with its id) " +
    "in one log line; notifications and responses get none, valid messages go on as before", async () => {
    const { proc, nextMessage, writeLine, exited } = await startServer();
    const lines = [
      '{"jsonrpc":"2.0","id":1,"method":"tools/list"',
      "this is not json",
      '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}',
      '{"jsonrpc":"2.0","id":3,"method":"ping","extra":1}',
      // No reply to these two: a notification (no id) and a response.
      '{"jsonrpc":"2.0","method":"notifications/x","extra":1}',
      '{"jsonrpc":"2.0","id":9,"result":{},"x":1}',
      // Members the spec allows, in params and _meta: taken as before.
      '{"jsonrpc":"2.0","id":"five","method":"ping","params":{"x":1,"_meta":{"custom":true}}}',
      '{"jsonrpc":"2.0","id":4,"method":"ping"}',
    ];
    for (const line of lines) writeLine(line);
    await proc.stdin.flush();
    const answers: any[] = [];
    while (answers.at(-1)?.id !== 4) answers.push(await nextMessage());
    const sorted = answers.toSorted((a, b) => String(a.id).localeCompare(String(b.id)));
    const invalid = "Invalid Request: not a valid JSON-RPC message";
    expect(sorted).toEqual([
      { jsonrpc: "2.0", id: 3, error: { code: -32600, message: `${invalid}: unknown member "extra"` } },
      { jsonrpc: "2.0", id: 4, result: {} },
      { jsonrpc: "2.0", id: "five", result: {} },
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: Invalid JSON" } },
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: Invalid JSON" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: `${invalid}: "id" must be a string or an integer` } },
    ]);
    proc.stdin.end();
    expect(await exited(10_000)).toBe(0);
    const log = (await new Response(proc.stderr).text()).trim().split("\n");
    expect(log).toEqual([
      expect.stringContaining("MCP server on stdio"),
      "Refused an MCP message: Parse error: Invalid JSON",
      "Refused an MCP message: Parse error: Invalid JSON",
      `Refused an MCP message: ${invalid}: "id" must be a string or an integer`,
      `Refused an MCP message: ${invalid}: unknown member "extra"`,
      'Ignored an MCP notification: not a valid JSON-RPC message: unknown member "extra"',
      "Ignored an MCP response: not a valid JSON-RPC message",
    ]);
  }, 20_000);
});
