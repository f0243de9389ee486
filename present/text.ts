import type { ChangeResult } from "../core/change.ts";
import type { HistoryListResult } from "../core/history-ops.ts";
import type { DaemonReport, ValidateResult } from "../core/ops.ts";
import { createOutput, formatJson, table } from "./output.ts";
import type { CliIO, Output } from "./output.ts";
import { renderChange, renderValidate } from "./render.ts";

/**
 * The short text version of each result, for clients that show text. Configure and update
 * read exactly as the CLI prints them; the structured content carries the rest (diffs on a
 * real write, file lists, history ids).
 */
export async function changeText(results: readonly ChangeResult[]): Promise<string> {
  return (
    renderedText((out) => {
      for (const result of results) renderChange(out, result);
    }) || "Nothing to change"
  );
}

/** What `render` prints, as the CLI prints it without colour (stdout and stderr in order, trimmed). */
export function renderedText(render: (out: Output) => void): string {
  let text = "";
  const io: CliIO = {
    stdout: (t) => void (text += t),
    stderr: (t) => void (text += t),
    env: {},
    cwd: "/",
    color: false,
  };
  render(createOutput(io, { json: false }, () => (t) => t));
  return text.trimEnd();
}

export function validateText(result: ValidateResult): string {
  if (result.daemons.length === 0)
    return 'Nothing to validate: no daemon is configured (call configure_daemon with "all")';
  return `${renderedText((out) => renderValidate(out, result))}\n${result.ok ? "All valid" : "Not valid"}`;
}

export function statusText(reports: readonly DaemonReport[]): string {
  const rows = reports.map((r) => [
    labelOf(r),
    r.configured ? (r.valid ? "valid" : "invalid") : "not configured",
    r.files.find((f) => f.exists)?.path ?? r.files[0]?.path ?? "",
  ]);
  const notes = reports.flatMap((r) => (r.restart ? [`⚠ ${r.restart}`] : []));
  return [table([["DAEMON", "STATE", "FILE"], ...rows]), ...notes].join("\n");
}

/**
 * The versions of `kitcfg history` as a table, one row each: a version's changed keys past the sixth
 * are counted, not listed, so that a write of a whole file (configure) keeps its row short.
 */
export function historyTable(result: HistoryListResult): string {
  const rows = result.versions.map((v) => [
    v.id,
    v.time.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    v.files.map((f) => f.key + (f.pruned ? " (pruned)" : f.absent ? " (absent)" : "")).join(", "),
    v.keys.length > 6 ? `${v.keys.slice(0, 6).join(", ")}, … (${v.keys.length} keys)` : v.keys.join(", "),
    v.command,
  ]);
  const lines = [table([["ID", "REPLACED AT", "FILES", "KEYS CHANGED", "BY"], ...rows])];
  if (result.versions.some((v) => v.files.some((f) => f.pruned)))
    lines.push(
      "(pruned): that write replaced the file too, but the version it replaced was pruned from history " +
        "(KITCFG_HISTORY_RETENTION); a restore of that write keeps the file as it is now, and only with --force",
    );
  return lines.join("\n");
}

/** A value as a client reads it: a string as itself, anything else as JSON, every digit of a bigint kept. */
export function valueText(value: unknown): string {
  return typeof value === "string" ? value : formatJson(value, 2);
}

// --- internal ---

function labelOf(report: { daemon: string; instance?: string }): string {
  return report.instance ? `${report.daemon}/${report.instance}` : report.daemon;
}
