import { describe, expect, test } from "bun:test";
import { exactIntegers, parseJsonExact } from "../../../core/formats/_json-exact.ts";

describe("parseJsonExact()", () => {
  test("an integer past 2^53 comes back as a bigint with every digit written", () => {
    const table: [string, unknown][] = [
      ["9007199254740993", 9007199254740993n],
      ["9007199254740992", 9007199254740992n],
      ["-9007199254740992", -9007199254740992n],
      ["9223372036854775807", 9223372036854775807n],
      ["-9223372036854775808", -9223372036854775808n],
      ["18446744073709551616", 18446744073709551616n],
      [`1${"0".repeat(400)}`, 10n ** 400n],
    ];
    for (const [text, value] of table) expect({ text, value: parseJsonExact(text) }).toEqual({ text, value });
  });

  test("safe integers, fractions and exponents stay JSON.parse's doubles", () => {
    for (const text of ["9007199254740991", "-9007199254740991", "1000000000000000", "-0", "1e19", "1.5e300", "1e400"])
      expect(Object.is(parseJsonExact(text), JSON.parse(text))).toBe(true);
    expect(parseJsonExact("9223372036854775807.0")).toBe(2 ** 63);
  });

  test("finds them anywhere in a document; a long run of digits in a string stays a string", () => {
    const text = '{"a": [1, 12345678901234567890, {"b": -12345678901234567890}], "s": "12345678901234567890"}';
    expect(parseJsonExact(text)).toEqual({
      a: [1, 12345678901234567890n, { b: -12345678901234567890n }],
      s: "12345678901234567890",
    });
  });

  test("keeps __proto__ an own key; refuses what JSON.parse refuses, whether or not the text has long digits", () => {
    const value = parseJsonExact('{"__proto__": 12345678901234567890}') as Record<string, unknown>;
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe(12345678901234567890n);
    for (const text of ["[1,]", "[12345678901234567890,]", "0123456789012345678"])
      expect(() => parseJsonExact(text)).toThrow(SyntaxError);
  });
});

describe("exactIntegers", () => {
  test("JSON.stringify writes a bigint with every digit, and parseJsonExact reads it back", () => {
    const value = { a: 9223372036854775807n, b: [-9007199254740993n, 1.5], c: 5n };
    const text = JSON.stringify(value, exactIntegers);
    expect(text).toBe('{"a":9223372036854775807,"b":[-9007199254740993,1.5],"c":5}');
    expect(parseJsonExact(text)).toEqual({ a: 9223372036854775807n, b: [-9007199254740993n, 1.5], c: 5 });
  });
});
