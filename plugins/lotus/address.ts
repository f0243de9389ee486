// Filecoin addresses as lotus reads them from config.toml: filecoin-project/go-address v1.2.0
// (lotus's go.mod) `NewFromString` -> `decode` (address.go, constants.go). "f" or "t", a
// protocol digit, then: an actor ID (0), a base32 payload with a 4-byte blake2b checksum
// (1 secp256k1, 2 actor, 3 BLS), or a namespace, "f" and such a payload (4 delegated).

/** The longest address text go-address decodes (constants.go MaxAddressStringLength). */
const MAX_LENGTH = 2 + 19 + 1 + 93;

/** Payload bytes per protocol (secp256k1 and actor: a 20-byte hash; BLS: a 48-byte public key). */
const PAYLOAD_BYTES: Record<string, number> = { "1": 20, "2": 20, "3": 48 };

/** go-address's base32 alphabet (lower case, RFC 4648 order), read without padding. */
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * Why `text` is not an address go-address's NewFromString decodes; undefined when it is.
 * "" and "<empty>" decode (as the undefined address), as in go-address.
 */
export function filecoinAddressProblem(text: string): string | undefined {
  if (text === "" || text === "<empty>") return undefined;
  if (text.length < 3 || new TextEncoder().encode(text).length > MAX_LENGTH) return "it has the wrong length";
  if (text[0] !== "f" && text[0] !== "t") return 'it must start with "f" (mainnet) or "t" (testnet)';
  const protocol = text[1]!;
  const raw = text.slice(2);
  if (protocol === "0") return uint63(raw) === undefined ? "an ID address is f0 and a number below 2^63" : undefined;
  if (protocol === "4") {
    const f = raw.indexOf("f");
    const namespace = f < 0 ? undefined : uint63(raw.slice(0, f));
    if (namespace === undefined) return "a delegated address is f4, a namespace number below 2^63, f, then base32";
    const bytes = base32Decode(raw.slice(f + 1));
    if (!bytes || bytes.length < 4 || bytes.length - 4 > 54)
      return "its sub-address is not base32 of 54 bytes or fewer";
    return checksumProblem([4, ...uvarint(namespace)], bytes);
  }
  const size = PAYLOAD_BYTES[protocol];
  if (size === undefined) return "the protocol digit after the network letter must be 0, 1, 2, 3 or 4";
  const bytes = base32Decode(raw);
  if (!bytes || bytes.length !== size + 4) return `its payload is not base32 of ${size} bytes and a checksum`;
  return checksumProblem([Number(protocol)], bytes);
}

/** Blake2b of `data` with an output of `size` bytes (RFC 7693), unkeyed: go-address's hash. */
export function blake2b(data: Uint8Array, size: number): Uint8Array {
  const h = IV.slice();
  h[0]! ^= 0x01010000n ^ BigInt(size);
  const blocks = Math.max(1, Math.ceil(data.length / 128));
  for (let b = 0; b < blocks; b++) {
    const block = new Uint8Array(128);
    block.set(data.subarray(b * 128, b * 128 + 128));
    const last = b === blocks - 1;
    compress(h, block, BigInt(last ? data.length : (b + 1) * 128), last);
  }
  const out = new Uint8Array(64);
  h.forEach((word, i) => {
    for (let j = 0; j < 8; j++) out[i * 8 + j] = Number((word >> BigInt(8 * j)) & 0xffn);
  });
  return out.slice(0, size);
}

// --- internal ---

const MASK = (1n << 64n) - 1n;
const IV = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];
/** The word indexes each of the eight G calls of a round mixes. */
const LANES = [
  [0, 4, 8, 12],
  [1, 5, 9, 13],
  [2, 6, 10, 14],
  [3, 7, 11, 15],
  [0, 5, 10, 15],
  [1, 6, 11, 12],
  [2, 7, 8, 13],
  [3, 4, 9, 14],
];

function compress(h: bigint[], block: Uint8Array, counter: bigint, last: boolean): void {
  const m = Array.from({ length: 16 }, (_, i) => {
    let word = 0n;
    for (let j = 7; j >= 0; j--) word = (word << 8n) | BigInt(block[i * 8 + j]!);
    return word;
  });
  const v = [...h, ...IV];
  v[12]! ^= counter & MASK;
  if (last) v[14]! ^= MASK;
  const rotr = (x: bigint, n: bigint) => ((x >> n) | (x << (64n - n))) & MASK;
  for (let round = 0; round < 12; round++) {
    const s = SIGMA[round % 10]!;
    LANES.forEach(([a, b, c, d], i) => {
      v[a!] = (v[a!]! + v[b!]! + m[s[2 * i]!]!) & MASK;
      v[d!] = rotr(v[d!]! ^ v[a!]!, 32n);
      v[c!] = (v[c!]! + v[d!]!) & MASK;
      v[b!] = rotr(v[b!]! ^ v[c!]!, 24n);
      v[a!] = (v[a!]! + v[b!]! + m[s[2 * i + 1]!]!) & MASK;
      v[d!] = rotr(v[d!]! ^ v[a!]!, 16n);
      v[c!] = (v[c!]! + v[d!]!) & MASK;
      v[b!] = rotr(v[b!]! ^ v[c!]!, 63n);
    });
  }
  for (let i = 0; i < 8; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 8]!;
}

/** strconv.ParseUint(text, 10, 63) of at most 19 digits (go-address MaxInt64StringLength). */
function uint63(text: string): bigint | undefined {
  if (!/^\d{1,19}$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < 1n << 63n ? n : undefined;
}

function uvarint(n: bigint): number[] {
  const out: number[] = [];
  do {
    const low = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? low | 0x80 : low);
  } while (n > 0n);
  return out;
}

/**
 * Go's base32 decoding without padding, plus go-address's check that encoding the bytes
 * again gives the same text: unused low bits must be zero, and 1, 3 or 6 trailing characters fail.
 */
function base32Decode(text: string): Uint8Array | undefined {
  if ([1, 3, 6].includes(text.length % 8)) return undefined;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return (value & ((1 << bits) - 1)) === 0 ? Uint8Array.from(out) : undefined;
}

/** The last 4 bytes of `bytes` must be blake2b-4 of the protocol byte (and namespace) and the rest. */
function checksumProblem(prefix: number[], bytes: Uint8Array): string | undefined {
  const payload = bytes.subarray(0, bytes.length - 4);
  const sum = blake2b(Uint8Array.from([...prefix, ...payload]), 4);
  return sum.every((byte, i) => byte === bytes[bytes.length - 4 + i])
    ? undefined
    : "its checksum does not match (a character is wrong or missing)";
}
