// Lines of a scanned text file, as the TOML and INI editors keep them.

/**
 * Insert whole lines after line `after` (-1: at the top), keeping the file's line breaks: a layout
 * of lines that each end at `end` and give way to the next at `next` (TOML's, INI's).
 */
export function insertLines(
  layout: { text: string; eol: string; lines: readonly { end: number; next: number }[] },
  after: number,
  lines: string[],
): string {
  const { text, eol } = layout;
  if (after < 0) return lines.map((l) => l + eol).join("") + text;
  const line = layout.lines[after]!;
  if (line.next > line.end)
    return text.slice(0, line.next) + lines.map((l) => l + eol).join("") + text.slice(line.next);
  return text.slice(0, line.end) + lines.map((l) => eol + l).join("") + text.slice(line.end);
}
