import type * as NodeCrypto from "node:crypto";
import { decodeMultibase } from "./_multibase.ts";

// libp2p identities as kubo and ipfs-cluster store them (tests/fixtures/FORMATS.md §0;
// go-libp2p core/crypto/pb/crypto.proto, core/crypto/key.go, core/peer/peer.go):
// - a private key is standard base64 of the protobuf `PrivateKey { KeyType Type = 1; bytes Data = 2; }`;
// - the peer ID is the multihash of the protobuf-serialized public key: the identity
//   multihash when that is at most 42 bytes (Ed25519), else sha2-256 (RSA); written in
//   plain base58btc.

/** KeyType values of the libp2p protobuf. */
const KEY_TYPES = { 0: "RSA", 1: "Ed25519", 2: "Secp256k1", 3: "ECDSA" } as const;
type KeyTypeName = (typeof KEY_TYPES)[keyof typeof KEY_TYPES];

/** Serialized public keys up to this length are inlined in the peer ID (`MaxInlineKeyLength`). */
const MAX_INLINE_KEY_LENGTH = 42;

/** The multicodec of a CID that names a peer (`libp2p-key`). */
const LIBP2P_KEY_CODEC = 0x72;
/** The RSA key sizes go-libp2p takes (core/crypto/rsa_common.go). */
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;

/** A libp2p identity in the encodings kubo and cluster store. */
export interface Identity {
  /** Peer ID, base58btc: `12D3KooW...` for Ed25519. */
  id: string;
  /** Base64 protobuf private key: `CAESQ...` for Ed25519. */
  privateKey: string;
}

/** A fresh Ed25519 identity, as `ipfs init` and `ipfs-cluster-service init` make. */
export function generateIdentity(): Identity {
  const { privateKey, publicKey } = nodeCrypto().generateKeyPairSync("ed25519");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  return identityOf(seed, pub);
}

/**
 * `generateIdentity` through WebCrypto, which is built into Bun: node:crypto takes several
 * milliseconds to load in the binary, more than making the key. Checking the identity
 * afterwards (`checkIdentity`) does not load node:crypto either.
 */
export async function newIdentity(): Promise<Identity> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const seed = Buffer.from(jwk.d!, "base64url");
  const pub = Buffer.from(jwk.x!, "base64url");
  remember(seed, pub);
  return identityOf(seed, pub);
}

/**
 * Derive ahead, through WebCrypto, the public keys of the Ed25519 private keys among
 * `privateKeys` (base64 protobuf, as `checkIdentity` takes them), so that `checkIdentity`
 * and `peerIdOf` of them need not load node:crypto (several milliseconds in the binary).
 * What is not an Ed25519 key is skipped: the checks themselves report it.
 */
export async function primeIdentities(...privateKeys: unknown[]): Promise<void> {
  for (const key of privateKeys) {
    const bytes = typeof key === "string" ? goBase64(key) : undefined;
    if (bytes === undefined) continue;
    let data: Buffer;
    try {
      const decoded = parseProtobufKey(bytes);
      if (decoded.type !== 1) continue;
      data = decoded.data;
    } catch {
      continue;
    }
    if (data.length !== 64 && data.length !== 96) continue;
    const seed = data.subarray(0, 32);
    if (publicKeys.has(seed.toString("hex"))) continue;
    try {
      const imported = await crypto.subtle.importKey("pkcs8", pkcs8Of(seed), { name: "Ed25519" }, true, ["sign"]);
      const jwk = await crypto.subtle.exportKey("jwk", imported);
      remember(seed, Buffer.from(jwk.x!, "base64url"));
    } catch {
      // Left to the synchronous check, which says what is wrong with the key.
    }
  }
}

/** What checking an identity found: the key type, and the problem if there is one. */
export type IdentityCheck = { ok: true; keyType: KeyTypeName } | { ok: false; reason: string; keyType?: KeyTypeName };

/**
 * Check that `privateKey` decodes, that libp2p takes it, and that `id` names the peer it
 * derives, as kubo ("private key in config does not match id") and cluster
 * (`Identity.Validate`) do: both read `id` with peer.Decode, so a CID of the key
 * (`k51…`, `bafz…`) names it as well as its base58 form. Ed25519 and RSA keys are verified;
 * other key types are reported as not checkable.
 */
