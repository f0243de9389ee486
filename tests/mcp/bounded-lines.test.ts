import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { messageIdOf, StdinLines, StdoutSink } from "../../mcp/_bounded-lines.ts";

async function* chunksOf(chunks: string[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await Bun.sleep(0);
    yield new TextEncoder().encode(chunk);
  }
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
  const reader = Bun.spawn(["true"], { stdin: "pipe" });
  await reader.exited;
  const sink = new StdoutSink(reader.stdin);
  const failed = new Promise<Error>((resolve) => sink.once("error", resolve));
  // A pipe takes a first small write into its buffer; writes go on until the kernel says EPIPE.
  const big = "x".repeat(1024 * 1024);
  for (let i = 0; i < 4; i++) sink.write(big);
  const error = await Promise.race([failed, Bun.sleep(5000).then(() => undefined)]);
  expect(error).toBeInstanceOf(Error);
});

test("messageIdOf() finds the id a client writes first, else null", () => {
  expect(messageIdOf(Buffer.from('{"jsonrpc":"2.0","id":7,"method":"x"'))).toBe(7);
  expect(messageIdOf(Buffer.from('{"id":"a-1","jsonrpc":"2.0"'))).toBe("a-1");
  expect(messageIdOf(Buffer.from('{"method":"x","id":3}'))).toBeNull();
  expect(messageIdOf(Buffer.from("garbage"))).toBeNull();
});
