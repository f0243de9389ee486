import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from "@modelcontextprotocol/server";
import type { McpServer, ReadResourceResult } from "@modelcontextprotocol/server";
import { KitcfgError } from "../core/errors.ts";
import type { Kit } from "../core/kit.ts";
import { findPlugin } from "../core/registry.ts";
import { show, status } from "../core/ops.ts";
import { callKit, redactForClient } from "./call.ts";
import type { Log } from "./call.ts";

/** `kitcfg://config/<daemon>` and, for daemons with instances, `kitcfg://config/<daemon>/<instance>`. */
export const CONFIG_URI = "kitcfg://config/";

/**
 * Each configured daemon's current configuration as a JSON resource, secrets redacted.
 * The list and every read look at the disk again, so they follow changes made by tools,
 * the CLI or another process.
 */
export function registerConfigResources(server: McpServer, base: Kit, log: Log): void {
  const metadata = {
    description: "A daemon's current configuration, secret values redacted",
    mimeType: "application/json",
  };
  const list = async () => {
    const kit = callKit(base, "kitcfg mcp resources/list");
    const reports = await status(kit);
    const resources = reports
      .filter((r) => r.configured)
      .map((r) => {
        const label = r.instance ? `${r.daemon}/${r.instance}` : r.daemon;
        return { uri: `${CONFIG_URI}${label}`, name: label, title: `${label} configuration`, ...metadata };
      });
    return { resources };
  };
  const read = (uri: URL, daemon: unknown, instance: unknown) =>
    readConfig({
      base,
      log,
      uri,
      daemon: String(daemon),
      instance: instance === undefined ? undefined : String(instance),
    });
  server.registerResource(
    "daemon-config",
    new ResourceTemplate(`${CONFIG_URI}{daemon}`, { list }),
    { title: "Daemon configuration", ...metadata },
    (uri, vars) => read(uri, vars.daemon, undefined),
  );
  server.registerResource(
    "daemon-instance-config",
    new ResourceTemplate(`${CONFIG_URI}{daemon}/{instance}`, { list: undefined }),
    { title: "Daemon instance configuration", ...metadata },
    (uri, vars) => read(uri, vars.daemon, vars.instance),
  );
}

// --- internal ---

async function readConfig(options: {
  base: Kit;
  log: Log;
  uri: URL;
  daemon: string;
  instance?: string;
}): Promise<ReadResourceResult> {
  const kit = callKit(options.base, "kitcfg mcp resources/read");
  try {
    const result = await show(kit, {
      daemon: daemonPart(kit, options.daemon, options.uri),
      instance: options.instance && decodedPart(options.instance, options.uri),
    });
    const text = kit.redact(JSON.stringify(redactForClient(result.value, kit), null, 2));
    return { contents: [{ uri: options.uri.href, mimeType: "application/json", text }] };
  } catch (error) {
    if (!(error instanceof KitcfgError)) {
      options.log(
        kit.redact(
          `Internal error reading ${options.uri.href}, a bug in kitcfg:\n` +
            `${error instanceof Error ? error.stack : String(error)}`,
        ),
      );
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        "Internal error, a bug in kitcfg; the details are in the server's log (stderr)",
      );
    }
    // A message ends with its own punctuation ("did you mean ...?"): the hint is a sentence of its own.
    const stop = /[.?!]$/.test(error.message) ? "" : ".";
    const message = kit.redact(error.hint ? `${error.message}${stop} ${error.hint}` : error.message);
    if (error.code === "NOT_FOUND" || error.code === "UNKNOWN_DAEMON")
      throw new ResourceNotFoundError(options.uri.href, message);
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, message);
  }
}

/**
 * The daemon a resource URI names, spelled as `resources/list` and the tools' `daemon_name` enum
 * spell it: a known daemon in another case ("IPFS") is not found, with the name to use, as the
 * tools refuse it (a client checks arguments against their enum, and a URI's path has a case).
 * @throws KitcfgError `NOT_FOUND` for such a name or one that is no percent-encoding.
 */
function daemonPart(kit: Kit, part: string, uri: URL): string {
  const name = decodedPart(part, uri);
  const lower = name.toLowerCase();
  if (name === lower) return name;
  try {
    findPlugin(kit.registry, name); // as the CLI finds a daemon: in any case
  } catch (error) {
    // A name no daemon has is left to `show`, which says so with the nearest one.
    if (error instanceof KitcfgError) return name;
    throw error;
  }
  throw new KitcfgError(
    "NOT_FOUND",
    `No resource at ${uri.href}: use the daemon's lowercase name "${lower}", not "${name}"`,
  );
}

/**
 * A part of a resource URI, its percent-escapes decoded.
 * @throws KitcfgError `NOT_FOUND` for an escape that is not one (`%zz`, bytes that are not UTF-8).
 */
function decodedPart(part: string, uri: URL): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new KitcfgError(
      "NOT_FOUND",
      `No resource at ${uri.href}: ${JSON.stringify(part)} is not a valid percent-encoded name`,
    );
  }
}