export function checkIdentity(id: string, privateKey: string): IdentityCheck {
  let decoded: { type: number; data: Buffer };
  try {
    const bytes = goBase64(privateKey);
    if (bytes === undefined) throw new Error(NOT_BASE64);
    decoded = parseProtobufKey(bytes);
  } catch (error) {
    return { ok: false, reason: `the private key does not decode: ${(error as Error).message}` };
  }
  const keyType = KEY_TYPES[decoded.type as keyof typeof KEY_TYPES];
  if (!keyType) return { ok: false, reason: `unknown key type ${decoded.type}` };
  let derived: string;
  try {
    derived = derivePeerId(keyType, decoded.data);
  } catch (error) {
    if (error instanceof RsaKeySizeError) return { ok: false, keyType, reason: error.message };
    return { ok: false, keyType, reason: `the ${keyType} private key is malformed: ${(error as Error).message}` };
  }
  if (derived !== id && !sameMultihash(peerIdMultihash(id), decodeBase58(derived)))
    return {
      ok: false,
      keyType,
      reason: `the peer ID is not the one of the private key (that key's ID is ${derived})`,
    };
  return { ok: true, keyType };
}

/**
 * The peer ID of a base64 protobuf private key (Ed25519 or RSA).
 * @throws Error saying why the key does not decode, is of a kind kitcfg cannot derive, or is
 * an RSA key of a size libp2p refuses.
 */
export function peerIdOf(privateKey: string): string {
  const bytes = goBase64(privateKey);
  if (bytes === undefined) throw new Error(`the private key is ${NOT_BASE64}`);
  const decoded = parseProtobufKey(bytes);
  const keyType = KEY_TYPES[decoded.type as keyof typeof KEY_TYPES];
  if (!keyType) throw new Error(`unknown key type ${decoded.type}`);
  return derivePeerId(keyType, decoded.data);
}

/**
 * A private key as go-libp2p writes it back after reading it (crypto.MarshalPrivateKey of
 * UnmarshalPrivateKey): one protobuf field of each, and an Ed25519 key without the redundant
 * public key older keys carry (96 bytes become 64). Line breaks, which Go's base64 skips, are gone.
 * @throws Error saying why the key does not decode.
 */
export function marshalPrivateKey(privateKey: string): string {
  const bytes = goBase64(privateKey);
  if (bytes === undefined) throw new Error(`the private key is ${NOT_BASE64}`);
  const { type, data } = parseProtobufKey(bytes);
  return protobufKey(type, type === 1 ? data.subarray(0, 64) : data).toString("base64");
}

/**
 * True for what go-libp2p's peer.Decode reads (core/peer/peer.go): a base58 peer ID
 * (`isPeerId`), or a CID of a libp2p key in any multibase, such as `k51…` (base36) or
 * `bafz…` (base32), as `ipfs id` and IPNS names print it.
 */
export function decodesAsPeerId(text: string): boolean {
  return isPeerId(text) || peerIdMultihash(text) !== undefined;
}

/** True when `text` decodes as a peer ID (a base58btc multihash of the two kinds libp2p uses). */
export function isPeerId(text: string): boolean {
  // The usual two by their texts' range: texts of one length sort as their numbers do
  // (base58's alphabet is in ASCII order). Any other is read whole.
  const range = text.length === 46 ? usualRanges().sha256 : text.length === 52 ? usualRanges().ed25519 : undefined;
  if (range && text >= range[0] && text <= range[1] && isBase58(text)) return true;
  // Read into one buffer of its own, not into new bytes: a config may name tens of thousands of peers.
  if (limbsFor(text) > peerIdLimbs.length) return false;
  let read: Base58Value;
  try {
    read = base58Value(text, peerIdLimbs);
  } catch {
    return false;
  }
  const [first, second, length] = [read.byteAt(0), read.byteAt(1), read.length];
  if (first === 0x00) return length >= 2 && second === length - 2 && length <= MAX_INLINE_KEY_LENGTH + 2;
  return first === 0x12 && second === 0x20 && length === 34;
}

