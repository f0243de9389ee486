import type { Config, PluginIssue } from "kitcfg";
import { connManagerIssue, goTrimSpace, isPlainObject, sectionAt } from "kitcfg";
import { DEFAULT_AUTOCONF_URL } from "./defaults.ts";
import { isByteSize } from "kitcfg";
import { delegatedRoutingIssues, dnsIssues, routerIssues } from "./routing.ts";
import { durationMs } from "./go.ts";
import { issuesBeforeMigration, migrateRepo } from "./migrate.ts";
import { startupIssues } from "./startup.ts";
import { deprecatedProviderIssues, HOUR, importIssues, isDefault, provideIssues } from "./content-rules.ts";

// What kubo v0.43 checks after decoding its config, before or while the daemon starts
// (FORMATS.md "kubo load-time rules", each with its upstream file and function). Every
// issue here is one kubo stops on, unless marked a warning. `config` is the config as
// kubo reads it: keys already folded to their field's spelling by the core.

/** What kubo sees of the repo beside the config. */
export interface RepoFacts {
  /** What the version file says: an older repo is migrated before kubo reads the settings a migration moves. */
  version?: number;
  /** The repo holds a swarm.key: a private network (fsrepo.go SwarmKey). */
  privateNetwork?: boolean;
}

/** Every load-time rule that goes beyond the JSON types. */
export function loadTimeIssues(config: Config, repo: RepoFacts = {}): PluginIssue[] {
  const migrates = repo.version !== undefined && repo.version < 18;
  // An older repo's settings are judged as its migrations leave them (./migrate.ts).
  const migration = migrateRepo(config, repo.version);
  const seen = migration.config;
  return [
    ...migration.failures,
    ...deprecatedProviderIssues(config, migrates, migration.removed),
    ...issuesBeforeMigration(
      [
        ...(repo.privateNetwork ? privateNetworkIssues(seen) : []),
        ...importIssues(seen),
        ...provideIssues(seen),
        ...daemonIssues(seen),
        ...nodeIssues(seen),
        ...startupIssues(seen, repo.privateNetwork === true),
        ...routerIssues(seen),
        ...delegatedRoutingIssues(seen, repo.privateNetwork === true),
        ...dnsIssues(seen),
        ...migrationIssues(seen, repo.version),
        ...authorizationIssues(seen),
      ],
      migration,
    ),
  ];
}

// --- internal ---

/** cmd/ipfs/kubo/daemon.go: the routing switch in daemonFunc, and validateDaemonConfig. */
function daemonIssues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const provide = sectionAt(config, ["Provide"]);
  if (provide.Strategy === "flat")
    issues.push({ key: "Provide.Strategy", message: '"flat" is no longer supported: use "all"' });
  if (sectionAt(config, ["Experimental"]).StrategicProviding === true) {
    issues.push({
      key: "Experimental.StrategicProviding",
      message: "was removed from kubo: remove it (Provide.Enabled turns providing on or off)",
    });
  }
  const dht = sectionAt(provide, ["DHT"]);
  if (dht.SweepEnabled !== false && dht.MaxWorkers === 0) {
    issues.push({
      key: "Provide.DHT.MaxWorkers",
      message: "cannot be 0 while Provide.DHT.SweepEnabled is true: kubo refuses to start",
    });
  }
  const routing = sectionAt(config, ["Routing"]);
  if (routing.Type === "delegated" && provide.Enabled !== false) {
    issues.push({
      key: "Routing.Type",
      message: '"delegated" routing cannot provide content: set Provide.Enabled to false, or kubo refuses to start',
    });
  }
  if (routing.Type === "custom" && routing.AcceleratedDHTClient === true) {
    issues.push({
      key: "Routing.AcceleratedDHTClient",
      message:
        'cannot be set with Routing.Type "custom": set AcceleratedDHTClient on each DHT router\'s Parameters instead',
    });
  }
  return issues;
}

/**
 * With a swarm.key: cmd/ipfs/kubo/daemon.go refuses AutoTLS.Enabled=true and (in
 * validateDaemonConfig) Routing.Type=autoclient; config/autoconf_client.go
 * ValidateAutoConfWithRepo refuses AutoConf on with the mainnet URL;
 * core/node/libp2p/transport.go Transports refuses QUIC, WebTransport and WebRTC Direct
 * turned on explicitly.
 */
