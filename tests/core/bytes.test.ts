import { expect, test } from "bun:test";
import { decodeBytes, encodeText, noteRead, readFingerprint, writeEncoded } from "../../core/_bytes.ts";
import { fingerprintOf, nextPrint, PRINT_BLOCK } from "../../core/_fingerprint.ts";

test("decodeBytes and encodeText give back any bytes exactly, and valid UTF-8 decodes as usual", () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let n = 0; n < 2000; n++) {
    const bytes = Buffer.from(Array.from({ length: n % 40 }, random));
    expect(encodeText(decodeBytes(bytes)).equals(bytes)).toBe(true);
  }
  const valid = Buffer.from("\uFEFFhé ✓ 😀 \uDBFF\uDFFF", "utf8");
  expect(decodeBytes(valid)).toBe(valid.toString("utf8"));
  // Overlong forms and encoded surrogates are not UTF-8: kept as bytes, not decoded.
  for (const bad of [
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
  ]) {
    expect(encodeText(decodeBytes(Buffer.from(bad))).equals(Buffer.from(bad))).toBe(true);
    expect(decodeBytes(Buffer.from(bad)).includes("\uFFFD")).toBe(false);
  }
});

test("a text noted as read has the fingerprint of its bytes, taken a block at a time; no other text has it", () => {
  const bytes = Buffer.alloc(PRINT_BLOCK * 2 + 5, 0x61);
  bytes[PRINT_BLOCK + 1] = 0xe9;
  const text = decodeBytes(bytes);
  noteRead(text, bytes);
  const blocks = [
    bytes.subarray(0, PRINT_BLOCK),
    bytes.subarray(PRINT_BLOCK, 2 * PRINT_BLOCK),
    bytes.subarray(2 * PRINT_BLOCK),
  ];
  expect(readFingerprint(`${text}`)).toEqual({ length: bytes.length, hash: blocks.reduce(nextPrint, 0n) });
  // Another text of the same length is not taken for it; other bytes have another fingerprint.
  expect(readFingerprint(`${text.slice(0, -2)}xx`)).toBeUndefined();
  const other = Buffer.from(bytes);
  other[PRINT_BLOCK + 1] = 0xea;
  noteRead(decodeBytes(other), other);
  expect(readFingerprint(decodeBytes(other))!.hash).not.toBe(readFingerprint(text)!.hash);
});

test("writeEncoded writes a big text as encodeText encodes it, a slice at a time, with its fingerprint", () => {
  // Past several slices and blocks: a surrogate pair astride the first 256 Ki boundary,
  // non-UTF-8 bytes kept as escapes, multi-byte characters that shift the blocks.
  const slice = 256 * 1024;
  const escaped = decodeBytes(Buffer.from([0x41, 0xff, 0xfe, 0x42]));
  const big = `${"é".repeat(slice - 1)}😀${`${escaped}✓${"ü".repeat(1000)}`.repeat(1200)}`;
  expect(big.charCodeAt(slice - 1)).toBe(0xd83d);
  const pieces: Uint8Array[] = [];
  const print = writeEncoded(big, (bytes) => pieces.push(Buffer.from(bytes)));
  const whole = Buffer.concat(pieces);
  expect(whole.equals(encodeText(big))).toBe(true);
  expect(decodeBytes(whole)).toBe(big);
  expect(pieces.length).toBeGreaterThan(4);
  expect(print).toEqual(fingerprintOf(whole));
  // A small text is written at once.
  const small: Uint8Array[] = [];
  expect(writeEncoded("{}", (bytes) => small.push(bytes))).toEqual(fingerprintOf(Buffer.from("{}")));
  expect(small).toHaveLength(1);
});
