/**
 * `kitcfg validate ipfs-cluster-service` against ipfs-cluster v1.1.6's own way of loading
 * service.json (bench/cluster-json-reference: config/config.go's jsonConfig, whose `cluster` is a
 * *json.RawMessage and each other section a map of them, then the cluster section, consensus.crdt
 * and api.restapi decoded into their own jsonConfig structs and checked as the daemon checks
 * them), over generated service.json texts: a section, a component or a key inside a component
 * given twice (in another case too), nulls between, wrong JSON types. The rest of each text is
 * what `kitcfg configure` writes. Needs a Go toolchain and dist/kitcfg; not part of `npm test`.
 *
 *   bun bench/cluster-json-differential.ts [--cases N] [--seed N]
 *
 * Prints the verdicts and every disagreement (Go refuses and kitcfg says valid, or the other way);
 * exits 1 if there is any.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../tests/_safety.ts";
import { runGoReference } from "./_go-run.ts";
import { numberOption } from "./_options.ts";

const CASES = numberOption("--cases", 400);
const SEED = numberOption("--seed", 7);
const next = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const chance = (p: number) => next() < p;

const KITCFG = join(import.meta.dir, "..", "dist", "kitcfg");
const ROOT = mkdtempSync(join(tmpdir(), "kitcfg-cluster-json-"));
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: ROOT };

/** The files `kitcfg configure` writes with these profiles. */
function configured(profile: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "kitcfg-cluster-base-"));
  spawnSync(KITCFG, ["configure", "ipfs-cluster-service", "--root", dir, "--profile", profile], {
    env: { ...env, HOME: dir },
  });
  const read = JSON.parse(readFileSync(join(dir, ".ipfs-cluster", "service.json"), "utf8"));
  rmSync(dir, { recursive: true, force: true });
  return read;
}

spawnSync(KITCFG, ["configure", "ipfs-cluster-service", "--root", ROOT], { env });
const SERVICE = join(ROOT, ".ipfs-cluster", "service.json");
const BASE = JSON.parse(readFileSync(SERVICE, "utf8")) as Record<string, Record<string, unknown>>;
const RAFT = (configured("raft").consensus as Record<string, unknown>).raft;
const BADGER3 = (configured("crdt,badger3").datastore as Record<string, unknown>).badger3;

