/**
 * Fingerprints of file contents: what tells bytes apart without keeping them. Apart from the
 * Buffer code (`_bytes.ts`), so that types which name a fingerprint need no node types.
 */

/**
 * A big file's bytes told apart from others without keeping them: their length and a wyhash
 * taken `PRINT_BLOCK` bytes at a time, each block's hash the seed of the next, so that a file
 * is fingerprinted as it is read, block by block (`holdsText`).
 */
export interface Fingerprint {
  length: number;
  hash: bigint;
}

/** The bytes a fingerprint's hash is taken over at a time. */
export const PRINT_BLOCK = 1024 * 1024;

/** The fingerprint of `bytes` (see `Fingerprint`). */
export function fingerprintOf(bytes: Uint8Array): Fingerprint {
  let hash = 0n;
  for (let at = 0; at < bytes.length; at += PRINT_BLOCK) hash = nextPrint(hash, bytes.subarray(at, at + PRINT_BLOCK));
  return { length: bytes.length, hash };
}

/** The fingerprint hash after one more block (`hash` 0n before the first). */
export function nextPrint(hash: bigint, block: Uint8Array): bigint {
  return BigInt(Bun.hash.wyhash(block, hash));
}

/** A fingerprint taken of bytes given in pieces of any size (`fingerprintOf` of them all). */
export class Printer {
  private readonly block = new Uint8Array(PRINT_BLOCK);
  private filled = 0;
  private length = 0;
  private hash = 0n;

  add(bytes: Uint8Array): void {
    this.length += bytes.length;
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, PRINT_BLOCK - this.filled);
      this.block.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === PRINT_BLOCK) {
        this.hash = nextPrint(this.hash, this.block);
        this.filled = 0;
      }
    }
  }

  done(): Fingerprint {
    if (this.filled > 0) this.hash = nextPrint(this.hash, this.block.subarray(0, this.filled));
    return { length: this.length, hash: this.hash };
  }
}
