import type { Config, PluginContext, PluginIssue } from "kitcfg";
import { AUTO, REPO_VERSION } from "./defaults.ts";
import { datastoreDiskSpec, datastorePlugins } from "./datastore.ts";
import { writtenValueIssues } from "./raw.ts";
import { repoFactsOf } from "./repo.ts";
import { autoconfClientProblem } from "./routing.ts";
import { loadTimeIssues } from "./rules.ts";
import { ROUTER_TYPES } from "./schema.ts";
import { checkIdentity, decodesAsPeerId, goJsonTextProblem, sectionAt, stringsOf } from "kitcfg";
import { allowlistProblem, isAddressMask, isListenable, multiaddrProblem } from "kitcfg";
import { endsInPeer } from "./startup.ts";

// What kubo checks when it opens a repo and starts (FORMATS.md §1 "What must be right";
// kubo repo/fsrepo/fsrepo.go, core/node/groups.go `Identity`, core/node/identity.go,
// config/bootstrap_peers.go, config/autoconf_client.go, config/types.go). Errors are what
// makes kubo refuse to start; warnings are what it accepts but probably not as meant.

/** The Addresses fields that hold multiaddrs (config/addresses.go). */
const ADDRESS_FIELDS = ["Swarm", "Announce", "AppendAnnounce", "NoAnnounce", "API", "Gateway"] as const;

/** Every issue kubo would have with `config` and the repo files beside it. */
export function validateKubo(config: Config, ctx: PluginContext): PluginIssue[] {
  const repo = repoFactsOf(ctx);
  return [
    ...identityIssues(config),
    ...addressIssues(config),
    ...bootstrapIssues(config),
    ...peeringIssues(config),
    ...datastoreIssues(config, ctx),
    ...versionIssues(ctx),
    ...autoconfIssues(config),
    ...removedFieldIssues(config, repo.version),
    ...loadTimeIssues(config, repo),
    ...writtenNumberIssues(config, ctx),
    ...float64Issues(config),
  ];
}

// --- internal ---

type Node = Record<string, unknown>;

/**
 * kubo decodes `Datastore.Spec` (map[string]any), a plugin's `Config` and the `Parameters` of a
 * router of a Type it does not know (any) as encoding/json decodes into any: each number becomes a
 * float64, and a literal past its range (`1e400`, which JSON.parse reads as Infinity, or an integer
 * of 309 digits, which kitcfg reads as a bigint) stops the decode ("cannot unmarshal number … into
 * Go value of type float64").
 */
function float64Issues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if ((typeof node === "number" || typeof node === "bigint") && !Number.isFinite(Number(node)))
      issues.push({
        key: path.join("."),
        message:
          "is a number past float64's range: kubo decodes it into a float64 and refuses the config " +
          '("cannot unmarshal number"); write a number within ±1.8e308',
      });
    else if (typeof node === "object" && node !== null)
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
  };
  walk(sectionAt(config, "Datastore").Spec, ["Datastore", "Spec"]);
  for (const [name, plugin] of Object.entries(sectionAt(config, "Plugins.Plugins")))
    if (typeof plugin === "object" && plugin !== null)
      walk((plugin as Node).Config, ["Plugins", "Plugins", name, "Config"]);
  // config/routing.go RouterParser.UnmarshalJSON: the Parameters of a router of another Type go into an any.
  for (const [name, router] of Object.entries(sectionAt(config, "Routing.Routers")))
    if (typeof router === "object" && router !== null && !ROUTER_TYPES.includes((router as Node).Type as string))
      walk((router as Node).Parameters, ["Routing", "Routers", name, "Parameters"]);
  return issues;
}