function privateNetworkIssues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const why = "does not work in a private network (the repo has a swarm.key): kubo refuses to start";
  if (sectionAt(config, ["AutoTLS"]).Enabled === true) issues.push({ key: "AutoTLS.Enabled", message: why });
  if (sectionAt(config, ["Routing"]).Type === "autoclient")
    issues.push({ key: "Routing.Type", message: `"autoclient" ${why}; use "dht" or "none"` });
  const autoconf = sectionAt(config, ["AutoConf"]);
  if (autoconf.Enabled !== false && (isDefault(autoconf.URL) || autoconf.URL === DEFAULT_AUTOCONF_URL)) {
    issues.push({
      key: "AutoConf.URL",
      message:
        "is the public mainnet one, which a private network (the repo has a swarm.key) cannot use: " +
        "set AutoConf.Enabled to false or point AutoConf.URL at your swarm's own; kubo refuses to start",
    });
  }
  const network = sectionAt(config, ["Swarm", "Transports", "Network"]);
  for (const transport of ["QUIC", "WebTransport", "WebRTCDirect"]) {
    if (network[transport] === true) issues.push({ key: `Swarm.Transports.Network.${transport}`, message: why });
  }
  return issues;
}

/** core/node/groups.go (IPFS, Online, LibP2P), core/node/ipns.go, bitswap.go, libp2p/smux.go, connmgr options. */
function nodeIssues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const add = (key: string, message: string, severity?: "warning") =>
    issues.push({ key, message, ...(severity ? { severity } : {}) });
  if (sectionAt(config, ["Experimental"]).ShardingEnabled === true) {
    add(
      "Experimental.ShardingEnabled",
      "is no longer used and kubo refuses to start with it: " +
        "remove it (Import.UnixFSHAMTDirectorySizeThreshold sets sharding)",
    );
  }
  const oldThreshold = sectionAt(config, ["Internal"]).UnixFSShardingSizeThreshold;
  if (!isDefault(oldThreshold)) {
    const both = !isDefault(sectionAt(config, ["Import"]).UnixFSHAMTDirectorySizeThreshold);
    if (both)
      add(
        "Internal.UnixFSShardingSizeThreshold",
        "was renamed Import.UnixFSHAMTDirectorySizeThreshold, and both are set: kubo refuses to start; remove this one",
      );
    // kubo copies the old text into the new field unchecked, then reads it with humanize.ParseBytes
    // (config/types.go OptionalBytes.WithDefault), which panics on a text it cannot read, "" included.
    else if (!isByteSize(oldThreshold))
      add(
        "Internal.UnixFSShardingSizeThreshold",
        `${JSON.stringify(oldThreshold)} is not a byte size such as 256KiB: kubo moves it to ` +
          "Import.UnixFSHAMTDirectorySizeThreshold unchecked and panics at start; " +
          "write a byte size in Import.UnixFSHAMTDirectorySizeThreshold and remove this one",
      );
    else
      add(
        "Internal.UnixFSShardingSizeThreshold",
        "was renamed Import.UnixFSHAMTDirectorySizeThreshold: move it there",
        "warning",
      );
  }
  issues.push(...ipnsIssues(config), ...pubsubIssues(config));
  const swarm = sectionAt(config, ["Swarm"]);
  const network = sectionAt(swarm, ["Transports", "Network"]);
  if (network.Relay === false) {
    for (const part of ["RelayService", "RelayClient"]) {
      if (sectionAt(swarm, [part]).Enabled === true)
        add(`Swarm.${part}.Enabled`, "needs Swarm.Transports.Network.Relay, which is false: kubo refuses to start");
    }
  }
  if (sectionAt(swarm, ["Transports", "Multiplexers"]).Yamux === false) {
    add("Swarm.Transports.Multiplexers.Yamux", "cannot be disabled: kubo refuses to start without yamux");
  }
  const connmgr = sectionAt(swarm, ["ConnMgr"]);
  if (connmgr.Type !== "none") {
    const grace = durationMs(connmgr.GracePeriod);
    if (grace !== undefined && grace < 0)
      add("Swarm.ConnMgr.GracePeriod", "must not be negative: kubo refuses to start");
    const silence = durationMs(connmgr.SilencePeriod);
    if (silence !== undefined && silence <= 0)
      add("Swarm.ConnMgr.SilencePeriod", "must be positive: kubo refuses to start");
    const counts = connCountsIssue(connmgr);
    if (counts) issues.push(counts);
  }
  const http = sectionAt(config, ["HTTPRetrieval"]);
  if (sectionAt(config, ["Bitswap"]).Libp2pEnabled === false && http.Enabled === false) {
    add(
      "Bitswap.Libp2pEnabled",
      "is false and so is HTTPRetrieval.Enabled: kubo then has no way to fetch blocks and refuses to start",
    );
  }
  if (typeof http.MaxBlockSize === "string" && !isByteSize(http.MaxBlockSize)) {
    add(
      "HTTPRetrieval.MaxBlockSize",
      `${JSON.stringify(http.MaxBlockSize)} is not a byte size such as 2MiB: kubo refuses to start`,
    );
  }
  return issues;
}

