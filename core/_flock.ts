/**
 * `flock(2)` through bun:ffi: Bun has no file-lock API. A flock lock belongs to the open
 * file description, so it holds across PID namespaces (two containers sharing a volume see
 * the same lock), is released by the kernel when its holder dies, and conflicts between two
 * descriptors of one process too. Works inside the compiled binary (checked with
 * `bun build --compile` on glibc).
 */
import type { FFIFunction, Pointer } from "bun:ffi";

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

interface Libc {
  flock(fd: number, op: number): number;
  errno(): number;
}

let libc: Libc | null | undefined;

function load(): Libc | undefined {
  if (libc !== undefined) return libc ?? undefined;
  libc = null;
  if (process.platform === "win32") return undefined;
  let ffi: typeof import("bun:ffi");
  try {
    ffi = require("bun:ffi");
  } catch {
    return undefined;
  }
  const errnoName = process.platform === "linux" ? "__errno_location" : "__error";
  const symbols: Record<string, FFIFunction> = {
    flock: { args: [ffi.FFIType.i32, ffi.FFIType.i32], returns: ffi.FFIType.i32 },
    [errnoName]: { args: [], returns: ffi.FFIType.ptr },
  };
  for (const name of libcNames()) {
    try {
      const lib = ffi.dlopen(name, symbols).symbols as unknown as Record<string, (...args: unknown[]) => unknown>;
      libc = {
        flock: (fd, op) => lib.flock!(fd, op) as number,
        errno: () => ffi.read.i32(lib[errnoName]!() as Pointer, 0),
      };
      return libc;
    } catch {
      // not this name: try the next one
    }
  }
  return undefined;
}

/** Where libc is: glibc's soname, musl's (the loader is libc there), macOS's system library. */
function libcNames(): string[] {
  if (process.platform === "darwin") return ["libc.dylib", "/usr/lib/libSystem.B.dylib"];
  const arch = process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch;
  return ["libc.so.6", `libc.musl-${arch}.so.1`, `/lib/ld-musl-${arch}.so.1`, "libc.so"];
}
