import { configure } from "../../core/change.ts";
import { EXIT_CODES } from "../../core/errors.ts";
import type { UpdateRequest } from "../../core/request.ts";
import { collectChanges, recordedCommand } from "../args.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "configure",
  "Write a daemon's defaults where its files are missing",
  {
    daemon: { ...DAEMON_ARG, description: 'Daemon name, or "all"' },
    force: { type: "boolean", description: "Rewrite existing files from the defaults (old ones kept in history)" },
    "dry-run": { type: "boolean", description: "Show what would be written, write nothing" },
    profile: { type: "string", description: "Apply a profile to the defaults", valueHint: "NAME" },
    set: {
      type: "string",
      description: "Write KEY as VALUE instead of its default, typed by the schema; repeatable",
      valueHint: "KEY=VALUE",
    },
    "set-env": {
      type: "string",
      description: "Write KEY as the value of environment variable VAR; repeatable",
      valueHint: "KEY=VAR",
    },
    unset: { type: "string", description: "Leave KEY out of what is written; repeatable", valueHint: "KEY" },
    source: {
      type: "string",
      description: "Same as --set source=URL: a configuration fetched from URL (a follower's template)",
      valueHint: "URL",
    },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args, rawArgs }) => {
    const source: UpdateRequest[] = args.source === undefined ? [] : [{ op: "set", key: "source", text: args.source }];
    const k = await kit();
    if (args.daemon !== "all")
      k.command = recordedCommand("configure", rawArgs, k.target(args.daemon, args.instance).plugin.secrets ?? []);
    const results = await configure(k, {
      daemon: args.daemon,
      force: args.force,
      dryRun: args["dry-run"],
      profile: args.profile,
      instance: args.instance,
      requests: [...source, ...collectChanges(rawArgs, out.io.cwd)],
    });
    if (out.json) out.data({ results });
    else for (const result of results) renderChange(out, result);
    // The worst outcome decides: a daemon that could not be written (3) over an invalid one (1).
    const codes = results.map((r) =>
      r.error ? EXIT_CODES[r.error.code] : r.issues.some((i) => i.severity === "error") ? 1 : 0,
    );
    return Math.max(0, ...codes);
  },
);