/**
 * core/node/groups.go LibP2P reads Pubsub.Router and SeenMessagesStrategy only when pubsub runs:
 * Pubsub.Enabled or Ipns.UsePubsub (or their deprecated daemon flags, which kitcfg cannot see).
 * Otherwise kubo starts whatever they hold (kubo's test/sharness/t0002-docker-image.sh runs the
 * daemon with Router "Qux"), so an unknown value is then a warning. An explicit "" strategy is
 * not the default (OptionalString.WithDefault): kubo calls it unsupported.
 */
function pubsubIssues(config: Config): PluginIssue[] {
  const pubsub = sectionAt(config, ["Pubsub"]);
  const on = pubsub.Enabled === true || sectionAt(config, ["Ipns"]).UsePubsub === true;
  const issues: PluginIssue[] = [];
  const check = (field: string, known: string[], value: unknown) => {
    if (typeof value !== "string" || known.includes(value)) return;
    const expected = `${JSON.stringify(value)} is not one of ${known.filter(Boolean).join(", ")}`;
    issues.push(
      on
        ? { key: `Pubsub.${field}`, message: `${expected}: with pubsub on, kubo refuses to start` }
        : {
            key: `Pubsub.${field}`,
            severity: "warning",
            message:
              `${expected}: kubo ignores it while pubsub is off, and refuses to start once ` +
              "Pubsub.Enabled or Ipns.UsePubsub is true",
          },
    );
  };
  check("Router", ["", "gossipsub", "floodsub"], pubsub.Router);
  check("SeenMessagesStrategy", ["last-seen", "first-seen"], pubsub.SeenMessagesStrategy);
  return issues;
}

/** core/node/groups.go Online and core/node/ipns.go IpnsRepublisher (boxo republisher defaults 4h and 48h). */
function ipnsIssues(config: Config): PluginIssue[] {
  const ipns = sectionAt(config, ["Ipns"]);
  const issues: PluginIssue[] = [];
  if (typeof ipns.ResolveCacheSize === "number" && ipns.ResolveCacheSize < 0)
    issues.push({ key: "Ipns.ResolveCacheSize", message: "must not be negative: kubo refuses to start" });
  // Plain strings for time.ParseDuration, "" the default ("+0" and "-0" are 0, as "0" is).
  const period = durationMs(ipns.RepublishPeriod);
  const lifetime = durationMs(ipns.RecordLifetime);
  if (period !== undefined && (period < 60_000 || period > 24 * HOUR)) {
    issues.push({ key: "Ipns.RepublishPeriod", message: "must be from 1m to 24h: kubo refuses to start" });
  } else if ((lifetime || 48 * HOUR) < (period || 4 * HOUR)) {
    issues.push({
      key: "Ipns.RecordLifetime",
      message:
        "must be at least Ipns.RepublishPeriod (default 4h), or records expire before they are republished: " +
        "kubo refuses to start",
    });
  }
  return issues;
}

