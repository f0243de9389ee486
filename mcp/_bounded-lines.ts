import { PassThrough } from "node:stream";
import type { Readable } from "node:stream";

/** The largest MCP message read on stdio, in bytes (a line; the SDK's own buffer bound). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface BoundedLinesOptions {
  /** Lines longer than this (newline excluded) are dropped. */
  limit: number;
  /** Called once per dropped line with its first bytes (to find its id) and its length. */
  onOversized: (head: Buffer, bytes: number) => void;
}

/**
 * A stream that gives `input` back one whole line per chunk, each at most `limit` bytes.
 * The SDK's stdio transport, given a line over its buffer bound, closes itself and pauses
 * stdin: the server then never sees stdin end and never exits. Here an oversized line is
 * read to its newline and dropped (memory stays bounded by `limit`), reported through
 * `onOversized`, and the lines after it are served as usual. `input` is always read, so
 * its end is always seen.
 */
export function boundedLines(input: Readable, options: BoundedLinesOptions): PassThrough {
  const output = new PassThrough();
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  let head = Buffer.alloc(0);
  const endLine = () => {
    if (dropping) options.onOversized(head, size);
    else output.write(Buffer.concat([...parts, NEWLINE]));
    [parts, size, dropping, head] = [[], 0, false, Buffer.alloc(0)];
  };
  const keep = (piece: Buffer) => {
    if (!dropping && size + piece.length > options.limit) {
      dropping = true;
      head = Buffer.concat([...parts, piece]).subarray(0, HEAD_BYTES);
      parts = [];
    }
    if (!dropping) parts.push(piece);
    size += piece.length;
  };
  input.on("data", function readBoundedLines(chunk: Buffer | string) {
    let data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (let index = data.indexOf(10); index !== -1; index = data.indexOf(10)) {
      keep(data.subarray(0, index));
      endLine();
      data = data.subarray(index + 1);
    }
    if (data.length > 0) keep(data);
  });
  input.on("end", () => {
    if (size > 0 && !dropping) output.write(Buffer.concat(parts));
    output.end();
  });
  input.on("error", (error) => output.destroy(error));
  return output;
}

/**
 * The JSON-RPC id of a message from its first bytes, when it is written first (or after
 * `"jsonrpc":"2.0"`) as clients do; null otherwise, as JSON-RPC says for an unknown id.
 */
export function messageIdOf(head: Buffer): number | string | null {
  const match =
    /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,256}")\s*[,}]/.exec(
      head.toString("utf8"),
    );
  if (!match) return null;
  try {
    return JSON.parse(match[1]!) as number | string;
  } catch {
    return null;
  }
}

// --- internal ---

const NEWLINE = Buffer.from("\n");
/** Bytes of a dropped line kept to find its id. */
const HEAD_BYTES = 1024;
