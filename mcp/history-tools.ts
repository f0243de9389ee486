import * as v from "valibot";
import { diffHistory, listHistory, restoreVersion } from "../core/history-ops.ts";
import type { HistoryListResult } from "../core/history-ops.ts";
import type { Registry } from "../core/registry.ts";
import { changeText, historyTable } from "../present/text.ts";
import { args, CHANGE_RESULT, daemonArg, DRY_RUN_ARG, flag, INSTANCE_ARG } from "./schemas.ts";
import type { ToolDef } from "./tools.ts";

const versionId = (what: string) => v.optional(v.pipe(v.string("expected a version id"), v.description(what)));

const HISTORY_RESULT = v.object({
  daemon: v.string(),
  instance: v.optional(v.string()),
  versions: v.array(
    v.object({
      id: v.string(),
      time: v.string(),
      command: v.string(),
      kind: v.optional(v.string()),
      keys: v.array(v.string()),
      files: v.array(
        v.object({ key: v.string(), path: v.string(), absent: v.boolean(), pruned: v.optional(v.boolean()) }),
      ),
    }),
  ),
  notes: v.array(v.string()),
});

const DIFF_RESULT = v.object({
  daemon: v.string(),
  instance: v.optional(v.string()),
  from: v.string(),
  to: v.string(),
  diff: v.string(),
  files: v.array(v.object({ key: v.string(), path: v.string(), changed: v.boolean() })),
  notes: v.array(v.string()),
});

/**
 * The history tools, the CLI's `history`, `diff` and `restore`: kitcfg keeps every version
 * it replaces, so an agent can look back, compare and undo.
 */
export function historyTools(registry: Registry): ToolDef[] {
  return [
    {
      name: "daemon_config_history",
      title: "Daemon configuration history",
      description:
        "The versions kitcfg kept of a daemon's files, newest first. Each version is what the files held " +
        "before a write (with that write's time, command and changed keys); pass its id to diff_daemon_config " +
        "or restore_daemon_config.",
      input: args({ daemon_name: daemonArg(registry, [], "Daemon whose history to list"), instance: INSTANCE_ARG }),
      output: HISTORY_RESULT,
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: async (kit, given) => {
        const result = await listHistory(kit, { daemon: given.daemon_name, instance: given.instance });
        return { data: { ...result }, text: historyText(result) };
      },
    },
    {
      name: "diff_daemon_config",
      title: "Diff daemon configuration versions",
      description:
        'A unified diff between two versions of a daemon\'s files, or a version and the files now ("current"); ' +
        "secrets redacted. Default: the newest version against the files now, i.e. what the last write changed.",
      input: args({
        daemon_name: daemonArg(registry, [], "Daemon whose versions to compare"),
        from: versionId('Version id (or unique prefix), or "current"; default: the newest version'),
        to: versionId('Version id (or unique prefix), or "current"; default: "current"'),
        instance: INSTANCE_ARG,
      }),
      output: DIFF_RESULT,
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: async (kit, given) => {
        const result = await diffHistory(kit, {
          daemon: given.daemon_name,
          instance: given.instance,
          from: given.from,
          to: given.to,
        });
        const text = [
          ...result.notes,
          result.diff.trimEnd() || `No differences between ${result.from} and ${result.to}`,
        ].join("\n");
        return { data: { ...result }, text };
      },
    },
    {
      name: "restore_daemon_config",
      title: "Restore daemon configuration",
      description:
        "Put a daemon's files back as they were at a version from daemon_config_history (default: the newest, " +
        "undoing the last write). The restore is itself a write kept in history, so it can be undone too.",
      input: args({
        daemon_name: daemonArg(registry, [], "Daemon to restore"),
        version_id: versionId("Version id (or unique prefix) to put back; default: the newest"),
        dry_run: DRY_RUN_ARG,
        force: flag("Restore a version even if it does not parse or validate, or is partly pruned"),
        instance: INSTANCE_ARG,
      }),
      output: CHANGE_RESULT,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
      run: async (kit, given) => {
        const result = await restoreVersion(kit, {
          daemon: given.daemon_name,
          instance: given.instance,
          id: given.version_id,
          dryRun: given.dry_run,
          force: given.force,
        });
        return { data: { ...result }, text: await changeText([result]) };
      },
    },
  ];
}

// --- internal ---

function historyText(result: HistoryListResult): string {
  const label = result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
  if (result.versions.length === 0) return `${label}: no versions in history yet (one is kept before every write)`;
  return [historyTable(result), ...result.notes].join("\n");
}