function identityIssues(config: Config): PluginIssue[] {
  const identity = sectionAt(config, "Identity");
  const id = identity.PeerID;
  const key = identity.PrivKey;
  if (typeof id !== "string" || id === "") {
    return [
      {
        key: "Identity.PeerID",
        message: "is empty: kubo refuses to start (\"identity was not set in config (was 'ipfs init' run?)\")",
      },
    ];
  }
  if (typeof key !== "string" || key === "") {
    // core/node/groups.go Identity then puts no key in the peerstore, and the libp2p host
    // cannot be built without one (core/node/libp2p/hostopt.go constructPeerHost).
    const issues: PluginIssue[] = [
      {
        key: "Identity.PrivKey",
        message:
          'is empty: `ipfs daemon` refuses to start ("missing private key for node ID"); ' +
          "only --offline and commands that need no network run without the node's key",
      },
    ];
    if (!decodesAsPeerId(id))
      issues.push({ key: "Identity.PeerID", message: `${JSON.stringify(id)} is not a peer ID: kubo refuses to start` });
    return issues;
  }
  const check = checkIdentity(id, key);
  if (check.ok) return [];
  if (check.keyType === "Secp256k1" || check.keyType === "ECDSA") {
    return [
      {
        key: "Identity.PeerID",
        severity: "warning",
        message: `kitcfg cannot check a ${check.keyType} identity; kubo checks it when it starts`,
      },
    ];
  }
  if (check.keyType && check.reason.startsWith("the peer ID")) {
    return [
      {
        key: "Identity.PeerID",
        message:
          `does not match Identity.PrivKey: ${check.reason}; ` +
          'kubo refuses to start ("private key in config does not match id")',
      },
    ];
  }
  return [{ key: "Identity.PrivKey", message: `is not a usable key: ${check.reason}` }];
}

function addressIssues(config: Config): PluginIssue[] {
  const addresses = sectionAt(config, "Addresses");
  const issues = ADDRESS_FIELDS.flatMap((field) => multiaddrIssues(`Addresses.${field}`, addresses[field]));
  for (const [field, server] of [
    ["API", "RPC API"],
    ["Gateway", "gateway"],
  ] as const) {
    issues.push(...listenIssues(`Addresses.${field}`, server, addresses[field]));
  }
  return [
    ...issues,
    ...addrFilterIssues(stringsOf(sectionAt(config, "Swarm").AddrFilters)),
    ...allowlistIssues(sectionAt(config, "Swarm.ResourceMgr")),
  ];
}

/**
 * Swarm.ResourceMgr.Allowlist, read when the resource manager is on (the default): an entry that
 * is no multiaddr is logged and skipped, but one go-libp2p's allowlist refuses stops the resource
 * manager, and kubo with it ("creating libp2p resource manager"; core/node/libp2p/rcmgr.go
 * ResourceManager, go-libp2p p2p/host/resource-manager/allowlist.go).
 */
function allowlistIssues(resourceMgr: Node): PluginIssue[] {
  if (resourceMgr.Enabled === false) return [];
  const key = "Swarm.ResourceMgr.Allowlist";
  return stringsOf(resourceMgr.Allowlist).flatMap((entry): PluginIssue[] => {
    const shown = JSON.stringify(entry);
    // go-multiaddr reads an /ipcidr of up to 255, which multiaddrProblem refuses past 128.
    const problem = multiaddrProblem(
      entry.replace(/\/ipcidr\/(\d{1,3})(?=\/|$)/g, (part, bits) => (Number(bits) <= 255 ? "/ipcidr/0" : part)),
    );
    if (problem) {
      return [{ key, severity: "warning", message: `${shown} is not a multiaddr (${problem}): kubo skips it` }];
    }
    const refused = allowlistProblem(entry);
    if (refused === undefined) return [];
    return [
      {
        key,
        message:
          `${shown} is not an address the resource manager can allow: ${refused}; ` +
          "write /ip4/<ip>, /ip4/<ip>/ipcidr/<bits> or /ip6/..., optionally with /p2p/<peer ID>: kubo refuses to start",
      },
    ];
  });
}

/**
 * The RPC API and gateway listen with manet.Listen (cmd/ipfs/kubo/daemon.go serveHTTPApi,
 * serveHTTPGateway), which reads only the head of an address (go-multiaddr net/convert.go
 * DialArgs): an optional /ip6zone, then /ip4, /ip6 or /dns* with /tcp, or /unix; the rest is
 * ignored. Anything else (UDP, /dnsaddr, a bare IP, /ip6zone before /ip4) makes Go's
 * net.Listen, or DialArgs itself, fail, and kubo with it.
 */
