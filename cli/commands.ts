import { defineCommand } from "citty";
import type { ArgsDef, CommandDef } from "citty";
import { KitcfgError } from "../core/errors.ts";
import type { Kit } from "../core/kit.ts";
import { argsOf, configure, envOf, show, status, update, validate } from "../core/ops.ts";
import type { ChangeResult } from "../core/ops.ts";
import { collectChanges } from "./args.ts";
import type { Output } from "./output.ts";
import { formatIssue, table } from "./output.ts";
import { renderShellExports } from "../core/formats/env.ts";

/** What every command's `run` is given besides its parsed arguments. */
export interface CommandData {
  kit: () => Promise<Kit>;
  out: Output;
}

/** Flags every command takes. */
export const COMMON_ARGS = {
  json: { type: "boolean", description: "Print one JSON document on stdout" },
  root: { type: "string", description: "Put every file under DIR (~ becomes DIR); also KITCFG_ROOT", valueHint: "DIR" },
  "lock-timeout": { type: "string", description: "Seconds to wait for another writer (default 10)", valueHint: "SECONDS" },
  help: { type: "boolean", alias: "h", description: "Show this help" },
} as const satisfies ArgsDef;

const DAEMON = { type: "positional", description: "Daemon name (see `kitcfg list`)", required: true } as const;
const INSTANCE = { type: "string", description: "Instance, for daemons with several (ipfs-cluster-follow)", valueHint: "NAME" } as const;

/** Every command, loaded on demand by name. */
export const COMMANDS: Record<string, () => CommandDef<any>> = {
  list: () =>
    command("list", "List the daemons kitcfg knows, built-in and user plugins", {}, async ({ kit, out }) => {
      const k = await kit();
      const daemons = k.registry.plugins.map(({ plugin, source }) => ({
        name: plugin.name,
        summary: plugin.summary,
        aliases: plugin.aliases ?? [],
        source,
        ...(plugin.instances ? { instances: listInstances(k, plugin.name) } : {}),
      }));
      if (out.json) out.data({ daemons, problems: k.registry.problems });
      else {
        out.line(table(daemons.map((d) => [d.name, d.summary + (d.instances?.length ? ` (instances: ${d.instances.join(", ")})` : ""), d.source === "built-in" ? "" : d.source])));
        for (const problem of k.registry.problems) out.warn(problem.message);
      }
      return 0;
    }),
  status: () =>
    command("status", "Show which daemons are configured and valid", {}, async ({ kit, out }) => {
      const reports = await status(await kit());
      if (out.json) out.data({ daemons: reports });
      else {
        const rows = reports.map((r) => [
          r.instance ? `${r.daemon}/${r.instance}` : r.daemon,
          r.configured ? (r.valid ? "valid" : "invalid") : "not configured",
          r.files.find((f) => f.exists)?.path ?? r.files[0]?.path ?? "",
        ]);
        out.line(table([["DAEMON", "STATE", "FILE"], ...rows]));
        for (const r of reports) if (r.restart) out.warn(r.restart);
      }
      return 0;
    }),
  show: () =>
    command(
      "show",
      "Print a daemon's configuration (secrets redacted)",
      { daemon: DAEMON, key: { type: "positional", description: "Dotted key path", required: false }, instance: INSTANCE },
      async ({ kit, out, args }) => {
        const result = await show(await kit(), { daemon: args.daemon, key: args.key, instance: args.instance });
        if (out.json) out.data(result);
        else out.line(typeof result.value === "string" ? result.value : JSON.stringify(result.value, null, 2));
        return 0;
      },
    ),
  get: () =>
    command(
      "get",
      "Print one value, for scripts (secrets redacted)",
      { daemon: DAEMON, key: { type: "positional", description: "Dotted key path", required: true }, instance: INSTANCE },
      async ({ kit, out, args }) => {
        const result = await show(await kit(), { daemon: args.daemon, key: args.key, instance: args.instance });
        if (out.json) out.data(result.value);
        else out.line(typeof result.value === "string" ? result.value : JSON.stringify(result.value));
        return 0;
      },
    ),
  configure: () =>
    command(
      "configure",
      "Write a daemon's defaults where its files are missing",
      {
        daemon: { ...DAEMON, description: 'Daemon name, or "all"' },
        force: { type: "boolean", description: "Rewrite existing files from the defaults (old ones kept in history)" },
        "dry-run": { type: "boolean", description: "Show what would be written, write nothing" },
        profile: { type: "string", description: "Apply a profile to the defaults", valueHint: "NAME" },
        instance: INSTANCE,
      },
      async ({ kit, out, args }) => {
        const results = await configure(await kit(), {
          daemon: args.daemon,
          force: args.force,
          dryRun: args["dry-run"],
          profile: args.profile,
          instance: args.instance,
        });
        if (out.json) out.data({ results });
        else for (const result of results) renderChange(out, result);
        return results.some((r) => r.issues.some((i) => i.severity === "error")) ? 1 : 0;
      },
    ),
  update: () =>
    command(
      "update",
      "Change keys of a daemon's configuration",
      {
        daemon: DAEMON,
        set: { type: "string", description: "Set KEY to VALUE, typed by the schema; repeatable", valueHint: "KEY=VALUE" },
        unset: { type: "string", description: "Remove KEY; repeatable", valueHint: "KEY" },
        "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
        instance: INSTANCE,
      },
      async ({ kit, out, args, rawArgs }) => {
        const requests = collectChanges(rawArgs);
        if (requests.length === 0) throw new KitcfgError("USAGE", "Nothing to change: give --set KEY=VALUE or --unset KEY", { hint: "Example: kitcfg update huggingface --set offline=true" });
        const result = await update(await kit(), { daemon: args.daemon, requests, dryRun: args["dry-run"], instance: args.instance });
        if (out.json) out.data(result);
        else renderChange(out, result);
        return 0;
      },
    ),
  validate: () =>
    command(
      "validate",
      "Check configurations the way the daemons read them",
      { daemon: { type: "positional", description: "Daemon name (default: every configured one)", required: false }, instance: INSTANCE },
      async ({ kit, out, args }) => {
        const result = await validate(await kit(), { daemon: args.daemon, instance: args.instance });
        if (out.json) out.data(result);
        else renderValidation(out, result);
        return result.ok ? 0 : 1;
      },
    ),
  env: () =>
    command(
      "env",
      'Print export lines for a shell: eval "$(kitcfg env huggingface)"',
      { daemon: DAEMON, instance: INSTANCE },
      async ({ kit, out, args }) => {
        const vars = await envOf(await kit(), { daemon: args.daemon, instance: args.instance });
        if (out.json) out.data(vars);
        else out.io.stdout(renderShellExports(vars));
        return 0;
      },
    ),
  args: () =>
    command(
      "args",
      "Print a client's command-line flags on one line: $(kitcfg args NAME)",
      { daemon: DAEMON, instance: INSTANCE },
      async ({ kit, out, args }) => {
        const flags = await argsOf(await kit(), { daemon: args.daemon, instance: args.instance });
        // The one output allowed to carry a credential: its whole purpose is to hand it to the client.
        if (out.json) out.io.stdout(`${JSON.stringify(flags)}\n`);
        else out.io.stdout(`${flags.map(shellQuote).join(" ")}\n`);
        return 0;
      },
    ),
};

