/**
 * kitcfg's TypeScript API, and the module a user plugin imports as `"kitcfg"`.
 *
 * ```ts
 * import { openKit, update } from "kitcfg";
 * const kit = await openKit({ root: "/tmp/sandbox" });
 * await update(kit, { daemon: "huggingface", requests: [{ op: "set", key: "offline", value: true }] });
 * ```
 */
import * as v from "valibot";

export { v };
export { definePlugin } from "./core/plugin.ts";
export type { Config, CrossCheck, FileSpec, KeyDoc, Plugin, PluginContext, PluginIssue, Profile, RepairResult } from "./core/plugin.ts";
export { EXIT_CODES, exitCodeOf, KitcfgError, ParseError, ValidationError } from "./core/errors.ts";
export type { ErrorCode, Issue } from "./core/errors.ts";
export { openKit } from "./core/kit.ts";
export { expandVars } from "./core/paths.ts";
export type { Kit, OpenKitOptions } from "./core/kit.ts";
export { argsOf, envOf, show, status, validate } from "./core/ops.ts";
export type { DaemonReport, ShowOptions, ValidateResult } from "./core/ops.ts";
export { configure, update } from "./core/change.ts";
export type { ChangeResult, ConfigureOptions, UpdateOptions } from "./core/change.ts";
export type { UpdateRequest } from "./core/update.ts";
export { repair } from "./core/repair.ts";
export type { RepairChangeResult, RepairOptions } from "./core/repair.ts";
export { diffHistory, listHistory, restoreVersion } from "./core/history-ops.ts";
export type { DiffHistoryOptions, HistoryDiffResult, HistoryListResult, HistoryOptions, RestoreOptions, VersionInfo } from "./core/history-ops.ts";
export { REDACTED } from "./core/redact.ts";