function listenIssues(key: string, server: string, value: unknown): PluginIssue[] {
  const list = typeof value === "string" ? (value === "" ? [] : [value]) : stringsOf(value);
  return list
    .filter((addr) => multiaddrProblem(addr) === undefined && !isListenable(addr))
    .map((addr) => ({
      key,
      message:
        `${JSON.stringify(addr)} cannot be listened on: kubo serves the ${server} over TCP or a unix socket ` +
        "only (/ip4, /ip6 or /dns* with /tcp/<port>, or /unix/<path>): kubo refuses to start",
    }));
}

/**
 * Swarm.AddrFilters entries are masks, /ip4/<ip>/ipcidr/<bits> (or ip6), read by
 * whyrusleeping/multiaddr-filter NewMask and net.ParseCIDR (core/node/libp2p/addrs.go
 * AddrFilters: "incorrectly formatted address filter in config").
 */
function addrFilterIssues(filters: string[]): PluginIssue[] {
  return filters.flatMap((filter) => {
    if (isAddressMask(filter)) return [];
    const shown = JSON.stringify(filter);
    return [
      {
        key: "Swarm.AddrFilters",
        message: `${shown} is not an address mask such as /ip4/10.0.0.0/ipcidr/8: kubo refuses to start`,
      },
    ];
  });
}

function bootstrapIssues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const entry of stringsOf(config.Bootstrap)) {
    if (entry === AUTO) continue;
    const problem = multiaddrProblem(entry);
    if (problem) issues.push({ key: "Bootstrap", message: `${JSON.stringify(entry)} is not a multiaddr: ${problem}` });
    // kubo reads bootstrap entries as peer addresses: the last part must name the peer.
    else if (!endsInPeer(entry)) {
      issues.push({
        key: "Bootstrap",
        message:
          `${JSON.stringify(entry)} does not end in /p2p/<peer ID>: ` +
          'kubo refuses to start ("invalid p2p multiaddr")',
      });
    }
  }
  return issues;
}

function peeringIssues(config: Config): PluginIssue[] {
  const peers = sectionAt(config, "Peering").Peers;
  if (!Array.isArray(peers)) return [];
  // Loops rather than flatMap: a big config lists tens of thousands of peers.
  const issues: PluginIssue[] = [];
  for (let i = 0; i < peers.length; i++) {
    const { ID, Addrs } = (peers[i] ?? {}) as Node;
    // go-libp2p core/peer/addrinfo_serde.go: a null peer, or one without "ID", decodes as the empty
    // peer ID, which boxo's peering service takes and dials in vain ("empty peer ID"); kubo starts.
    // An "ID" that is there goes through peer.Decode, null and "" too, which fails the decode.
    if (ID === undefined)
      issues.push({
        key: "Peering.Peers",
        severity: "warning",
        message: `peer ${i + 1} has no ID: kubo starts but never connects to it; give the peer's ID`,
      });
    else if (typeof ID !== "string" || !decodesAsPeerId(ID))
      issues.push({ key: "Peering.Peers", message: `peer ${i + 1}: ${JSON.stringify(ID)} is not a peer ID` });
    pushMultiaddrIssues(issues, "Peering.Peers", Addrs, i + 1);
  }
  return issues;
}