/** Base58btc (Bitcoin alphabet), as peer IDs and did:key use. */
export function encodeBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  return "1".repeat(zeros) + out;
}

/** @throws Error on a character outside the base58btc alphabet. */
export function decodeBase58(text: string): Uint8Array {
  const read = base58Value(text, new Int32Array(limbsFor(text)));
  const bytes = new Uint8Array(read.length);
  for (let i = 0; i < read.length; i++) bytes[i] = read.byteAt(i);
  return bytes;
}

// --- internal ---

/**
 * The texts of the two usual peer IDs, lowest and highest: a sha2-256 multihash (`Qm…`, 46
 * characters: 0x12 0x20 and 32 bytes) and an Ed25519 key inline (`12D3KooW…`, 52: 0x00 0x24,
 * then 0x08 0x01 0x12 0x20 and the key, or any other 36 bytes, which `isPeerId` takes too).
 */
function usualRanges(): { sha256: [string, string]; ed25519: [string, string] } {
  const text = (head: number[], fill: number, length: number) =>
    encodeBase58(Uint8Array.from([...head, ...new Array<number>(length - head.length).fill(fill)]));
  ranges ??= {
    sha256: [text([0x12, 0x20], 0x00, 34), text([0x12, 0x20], 0xff, 34)],
    ed25519: [text([0x00, 0x24], 0x00, 38), text([0x00, 0x24], 0xff, 38)],
  };
  return ranges;
}

let ranges: ReturnType<typeof usualRanges> | undefined;

/** Every character of `text` is a base58 digit. */
function isBase58(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || DIGITS[code]! < 0) return false;
  }
  return true;
}

/** The limbs `isPeerId` reads into: enough for any text a peer ID may be (44 bytes, at most 61 characters). */
const peerIdLimbs = new Int32Array(32);

/** A base58 text's number, read into 16-bit limbs: its length in bytes, and each byte. */
interface Base58Value {
  length: number;
  /** The byte at `index`, most significant first (the text's leading "1"s are zero bytes); -1 past the end. */
  byteAt(index: number): number;
}

/** How many 16-bit limbs the number of `text` may need. */
function limbsFor(text: string): number {
  return Math.ceil((text.length * 3) / 8) + 2;
}

/**
 * The number `text` spells, in `limbs` (16-bit, least significant first, `limbsFor(text)` of
 * them), multiplied up two digits at a time (58^2 * 2^16 < 2^31: small integers throughout),
 * with a table of digits rather than a search of the alphabet.
 * @throws Error on a character outside the base58btc alphabet.
 */
function base58Value(text: string, limbs: Int32Array): Base58Value {
  // Each leading "1" is a zero byte.
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === ONE) zeros++;
  let used = 0;
  for (let at = zeros; at < text.length; ) {
    let group = digitAt(text, at++);
    let scale = 58;
    if (at < text.length) {
      group = group * 58 + digitAt(text, at++);
      scale = 58 * 58;
    }
    let carry = group;
    for (let i = 0; i < used; i++) {
      const value = limbs[i]! * scale + carry;
      limbs[i] = value & 0xffff;
      carry = value >>> 16;
    }
    for (; carry > 0; carry >>>= 16) limbs[used++] = carry & 0xffff;
  }
  // The number's own bytes, without its leading zero byte.
  const significant = used === 0 ? 0 : used * 2 - (limbs[used - 1]! < 256 ? 1 : 0);
  return {
    length: zeros + significant,
    byteAt: (index) => {
      if (index < zeros) return 0;
      if (index >= zeros + significant) return -1;
      const from = zeros + significant - 1 - index;
      const limb = limbs[from >> 1]!;
      return from & 1 ? limb >> 8 : limb & 0xff;
    },
  };
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** Each ASCII character's base58 digit, -1 for one outside the alphabet. */
const DIGITS = (() => {
  const digits = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) digits[ALPHABET.charCodeAt(i)] = i;
  return digits;
})();
const ONE = 49;

