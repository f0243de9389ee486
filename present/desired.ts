import type { DesiredResult } from "../core/desired-apply.ts";
import { aboutDaemon, formatIssue } from "./output.ts";
import type { Output } from "./output.ts";

/**
 * Human output: per daemon, in sync or what changes with its diff (secrets redacted),
 * notes and issues; then one line for the whole: "N daemons changed", "Everything is in
 * sync", or why nothing was written.
 */
export function renderDesired(out: Output, result: DesiredResult): void {
  for (const daemon of result.daemons) {
    const label = daemon.instance ? `${daemon.daemon}/${daemon.instance}` : daemon.daemon;
    if (daemon.error) {
      // The refusal, then what to do about it (its hint is among the notes) under it on stderr,
      // as every command prints an error's hint.
      for (const issue of daemon.issues) out.error(aboutDaemon(label, issue.message));
      for (const note of daemon.notes) out.io.stderr(`  ${out.redact(note)}\n`);
      continue;
    }
    for (const note of daemon.notes) out.info(`${label}: ${note}`);
    if (daemon.action === "unchanged") out.success(`${label}: in sync`);
    else if (result.error)
      out.info(`${label}: ${result.dry_run ? "would not be" : "not"} written, as another daemon was refused`);
    else {
      const verb = daemon.action === "create" ? "created" : "updated";
      const keys = daemon.action === "update" && daemon.keys.length > 0 ? ` (${daemon.keys.join(", ")})` : "";
      out.success(`${label}: ${result.ok && !result.dry_run ? verb : `would be ${verb}`}${keys}`);
      if (daemon.diff) out.diff(daemon.diff);
    }
    // An issue between daemons names the daemon whose key it is about, which may be another.
    for (const issue of daemon.issues)
      (issue.severity === "error" ? out.error : out.warn)(aboutDaemon(issue.daemon ?? label, formatIssue(issue)));
    if (daemon.restart) out.warn(daemon.restart);
  }
  const count = (n: number) => `${n} daemon${n === 1 ? "" : "s"}`;
  if (result.error) {
    const refused = count(result.daemons.filter((d) => d.error).length);
    return out.error(
      `${result.dry_run ? "Nothing would be written" : "Nothing was written"} on any daemon: ${refused} refused`,
    );
  }
  const changed = result.daemons.filter((d) => d.action !== "unchanged").length;
  if (changed === 0) out.success("Everything is in sync");
  else out.success(result.dry_run ? `${count(changed)} would change (nothing written)` : `${count(changed)} changed`);
}
