import { expect, test } from "bun:test";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { FileSink } from "bun";
import { messageIdOf, StdinLines, StdoutSink } from "../../mcp/_bounded-lines.ts";
import { checkMessageLine } from "../../mcp/_message-check.ts";

async function* chunksOf(chunks: string[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await Bun.sleep(0);
    yield new TextEncoder().encode(chunk);
  }
}

/**
 * A named pipe in a fresh folder, its reader opened here: Bun's sink on it behaves as on a
 * stdout piped to a client (a spawned process's stdin is another kind of sink).
 */
function namedPipe(): { sink: FileSink; hangUp(): void } {
  const dir = mkdtempSync(join(tmpdir(), "kitcfg-pipe-"));
  const path = join(dir, "pipe");
  expect(Bun.spawnSync(["mkfifo", path]).exitCode).toBe(0);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const sink = Bun.file(path).writer();
  rmSync(dir, { recursive: true, force: true });
  let open = true;
  return {
    sink,
    hangUp() {
      if (open) closeSync(reader);
      open = false;
    },
  };
}

/** Resolves once `ready()` holds, or after `ms`. */
async function until(ready: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !ready() && Date.now() < end; ) await Bun.sleep(5);
}

/** Every event `lines` emits, in order, until `close`. */
function eventsOf(lines: StdinLines): Promise<string[]> {
  const events: string[] = [];
  return new Promise((resolve) => {
    lines.on("data", (line: Buffer) => events.push(`data ${JSON.stringify(line.toString())}`));
    lines.on("end", () => events.push("end"));
    lines.on("close", () => resolve([...events, "close"]));
  });
}

test(
  "StdinLines passes lines up to the limit whole, " + "drops longer ones (split across chunks too) and goes on",
  async () => {
    const dropped: [string, number][] = [];
    const lines = new StdinLines(chunksOf(["ab", "c\n0123456", "789x\nok\n", "tail"]), {
      limit: 5,
      onOversized: (head, bytes) => dropped.push([head.toString(), bytes]),
    });
    expect(await eventsOf(lines)).toEqual(['data "abc\\n"', 'data "ok\\n"', 'data "tail"', "end", "close"]);
    // The head is the start of the line as read when it went over the limit: enough to find an id.
    expect(dropped).toEqual([["0123456", 11]]);
    expect(lines.readableEnded).toBe(true);
  },
);

test("StdinLines reads nothing before its first data listener: a line is never lost", async () => {
  let pulled = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    pulled++;
    yield new TextEncoder().encode("first\n");
  }
  const lines = new StdinLines(counted(), { limit: 100, onOversized: () => {} });
  lines.on("end", () => {});
  await Bun.sleep(5);
  expect(pulled).toBe(0);
  expect(await eventsOf(lines)).toEqual(['data "first\\n"', "end", "close"]);
});

test("StdinLines holds its end back until beforeEnd resolves", async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const lines = new StdinLines(chunksOf(["a\n"]), { limit: 100, onOversized: () => {}, beforeEnd: () => held });
  const events = eventsOf(lines);
  await Bun.sleep(20);
  expect(lines.readableEnded).toBe(false);
  release();
  expect(await events).toEqual(['data "a\\n"', "end", "close"]);
});

test("StdinLines reports a failing input as an error, then close", async () => {
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield new TextEncoder().encode("a\n");
    throw new Error("read failed");
  }
  const lines = new StdinLines(failing(), { limit: 100, onOversized: () => {} });
  const errors: string[] = [];
  lines.on("error", (error: Error) => errors.push(error.message));
  expect(await eventsOf(lines)).toEqual(['data "a\\n"', "close"]);
  expect(errors).toEqual(["read failed"]);
  expect(lines.destroyed).toBe(true);
});