/** The base58 digit at `at`. @throws Error naming a character outside the alphabet. */
function digitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  const digit = code < 128 ? DIGITS[code]! : -1;
  if (digit < 0) throw new Error(`"${String.fromCodePoint(text.codePointAt(at)!)}" is not base58`);
  return digit;
}

/**
 * The multihash go-libp2p's peer.Decode makes of `text`, or undefined where it refuses it:
 * a text starting "Qm" or "1" is base58 (mh.FromB58String), anything else a CID (go-cid
 * v0.5.0 `Decode`, `Cast`, `CidFromBytes`): a multibase text whose bytes are version 1, the
 * libp2p-key codec (0x72) and a multihash that ends with the text (`FromCid`).
 */
function peerIdMultihash(text: string): Uint8Array | undefined {
  if (text.startsWith("Qm") || text.startsWith("1")) {
    let bytes: Uint8Array;
    try {
      bytes = decodeBase58(text);
    } catch {
      return undefined;
    }
    return multihashLength(bytes, 0) === bytes.length ? bytes : undefined;
  }
  const data = text.length < 2 ? undefined : decodeMultibase(text);
  // Bytes that start as a sha2-256 multihash are a CIDv0, whose codec is dag-pb: not a key.
  if (data === undefined || (data.length > 2 && data[0] === 0x12 && data[1] === 0x20)) return undefined;
  const version = readUvarint(data, 0);
  if (version?.[0] !== 1) return undefined;
  const codec = readUvarint(data, version[1]);
  if (codec?.[0] !== LIBP2P_KEY_CODEC) return undefined;
  return multihashLength(data, codec[1]) === data.length - codec[1] ? data.subarray(codec[1]) : undefined;
}

/** How many bytes the multihash at `at` takes (code, length, digest), or undefined when it does not decode. */
function multihashLength(bytes: Uint8Array, at: number): number | undefined {
  if (bytes.length - at < 2) return undefined;
  const code = readUvarint(bytes, at);
  const length = code && readUvarint(bytes, code[1]);
  if (!length || length[0] > 0x7fffffff || length[1] + length[0] > bytes.length) return undefined;
  return length[1] + length[0] - at;
}

/**
 * The unsigned varint at `at` and where the next field starts, as go-varint's FromUvarint
 * reads it: at most 9 bytes and minimally encoded; undefined otherwise or when cut short.
 * (Values over 2^53 lose precision, which no caller compares.)
 */
function readUvarint(bytes: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < 9 && at + i < bytes.length; i++) {
    const byte = bytes[at + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return byte === 0 && i > 0 ? undefined : [value, at + i + 1];
  }
  return undefined;
}

function sameMultihash(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/**
 * An RSA key of a size go-libp2p refuses (core/crypto/rsa_go.go UnmarshalRsaPrivateKey;
 * rsa_common.go MinRsaKeyBits, maxRsaKeyBits): the key decodes, libp2p will not use it.
 */
class RsaKeySizeError extends Error {
  constructor(bits: number) {
    super(
      `the RSA private key has ${bits} bits: libp2p refuses RSA keys under ${MIN_RSA_BITS} bits ` +
        `(unless LIBP2P_ALLOW_WEAK_RSA_KEYS is set) or over ${MAX_RSA_BITS}`,
    );
  }
}

/**
 * node:crypto, loaded on first use: loading it costs about 3 ms of start-up, which every
 * command would pay for plugins that only need base58 or a peer-ID syntax check.
 */
function nodeCrypto(): typeof NodeCrypto {
  return require("node:crypto") as typeof NodeCrypto;
}

function derivePeerId(keyType: KeyTypeName, data: Buffer): string {
  switch (keyType) {
    case "Ed25519": {
      // 64 bytes: seed then public key; older keys may hold a redundant copy (96 bytes).
      if (data.length !== 64 && data.length !== 96) throw new Error(`expected 64 bytes, got ${data.length}`);
      const pub = ed25519PublicFromSeed(data.subarray(0, 32));
      if (!pub.equals(data.subarray(32, 64))) throw new Error("its public half does not belong to its seed");
      return peerIdFromPublicKey(1, pub);
    }
    case "RSA": {
      const { createPrivateKey, createPublicKey } = nodeCrypto();
      const key = createPrivateKey({ key: data, format: "der", type: "pkcs1" });
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) throw new RsaKeySizeError(bits);
      const spki = createPublicKey(key).export({ format: "der", type: "spki" });
      return peerIdFromPublicKey(0, spki);
    }
    default:
      throw new Error(`kitcfg cannot check ${keyType} keys`);
  }
}

