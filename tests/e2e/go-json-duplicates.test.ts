import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

// kubo decodes its config with Go's encoding/json (decode.go `object`): every member is decoded in
// document order into what the field holds so far, so a struct given twice is merged, a null leaves
// a struct or scalar as it was, and a member of the wrong type stops kubo even when a later one
// replaces it. JSON.parse keeps only the last member of a key; kitcfg reads the file's text instead.
// Found by bench/go-json-differential.ts (Go's own json.Unmarshal beside kitcfg's reading).

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

/** The config kitcfg writes, with `section` (JSON members) put in after its own, which come first. */
function withMembers(section: string): string {
  expect(kitcfg(["configure", "ipfs", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs/config");
  writeFileSync(file, readFileSync(file, "utf8").replace(/\}$/, `,${section}}`));
  return file;
}

test.each([
  // A struct given twice is merged: the first Datastore's StorageMax stays, and kubo refuses it.
  ['"Datastore": {"StorageMax": "lots"}, "Datastore": {"StorageGCWatermark": 90}', "Datastore.StorageMax"],
  // null leaves a string field as it was: "lots" is read.
  ['"Datastore": {"StorageMax": "lots", "StorageMax": null}', "Datastore.StorageMax"],
  // A member of the wrong type stops the decode though a later one replaces it.
  ['"Datastore": {"StorageGCWatermark": "90", "StorageGCWatermark": 90}', "Datastore.StorageGCWatermark"],
  ['"Datastore": {"StorageGCWatermark": 1e2, "storagegcwatermark": 90}', "Datastore.StorageGCWatermark"],
  ['"Bootstrap": {}, "Bootstrap": []', "Bootstrap"],
  // A type that decodes itself (OptionalDuration's UnmarshalJSON parses the duration) fails at once,
  // though a later member replaces the value: kubo's `time: invalid duration "bogus"`.
  ['"Swarm": {"ConnMgr": {"GracePeriod": "bogus", "GracePeriod": "20s"}}', "Swarm.ConnMgr.GracePeriod"],
  ['"Reprovider": {"Interval": "1 hour", "interval": null}', "Reprovider.Interval"],
])("validate refuses %s as kubo does", (section, key) => {
  const file = withMembers(section);
  const ran = kitcfg(["validate", "ipfs"], { root });
  expect({ code: ran.code, key: ran.stderr.includes(`"${key}"`) || ran.stdout.includes(key) }).toEqual({
    code: 1,
    key: true,
  });
  expect(readFileSync(file, "utf8")).toEndWith(`,${section}}`);
});

test("a duration given twice, each one its decoder parses, is valid", () => {
  withMembers('"Swarm": {"ConnMgr": {"GracePeriod": "1m", "GracePeriod": "20s"}}');
  expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
});

// A type that decodes itself is given null too (its UnmarshalJSON, or a pointer to it set to nil): an
// OptionalDuration, Flag, OptionalInteger or OptionalString resets to its default, even after a value.
test.each([
  // 72h alone stops kubo (over 48h); a later null resets the field, and kubo starts.
  ['"Provide": {"DHT": {"Interval": "72h", "Interval": null}}', 0, ""],
  // Provide.Enabled false, then null: the default, with which an interval of 0 stops kubo.
  [
    '"Provide": {"Enabled": false, "Enabled": null, "DHT": {"Interval": "0"}}',
    1,
    '"Provide.DHT.Interval": is 0, which no longer turns providing off on its own',
  ],
  // BloomFPRate 5 alone stops kubo (under 1000000); a later null resets it to the default.
  ['"Provide": {"BloomFPRate": 5, "BloomFPRate": null}', 0, ""],
  // Routing.Type is checked when kubo starts, on the value that stands: a replaced one is only decoded.
  ['"Routing": {"Type": "bogus", "Type": "auto"}', 0, ""],
])("%s: exit %d, as kubo reads it", (section, code, says) => {
  withMembers(section);
  const ran = kitcfg(["validate", "ipfs"], { root });
  expect(ran.code).toBe(code);
  expect(ran.stderr).toContain(says);
});

test("the message of a duration a later one replaces names the value that does not stand", () => {
  withMembers('"Swarm": {"ConnMgr": {"GracePeriod": "5 min", "GracePeriod": "20s"}}');
  const ran = kitcfg(["validate", "ipfs"], { root });
  expect(ran.code).toBe(1);
  expect(ran.stderr).toContain('"Swarm.ConnMgr.GracePeriod": is "5 min": expected a Go duration');
  expect(ran.stderr).toContain("a later value takes its place, but the daemon decodes this one too");
});

test("a later struct member merges into an earlier one: what both give is read, in document order", () => {
  // Go: StorageMax "lots" from the first, then "10GB" from the second "datastore": valid.
  withMembers('"Datastore": {"StorageMax": "lots"}, "datastore": {"StorageMax": "10GB"}, "Datastore": {}');
  expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
});

test("keys equal but for case are one field to Go, each decoded: a number before the Swarm struct stops kubo", () => {
  expect(kitcfg(["configure", "ipfs", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs/config");
  writeFileSync(file, readFileSync(file, "utf8").replace('"Swarm": {', '"swarm": 5, "Swarm": {'));
  const ran = kitcfg(["validate", "ipfs"], { root });
  expect(ran.code).toBe(1);
  expect(ran.stderr).toContain('"swarm": is a number, which the daemon cannot decode here');
});
