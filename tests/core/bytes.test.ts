import { expect, test } from "bun:test";
import { bytesRead, decodeBytes, encodeText, rememberRead } from "../../core/_bytes.ts";

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

test("a text remembered as read encodes to the very bytes it was read from", () => {
  const bytes = new Uint8Array([0x7b, 0xe9, 0x7d, 0xf0, 0x9f, 0x98, 0x80]);
  const text = decodeBytes(bytes);
  rememberRead(text, bytes);
  expect(bytesRead(text)?.equals(bytes)).toBe(true);
  expect(encodeText(`${text}`).equals(bytes)).toBe(true);
  // Another text of the same length is not taken for it.
  expect(bytesRead(`${text.slice(0, -2)}xx`)).toBeUndefined();
});