/** A JSON text of members in order, a key possibly given twice: [key, value text]. */
type Members = [string, string][];
const text = (members: Members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
const members = (value: object): Members => Object.entries(value).map(([k, v]) => [k, JSON.stringify(v)]);
const WRONG = ["5", '"s"', "[]", "true", "1.5"];
/** A key in another case, which Go's decoder matches to a struct field all the same. */
const respelled = (key: string) => (chance(0.5) ? key : key[0]!.toUpperCase() + key.slice(1));

/** Values of a key inside a component, as JSON texts. */
const FIELD_VALUES: Record<string, Record<string, string[]>> = {
  cluster: {
    connection_manager: ['{"low_water":500}', '{"high_water":50}', '{"grace_period":"x"}', '{"high_water":800}'],
    replication_factor_min: ["-1", "2", "0", '"x"'],
    replication_factor_max: ["-1", "3", "0"],
    listen_multiaddress: ['"/ip4/0.0.0.0/tcp/9096"', "[]", '"x"'],
    pubsub: ['{"d_factor":0}', '{"history_gossip":3}', '{"seen_messages_ttl":"1m"}'],
    peername: ['"x"', '""'],
  },
  crdt: {
    batching: ['{"max_queue_size":-1}', '{"max_batch_size":5}', '{"max_queue_size":10}'],
    cluster_name: ['""', '"x"'],
    trusted_peers: ['["*"]', '["bad"]', '"*"'],
    rebroadcast_interval: ['"-1s"', '"1m"'],
  },
  restapi: {
    basic_auth_credentials: ['{"a":"b"}', "{}", '{"c":"d"}'],
    max_header_bytes: ["100", "5000"],
    read_timeout: ['"-1s"', '"1s"', '"x"'],
    headers: ['{"a":["b"]}', '{"a":null}'],
  },
};

/** A component's text with one of its keys given twice (or more), nulls and wrong types between. */
function componentText(kind: "cluster" | "crdt" | "restapi", base: Record<string, unknown>): string {
  const out = members(base);
  const values = FIELD_VALUES[kind]!;
  for (let n = 1 + Math.floor(next() * 2); n > 0; n--) {
    const key = pick(Object.keys(values));
    const value = () => (chance(0.15) ? "null" : chance(0.1) ? pick(WRONG) : pick(values[key]!));
    const at = Math.floor(next() * (out.length + 1));
    out.splice(at, 0, [respelled(key), value()]);
    if (chance(0.5)) out.push([respelled(key), value()]);
  }
  return text(out);
}

/** What a component or section may hold where it is given again. */
function sectionValue(section: string): string {
  if (chance(0.1)) return "null";
  if (chance(0.1)) return pick(WRONG);
  switch (section) {
    case "cluster":
      return chance(0.2) ? '{"peername":"x"}' : componentText("cluster", BASE.cluster!);
    case "consensus":
      return pick([
        () => text([["crdt", componentText("crdt", BASE.consensus!.crdt as Record<string, unknown>)]]),
        () => text([["raft", JSON.stringify(RAFT)]]),
        () => "{}",
        () =>
          text([
            ["crdt", componentValue("crdt")],
            ["crdt", componentValue("crdt")],
          ]),
      ])();
    case "api":
      return text([
        ["restapi", componentValue("restapi")],
        ...(chance(0.5) ? [["restapi", componentValue("restapi")] as [string, string]] : []),
      ]);
    default:
      return pick([`{"badger3":${JSON.stringify(BADGER3)}}`, JSON.stringify(BASE.datastore), "{}"]);
  }
}

function componentValue(name: "crdt" | "restapi"): string {
  if (chance(0.1)) return "null";
  if (chance(0.1)) return pick(WRONG);
  if (chance(0.15)) return name === "crdt" ? '{"cluster_name":"x"}' : '{"max_header_bytes":5000}';
  const base = name === "crdt" ? BASE.consensus!.crdt : BASE.api!.restapi;
  return componentText(name === "crdt" ? "crdt" : "restapi", base as Record<string, unknown>);
}

/** A generated service.json: the configured one, with one or two places given twice. */
function generate(): string {
  const top: Members = members(BASE);
  const sections = ["cluster", "consensus", "api", "datastore"];
  for (let n = 1 + Math.floor(next() * 2); n > 0; n--) {
    const section = pick(sections);
    const where = top.findIndex(([key]) => key === section);
    if (chance(0.4)) {
      // Inside the section as it stands: a key of the cluster section, or a component twice.
      const value =
        section === "cluster"
          ? componentText("cluster", BASE.cluster!)
          : section === "consensus"
            ? text([
                ["crdt", componentValue("crdt")],
                ["crdt", componentValue("crdt")],
              ])
            : sectionValue(section);
      top[where] = [section, value];
    } else top.splice(chance(0.5) ? where + 1 : top.length, 0, [respelled(section), sectionValue(section)]);
  }
  return text(top);
}

const docs = Array.from({ length: CASES }, generate);
const verdicts = runGoReference(
  "cluster-json-reference",
  docs.map((doc) => Buffer.from(doc).toString("base64")),
).map((line) => JSON.parse(line) as { ok: boolean; err?: string });

let disagreements = 0;
const counts = { bothLoad: 0, bothRefuse: 0 };
for (const [i, doc] of docs.entries()) {
  writeFileSync(SERVICE, doc, { mode: 0o600 });
  const run = spawnSync(KITCFG, ["validate", "ipfs-cluster-service", "--root", ROOT], { env });
  if (run.status !== 0 && run.status !== 1) throw new Error(`kitcfg exit ${run.status}: ${run.stderr}`);
  const kitcfgOk = run.status === 0;
  const goOk = verdicts[i]!.ok;
  if (kitcfgOk === goOk) {
    counts[goOk ? "bothLoad" : "bothRefuse"]++;
    continue;
  }
  disagreements++;
  console.log(
    `--- case ${i}: Go ${goOk ? "loads" : `refuses (${verdicts[i]!.err})`}, kitcfg ${kitcfgOk ? "valid" : "refuses"}`,
  );
  console.log(doc);
  if (!kitcfgOk) console.log(`${run.stdout}${run.stderr}`.trim());
}
rmSync(ROOT, { recursive: true, force: true });
const { bothLoad, bothRefuse } = counts;
console.log(
  `${CASES} cases (seed ${SEED}): both load ${bothLoad}, both refuse ${bothRefuse}, disagree ${disagreements}`,
);
process.exit(disagreements > 0 ? 1 : 0);