function datastoreIssues(config: Config, ctx: PluginContext): PluginIssue[] {
  const datastore = sectionAt(config, "Datastore");
  if (datastore.Type || datastore.Path) {
    return [
      {
        key: datastore.Type ? "Datastore.Type" : "Datastore.Path",
        message:
          "is an old-style datastore setting: kubo refuses to start until Datastore.Type and Datastore.Path " +
          "are removed in favour of Datastore.Spec",
      },
    ];
  }
  if (datastore.Spec === undefined || datastore.Spec === null) {
    return [
      {
        key: "Datastore.Spec",
        message: 'is missing: kubo refuses to start ("required Datastore.Spec entry missing from config file")',
      },
    ];
  }
  const disabled = disabledDatastoreIssues(datastore.Spec, sectionAt(config, "Plugins.Plugins"));
  if (disabled.length > 0) return disabled;
  const reduced = datastoreDiskSpec(datastore.Spec);
  if (!reduced.ok) {
    if (reduced.pluginType) {
      return [
        {
          key: "Datastore.Spec",
          severity: "warning",
          message:
            `${reduced.problem}: it needs a kubo built with that datastore plugin, ` +
            "and kitcfg cannot check datastore_spec against it",
        },
      ];
    }
    return [{ key: "Datastore.Spec", message: `is not a datastore kubo can open: ${reduced.problem}` }];
  }
  const path = ctx.paths.datastore_spec;
  const onDisk = path === undefined ? undefined : ctx.readText(path)?.trim();
  if (onDisk === undefined || onDisk === reduced.text) return [];
  return [
    {
      key: "Datastore.Spec",
      message:
        `describes ${reduced.text} but ${path} says ${onDisk || "nothing"}: ` +
        "kubo refuses to open a datastore other than the one the repo was created with. " +
        `Convert the data (ipfs-ds-convert), or, in a repo that holds no data yet, remove ${path} ` +
        "and run `kitcfg configure ipfs`",
    },
  ];
}

/** Datastore plugins the spec needs that Plugins.Plugins disables: kubo then knows no such datastore type. */
function disabledDatastoreIssues(spec: unknown, plugins: Node): PluginIssue[] {
  const needed = [...new Set(datastorePlugins(spec))];
  return needed
    .filter((name) => (plugins[name] as Node | null | undefined)?.Disabled === true)
    .map((name) => ({
      key: `Plugins.Plugins.${name}.Disabled`,
      message:
        `disables the plugin that provides a datastore of Datastore.Spec: kubo refuses to open the repo ` +
        '("unknown datastore type"); remove Disabled or use another datastore',
    }));
}

/**
 * Integers written `100.0` or `1e3`, and durations written `0.0` or with an escape, in the config file:
 * kubo reads their text, which JSON.parse forgets. Before them, a byte-order mark, which stops kubo.
 */
function writtenNumberIssues(config: Config, ctx: PluginContext): PluginIssue[] {
  const path = ctx.paths.config;
  const text = path === undefined ? undefined : ctx.readText(path);
  if (text === undefined) return [];
  // serialize.go ReadConfigFile: json.NewDecoder(f).Decode, which stops on a byte-order mark.
  const problem = goJsonTextProblem(text);
  return problem ? [{ key: "", message: `${path} ${problem}` }] : writtenValueIssues(text, config);
}

function versionIssues(ctx: PluginContext): PluginIssue[] {
  const path = ctx.paths.version;
  const text = path === undefined ? undefined : ctx.readText(path);
  // A missing version file is reported as a missing file, with how to write it.
  if (text === undefined) return [];
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) {
    return [
      {
        key: "",
        message:
          `${path} holds ${JSON.stringify(trimmed)}, not a repo version: ` +
          'kubo refuses to open the repo ("invalid data in repo version file")',
      },
    ];
  }
  const version = Number(trimmed);
  if (version < REPO_VERSION) {
    return [
      {
        key: "",
        severity: "warning",
        message:
          `${path} says repo version ${version}, older than ${REPO_VERSION} (current kubo): ` +
          "kubo migrates the repo when started with `ipfs daemon --migrate` (or by `ipfs repo migrate`)",
      },
    ];
  }
  if (version > REPO_VERSION) {
    return [
      {
        key: "",
        severity: "warning",
        message:
          `${path} says repo version ${version}, newer than ${REPO_VERSION}, the newest kitcfg knows: ` +
          `only a kubo made for repo version ${version} or later opens it`,
      },
    ];
  }
  return [];
}

/**
 * "auto" placeholders need AutoConf (config/autoconf_client.go validateAutoConfDisabled), and an
 * AutoConf client kubo can build (cmd/ipfs/kubo/daemon.go only logs "failed to create autoconf client").
 */
