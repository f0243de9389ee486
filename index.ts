/**
 * kitcfg's TypeScript API, and the module a user plugin imports as `"kitcfg"`: the plugin
 * SDK (`sdk/index.ts`) and the operations the CLI and MCP server call.
 *
 * ```ts
 * import { openKit, update } from "kitcfg";
 * const kit = await openKit({ root: "/tmp/sandbox" });
 * await update(kit, { daemon: "huggingface", requests: [{ op: "set", key: "offline", value: true }] });
 * ```
 */
export * from "./sdk/index.ts";
export { EXIT_CODES, exitCodeOf, ParseError, ValidationError } from "./core/errors.ts";
export type { ErrorCode, Issue } from "./core/errors.ts";
export { openKit } from "./core/kit.ts";
export type { Kit, OpenKitOptions } from "./core/kit.ts";
export { argsOf, envOf, show, status, validate } from "./core/ops.ts";
export { listDaemons } from "./core/list.ts";
export type { DaemonEntry, ListResult } from "./core/list.ts";
export type { DaemonReport, ShowOptions, ValidateResult } from "./core/ops.ts";
export { configure, update } from "./core/change.ts";
export type { ChangeResult, ConfigureOptions, UpdateOptions } from "./core/change.ts";
export type { UpdateOperation, UpdateRequest } from "./core/request.ts";
export { repair } from "./core/repair.ts";
export type { RepairChangeResult, RepairOptions } from "./core/repair.ts";
export { diffHistory, listHistory, restoreVersion } from "./core/history-ops.ts";
export type {
  DiffHistoryOptions,
  HistoryDiffResult,
  HistoryListResult,
  HistoryOptions,
  RestoreOptions,
  VersionInfo,
} from "./core/history-ops.ts";
export { parseDesired, parseDesiredText, readDesired } from "./core/desired.ts";
export type { DesiredDaemon, DesiredState, ParseDesiredOptions } from "./core/desired.ts";
export { applyDesired, planDesired } from "./core/desired-apply.ts";
export type {
  ApplyDesiredOptions,
  DesiredDaemonResult,
  DesiredFileResult,
  DesiredResult,
} from "./core/desired-apply.ts";
export { REDACTED } from "./core/redact.ts";
