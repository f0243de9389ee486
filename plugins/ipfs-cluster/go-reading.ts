import { formatKeyPath, readJsonAsGo } from "kitcfg";
import { clusterSchema } from "./schema.ts";
import { unreadWithSource } from "./source.ts";
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
  /**
   * Where the text writes a raw value (`cluster`, a component of a section) the daemon never
   * decodes: a later member replaced it whole (`"cluster": 5, "Cluster": {...}`), or a null
   * emptied it, while `written` (the text's parse) keeps it.
   */
  replaced: string[][];
}

/**
 * service.json as the daemon decodes it, when that differs from `written` (a key given twice, a
 * lone surrogate); undefined when `written` is what it reads, or is not the file's text (a
 * configuration about to be written). Read once for a configuration and text (`unread` and
 * `validate` both ask).
 */
export function serviceAsGo(written: Config, ctx: PluginContext, mainFile: string): Promise<ServiceAsGo | undefined> {
  const path = ctx.paths[mainFile];
  const text = path === undefined ? undefined : ctx.readText(path);
  if (text === undefined) return Promise.resolve(undefined);
  const known = READINGS.get(written);
  if (known?.text === text) return known.reading;
  const reading = readServiceAsGo(written, text);
  READINGS.set(written, { text, reading });
  return reading;
}

/**
 * The plugins' `unread`: with a source, every key but `source` and `identity` (`unreadWithSource`);
 * else each place service.json writes a raw value the daemon never decodes (`ServiceAsGo.replaced`),
 * so that the schema does not refuse what a later member replaced: `"cluster": 5, "Cluster": {...}`
 * loads (config/config.go LoadJSON: `cluster` is a *json.RawMessage, a component a map's).
 */
export async function unreadCluster(config: Config, ctx: PluginContext): Promise<string[]> {
  const sourced = unreadWithSource(config);
  if (sourced.length > 0) return sourced;
  return ((await serviceAsGo(config, ctx, "service"))?.replaced ?? []).map(formatKeyPath);
}

// --- internal ---

/** Each configuration's reading, by the text it was read from (a configuration is never changed in place). */
const READINGS = new WeakMap<Config, { text: string; reading: Promise<ServiceAsGo | undefined> }>();

async function readServiceAsGo(written: Config, text: string): Promise<ServiceAsGo | undefined> {
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
  return { config: identity === undefined ? read.value : { ...read.value, identity }, issues, replaced: read.replaced };
}
