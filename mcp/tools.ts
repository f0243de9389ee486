import type { ToolAnnotations } from "@modelcontextprotocol/server";
import type { GenericSchema } from "valibot";
import { configure, update } from "../core/change.ts";
import type { Kit } from "../core/kit.ts";
import { remember, show, status, validate } from "../core/ops.ts";
import { secretStrings } from "../core/redact.ts";
import type { Registry } from "../core/registry.ts";
import type { ToolOutcome } from "./call.ts";
import { desiredTool } from "./desired-tool.ts";
import { changeText, statusText, validateText, valueText } from "../present/text.ts";
import { inputSchemas, OUTPUT_SCHEMAS } from "./schemas.ts";
import { requestedValues, toUpdateRequests } from "./updates.ts";

/** One MCP tool: its description for clients and the core call it makes. */
export interface ToolDef {
  name: string;
  title: string;
  description: string;
  input: GenericSchema;
  output: GenericSchema;
  annotations: ToolAnnotations;
  /** Turn validated arguments into a core call and render its result. */
  // biome-ignore lint/suspicious/noExplicitAny: arguments typed by their definitions at run time
  run: (kit: Kit, args: any) => Promise<ToolOutcome>;
}

/**
 * The tools, for the plugins loaded at start. The first four keep the older tool's names
 * and argument shapes (`configure_daemon {daemon_name}`, `update_daemon_config
 * {daemon_name, config_updates}`, `validate_daemon_configs {}`, `get_daemon_config_status
 * {}`) so its clients work unchanged; the other arguments are optional additions.
 */
export function daemonTools(registry: Registry): ToolDef[] {
  const input = inputSchemas(registry);
  return [
    {
      name: "configure_daemon",
      title: "Configure daemon",
      description:
        "Write a daemon's default configuration (or every daemon's, with \"all\") where its files are missing, " +
        "as the daemon itself would on init. A valid existing configuration is left alone unless force is true: " +
        "then it is replaced by fresh defaults, new identities and secrets included, earlier changes undone " +
        "(the old files are kept in history: restore_daemon_config puts them back).",
      input: input.configure,
      output: OUTPUT_SCHEMAS.configure,
      // force replaces a working configuration (a new peer identity, a new cluster secret) on every call.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
      run: async (kit, args) => {
        const results = await configure(kit, {
          daemon: args.daemon_name,
          force: args.force,
          dryRun: args.dry_run,
          profile: args.profile,
          instance: args.instance,
        });
        const ok = results.every((r) => !r.issues.some((i) => i.severity === "error"));
        return { data: { ok, results }, text: await changeText(results) };
      },
    },
    {
      name: "update_daemon_config",
      title: "Update daemon configuration",
      description:
        "Change keys of a daemon's configuration. config_updates is an object in the daemon's own key names: " +
        'nested objects merge deeply, dotted keys are accepted ({"Addresses.API": "/ip4/127.0.0.1/tcp/5001"}), ' +
        "null removes a key; an object keyed by names with dots (kubo's Gateway.PublicGateways, DNS.Resolvers) " +
        "is set whole. Values are checked against the daemon's schema before anything is written; " +
        "a refused change leaves every file as it was.",
      input: input.update,
      output: OUTPUT_SCHEMAS.update,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      run: async (kit, args) => {
        const requests = toUpdateRequests(args.config_updates);
        // Secret values given here are redacted from everything this call returns, errors included.
        remember(
          kit,
          secretStrings(requestedValues(requests), kit.target(args.daemon_name, args.instance).plugin.secrets ?? []),
        );
        const result = await update(kit, {
          daemon: args.daemon_name,
          instance: args.instance,
          requests,
          dryRun: args.dry_run,
          force: args.force,
        });
        return { data: { ...result }, text: await changeText([result]) };
      },
    },
    {
      name: "validate_daemon_configs",
      title: "Validate daemon configurations",
      description:
        "Check every configured daemon's files the way the daemons read them, and the agreement between daemons; " +
        "or only the daemon named. ok is false when any error is found.",
      input: input.validate,
      output: OUTPUT_SCHEMAS.validate,
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: async (kit, args) => {
        const result = await validate(kit, { daemon: args.daemon_name, instance: args.instance });
        return { data: { ...result }, text: validateText(result) };
      },
    },
    {
      name: "get_daemon_config_status",
      title: "Daemon configuration status",
      description: "For every daemon kitcfg knows: whether it is configured and valid, and where its files are.",
      input: input.status,
      output: OUTPUT_SCHEMAS.status,
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: async (kit) => {
        const daemons = await status(kit);
        return { data: { daemons }, text: statusText(daemons) };
      },
    },
    {
      name: "get_daemon_config",
      title: "Get daemon configuration",
      description: "A daemon's configuration, or the value at one dotted key, with secret values redacted.",
      input: input.get,
      output: OUTPUT_SCHEMAS.get,
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: async (kit, args) => {
        const result = await show(kit, { daemon: args.daemon_name, key: args.key, instance: args.instance });
        return { data: { ...result }, text: valueText(result.value) };
      },
    },
    desiredTool(),
  ];
}
