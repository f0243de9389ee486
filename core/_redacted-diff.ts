/**
 * Diffs with secrets redacted, apart from redact.ts so that a read-only command, which
 * redacts but never diffs, does not load the diff code.
 */
import { unifiedDiff } from "./diff.ts";
import type { Format } from "./formats/types.ts";
import { REDACTED, REDACTED_CHANGED, redactDocument, stringsOf } from "./redact.ts";

/**
 * A unified diff of one file's two texts with every secret redacted as `redactDocument`
 * does: a secret already in `before` as `<redacted>`, one new in `after` as
 * `<redacted:changed>`.
 */
export function redactedTextDiff(options: {
  name: string;
  format: Pick<Format, "strings">;
  before: string | undefined;
  after: string | undefined;
  secrets: readonly string[];
}): string {
  const { name, format, before, after, secrets } = options;
  if (before === after) return "";
  const spans = before === undefined ? [] : stringsOf(before, format);
  const old = secrets.filter(
    (secret) => before !== undefined && (before.includes(secret) || spans.some((span) => span.value.includes(secret))),
  );
  const fresh = secrets.filter((secret) => !old.includes(secret));
  return unifiedDiff({
    before: before === undefined ? undefined : redactDocument(before, format, [[secrets, REDACTED]], spans),
    after:
      after === undefined
        ? undefined
        : redactDocument(after, format, [
            [old, REDACTED],
            [fresh, REDACTED_CHANGED],
          ]),
    name,
  });
}
