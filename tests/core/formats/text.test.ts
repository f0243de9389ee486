import { describe, expect, test } from "bun:test";
import { format } from "../../../core/formats/text.ts";
import { thrownBy } from "../../helpers.ts";

const TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

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
    expect(thrownBy(() => format.stringify(42)).code).toBe("INVALID_VALUE");
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
    const error = thrownBy(() => format.edit(TOKEN, [{ op: "set", path: ["token"], value: "x" }]));
    expect(error.code).toBe("EDIT_FAILED");
    expect(error.message).toContain('"token"');
  });

  test("edit() refuses values that would not read back because readers strip them", () => {
    expect(thrownBy(() => format.edit(TOKEN, [{ op: "set", path: [], value: " hf_x\n" }])).code).toBe("EDIT_FAILED");
    expect(thrownBy(() => format.edit(TOKEN, [{ op: "set", path: [], value: 1 }])).code).toBe("INVALID_VALUE");
  });
});
