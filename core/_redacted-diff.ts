/**
 * Diffs with secrets redacted, apart from redact.ts so that a read-only command, which
 * redacts but never diffs, does not load the diff code.
 */
import { changedLines, unifiedDiff } from "./diff.ts";
import type { Format, StringSpan } from "./formats/types.ts";
import { REDACTED, REDACTED_CHANGED, redactDocument, shadowedSecrets, stringsOf } from "./redact.ts";

/**
 * A unified diff of one file's two texts with every secret redacted as `redactDocument`
 * does: a secret already in `before` as `<redacted>`, one new in `after` as
 * `<redacted:changed>`.
 */
export function redactedTextDiff(options: {
  name: string;
  format: Pick<Format, "strings" | "lineStrings" | "entries">;
  before: string | undefined;
  after: string | undefined;
  secrets: readonly string[];
  /** The daemon's secret key patterns: values a later duplicate shadows under such keys are hidden too. */
  secretKeys?: readonly string[];
  /**
   * The secrets `before` holds as secrets, when the caller knows them: a secret set anew to
   * a value the file holds elsewhere as a plain value still shows as changed.
   */
  old?: readonly string[];
  /** Both texts are known to parse in `format` (the caller read them): only the changed lines need redacting. */
  parsed?: boolean;
}): string {
  const { name, format, before, after } = options;
  if (before === after) return "";
  let secrets = options.secrets;
  let known = options.old === undefined ? undefined : new Set(options.old);
  if (options.secretKeys && format.entries) {
    const [was, now] = [before, after].map((text) => shadowedSecrets(options.secretKeys!, format, text));
    secrets = [...secrets, ...was!, ...now!];
    if (known) known = new Set([...known, ...was!]);
  }
  const fresh = secrets.some((secret) => known !== undefined && !known.has(secret));
  if (options.parsed && before !== undefined && after !== undefined && !fresh) {
    const diff = changedLinesDiff({ name, format, before, after, secrets });
    if (diff !== undefined) return diff;
  }
  const spans = before === undefined ? [] : stringsOf(before, format);
  const old = secrets.filter(
    (secret) =>
      before !== undefined &&
      (known?.has(secret) ?? true) &&
      (before.includes(secret) || spans.some((span) => span.value.includes(secret))),
  );
  return unifiedDiff({ ...redactBoth({ format, before, after, secrets, old, spans }), name });
}

/**
 * Two texts of one file redacted as a diff shows them: every secret in `before` as
 * `<redacted>`; in `after`, the secrets of `old` so too and the others as
 * `<redacted:changed>`, so that a changed secret still shows as a change.
 */
export function redactBoth(options: {
  format: Pick<Format, "strings">;
  before: string | undefined;
  after: string | undefined;
  secrets: readonly string[];
  old: readonly string[];
  /** The string values of `before`, when the caller has them. */
  spans?: StringSpan[];
}): { before: string | undefined; after: string | undefined } {
  const { format, before, after, secrets, old } = options;
  const fresh = secrets.filter((secret) => !old.includes(secret));
  return {
    before: before === undefined ? undefined : redactDocument(before, format, [[secrets, REDACTED]], options.spans),
    after:
      after === undefined
        ? undefined
        : redactDocument(after, format, [
            [old, REDACTED],
            [fresh, REDACTED_CHANGED],
          ]),
  };
}

// --- internal ---

/**
 * `redactedTextDiff` of two texts that parse, redacting only the lines the diff shows; or
 * undefined where that could differ from redacting the whole texts. It cannot for a format
 * whose strings stay within a line, secrets without a line break (each line is then
 * redacted on its own, into one line) and no secret new in `after` (both texts are then
 * redacted alike): equal lines stay equal, and the diff of the redacted texts lies within
 * the lines the texts differ in, and their context.
 */
function changedLinesDiff(options: {
  name: string;
  format: Pick<Format, "strings" | "lineStrings">;
  before: string;
  after: string;
  secrets: readonly string[];
}): string | undefined {
  const { format, before, after, secrets } = options;
  const lineStrings = format.lineStrings;
  if (!lineStrings || secrets.some((secret) => secret.includes("\n"))) return undefined;
  let spans: StringSpan[] | undefined;
  for (const secret of secrets) {
    if (before.includes(secret)) continue;
    spans ??= lineStrings(before);
    if (!spans.some((span) => span.value.includes(secret))) return undefined;
  }
  const { start, endA, endB, lines } = changedLines(before, after);
  const part = (text: string) => redactDocument(text, format, [[secrets, REDACTED]], lineStrings(text));
  return unifiedDiff({
    name: options.name,
    before: part(before.slice(start, endA)),
    after: part(after.slice(start, endB)),
    line: lines,
  });
}