test("StdoutSink writes through Bun's file sink; once() and off() listeners as Node's", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kitcfg-sink-"));
  try {
    const file = join(dir, "out");
    const sink = new StdoutSink(Bun.file(file).writer());
    const seen: string[] = [];
    const removed = () => seen.push("removed");
    sink.once("drain", () => seen.push("once"));
    sink.on("drain", removed);
    sink.off("drain", removed);
    expect(sink.listenerCount("drain")).toBe(1);
    sink.write('{"id":1}\n');
    sink.write(new TextEncoder().encode('{"id":2}\n'));
    await sink.end();
    expect(readFileSync(file, "utf8")).toBe('{"id":1}\n{"id":2}\n');
    // A file takes each write whole: nothing to wait for, so no drain.
    expect(seen).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("off() removes a once() listener by the listener itself, as Node's: a long session keeps no answers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kitcfg-sink-"));
  try {
    const sink = new StdoutSink(Bun.file(join(dir, "out")).writer());
    const seen: string[] = [];
    const first = () => seen.push("first");
    sink.once("error", first);
    sink.once("error", () => seen.push("second"));
    sink.off("error", first);
    expect(sink.listenerCount("error")).toBe(1);
    // The SDK's stdio transport adds an error listener with once() per message and removes it with off().
    let hangUp = () => {};
    const open = new Promise<void>((resolve) => (hangUp = resolve));
    // An input that stays open, as a client's stdin does, until the test hangs up.
    const input: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => open.then(() => ({ done: true, value: undefined })) }),
    };
    const stdin = new StdinLines(input, { limit: 10, onOversized: () => {} });
    const transport = new StdioServerTransport(stdin as never, sink as never);
    await transport.start();
    const listening = sink.listenerCount("error");
    for (let id = 1; id <= 50; id++) await transport.send({ jsonrpc: "2.0", id, result: {} });
    expect(sink.listenerCount("error")).toBe(listening);
    hangUp();
    await sink.end();
    expect(readFileSync(join(dir, "out"), "utf8").split("\n")).toHaveLength(51);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("StdoutSink turns a write to a reader that is gone into an error event, never a throw", async () => {
  // Bun's sink says so in three ways, one pipe each: a flush that throws (a small write), a write
  // that is a promise and fails (more than the pipe takes), a flush under way that fails (the
  // reader goes meanwhile). An unheard rejection fails this test, as it ends kitcfg mcp with a stack.
  const big = `${"x".repeat(256 * 1024)}\n`;
  const [small, early, late] = [namedPipe(), namedPipe(), namedPipe()];
  small.hangUp();
  early.hangUp();
  const errors: string[][] = [[], [], []];
  const sinks = [small, early, late].map((pipe, at) => {
    const sink = new StdoutSink(pipe.sink);
    sink.on("error", (error: NodeJS.ErrnoException) => errors[at]!.push(error.code ?? error.message));
    return sink;
  });
  expect(sinks[0]!.write("small\n")).toBe(false);
  expect(sinks[1]!.write(big)).toBe(false);
  expect(sinks[2]!.write(big)).toBe(false);
  await Bun.sleep(20);
  expect(errors[2]).toEqual([]);
  late.hangUp();
  await until(() => errors.every((codes) => codes.length > 0));
  expect(errors.map((codes) => [...new Set(codes)])).toEqual([["EPIPE"], ["EPIPE"], ["EPIPE"]]);
  expect(sinks.map((sink) => sink.destroyed)).toEqual([true, true, true]);
  // Written no more: a later write is the same error again, as on a destroyed Node stream.
  const before = errors[0]!.length;
  expect(sinks[0]!.write(big)).toBe(false);
  await until(() => errors[0]!.length > before);
  expect(errors[0]!.slice(before)).toEqual(["EPIPE"]);
  for (const sink of sinks) await sink.end();
});

test("StdinLines passes on only the lines accept() takes", async () => {
  const offered: string[] = [];
  const lines = new StdinLines(chunksOf(["keep\ndrop\nkeep too\n"]), {
    limit: 100,
    onOversized: () => {},
    accept: (line) => {
      offered.push(line.toString());
      return !line.toString().startsWith("drop");
    },
  });
  expect(await eventsOf(lines)).toEqual(['data "keep\\n"', 'data "keep too\\n"', "end", "close"]);
  expect(offered).toEqual(["keep\n", "drop\n", "keep too\n"]);
});

test("StdinLines.destroy() stops reading an input that stays open: close follows, no end", async () => {
  let cancelled = false;
  // As stdin whose client keeps it open: one line, then nothing, until cancelled.
  const input = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode("a\n")),
    cancel: () => void (cancelled = true),
  });
  const lines = new StdinLines(input, { limit: 100, onOversized: () => {} });
  const events = eventsOf(lines);
  await Bun.sleep(10);
  lines.destroy();
  expect(await events).toEqual(['data "a\\n"', "close"]);
  expect(cancelled).toBe(true);
  expect(lines.destroyed).toBe(true);
  expect(lines.readableEnded).toBe(false);
});

