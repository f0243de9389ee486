import { describe, expect, test } from "bun:test";
import { KitcfgError } from "../../../core/errors.ts";
import { format } from "../../../core/formats/text.ts";

const TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

function thrown(fn: () => unknown): KitcfgError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KitcfgError) return error;
    throw error;
  }
  throw new Error("expected a KitcfgError");
}

describe("text format", () => {
  test("parse() strips surrounding whitespace and CR/LF, as the Hugging Face client does", () => {
    expect(format.parse(TOKEN)).toBe(TOKEN);
    expect(format.parse(`${TOKEN}\n`)).toBe(TOKEN);
    expect(format.parse(`  ${TOKEN}\r\n\r\n`)).toBe(TOKEN);
    expect(format.parse("")).toBe("");
    expect(format.parse("\n")).toBe("");
  });

  test("stringify() writes the string exactly, with a newline only when asked", () => {
    expect(format.stringify(TOKEN)).toBe(TOKEN);
    expect(format.stringify(TOKEN, { trailingNewline: true })).toBe(`${TOKEN}\n`);
  });

  test("stringify() refuses a value that is not a string", () => {
    expect(thrown(() => format.stringify(42)).code).toBe("INVALID_VALUE");
  });

  test("edit() sets the whole text and keeps a trailing newline", () => {
    expect(format.edit(TOKEN, [{ op: "set", path: [], value: "hf_new" }])).toBe("hf_new");
    expect(format.edit(`${TOKEN}\n`, [{ op: "set", path: [], value: "hf_new" }])).toBe("hf_new\n");
    expect(format.edit(`${TOKEN}\r\n`, [{ op: "set", path: [], value: "hf_new" }])).toBe("hf_new\r\n");
  });

  test("edit() leaves the file alone when it already holds the value", () => {
    expect(format.edit(`${TOKEN}\n\n`, [{ op: "set", path: [], value: TOKEN }])).toBe(`${TOKEN}\n\n`);
  });

  test("edit() unset empties the file", () => {
    expect(format.edit(`${TOKEN}\n`, [{ op: "unset", path: [] }])).toBe("");
  });

  test("edit() refuses paths below the root", () => {
    const error = thrown(() => format.edit(TOKEN, [{ op: "set", path: ["token"], value: "x" }]));
    expect(error.code).toBe("EDIT_FAILED");
    expect(error.message).toContain('"token"');
  });

  test("edit() refuses values that would not read back because readers strip them", () => {
    expect(thrown(() => format.edit(TOKEN, [{ op: "set", path: [], value: " hf_x\n" }])).code).toBe("EDIT_FAILED");
    expect(thrown(() => format.edit(TOKEN, [{ op: "set", path: [], value: 1 }])).code).toBe("INVALID_VALUE");
  });
});
