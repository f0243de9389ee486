import type { ChangeResult } from "../core/change.ts";
import type { ValidateResult } from "../core/ops.ts";
import { commandWords } from "../core/target.ts";
import type { Output } from "./output.ts";
import { aboutDaemon, formatIssue } from "./output.ts";

const VERBS = { create: "created", update: "updated", replace: "replaced", delete: "removed", unchanged: "" } as const;
/** What a dry run says of each file: what the write would do. */
const DRY_VERBS = { create: "create", update: "update", replace: "replace", delete: "remove", unchanged: "" } as const;

/** Human output for a configure or update: notes, the diff on a dry run, one line per file. */
export function renderChange(out: Output, result: ChangeResult): void {
  const label = result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
  for (const note of result.notes) out.info(note);
  if (result.dryRun && result.diff) out.diff(result.diff);
  const touched = result.files.filter((f) => f.action !== "unchanged");
  if (touched.length === 0 && !result.error) out.success(`${label}: nothing to change`);
  for (const file of touched) {
    const keys = file.action === "update" && file.keys.length ? ` (${file.keys.join(", ")})` : "";
    out.success(`${result.dryRun ? `would ${DRY_VERBS[file.action]}` : VERBS[file.action]} ${file.path}${keys}`);
  }
  if (result.history.length > 0 && result.files.some((f) => f.action === "replace")) {
    out.info(
      `the previous files are kept in history: \`kitcfg history ${commandWords(result.daemon, result.instance)}\``,
    );
  }
  // An issue between daemons names the daemon whose key it is about, which may be another.
  for (const issue of result.issues)
    (issue.severity === "error" ? out.error : out.warn)(aboutDaemon(issue.daemon ?? label, formatIssue(issue)));
  if (result.restart && result.changed) out.warn(result.restart);
}

/**
 * Human output for a validation: "✔ daemon: valid" for each daemon that nothing refuses (its own
 * files, and what it must agree on with the others), then each issue. A daemon whose own files
 * are fine but whose check against another daemon fails is not called valid.
 */
export function renderValidate(out: Output, result: ValidateResult): void {
  const refusedAcross = new Set(result.cross.flatMap((issue) => (issue.severity === "error" ? [issue.daemon] : [])));
  for (const report of result.daemons) {
    const label = report.instance ? `${report.daemon}/${report.instance}` : report.daemon;
    if (report.valid && !refusedAcross.has(label)) out.success(`${label}: valid`);
    for (const issue of report.issues)
      (issue.severity === "error" ? out.error : out.warn)(aboutDaemon(label, formatIssue(issue)));
  }
  for (const issue of result.cross) {
    const text = formatIssue(issue);
    (issue.severity === "error" ? out.error : out.warn)(issue.daemon ? aboutDaemon(issue.daemon, text) : text);
  }
}
