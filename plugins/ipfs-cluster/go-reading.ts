import { formatKeyPath, readJsonAsGo } from "kitcfg";
import { clusterSchema } from "./schema.ts";
import type { Config, PluginContext, PluginIssue } from "kitcfg";

// service.json as ipfs-cluster v1.1.6 decodes it when its text gives a key twice, which the
// parse kitcfg validates has lost (one member per key, the last). config/config.go LoadJSON
// (L407-L411) decodes the top level into its jsonConfig (L198-L211): `cluster` is a
// *json.RawMessage, so a later one replaces it whole; each other section is a `jsonSection`
// (L102, map[string]*json.RawMessage), so a later one adds its components to the earlier's and a
// component named again replaces it whole. Each component's LoadJSON then decodes the one left
// with encoding/json into its own jsonConfig, where a key given twice merges into the earlier
// (an object) or replaces it (a value), and a wrong JSON type is an error even when a later one
// replaces it. tests/fixtures/FORMATS.md §4.

/** Go's reading of service.json (identity.json's part kept as read), and what it says of the text. */
export interface ServiceAsGo {
  config: Config;
  issues: PluginIssue[];
}

/**
 * service.json as the daemon decodes it, when that differs from `written` (a key given twice, a
 * lone surrogate); undefined when `written` is what it reads, or is not the file's text (a
 * configuration about to be written).
 */
export async function serviceAsGo(
  written: Config,
  ctx: PluginContext,
  mainFile: string,
): Promise<ServiceAsGo | undefined> {
  const path = ctx.paths[mainFile];
  const text = path === undefined ? undefined : ctx.readText(path);
  if (text === undefined) return undefined;
  const { identity, ...service } = written;
  const read = await readJsonAsGo(clusterSchema, text, service);
  if (!read) return undefined;
  // With a source, only the top level is decoded (LoadJSON returns with LoadJSONFromHTTPSource):
  // a raw value takes any JSON, so only a section that is no map stops the load.
  const sourced = typeof read.value.source === "string" && read.value.source !== "";
  const undecodable = read.undecodable.filter(({ path }) => !sourced || (path.length === 1 && path[0] !== "cluster"));
  const issues: PluginIssue[] = [
    ...undecodable.map(({ path, message }) => ({ key: formatKeyPath(path), message, severity: "error" as const })),
    ...read.respelled.map(({ path, as }) => ({
      key: formatKeyPath(path),
      message:
        `is read by ipfs-cluster as ${formatKeyPath(as)} ` +
        `(Go's JSON decoder matches keys without regard to case): write it as ${as.at(-1)}`,
      severity: "warning" as const,
    })),
  ];
  return { config: identity === undefined ? read.value : { ...read.value, identity }, issues };
}
