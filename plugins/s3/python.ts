import { pythonStrip } from "kitcfg";

/**
 * Python's `int()` of a str, as s3cmd applies it to an integer option: blanks at the ends
 * (Python's whitespace), an optional sign, then decimal digits of any script (Unicode Nd:
 * "٣" is 3) with single underscores between digits ("1_000"). Anything else is undefined,
 * where Python raises ValueError.
 */
export function pythonInt(text: string): number | undefined {
  const match = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u.exec(pythonStrip(text));
  if (!match) return undefined;
  let digits = "";
  for (const char of match[0].replaceAll("_", "")) digits += /[+-]/.test(char) ? char : String(digitValue(char));
  return Number(digits);
}

// --- internal ---

/**
 * The value of a decimal digit of any script. Unicode lays each script's digits out as a
 * run of ten code points from 0 to 9, and adjacent runs (mathematical digits) come in tens,
 * so a digit's value is its distance from the start of its run, modulo 10.
 */
function digitValue(char: string): number {
  const point = char.codePointAt(0)!;
  if (point < 128) return point - 48; // "0"-"9", nearly always
  let start = point;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (point - start) % 10;
}
