// Command-line options of the bench scripts: `--name value` after the script's own path.

/** The script's arguments (after `bun bench/x.ts`). */
export const ARGS = process.argv.slice(2);

/** The number given after `name`, or `fallback` when it is absent or not a number. */
export function numberOption(name: string, fallback: number): number {
  const given = ARGS.includes(name) ? Number(ARGS[ARGS.indexOf(name) + 1]) : Number.NaN;
  return Number.isNaN(given) ? fallback : given;
}

/** The text given after `name`, or `fallback` when it is absent. */
export function textOption(name: string, fallback: string): string {
  return ARGS.includes(name) ? (ARGS[ARGS.indexOf(name) + 1] ?? fallback) : fallback;
}
