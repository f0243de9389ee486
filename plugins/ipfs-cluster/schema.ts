import { goJsonMap, goRawJson, v } from "kitcfg";
import { KEYS } from "./component-keys.ts";
import { opt, str } from "./go-types.ts";

// service.json and identity.json as ipfs-cluster v1.1.6 reads them, assembled from the key tables
// (component-keys.ts). config/config.go decodes service.json's top level into its jsonConfig, which
// holds `cluster` as a *json.RawMessage and each other section as a map of them (`jsonSection`):
// marked so (`goRawJson`, `goJsonMap`), a text read as Go reads it (`readJsonAsGo`) gets the later
// `cluster` or component whole, a section's components by exact name, and the members inside merged.

/** Section -> the components ipfs-cluster v1.1.6 registers in it (cmdutils/configs.go). */
export const COMPONENTS: Record<string, Record<string, keyof typeof KEYS | "opaque">> = {
  consensus: { crdt: "crdt", raft: "raft" },
  api: { ipfsproxy: "ipfsproxy", pinsvcapi: "httpApi", restapi: "httpApi" },
  ipfs_connector: { ipfshttp: "ipfshttp" },
  state: {},
  pin_tracker: { stateless: "stateless" },
  monitor: { pubsubmon: "pubsubmon" },
  allocator: { balanced: "balanced" },
  // informer/numpin exists, but its registration is commented out in cmdutils/configs.go.
  informer: { disk: "disk", pinqueue: "pinqueue", tags: "tags" },
  observations: { metrics: "metrics", tracing: "tracing" },
  datastore: { badger: "badger", badger3: "badger3", leveldb: "leveldb", pebble: "pebble" },
};

/** The logical config: service.json at the root, identity.json at `identity`. */
export const clusterSchema = v.object({
  /** A remote configuration URL: the daemon fetches the whole config from there. */
  source: str,
  cluster: goRawJson(opt(v.object(KEYS.cluster))),
  ...Object.fromEntries(
    Object.entries(COMPONENTS).map(([section, components]) => [
      section,
      goJsonMap(
        opt(
          v.object(Object.fromEntries(Object.entries(components).map(([name, kind]) => [name, componentSchema(kind)]))),
        ),
      ),
    ]),
  ),
  identity: opt(v.object(KEYS.identity)),
});

/** Key paths whose values never leave kitcfg: the cluster secret and every private key or password. */
export const CLUSTER_SECRETS = [
  "cluster.secret",
  // Where the older tool wrote them (repair moves them): secret all the same until then.
  "secret",
  "private_key",
  "cluster.private_key",
  "identity.private_key",
  "api.restapi.basic_auth_credentials.*",
  "api.restapi.private_key",
  "api.pinsvcapi.basic_auth_credentials.*",
  "api.pinsvcapi.private_key",
];

// --- internal ---

/** A component as its section holds it: raw JSON, decoded by the component's own LoadJSON. */
function componentSchema(kind: keyof typeof KEYS | "opaque") {
  return goRawJson(kind === "opaque" ? opt(v.record(v.string(), v.unknown())) : opt(v.object(KEYS[kind])));
}
