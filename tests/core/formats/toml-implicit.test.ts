import { describe, expect, test } from "bun:test";
import { ParseError } from "../../../core/errors.ts";
import { format } from "../../../core/formats/toml.ts";
import { set, unset } from "./_changes.ts";

// TOML as BurntSushi/toml v1.6.0 reads table definitions (lotus's decoder, parse.go `setValue`,
// `addImplicit`): each row's verdict and value is what that decoder gave for the same text
// (`toml.Decode` into a map, Go 1.19), FORMATS.md §2.
const reopening = format.reading!({ reopensImplicitTables: true });

const LOADS: [text: string, value: unknown][] = [
  ["a.b = 1\n[a]\nc = 2", { a: { b: 1, c: 2 } }],
  ["a.b.c = 1\na.d = 2\n[a.b]", { a: { b: { c: 1 }, d: 2 } }],
  ["[a]\nb.c = 1\n[a.b]\nd = 2", { a: { b: { c: 1, d: 2 } } }],
  ["a = {b = 1}\na.c = 2\na.d = 3", { a: { b: 1, c: 2, d: 3 } }],
  ["a = {b = 1}\n[a.c]", { a: { b: 1, c: {} } }],
  ["a.b = {c = 1}\n[a]", { a: { b: { c: 1 } } }],
  ["a = {b.c = 1}\n[a.b]", { a: { b: { c: 1 } } }],
  ["a.b.c = 1\n[a]\n[a.b]", { a: { b: { c: 1 } } }],
  ["[a.b]\nc = 1\n[a]\nb.d = 1", { a: { b: { c: 1, d: 1 } } }],
  ["[a]\nb = {c = 1}\n[a.b.d]", { a: { b: { c: 1, d: {} } } }],
  // The implicit table stays; the value given it after is dropped, an array value replaces it.
  ["a.b = 1\na = 5", { a: { b: 1 } }],
  ["a.b = 1\na = [1]", { a: [1] }],
  ["a = [1]\na.c = 1", { a: { c: 1 } }],
  ["[[x]]\na.b = 1\n[x.a]", { x: [{ a: { b: 1 } }] }],
];

const REFUSES: [text: string, line: number, fragment: string][] = [
  ["[a]\n[a]", 2, '"a" is already defined'],
  ["a.b = 1\n[a]\n[a]", 3, '"a" is already defined'],
  // A second dotted key under the table defines it: the header after is a redefinition.
  ["a.b = 1\na.c = 2\n[a]", 3, '"a" is already defined'],
  ["a = {b = 1}\n[a]", 2, '"a" is already defined'],
  ["a.b = {c = 1}\n[a.b]", 2, '"a.b" is already defined'],
  ["a = {b = {c = 1}}\n[a.b]", 2, '"a.b" is already defined'],
  ["a = 1\na.b = 2", 2, '"a" is already defined'],
  ["a = [1]\n[a]", 2, '"a" is already defined'],
  ["a.b = 2\na = {c = 3}", 2, '"a" is already defined'],
  ["a.b.c = 1\n[a]\nb.d = 2\n[a.b]", 4, '"a.b" is already defined'],
  ["a = [{b = 1}]\n[[a]]", 2, "cannot be an array of tables"],
];

describe("parse() with reopensImplicitTables", () => {
  for (const [text, value] of LOADS) {
    test(`parse() reads ${JSON.stringify(text)} as BurntSushi does`, () => {
      expect(() => format.parse(text)).toThrow(ParseError);
      expect(reopening.parse(text)).toEqual(value);
    });
  }

  for (const [text, line, fragment] of REFUSES) {
    test(`parse() refuses ${JSON.stringify(text)} at line ${line}, as BurntSushi does`, () => {
      const error = catchError(() => reopening.parse(text));
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).line).toBe(line);
      expect((error as ParseError).message).toContain(fragment);
    });
  }

  test("parse() reports a syntax error after an accepted redefinition at its own line", () => {
    const error = catchError(() => reopening.parse('a.b = 1\n[a]\nc = "x\nd = 1'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(3);
  });

  test("parse() reads a text TOML 1.0 accepts as the strict reading does", () => {
    const text = '[a]\nb = 1\n[a.c]\nd = [1, {e = "f"}]\n';
    expect(reopening.parse(text)).toEqual(format.parse(text));
  });
});

describe("edit() with reopensImplicitTables", () => {
  const TEXT = 'Fees.DefaultMaxFee = "0.08 FIL"\n\n[Fees]\n  #DefaultMaxFee = "0.07 FIL"\n  #MaxFee = "1 FIL"\n';

  test("edit() sets the dotted key above the header in place", () => {
    const out = reopening.edit(TEXT, [set("Fees.DefaultMaxFee", "0.09 FIL")], { commentOnUnset: true });
    expect(out).toBe(TEXT.replace("0.08 FIL", "0.09 FIL"));
  });

  test("edit() uncomments a key of the reopened table under its header", () => {
    const out = reopening.edit(TEXT, [set("Fees.MaxFee", "2 FIL")], { commentOnUnset: true });
    expect(out).toBe(TEXT.replace('#MaxFee = "1 FIL"', 'MaxFee = "2 FIL"'));
    expect(reopening.parse(out)).toEqual({ Fees: { DefaultMaxFee: "0.08 FIL", MaxFee: "2 FIL" } });
  });

  test("edit() comments out the dotted key above the header", () => {
    const out = reopening.edit(TEXT, [unset("Fees.DefaultMaxFee")], { commentOnUnset: true });
    expect(out).toBe(`#${TEXT}`);
  });

  test("edit() of such a text without the reading is a parse failure, as before", () => {
    expect(() => format.edit(TEXT, [set("Fees.MaxFee", "2 FIL")])).toThrow(ParseError);
  });
});

describe("entries() and strings() with reopensImplicitTables", () => {
  test("entries() lists the values of a reopened table by their full paths", () => {
    const entries = reopening.entries!('Wallet.RemoteBackend = "tok"\n[Wallet]\nEnableLedger = true\n');
    expect(entries).toContainEqual({ path: ["Wallet", "RemoteBackend"], value: "tok" });
  });

  test("strings() finds the strings of a reopened table", () => {
    const spans = reopening.strings!('Wallet.RemoteBackend = "tok"\n[Wallet]\n');
    expect(spans.map((s) => s.value)).toEqual(["tok"]);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
