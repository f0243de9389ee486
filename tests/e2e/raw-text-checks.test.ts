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
