/**
 * A file that holds one string, such as an access-token file.
 */
import { KitcfgError } from "../errors.ts";
import type { Change, Format, FormatStyle } from "./types.ts";

/**
 * Plain text: the whole file is one string, edited only at path `[]`.
 *
 * - `parse` returns the text without surrounding whitespace and CR/LF, as clients read
 *   their token files; it never fails.
 * - `stringify` writes the string as is, plus `\n` when `style.trailingNewline`.
 * - `edit` sets the whole text (keeping the old text's trailing newline, if any; nothing
 *   when it already reads as that value) or, on unset, empties it.
 *
 * @throws KitcfgError `INVALID_VALUE` for a value that is not a string; `EDIT_FAILED` for a
 * path other than `[]`, or a value with surrounding whitespace, which readers strip.
 */
export const format: Format = { parse: parseText, stringify: stringifyText, edit: editText };

// --- internal ---

function parseText(text: string): string {
  return text.trim();
}

function stringifyText(value: unknown, style: FormatStyle = {}): string {
  return checkString(value) + (style.trailingNewline ? "\n" : "");
}

function editText(text: string, changes: readonly Change[], _style?: FormatStyle): string {
  for (const change of changes) {
    if (change.path.length !== 0) {
      throw new KitcfgError(
        "EDIT_FAILED",
        `Cannot edit "${change.path.join(".")}" in a text file: it holds one value, at the root`,
      );
    }
    if (change.op === "unset") {
      text = "";
      continue;
    }
    const value = checkString(change.value);
    if (value !== value.trim()) {
      throw new KitcfgError(
        "EDIT_FAILED",
        "Cannot write the text file: readers strip leading and trailing whitespace from it",
      );
    }
    if (value !== parseText(text)) text = value + (/\r?\n$/.exec(text)?.[0] ?? "");
  }
  return text;
}

function checkString(value: unknown): string {
  if (typeof value !== "string") {
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot write a text file: expected a string, got ${value === null ? "null" : typeof value}`,
    );
  }
  return value;
}