/** Descriptions of the commands, for the top-level help. */
export const COMMAND_SUMMARIES: Record<string, string> = {
  list: "List the daemons kitcfg knows",
  status: "Show which daemons are configured and valid",
  show: "Print a daemon's configuration (secrets redacted)",
  get: "Print one value, for scripts",
  configure: "Write defaults where files are missing (all: every daemon)",
  update: "Change keys: --set KEY=VALUE, --unset KEY",
  validate: "Check configurations the way the daemons read them",
  env: "Print export lines for a shell",
  args: "Print a client's flags on one line",
};

// --- internal ---

type Runner<A extends ArgsDef> = (context: CommandData & { args: any; rawArgs: string[] }) => Promise<number>;

function command<A extends ArgsDef>(name: string, description: string, args: A, run: Runner<A>): CommandDef<any> {
  return defineCommand({
    meta: { name, description },
    args: { ...args, ...COMMON_ARGS },
    run: function runKitcfgCommand({ args: parsed, rawArgs, data }) {
      return run({ ...(data as CommandData), args: parsed, rawArgs });
    },
  });
}

function listInstances(kit: Kit, name: string): string[] {
  const target = kit.target(name);
  return target.plugin.instances?.list(target.ctx) ?? [];
}

function renderChange(out: Output, result: ChangeResult): void {
  const label = result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
  for (const note of result.notes) out.info(note);
  if (result.dryRun && result.diff) out.diff(result.diff);
  const touched = result.files.filter((f) => f.action !== "unchanged");
  if (touched.length === 0) out.success(`${label}: nothing to change`);
  for (const file of touched) {
    const verb = { create: "created", update: "updated", replace: "replaced", delete: "removed", unchanged: "" }[file.action];
    const keys = file.action === "update" && file.keys.length ? ` (${file.keys.join(", ")})` : "";
    out.success(`${result.dryRun ? `would have ${verb}` : verb} ${file.path}${keys}`);
  }
  if (result.history.length > 0 && result.files.some((f) => f.action === "replace")) {
    out.info(`the previous files are kept in history: \`kitcfg history ${result.daemon}\``);
  }
  for (const issue of result.issues) (issue.severity === "error" ? out.error : out.warn)(`${label}: ${formatIssue(issue)}`);
  if (result.restart && result.changed) out.warn(result.restart);
}

function renderValidation(out: Output, result: Awaited<ReturnType<typeof validate>>): void {
  if (result.daemons.length === 0) out.error("Nothing to validate: no daemon is configured (run `kitcfg configure all`)");
  for (const report of result.daemons) {
    const label = report.instance ? `${report.daemon}/${report.instance}` : report.daemon;
    if (report.valid) out.success(`${label}: valid`);
    for (const issue of report.issues) (issue.severity === "error" ? out.error : out.warn)(`${label}: ${formatIssue(issue)}`);
  }
  for (const issue of result.cross) out.error(formatIssue(issue));
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
