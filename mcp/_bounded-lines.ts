/**
 * stdin and stdout for the SDK's stdio transport, without Node streams. `process.stdin`
 * and `process.stdout` build Node streams on first touch, and with them node:stream:
 * about 700 more page faults and 16 ms of a 100 ms start on a slow machine (a Bun
 * hello-world binary reading stdin each way, measured side by side), all before the
 * first answer. Bun's own `Bun.stdin.stream()` and `Bun.stdout.writer()` cost nothing
 * of the kind. The transport uses only a few members of each stream (`on`, `once`,
 * `off`, `listeners`, `listenerCount`, `pause`, `readableEnded`, `destroyed`, `write`),
 * which `StdinLines` and `StdoutSink` give it.
 */
import type { FileSink } from "bun";

/** The largest MCP message read on stdio, in bytes (a line; the SDK's own buffer bound). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface BoundedLinesOptions {
  /** Lines longer than this (newline excluded) are dropped. */
  limit: number;
  /** Called once per dropped line with its first bytes (to find its id) and its length. */
  onOversized: (head: Buffer, bytes: number) => void;
  /** Awaited between the input's end and the `end` event (the server's answers still due). */
  beforeEnd?: () => Promise<void>;
  /** Called with each line within the limit before it is passed on: a line it answers false to is dropped. */
  accept?: (line: Buffer) => boolean;
}

type Listener = ((...args: never[]) => void) & { listener?: Listener };

/** The part of Node's EventEmitter the SDK's transport calls. */
class Events {
  #listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...this.listeners(event), listener]);
    return this;
  }

  /** As Node's: the wrapper carries the listener as `.listener`, so `off` with the listener removes it. */
  once(event: string, listener: Listener): this {
    const once: Listener = (...args: never[]) => {
      this.off(event, once);
      listener(...args);
    };
    once.listener = listener;
    return this.on(event, once);
  }

  /**
   * Remove `listener`, or the `once` wrapper of it, as Node's `off` does. The SDK's stdio
   * transport adds an `error` listener with `once` for each message it sends and removes it
   * with `off` once the write is done: a wrapper left behind would keep every answer of a
   * long session in memory.
   */
  off(event: string, listener: Listener): this {
    const all = this.listeners(event);
    const at = all.findLastIndex((l) => l === listener || l.listener === listener);
    if (at !== -1) this.#listeners.set(event, all.toSpliced(at, 1));
    return this;
  }

  listeners(event: string): Listener[] {
    return this.#listeners.get(event) ?? [];
  }

  listenerCount(event: string): number {
    return this.listeners(event).length;
  }

  protected emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners(event)) (listener as (...args: unknown[]) => void)(...args);
  }
}

/**
 * The lines of `input`, one whole line (newline included) per `data` event, each at most
 * `limit` bytes. The SDK's stdio transport, given a line over its buffer bound, closes
 * itself and pauses stdin: the server then never sees stdin end and never exits. Here an
 * oversized line is read to its newline and dropped (memory stays bounded by `limit`),
 * reported through `onOversized`, and the lines after it are served as usual. Reading
 * starts with the first `data` listener, as a Node stream starts flowing, and goes on
 * to the end of `input` whatever happens to the listeners (`pause` does nothing), so
 * `end` is always seen, once `beforeEnd` has resolved; only `destroy` stops it sooner.
 */
export class StdinLines extends Events {
  readableEnded = false;
  destroyed = false;
  #input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  #options: BoundedLinesOptions;
  #started = false;
  #reader?: ReadableStreamDefaultReader<Uint8Array>;

  constructor(input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: BoundedLinesOptions) {
    super();
    this.#input = input;
    this.#options = options;
  }

  override on(event: string, listener: Listener): this {
    super.on(event, listener);
    if (event === "data" && !this.#started) {
      this.#started = true;
      void this.#pump();
    }
    return this;
  }

  /** Nothing to do: the input is read to its end regardless (see the class). */
  pause(): this {
    return this;
  }