function ed25519PublicFromSeed(seed: Buffer): Buffer {
  const known = publicKeys.get(seed.toString("hex"));
  if (known) return known;
  const { createPrivateKey, createPublicKey } = nodeCrypto();
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8Of(seed), format: "der", type: "pkcs8" })).export({
    format: "jwk",
  });
  const pub = Buffer.from(jwk.x!, "base64url");
  remember(seed, pub);
  return pub;
}

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410). */
function pkcs8Of(seed: Uint8Array): Uint8Array<ArrayBuffer> {
  const der = new Uint8Array(16 + seed.length);
  der.set(Buffer.from("302e020100300506032b657004220420", "hex"));
  der.set(seed, 16);
  return der;
}

function identityOf(seed: Buffer, pub: Buffer): Identity {
  const data = Buffer.concat([seed, pub]);
  return { id: peerIdFromPublicKey(1, pub), privateKey: protobufKey(1, data).toString("base64") };
}

/**
 * Ed25519 public keys by their seed (hex), derived in this process: a public key is a pure
 * function of its seed, so a remembered one is never stale.
 */
const publicKeys = new Map<string, Buffer>();

function remember(seed: Uint8Array, pub: Buffer): void {
  if (publicKeys.size < 1000) publicKeys.set(Buffer.from(seed).toString("hex"), pub);
}

/**
 * The bytes of `text` as Go's `base64.StdEncoding` decodes it, as kubo (config/identity.go
 * `DecodePrivateKey`) and cluster (config/identity.go, api/common/config.go) read private
 * keys: `\r` and `\n` anywhere are skipped, and the rest must be whole groups of four
 * characters, the last padded with `=`. Undefined for a text Go refuses.
 */
function goBase64(text: string): Buffer | undefined {
  const joined = text.replace(/[\r\n]/g, "");
  return GO_STD_BASE64.test(joined) ? Buffer.from(joined, "base64") : undefined;
}

/** Whole groups of four base64 characters, the last one padded with = (Go `base64.StdEncoding`). */
const GO_STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const NOT_BASE64 = "not standard base64 as Go reads it (A-Z, a-z, 0-9, + and /, in groups of four padded with =)";

function peerIdFromPublicKey(type: number, data: Uint8Array): string {
  const serialized = protobufKey(type, data);
  const multihash =
    serialized.length <= MAX_INLINE_KEY_LENGTH
      ? Buffer.concat([Buffer.from([0x00, serialized.length]), serialized])
      : Buffer.concat([Buffer.from([0x12, 0x20]), new Bun.CryptoHasher("sha256").update(serialized).digest()]);
  return encodeBase58(multihash);
}

function protobufKey(type: number, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0x08, type, 0x12]), varint(data.length), data]);
}

function parseProtobufKey(bytes: Buffer): { type: number; data: Buffer } {
  let offset = 0;
  let type: number | undefined;
  let data: Buffer | undefined;
  while (offset < bytes.length) {
    const tag = bytes[offset++]!;
    if (tag === 0x08) [type, offset] = readVarint(bytes, offset);
    else if (tag === 0x12) {
      let length: number;
      [length, offset] = readVarint(bytes, offset);
      if (offset + length > bytes.length) throw new Error("truncated key data");
      data = bytes.subarray(offset, offset + length);
      offset += length;
    } else throw new Error(`unexpected protobuf field tag ${tag}`);
  }
  if (type === undefined || data === undefined) throw new Error("missing key type or key data");
  return { type, data };
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let value = n;
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return Buffer.from(out);
}

function readVarint(bytes: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  let offset = start;
  for (;;) {
    if (offset >= bytes.length || shift > 28) throw new Error("bad varint");
    const byte = bytes[offset++]!;
    value |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [value >>> 0, offset];
    shift += 7;
  }
}
