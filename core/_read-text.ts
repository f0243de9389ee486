import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { KitcfgError } from "./errors.ts";

export interface ReadSmallTextOptions {
  /** Refuse anything larger: a value or a document given by file name is small. */
  maxBytes: number;
  /** The error to throw, saying why (the caller names what was being read). */
  fail: (why: string, cause?: unknown) => KitcfgError;
}

/**
 * The text of a small file given by name on the command line: a regular file, or a pipe
 * (`-`'s `/dev/stdin`, a shell's `<(...)`) read to its end, even from a slow writer. A
 * device is refused, and a terminal on stdin is told to pipe the text in.
 * @throws the `fail` error, naming why.
 */
export function readSmallText(path: string, options: ReadSmallTextOptions): string {
  const { maxBytes, fail } = options;
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (stat.isFIFO() || stat.isSocket()) return readPipe(fd, maxBytes, fail);
    if (stat.isCharacterDevice() && path === "/dev/stdin") {
      throw fail('stdin is a terminal: pipe the value in, e.g. printf %s "$TOKEN" | kitcfg ...');
    }
    if (!stat.isFile()) throw fail("it is not a regular file or a pipe");
    if (stat.size > maxBytes) throw fail(`it is larger than ${maxBytes} bytes`);
    return readFileSync(fd, "utf8");
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? String(error));
    throw fail(why, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// --- internal ---

/** Read a pipe opened non-blocking to its end: while the writer has not written yet, wait a little and try again. */
function readPipe(fd: number, maxBytes: number, fail: ReadSmallTextOptions["fail"]): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 5);
      continue;
    }
    if (n === 0) return Buffer.concat(chunks).toString("utf8");
    total += n;
    if (total > maxBytes) throw fail(`it holds more than ${maxBytes} bytes`);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
}