test("checkMessageLine() lets through what the SDK takes, members the spec allows included", () => {
  for (const message of [
    { jsonrpc: "2.0", id: 1, method: "ping" },
    { jsonrpc: "2.0", id: "a-1", method: "tools/call", params: { name: "x", arguments: {}, extra: 1 } },
    { jsonrpc: "2.0", id: 2, method: "ping", params: { _meta: { progressToken: 5, custom: true } } },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2, reason: "x" } },
    { jsonrpc: "2.0", id: 3, result: {} },
    { jsonrpc: "2.0", id: 4, error: { code: -1, message: "no", data: [1] } },
  ])
    expect(checkMessageLine(`${JSON.stringify(message)}\n`)).toBeUndefined();
  // A blank line is no message: the SDK skips it, and so is nothing answered.
  expect(checkMessageLine("\n")).toBeUndefined();
  expect(checkMessageLine(" \r\n")).toBeUndefined();
});

test("checkMessageLine() answers a line that is no JSON -32700 and an invalid request -32600 with its id", () => {
  const answerOf = (line: string): unknown => checkMessageLine(line)?.answer;
  const parseError = { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: Invalid JSON" } };
  expect(answerOf('{"jsonrpc":"2.0","id":1,"method":"tools/list"\n')).toEqual(parseError);
  expect(answerOf("this is not json\n")).toEqual(parseError);
  const invalid = (id: unknown, detail: string) => ({
    jsonrpc: "2.0",
    id,
    error: { code: -32600, message: `Invalid Request: not a valid JSON-RPC message${detail}` },
  });
  const table: [string, unknown][] = [
    ['{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', invalid(null, ': "id" must be a string or an integer')],
    ['{"jsonrpc":"2.0","id":3,"method":"ping","extra":1}', invalid(3, ': unknown member "extra"')],
    ['{"jsonrpc":"2.0","id":"s","method":5}', invalid("s", ': "method" must be a string')],
    ['{"jsonrpc":"2.0","id":5,"method":"ping","params":[1]}', invalid(5, ': "params" must be an object')],
    ['{"jsonrpc":"1.0","id":6,"method":"ping"}', invalid(6, ': "jsonrpc" must be "2.0"')],
    ['{"jsonrpc":"2.0","id":7,"method":"ping","params":{"_meta":{"progressToken":{}}}}', invalid(7, "")],
    ['{"jsonrpc":"2.0","method":1,"params":"bar"}', invalid(null, ': "method" must be a string')],
    ['{"foo":"boo"}', invalid(null, ': "jsonrpc" must be "2.0"')],
    ["[1]", invalid(null, ": expected an object, got an array")],
    ["42", invalid(null, ": expected an object, got a number")],
  ];
  for (const [line, answer] of table) expect([line, answerOf(`${line}\n`)]).toEqual([line, answer]);
  expect(checkMessageLine('{"jsonrpc":"2.0","id":3,"method":"ping","extra":1}')?.log).toBe(
    'Refused an MCP message: Invalid Request: not a valid JSON-RPC message: unknown member "extra"',
  );
});

test("checkMessageLine() answers no notification nor response it refuses, but says so in one line", () => {
  const notification = checkMessageLine('{"jsonrpc":"2.0","method":"notifications/x","extra":1}\n');
  expect(notification).toEqual({
    log: 'Ignored an MCP notification: not a valid JSON-RPC message: unknown member "extra"',
  });
  const response = checkMessageLine('{"jsonrpc":"2.0","id":9,"result":{},"x":1}\n');
  expect(response).toEqual({ log: "Ignored an MCP response: not a valid JSON-RPC message" });
  expect(checkMessageLine('{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"x"}}')?.answer).toBeUndefined();
});

test("messageIdOf() finds the id a client writes first, else null", () => {
  expect(messageIdOf(Buffer.from('{"jsonrpc":"2.0","id":7,"method":"x"'))).toBe(7);
  expect(messageIdOf(Buffer.from('{"id":"a-1","jsonrpc":"2.0"'))).toBe("a-1");
  expect(messageIdOf(Buffer.from('{"method":"x","id":3}'))).toBeNull();
  expect(messageIdOf(Buffer.from("garbage"))).toBeNull();
});