  /**
   * Stop reading, as Node's `destroy` does: the rest of the input is left unread and
   * `close` follows, without `end`. For a client gone while its end of stdin stays open:
   * a read of stdin under way would keep the process alive.
   */
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    // Only a reader's cancel ends a read under way: the stream's iterator would wait for it.
    if (this.#reader) this.#reader.cancel().catch(() => {});
    else if (!this.#started) {
      this.#started = true;
      queueMicrotask(() => this.emit("close"));
    }
    return this;
  }

  async #pump(): Promise<void> {
    const options = this.#options;
    const split = lineSplitter(options, (line) => {
      if (!this.destroyed && (options.accept?.(line) ?? true)) this.emit("data", line);
    });
    const input = this.#input;
    const reader = (input instanceof ReadableStream ? input : streamFrom(input)).getReader();
    this.#reader = reader;
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) split.push(read.value);
      if (!this.destroyed) split.end();
      if (!this.destroyed) await options.beforeEnd?.();
      if (!this.destroyed) {
        this.readableEnded = true;
        this.emit("end");
      }
    } catch (error) {
      if (!this.destroyed) {
        this.destroyed = true;
        this.emit("error", error);
      }
    }
    this.emit("close");
  }
}

/**
 * stdout as the transport writes it: each message is handed to Bun's file sink and
 * flushed at once. `write` answers false while the reader has not taken it all, and
 * `drain` follows when it has, so the SDK waits as it would on a Node stream; a failed
 * write (the client gone: EPIPE) is an `error` event, never a throw nor a rejection left
 * unheard. After one, the sink is `destroyed`: nothing more is written, and each later
 * write is an `error` event too, as on a destroyed Node stream.
 */
export class StdoutSink extends Events {
  destroyed = false;
  #sink: FileSink;
  #failure: unknown;

  constructor(sink: FileSink = Bun.stdout.writer()) {
    super();
    this.#sink = sink;
  }

  write(text: string | Uint8Array): boolean {
    if (this.destroyed) {
      const failure = this.#failure;
      queueMicrotask(() => this.emit("error", failure));
      return false;
    }
    // Bun's sink (1.4.5, tried on a pipe) says the reader is gone in three ways: a write the
    // pipe cannot take at once returns a promise that rejects, so does a flush under way,
    // and a flush of what it holds throws. A rejection nobody heard ends the process with a
    // stack (exit 1): every one is heard here.
    const steps: unknown[] = [];
    try {
      steps.push(this.#sink.write(text));
      steps.push(this.#sink.flush());
    } catch (error) {
      steps.push(Promise.reject(error));
    }
    if (!steps.some((step) => step instanceof Promise)) return true;
    Promise.all(steps).then(
      () => this.emit("drain"),
      (error: unknown) => this.#fail(error),
    );
    return false;
  }

  /** Resolves once everything written has been handed to the reader, or the reader is gone. */
  async end(): Promise<void> {
    try {
      await this.#sink.end();
    } catch {
      // The reader is gone: nothing left to hand over.
    }
  }

  #fail(error: unknown): void {
    if (!this.destroyed) [this.destroyed, this.#failure] = [true, error];
    this.emit("error", error);
  }
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

/** `ReadableStream.from`, which Bun has and its types (1.4.5) do not declare. */
function streamFrom(input: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  type WithFrom = { from(input: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> };
  return (ReadableStream as unknown as WithFrom).from(input);
}

/** Cuts chunks into lines for `emit` (newline included), dropping those over the limit. */
function lineSplitter(options: BoundedLinesOptions, emit: (line: Buffer) => void) {
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  let head = Buffer.alloc(0);
  const endLine = () => {
    if (dropping) options.onOversized(head, size);
    else emit(Buffer.concat([...parts, NEWLINE]));
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
  return {
    push(chunk: Uint8Array): void {
      let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let index = data.indexOf(10); index !== -1; index = data.indexOf(10)) {
        keep(data.subarray(0, index));
        endLine();
        data = data.subarray(index + 1);
      }
      // Kept past this call: a copy, since the reader may reuse its buffer.
      if (data.length > 0) keep(Buffer.from(data));
    },
    /** The last line, when the input ends without a newline. */
    end(): void {
      if (size > 0 && !dropping) emit(Buffer.concat(parts));
    },
  };
}
