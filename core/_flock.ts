/**
 * `flock(2)` through bun:ffi: Bun has no file-lock API. A flock lock belongs to the open
 * file description, so it holds across PID namespaces (two containers sharing a volume see
 * the same lock), is released by the kernel when its holder dies, and conflicts between two
 * descriptors of one process too. Works inside the compiled binary (checked with
 * `bun build --compile` on glibc).
 */
import { libc } from "./_libc.ts";
import type { Libc } from "./_libc.ts";

/** The outcome of a non-blocking attempt. */
export type FlockResult = "locked" | "busy" | "unsupported";

/**
 * Take an exclusive lock on `fd` without waiting: "busy" when another descriptor holds one,
 * "unsupported" when the file system refuses locks (ENOLCK, EINVAL).
 * Only call when `kernelLocks()` is true.
 */
export function tryFlock(fd: number): FlockResult {
  const lib = load()!;
  if (lib.flock(fd, LOCK_EX | LOCK_NB) === 0) return "locked";
  const errno = lib.errno();
  return errno === EWOULDBLOCK || errno === EINTR ? "busy" : "unsupported";
}

/**
 * True when kernel locks can be used here: libc loaded through bun:ffi. False on a platform
 * where FFI or libc is not available; callers then fall back to pid-based locks, which do
 * not hold across PID namespaces (the README says so). `KITCFG_NO_FLOCK=1` forces the
 * fallback, for tests of it.
 */
export function kernelLocks(): boolean {
  return process.env.KITCFG_NO_FLOCK !== "1" && load() !== undefined;
}

// --- internal ---

const LOCK_EX = 2;
const LOCK_NB = 4;
const EINTR = 4;
/** EWOULDBLOCK is EAGAIN: 11 on Linux, 35 on macOS and the BSDs. */
const EWOULDBLOCK = process.platform === "linux" ? 11 : 35;

/** libc when kernel locks can be used (see `kernelLocks`). */
function load(): Libc | undefined {
  return libc();
}
