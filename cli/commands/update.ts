import { update } from "../../core/change.ts";
import { KitcfgError } from "../../core/errors.ts";
import { collectChanges, recordedCommand } from "../args.ts";
import { DAEMON_ARG, defineKitcfgCommand, FORCE_ARG, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "update",
  "Change keys of a daemon's configuration, or apply a profile",
  {
    daemon: DAEMON_ARG,
    set: {
      type: "string",
      description: "Set KEY to VALUE, typed by the schema; VALUE @FILE reads it from FILE; repeatable",
      valueHint: "KEY=VALUE",
    },
    "set-env": {
      type: "string",
      description: "Set KEY to the value of environment variable VAR (for secrets); repeatable",
      valueHint: "KEY=VAR",
    },
    unset: { type: "string", description: "Remove KEY; repeatable", valueHint: "KEY" },
    profile: { type: "string", description: "Apply a profile first (kubo's server, lowpower, ...)", valueHint: "NAME" },
    "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
    force: FORCE_ARG,
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args, rawArgs }) => {
    const requests = collectChanges(rawArgs, out.io.cwd);
    if (requests.length === 0 && args.profile === undefined) {
      throw new KitcfgError("USAGE", "Nothing to change: give --set KEY=VALUE, --unset KEY or --profile NAME", {
        hint: "Example: kitcfg update huggingface --set offline=true",
      });
    }
    const k = await kit();
    k.command = recordedCommand("update", rawArgs, k.target(args.daemon, args.instance).plugin.secrets ?? []);
    const result = await update(k, {
      daemon: args.daemon,
      requests,
      profile: args.profile,
      dryRun: args["dry-run"],
      force: args.force,
      instance: args.instance,
    });
    if (out.json) out.data(result);
    else renderChange(out, result);
    // Written with --force, but still not what the daemon would start with.
    return result.issues.some((issue) => issue.severity === "error") ? 1 : 0;
  },
);
