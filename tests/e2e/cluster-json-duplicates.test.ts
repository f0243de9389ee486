import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

// ipfs-cluster decodes service.json's top level into config/config.go's jsonConfig: `cluster` is a
// *json.RawMessage (a later one replaces it whole) and each other section a map of them (a later
// section adds its components; a component named again replaces the earlier one whole). Each
// component then decodes its own text with encoding/json: a key given twice merges into the earlier
// object or replaces a value, null makes a pointer nil, and a wrong JSON type stops the daemon even
// when a later key replaces it. Found by bench/cluster-json-differential.ts.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

/** service.json as kitcfg writes it, edited by `edit` (a text in, a text out). */
function editService(edit: (text: string) => string): string {
  expect(kitcfg(["configure", "ipfs-cluster-service", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs-cluster/service.json");
  const text = edit(readFileSync(file, "utf8"));
  writeFileSync(file, text);
  return text;
}

const atEnd = (members: string) => (text: string) => text.replace(/\}$/, `,${members}}`);
const CONN_MGR = /"connection_manager": \{[^}]*\}/;

test.each([
  // A section given again adds its components: both consensus components are loaded.
  ['"consensus": {"raft": {}}', "consensus"],
  ['"Consensus": {"raft": {}}', "consensus"],
  // ...and both datastores, where crdt needs exactly one.
  ['"datastore": {"badger3": {}}', "datastore"],
  // The crdt component is replaced whole by the later one, whose wrong-typed member stops the load.
  ['"consensus": {"crdt": {"cluster_name": 5, "cluster_name": "x"}}', "consensus.crdt.cluster_name"],
])("validate refuses service.json ending with %s, as ipfs-cluster does", (members, key) => {
  const text = editService(atEnd(members));
  const ran = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect({ code: ran.code, key: `${ran.stdout}${ran.stderr}`.includes(`"${key}"`) }).toEqual({ code: 1, key: true });
  expect(readFileSync(join(root, ".ipfs-cluster/service.json"), "utf8")).toBe(text);
});

test("a key given twice inside a component merges: connection_manager keeps the first high_water", () => {
  editService((text) => text.replace(CONN_MGR, (found) => `${found}, "connection_manager": {"low_water": 50}`));
  expect(kitcfg(["validate", "ipfs-cluster-service"], { root }).code).toBe(0);
});

test("a null connection_manager is nil: a later one does not merge into what came before", () => {
  editService((text) =>
    text.replace(
      CONN_MGR,
      (found) => `${found}, "connection_manager": null, "connection_manager": {"high_water": 800}`,
    ),
  );
  const ran = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect({ code: ran.code, low: ran.stderr.includes("low_water") || ran.stdout.includes("low_water") }).toEqual({
    code: 1,
    low: true,
  });
});

test("a wrong-typed key replaced by a later one in the same component stops the daemon", () => {
  editService((text) =>
    text.replace('"replication_factor_min": -1', '"replication_factor_min": "x", "replication_factor_min": -1'),
  );
  const ran = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect({ code: ran.code, key: `${ran.stdout}${ran.stderr}`.includes("replication_factor_min") }).toEqual({
    code: 1,
    key: true,
  });
});

// A raw value replaced whole by a later member spelled otherwise (or emptied by a null) is never
// decoded, though the text's parse keeps it under its own spelling: each of these loads in
// ipfs-cluster (bench/cluster-json-reference says {"ok":true} for each).
const atStart = (members: string) => (text: string) => text.replace(/^\{/, `{${members},`);
test.each([
  ['"cluster": 5', atStart('"cluster": 5'), "Cluster"],
  ['"cluster": {"peername": 5}', atStart('"cluster": {"peername": 5, "replication_factor_min": "x"}'), "Cluster"],
  ['"cluster": {"peername": 5}, "Cluster": null', atStart('"cluster": {"peername": 5}, "Cluster": null'), "Cluster"],
  ['"consensus": {"crdt": {"cluster_name": 7}}', atStart('"consensus": {"crdt": {"cluster_name": 7}}'), "Consensus"],
])("validate takes %s before a later spelling of it, as ipfs-cluster does", (_, edit, later) => {
  // The file's own section comes after what is added, under another spelling: it is the one read.
  const section = later.toLowerCase();
  editService((text) => edit(text).replace(new RegExp(`\\n  "${section}": \\{`), `\n  "${later}": {`));
  const ran = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect({ code: ran.code, errors: ran.stderr.split("\n").filter((line) => line.includes("✖")) }).toEqual({
    code: 0,
    errors: [],
  });
  expect(ran.stderr).toContain(`"${later}": is read by ipfs-cluster as ${section}`);
});

test("a later spelling's raw value is judged: a wrong type in it stops the daemon", () => {
  editService(atEnd('"Cluster": {"peername": 5}'));
  const ran = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect({ code: ran.code, key: ran.stderr.includes('"Cluster.peername"') }).toEqual({ code: 1, key: true });
});

test("a wrong-typed multiaddr is refused for its type, not also called empty", () => {
  editService(atEnd('"Cluster": {"listen_multiaddress": true}'));
  const ran = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect({ code: ran.code, errors: ran.stderr.split("\n").filter((line) => line.includes("✖")) }).toEqual({
    code: 1,
    errors: [
      '✖ ipfs-cluster-service: "Cluster.listen_multiaddress": is a boolean, which the daemon cannot decode here ' +
        "(it refuses to start)",
    ],
  });
});