/**
 * config/api.go ConvertAuthSecret: a secret with a `type:` prefix other than basic: or
 * bearer: turns into no header at all, so no request can ever present it (a warning: kubo
 * starts). The message never shows the secret. A scope that is null decodes as a nil
 * pointer, which core/corehttp/commands.go convertAuthorizationsMap dereferences: kubo
 * crashes when it starts the RPC API.
 */
function authorizationIssues(config: Config): PluginIssue[] {
  const scopes = sectionAt(config, ["API", "Authorizations"]);
  return Object.entries(scopes).flatMap(([name, scope]): PluginIssue[] => {
    if (scope === null) {
      return [
        {
          key: `API.Authorizations.${name}`,
          message: "is null, which crashes kubo when it starts the RPC API: remove it or give it an AuthSecret",
        },
      ];
    }
    const secret = isPlainObject(scope) ? scope.AuthSecret : undefined;
    if (typeof secret !== "string" || !secret.includes(":") || /^(basic|bearer):/.test(secret)) return [];
    return [
      {
        key: `API.Authorizations.${name}.AuthSecret`,
        severity: "warning",
        message: 'has a type prefix kubo does not know (it takes "basic:" and "bearer:"): no request can match it',
      },
    ];
  });
}

/** repo/fsrepo/migrations/migrations.go GetMigrationFetcher, which runs when kubo migrates the repo. */
function migrationIssues(config: Config, version: number | undefined): PluginIssue[] {
  // migrations.go: ReadMigrationConfig (Keep, DownloadSources) runs only for the external
  // migrations of a repo older than embeddedMigrationsMinVersion (16); kubo ignores both otherwise.
  const legacy = version !== undefined && version < 16;
  const judged = (key: string, problem: string): PluginIssue =>
    legacy
      ? { key, message: `${problem}, or kubo cannot migrate this repo (version ${version})` }
      : {
          key,
          severity: "warning",
          message:
            `${problem}: kubo reads it only to migrate a repo older than version 16, ` +
            `and stops on it then${version === undefined ? "" : ` (this one is version ${version})`}`,
        };
  const section = sectionAt(config, ["Migration"]);
  const issues: PluginIssue[] = [];
  if (typeof section.Keep === "string" && !["", "cache", "keep", "discard"].includes(section.Keep))
    issues.push(judged("Migration.Keep", `${JSON.stringify(section.Keep)} is not "cache", "keep" or "discard"`));
  const sources = section.DownloadSources;
  if (!Array.isArray(sources)) return issues;
  for (const entry of sources) {
    // A null item is decoded as "".
    const source = goTrimSpace(String(entry ?? ""));
    if (["", "HTTPS", "https", "HTTP", "http"].includes(source)) continue;
    if (source === "IPFS" || source === "ipfs") {
      issues.push({
        key: "Migration.DownloadSources",
        severity: "warning",
        message: `${JSON.stringify(source)} is not supported for legacy migrations (repo versions below 16): use HTTPS`,
      });
      continue;
    }
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
    if (scheme === undefined || scheme === "http" || scheme === "https") continue;
    issues.push(
      judged(
        "Migration.DownloadSources",
        `${JSON.stringify(source)} is not a gateway address: the scheme must be http or https`,
      ),
    );
  }
  return issues;
}

/**
 * The connection manager's counts as core/node/groups.go hands them to libp2p's NewConnManager,
 * each unset one its default (config/init.go: 32 low, 96 high), unchecked: kubo starts with any
 * pair, so an odd one is a warning saying what the manager does with it.
 */
function connCountsIssue(connmgr: Record<string, unknown>): PluginIssue | undefined {
  const count = (value: unknown, fallback: number) =>
    value === undefined || value === null ? fallback : typeof value === "number" ? value : undefined;
  const [low, high] = [count(connmgr.LowWater, 32), count(connmgr.HighWater, 96)];
  if (low === undefined || high === undefined) return undefined;
  return connManagerIssue(low, high, {
    low: "Swarm.ConnMgr.LowWater",
    high: "Swarm.ConnMgr.HighWater",
    fix: "give a LowWater above 0 and below HighWater (kubo's defaults: 32 and 96), or Swarm.ConnMgr.Type none",
    grace: "grace period (Swarm.ConnMgr.GracePeriod)",
    silence: "silence period (Swarm.ConnMgr.SilencePeriod)",
  });
}
