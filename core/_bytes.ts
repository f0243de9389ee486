/**
 * Text that is not all UTF-8, kept byte-exact. Config files are UTF-8, but one may carry a
 * stray Latin-1 byte in a comment; turning it into U+FFFD on the next write would change a
 * line kitcfg never meant to touch, and its history copy too. So each byte of an invalid
 * sequence becomes a lone low surrogate U+DC80..U+DCFF (as Python's "surrogateescape"
 * does): no valid UTF-8 text decodes to one, and `encodeText` writes it back as the byte.
 */
import { isUtf8 } from "node:buffer";
import { LONE_ESCAPE } from "./_escaped-bytes.ts";
import { type Fingerprint, fingerprintOf, Printer } from "./_fingerprint.ts";
import { BIG_BUFFER_BYTES, bigBuffer } from "./_libc.ts";

/** The text of `bytes`; a byte that is not part of valid UTF-8 becomes U+DC00 + byte. */
export function decodeBytes(bytes: Uint8Array): string {
  // Reading `.buffer` of a file's Buffer copies it in JavaScriptCore: wrap only a plain Uint8Array.
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // One native pass checks and decodes valid UTF-8 (node:buffer's isUtf8 and isAscii are
  // slow on a big file in the compiled binary); the BOM is kept, as the file has it.
  try {
    return STRICT_UTF8.decode(buffer);
  } catch {
    // Not all UTF-8: escaped byte by byte below.
  }
  if (isUtf8(buffer)) return buffer.toString("utf8");
  let text = "";
  let start = 0;
  let i = 0;
  while (i < buffer.length) {
    const length = sequenceLength(buffer, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += buffer.toString("utf8", start, i) + String.fromCharCode(0xdc00 + buffer[i]!);
    i++;
    start = i;
  }
  return text + buffer.toString("utf8", start, i);
}

/** The bytes of `text`: UTF-8, with each escaped byte from `decodeBytes` written back as itself. */
export function encodeText(text: string): Buffer {
  // A lone surrogate, escaped byte or not, encodes as U+FFFD: without one in the bytes, no
  // escape needs writing back (a search of the bytes is much faster than a regex over the text).
  const plain = text.length >= BIG_BUFFER_BYTES ? encodeBig(text) : Buffer.from(text, "utf8");
  return plain.indexOf(REPLACEMENT) === -1 || !LONE_ESCAPE.test(text) ? plain : encodeEscaped(text);
}

/**
 * Hand `write` the bytes of `text` (as `encodeText` gives them) a slice at a time, all
 * through one buffer, and give their fingerprint: a big file is written without being held
 * encoded whole. A small text is encoded at once.
 */
export function writeEncoded(text: string, write: (bytes: Uint8Array) => void): Fingerprint {
  if (text.length <= WRITE_SLICE) {
    const bytes = encodeText(text);
    write(bytes);
    return fingerprintOf(bytes);
  }
  // UTF-8 takes at most 3 bytes for each UTF-16 unit.
  const buffer = Buffer.allocUnsafe(WRITE_SLICE * 3);
  const print = new Printer();
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + WRITE_SLICE, text.length);
    // A surrogate pair is not cut in two (a lone low surrogate at a slice's start is an escaped byte).
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    const slice = text.slice(at, end);
    let bytes: Buffer<ArrayBufferLike> = buffer.subarray(0, ENCODER.encodeInto(slice, buffer).written);
    if (bytes.indexOf(REPLACEMENT) !== -1 && LONE_ESCAPE.test(slice)) bytes = encodeText(slice);
    write(bytes);
    print.add(bytes);
    at = end;
  }
  return print.done();
}

/**
 * Note that `text` is what `decodeBytes` gave for bytes of this fingerprint, read a moment
 * ago: whether a file still holds it is then told from its bytes (`holdsText`), while the
 * bytes themselves need not be kept through the command. The last few texts are kept.
 */
export function noteRead(text: string, bytes: Uint8Array): void {
  recentPrints.unshift({ text, print: fingerprintOf(bytes) });
  if (recentPrints.length > MAX_RECENT_READS) recentPrints.pop();
}

/** The fingerprint of the bytes `text` was read from, when it is one of the last few noted (`noteRead`). */
export function readFingerprint(text: string): Fingerprint | undefined {
  for (const read of recentPrints) if (read.text.length === text.length && read.text === text) return read.print;
  return undefined;
}

// --- internal ---

/** The characters `writeEncoded` encodes at a time. */
const WRITE_SLICE = 256 * 1024;
const ENCODER = new TextEncoder();

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * An update reads a daemon's few files, then looks whether they still hold what it read; a
 * long-running session keeps no more fingerprints than these.
 */
const MAX_RECENT_READS = 4;
const recentPrints: { text: string; print: Fingerprint }[] = [];

/** `encodeText` of a text that holds escaped bytes. */
function encodeEscaped(text: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (const match of text.matchAll(LONE_ESCAPES)) {
    parts.push(Buffer.from(text.slice(start, match.index), "utf8"), Buffer.of(text.charCodeAt(match.index!) - 0xdc00));
    start = match.index! + 1;
  }
  parts.push(Buffer.from(text.slice(start), "utf8"));
  return Buffer.concat(parts);
}

/** `Buffer.from(text, "utf8")` into a `bigBuffer`: its pages are not faulted in one by one. */
function encodeBig(text: string): Buffer {
  const bytes = bigBuffer(Buffer.byteLength(text, "utf8"));
  bytes.write(text, "utf8");
  return bytes;
}

const LONE_ESCAPES = new RegExp(LONE_ESCAPE.source, "g");
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** U+FFFD in UTF-8. */
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), or 0. */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = b[i + 1] ?? 0;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = b[i + 1] ?? 0;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
