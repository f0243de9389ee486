import { expect, test } from "bun:test";
import { PassThrough } from "node:stream";
import { boundedLines, messageIdOf } from "../../mcp/_bounded-lines.ts";

async function run(chunks: string[], limit: number): Promise<{ lines: string[]; dropped: [string, number][] }> {
  const input = new PassThrough();
  const dropped: [string, number][] = [];
  const output = boundedLines(input, { limit, onOversized: (head, bytes) => dropped.push([head.toString(), bytes]) });
  const read = new Response(output as unknown as ReadableStream).text();
  for (const chunk of chunks) input.write(chunk);
  input.end();
  return { lines: (await read).split("\n"), dropped };
}

test(
  "boundedLines() passes lines up to the limit whole, " + "drops longer ones (split across chunks too) and goes on",
  async () => {
    const { lines, dropped } = await run(["ab", "c\n0123456", "789x\nok\n", "tail"], 5);
    expect(lines).toEqual(["abc", "ok", "tail"]);
    // The head is the start of the line as read when it went over the limit: enough to find an id.
    expect(dropped).toEqual([["0123456", 11]]);
  },
);

test("messageIdOf() finds the id a client writes first, else null", () => {
  expect(messageIdOf(Buffer.from('{"jsonrpc":"2.0","id":7,"method":"x"'))).toBe(7);
  expect(messageIdOf(Buffer.from('{"id":"a-1","jsonrpc":"2.0"'))).toBe("a-1");
  expect(messageIdOf(Buffer.from('{"method":"x","id":3}'))).toBeNull();
  expect(messageIdOf(Buffer.from("garbage"))).toBeNull();
});
