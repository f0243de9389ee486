import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { isTerminal } from "./_fs.ts";
import { KitcfgError } from "./errors.ts";

/** What went wrong in `readSmallText` (see `fail`). */
export type ReadProblem = "io" | "content" | "terminal";

export interface ReadSmallTextOptions {
  /** Refuse anything larger: a value or a document given by file name is small. */
  maxBytes: number;
  /**
   * The error to throw, saying why (the caller names what was being read), and whether the
   * reading failed (`io`), what was read is not text of the size allowed (`content`), or
   * stdin is a terminal nobody pipes into (`terminal`).
   */
  fail: (why: string, cause?: unknown, kind?: ReadProblem) => KitcfgError;
}

/**
 * The text of a small file given by name on the command line: a regular file, or a pipe
 * (`-`'s `/dev/stdin`, a shell's `<(...)`) read to its end, even from a slow writer. A
 * device is refused (stdin from one, `< /dev/null`, is read), and a terminal on stdin is
 * told to pipe the text in. Bytes that are not UTF-8 are refused, not replaced.
 * @throws the `fail` error, naming why.
 */
export function readSmallText(path: string, options: ReadSmallTextOptions): string {
  const { maxBytes, fail } = options;
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (stat.isFIFO() || stat.isSocket()) return utf8(readPipe(fd, maxBytes, fail), fail);
    if (stat.isCharacterDevice() && ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"].includes(path)) {
      if (isTerminal(fd))
        throw fail(
          'stdin is a terminal: pipe the value in, e.g. printf %s "$TOKEN" | kitcfg ...',
          undefined,
          "terminal",
        );
      return utf8(readPipe(fd, maxBytes, fail), fail);
    }
    if (!stat.isFile()) throw fail("it is not a regular file or a pipe");
    if (stat.size > maxBytes) throw fail(`it is larger than ${maxBytes} bytes`, undefined, "content");
    return utf8(readFileSync(fd), fail);
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

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes as text; bytes that are not UTF-8 are refused (a lenient decoder would write U+FFFD in their place). */
function utf8(bytes: Uint8Array, fail: ReadSmallTextOptions["fail"]): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw fail("it is not UTF-8 text", undefined, "content");
  }
}

/** Read a pipe opened non-blocking to its end: while the writer has not written yet, wait a little and try again. */
function readPipe(fd: number, maxBytes: number, fail: ReadSmallTextOptions["fail"]): Uint8Array {
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
    if (n === 0) return Buffer.concat(chunks);
    total += n;
    if (total > maxBytes) throw fail(`it holds more than ${maxBytes} bytes`, undefined, "content");
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
}
