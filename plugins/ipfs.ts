import { definePlugin } from "kitcfg";
import type { Config, PluginContext } from "kitcfg";
import { initConfig, REPO_VERSION } from "./ipfs/defaults.ts";
import { datastoreDiskSpec } from "./ipfs/datastore.ts";
import { kuboKeyDocs } from "./ipfs/docs.ts";
import { PROFILES } from "./ipfs/profiles.ts";
import { schema, SECRETS } from "./ipfs/schema.ts";
import { kuboListens } from "./ipfs/listens.ts";
import { validateKubo } from "./ipfs/validate.ts";
import { newIdentity, primeIdentities } from "kitcfg";

// Facts: tests/fixtures/FORMATS.md §1 (kubo config/config.go, config/init.go,
// repo/fsrepo/fsrepo.go, config/serialize/serialize.go). The repo is $IPFS_PATH, else
// ~/.ipfs. `ipfs init` writes three files there:
// - config: Go's json.MarshalIndent, two-space indent, no trailing newline, `<>&` escaped,
//   0600 (the serializer's atomic file);
// - datastore_spec: the compact disk spec of Datastore.Spec, 0600, written once: kubo
//   never rewrites it and refuses to start when the config's spec no longer reduces to it;
// - version: the repo version and a newline, 0644; kubo's migrations alone change it.
// So kitcfg writes datastore_spec and version only where they are missing, and otherwise
// reports a disagreement instead of "fixing" it (validate).
// While the daemon runs it holds a POSIX lock on repo.lock (go-fs-lock, go4.org/lock
// lock_unix.go: fcntl F_SETLK) and has written its API address into `api`.

export default definePlugin({
  name: "ipfs",
  summary: "IPFS (kubo): $IPFS_PATH/config, datastore_spec and version, as `ipfs init` writes them",
  aliases: ["kubo", "go-ipfs"],
  files: {
    config: {
      path: (ctx) => `${repoPath(ctx)}/config`,
      format: "json",
      // fsrepo.go: the config is written 0600, the repo folder created 0755.
      mode: 0o600,
      dirMode: 0o755,
      style: { indent: 2, trailingNewline: false, escapeHtml: true },
      // Every reader of the file at start (serialize.go ReadConfigFile, the plugin loader's
      // readPluginsConfig, migrations' ReadMigrationConfig) is one json.Decoder.Decode, which
      // reads the object and leaves whatever follows it unread (FORMATS.md §1a).
      reading: { ignoresTrailingText: true },
    },
    datastore_spec: {
      path: (ctx) => `${repoPath(ctx)}/datastore_spec`,
      format: "text",
      mode: 0o600,
      secret: false,
      derive: (config, ctx) => onDisk(ctx, "datastore_spec") ?? diskSpecOf(config),
    },
    version: {
      path: (ctx) => `${repoPath(ctx)}/version`,
      format: "text",
      mode: 0o644,
      secret: false,
      style: { trailingNewline: true },
      derive: (_config, ctx) => onDisk(ctx, "version") ?? String(REPO_VERSION),
    },
  },
  schema,
  // kubo decodes its config with Go's encoding/json: keys match fields whatever their case.
  caseInsensitiveKeys: true,
  secrets: SECRETS,
  defaults: async () => initConfig(await newIdentity()),
  validate: async (config, ctx) => {
    // The identity check then needs no node:crypto (slow to load) for an Ed25519 key.
    await primeIdentities((config.Identity as { PrivKey?: unknown } | undefined)?.PrivKey);
    return validateKubo(config, ctx);
  },
  profiles: PROFILES,
  keyDocs: kuboKeyDocs,
  env: (_config, ctx) => ({ IPFS_PATH: repoDir(ctx) }),
  facts: kuboFacts,
  // The API/gateway clash within kubo is the core's comparison of these, as between daemons.
  listens: kuboListens,
  running: runningNote,
});

/**
 * What other hosts need to reach this node (`kitcfg apply --json`): its peer id
 * (Identity.PeerID), its swarm listen addresses (Addresses.Swarm) and its RPC API address
 * (Addresses.API, a string or a list in kubo's config.Strings: the first one here, which is
 * what a cluster peer's node_multiaddress takes). Never Identity.PrivKey.
 */
function kuboFacts(config: Config): Record<string, unknown> {
  const identity = (config.Identity ?? {}) as Config;
  const addresses = (config.Addresses ?? {}) as Config;
  const strings = (value: unknown) =>
    typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((a) => typeof a === "string") : [];
  return {
    peer_id: typeof identity.PeerID === "string" ? identity.PeerID : null,
    swarm_addresses: strings(addresses.Swarm),
    api_address: strings(addresses.API)[0] ?? null,
  };
}

/** IPFS_PATH, else ~/.ipfs (kubo config.PathRoot; `~` is expanded as kubo does). */
function repoPath(ctx: PluginContext): string {
  return ctx.env.IPFS_PATH || "~/.ipfs";
}

function repoDir(ctx: PluginContext): string {
  return ctx.paths.config!.replace(/\/config$/, "");
}

/** What a repo file holds now (trimmed, as kubo reads it), or undefined without one. */
function onDisk(ctx: PluginContext, key: "datastore_spec" | "version"): string | undefined {
  const path = ctx.paths[key];
  return path === undefined ? undefined : ctx.readText(path)?.trim();
}

/** The disk spec for a new repo; none when the spec cannot be reduced (validate says why). */
function diskSpecOf(config: Config): string | undefined {
  const reduced = datastoreDiskSpec((config.Datastore as Config | undefined)?.Spec);
  return reduced.ok ? reduced.text : undefined;
}

/**
 * The daemon runs while repo.lock is locked; its `api` file alone may be left over from a
 * crash, so it counts only where the lock cannot be seen (no /proc/locks).
 */
function runningNote(ctx: PluginContext): string | undefined {
  const dir = repoDir(ctx);
  const held = ctx.isLockHeld(`${dir}/repo.lock`);
  const api = ctx.readText(`${dir}/api`) !== undefined;
  if (held === true && api) return `ipfs is running (api file ${dir}/api): restart it to apply the change`;
  if (held === true)
    return `an ipfs process holds ${dir}/repo.lock: restart the daemon (or let the command finish) to apply the change`;
  if (held === undefined && api)
    return `ipfs seems to be running (api file ${dir}/api): restart it to apply the change`;
  return undefined;
}
