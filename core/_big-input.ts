import { KitcfgError } from "./errors.ts";

/**
 * The largest config file kitcfg reads, in bytes (16 MiB). The daemons' files are a few
 * kilobytes; a file this size is a mistake or an attack, and reading it whole (a parse, an
 * edit, a diff and a history copy each hold it) would take memory in proportion.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Above this many bytes read, one command is long work: compile hot code (see build.ts START_JIT_POLICY). */
export const LONG_WORK_BYTES = 512 * 1024;

/**
 * Refuse a file over `MAX_CONFIG_BYTES` before reading it.
 * @throws KitcfgError `IO_FAILED` naming the file, its size and the limit.
 */
export function assertConfigSize(path: string, bytes: number): void {
  if (bytes > MAX_CONFIG_BYTES) {
    throw new KitcfgError(
      "IO_FAILED",
      `Cannot read ${path}: it is ${bytes} bytes, ` +
        `over the ${MAX_CONFIG_BYTES} bytes (16 MiB) kitcfg reads in a config file`,
      {
        file: path,
        hint: "A daemon's config file is a few kilobytes: check what wrote this one; nothing was changed",
      },
    );
  }
}

/**
 * The binary starts with JIT tier-up held back, which suits a command over a small file;
 * over a big one the same code runs hundreds of thousands of times, so give it Bun's
 * normal tier-up (as the long-running MCP server does).
 */
export function noteInputSize(bytes: number): void {
  if (bytes <= LONG_WORK_BYTES) return;
  longWork = true;
  (globalThis as { Bun?: { unsafe?: { setJITPolicy?: (n: number) => void } } }).Bun?.unsafe?.setJITPolicy?.(1);
}

/** Whether this command reads a big input (`noteInputSize`): long work, worth compiled code and more set-up. */
export function isLongWork(): boolean {
  return longWork;
}

/**
 * Around a step over a big input that leaves a copy of it as garbage (the schema check's copy
 * of the configuration), call `before` and `after`: the young garbage of the steps before is
 * collected first (an eden collection, about a millisecond), so that less of it has been
 * moved to the old generation when the copy is collected right after the step (a full
 * collection). The steps after it then reuse that memory instead of adding to the peak: for
 * a 5 MB config about 9 MiB less, for 1-2 ms. Over a small input, nothing.
 */
export const bigStep = {
  before(): void {
    if (longWork) (require("bun:jsc") as { edenGC(): void }).edenGC();
  },
  after(): void {
    if (longWork) (globalThis as { Bun?: { gc?: (force: boolean) => void } }).Bun?.gc?.(true);
  },
};

// --- internal ---

let longWork = false;