function autoconfIssues(config: Config): PluginIssue[] {
  const bootstrap = stringsOf(config.Bootstrap);
  const places: [string, unknown[]][] = [
    ["Bootstrap", bootstrap],
    ["DNS.Resolvers", Object.values(sectionAt(config, "DNS.Resolvers"))],
    ["Routing.DelegatedRouters", stringsOf(sectionAt(config, "Routing").DelegatedRouters)],
    ["Ipns.DelegatedPublishers", stringsOf(sectionAt(config, "Ipns").DelegatedPublishers)],
  ];
  const usingAuto = places.filter(([, values]) => values.includes(AUTO)).map(([key]) => key);
  if (sectionAt(config, "AutoConf").Enabled !== false) {
    const client = autoconfClientProblem(config);
    if (client === undefined || usingAuto.length === 0) return [];
    return [
      {
        key: client.key,
        severity: "warning",
        message:
          `${client.problem}: kubo only logs it, and "auto" in ${usingAuto.join(", ")} then gives nothing; ` +
          "remove the setting to use the default",
      },
    ];
  }
  if (bootstrap.length === 1 && bootstrap[0] === AUTO) {
    return [
      {
        key: "Bootstrap",
        message:
          'is only "auto" while AutoConf.Enabled is false: kubo refuses to start ("no usable bootstrap peers"); ' +
          "list peers or enable AutoConf",
      },
    ];
  }
  return usingAuto.map((key) => ({
    key,
    severity: "warning" as const,
    message: 'holds "auto" while AutoConf.Enabled is false: kubo skips it',
  }));
}

/**
 * Keys kubo removed and decodes only to refuse them (config/types.go swarmLimits,
 * experimentalAcceleratedDHTClient, graphsyncEnabled): their decoders take nothing but `{}`
 * (and `false` for GraphsyncEnabled); even `null` reaches them, and is refused.
 */
function removedFieldIssues(config: Config, repoVersion: number | undefined): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const resourceMgr = sectionAt(config, "Swarm.ResourceMgr");
  if ("Limits" in resourceMgr && !isEmptyObject(resourceMgr.Limits)) {
    issues.push({
      key: "Swarm.ResourceMgr.Limits",
      message:
        "was removed in kubo 0.19 and must be {} or absent: kubo refuses to start " +
        "(libp2p limits now go in $IPFS_PATH/libp2p-resource-limit-overrides.json)",
    });
  }
  const experimental = sectionAt(config, "Experimental");
  // Up to repo version 13, fs-repo-13-to-14 moves it to Routing first (./migrate.ts).
  const moved = repoVersion !== undefined && repoVersion <= 13;
  if (!moved && "AcceleratedDHTClient" in experimental && !isEmptyObject(experimental.AcceleratedDHTClient)) {
    issues.push({
      key: "Experimental.AcceleratedDHTClient",
      message: "moved to Routing.AcceleratedDHTClient in kubo 0.21: kubo refuses to start until it is removed here",
    });
  }
  if (
    "GraphsyncEnabled" in experimental &&
    experimental.GraphsyncEnabled !== false &&
    !isEmptyObject(experimental.GraphsyncEnabled)
  ) {
    issues.push({
      key: "Experimental.GraphsyncEnabled",
      message: "was removed in kubo 0.25: kubo refuses to start until it is removed",
    });
  }
  return issues;
}

function multiaddrIssues(key: string, value: unknown): PluginIssue[] {
  const issues: PluginIssue[] = [];
  pushMultiaddrIssues(issues, key, value);
  return issues;
}

/** The issues of a multiaddr list; those of a peer's list (`peer` its number from 1) say which peer. */
function pushMultiaddrIssues(issues: PluginIssue[], key: string, value: unknown, peer?: number): void {
  // kubo's Strings type: one string or a list; "" means none.
  const list = typeof value === "string" ? (value === "" ? [] : [value]) : Array.isArray(value) ? value : [];
  for (const addr of list) {
    if (typeof addr !== "string") continue;
    const problem = multiaddrProblem(addr);
    if (!problem) continue;
    // The peer's prefix is made only for an issue: a big config lists tens of thousands of peers.
    const prefix = peer === undefined ? "" : `peer ${peer}: `;
    issues.push({ key, message: `${prefix}${JSON.stringify(addr)} is not a multiaddr: ${problem}` });
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
