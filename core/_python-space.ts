/**
 * Python's whitespace, for a character class: what `str.isspace()` is true for and `\s`
 * matches in Python's regexes. JavaScript's `\s` without U+FEFF, with U+001C-U+001F and U+0085.
 */
export const PYTHON_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** `text.strip()` as Python does it: its whitespace off both ends (U+FEFF stays). */
export function pythonStrip(text: string): string {
  return text.replace(ENDS, "");
}

// --- internal ---

// The end's run from its first blank only (the lookbehind): tried from each blank of an inner run, a long
// one took time that grew with its square.
const ENDS = new RegExp(`^[${PYTHON_SPACE}]+|(?<![${PYTHON_SPACE}])[${PYTHON_SPACE}]+$`, "g");
