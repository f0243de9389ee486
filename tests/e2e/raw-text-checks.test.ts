import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

test("restore checks the version's own text, not the file on disk: a version kubo refuses needs --force", () => {
  // kubo refuses an integer written with a fraction (config.go decodes into an int); kitcfg
  // finds it in the raw text, so the text checked must be the one restore would write.
  expect(kitcfg(["configure", "ipfs", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs/config");
  const good = readFileSync(file, "utf8");
  writeFileSync(file, good.replace('"StorageGCWatermark": 90,', '"StorageGCWatermark": 90.0,'));
  // An update given --force over it is written (exit 1: still not valid); history keeps
  // the version it replaced.
  expect(kitcfg(["update", "ipfs", "--set", "Gateway.NoFetch=true", "--force", "-q"], { root }).code).toBe(1);
  expect(readFileSync(file, "utf8")).toContain('"NoFetch": true');
  // Setting the number as kubo wants it writes it so, though its value is the same.
  expect(kitcfg(["update", "ipfs", "--set", "Datastore.StorageGCWatermark=90", "-q"], { root }).code).toBe(0);
  expect(readFileSync(file, "utf8")).toBe(good.replace('"NoFetch": false', '"NoFetch": true'));
  expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
  const versions = JSON.parse(kitcfg(["history", "ipfs", "--json"], { root }).stdout).versions as { id: string }[];
  // Newest first: the newest is what the file held before the last update, 90.0 included.
  const withFloat = versions[0]!.id;
  const refused = kitcfg(["restore", "ipfs", withFloat], { root });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    `Cannot restore version ${withFloat} of ipfs: "Datastore.StorageGCWatermark": is written 90.0`,
  );
  expect(readFileSync(file, "utf8")).toContain('"StorageGCWatermark": 90,');
  expect(kitcfg(["restore", "ipfs", withFloat, "--force", "-q"], { root }).code).toBe(0);
  expect(readFileSync(file, "utf8")).toContain('"StorageGCWatermark": 90.0,');
});

test("a byte-order mark before a JSON file a Go daemon reads is refused: encoding/json stops on it", () => {
  // kubo (config/serialize ReadConfigFile) and ipfs-cluster (service.json, identity.json) decode
  // with encoding/json, whose scanner takes EF BB BF for the first character of a value.
  const cases: [string, string][] = [
    ["ipfs", ".ipfs/config"],
    ["ipfs-cluster-service", ".ipfs-cluster/service.json"],
    ["ipfs-cluster-service", ".ipfs-cluster/identity.json"],
  ];
  for (const [daemon, name] of cases) {
    expect(kitcfg(["configure", daemon, "-q"], { root }).code).toBe(0);
    const file = join(root, name);
    const clean = readFileSync(file);
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), clean]));
    const ran = kitcfg(["validate", daemon], { root });
    expect({ name, code: ran.code }).toEqual({ name, code: 1 });
    expect(ran.stderr).toContain(`${file} starts with a byte-order mark (EF BB BF), which Go's encoding/json refuses`);
    writeFileSync(file, clean);
    expect({ name, code: kitcfg(["validate", daemon], { root }).code }).toEqual({ name, code: 0 });
  }
});

test("text after kubo's config object is left as json.Decoder leaves it; cluster's service.json is refused", () => {
  // kubo reads its config with one json.Decoder.Decode (config/serialize ReadConfigFile), which
  // stops at the object's closing brace; ipfs-cluster uses json.Unmarshal, which refuses more.
  expect(kitcfg(["configure", "ipfs", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs/config");
  const tail = Buffer.from('\n}\n{"Identity": {"PrivKey": "CAESQTAIL"}}\ngarbage "\\q" \xff\n', "latin1");
  writeFileSync(file, Buffer.concat([readFileSync(file), tail]));
  const endsWithTail = () => expect(readFileSync(file).subarray(-tail.length).equals(tail)).toBe(true);
  const validated = kitcfg(["validate", "ipfs"], { root });
  expect(validated.code).toBe(0);
  expect(validated.stderr).toContain(
    `${file} has text after the end of its document (line 165), which the daemon ignores; remove it`,
  );
  expect(kitcfg(["get", "ipfs", "Addresses.API"], { root }).stdout.trim()).toBe("/ip4/127.0.0.1/tcp/5001");
  expect(kitcfg(["show", "ipfs"], { root }).code).toBe(0);
  expect(kitcfg(["update", "ipfs", "--set", "Gateway.NoFetch=true", "-q"], { root }).code).toBe(0);
  expect(readFileSync(file, "utf8")).toContain('"NoFetch": true');
  endsWithTail();
  expect(kitcfg(["set", "ipfs", "Bitswap.ServerEnabled", "true", "-q"], { root }).code).toBe(0);
  endsWithTail();
  // A diff whose context reaches the text after the document hides a secret written there.
  const dry = kitcfg(["unset", "ipfs", "Bitswap.ServerEnabled", "--dry-run"], { root });
  expect(dry.stdout).toContain('{"Identity": {"PrivKey": "<redacted>"}}');
  expect(dry.stdout + dry.stderr).not.toContain("CAESQTAIL");
  expect(kitcfg(["unset", "ipfs", "Bitswap.ServerEnabled", "-q"], { root }).code).toBe(0);
  expect(readFileSync(file, "utf8")).toContain('"Bitswap": {}\n}\n}\n{"Identity"');
  endsWithTail();
  const versions = JSON.parse(kitcfg(["history", "ipfs", "--json"], { root }).stdout).versions as { id: string }[];
  const diff = kitcfg(["diff", "ipfs", "--from", versions.at(-1)!.id], { root });
  expect(diff.code).toBe(0);
  expect(diff.stdout).toContain(`{"Identity": {"PrivKey": "<redacted:changed>"}}`);
  expect(diff.stdout).not.toContain("CAESQTAIL");
  // The raw-text checks read the document only: a float after it is no integer of kubo's.
  writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('{"Datastore": {"StorageGCWatermark": 90.0}}')]));
  expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);

  expect(kitcfg(["configure", "ipfs-cluster-service", "-q"], { root }).code).toBe(0);
  const service = join(root, ".ipfs-cluster/service.json");
  writeFileSync(service, `${readFileSync(service, "utf8")}\n}`);
  const refused = kitcfg(["validate", "ipfs-cluster-service"], { root });
  expect(refused.code).toBe(3);
  expect(refused.stderr).toContain(
    `Cannot parse ipfs-cluster-service's ${service}: Invalid JSON at line 199, column 1`,
  );
});

test("a secret in the text after kubo's config object is hidden however that text is written", () => {
  // The text after the object is no JSON: a quote may open no string, and a key may go unquoted.
  expect(kitcfg(["configure", "ipfs", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs/config");
  const config = readFileSync(file, "utf8");
  const tails = [
    '\nthe old key, from the 2" drive:\n"PrivKey": "CAESQTAILONE"\n',
    "\nPrivKey: CAESQTAILTWO\n",
    '\n{"Identity": {"PeerID": "12D3", "PrivKey": "CAESQTAILTHREE"}}\n',
  ];
  for (const tail of tails) {
    writeFileSync(file, config + tail);
    const dry = kitcfg(["set", "ipfs", "Bitswap.ServerEnabled", "true", "--dry-run"], { root });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("<redacted>");
    expect(dry.stdout + dry.stderr).not.toContain("CAESQTAIL");
  }
});
