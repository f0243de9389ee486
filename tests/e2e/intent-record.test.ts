/**
 * A killed writer's intent record, settled by the next command: a file whose rename had
 * happened is told by the hash of its new bytes. Records from earlier kitcfgs carry a
 * sha256 or a wyhash of the bytes whole, records from this one a wyhash taken a MiB block at
 * a time; all must settle forward, keeping the version.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fingerprintOf } from "../../core/_fingerprint.ts";
import { printHash } from "../../core/_intent.ts";
import { kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const ID = "20261205T120000000Z-4242";

/** The state a writer killed just after its rename leaves: new bytes in place, old ones kept, the record. */
function leaveRenamedChange(hash: (bytes: Buffer) => Record<string, string>): string {
  expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
  const target = join(root, ".ipfs/config");
  const historyDir = join(root, ".local/state/kitcfg/history/ipfs/config");
  mkdirSync(historyDir, { recursive: true });
  copyFileSync(target, join(historyDir, `${ID}.data`));
  const config = JSON.parse(readFileSync(target, "utf8"));
  config.Gateway.NoFetch = !config.Gateway.NoFetch;
  const next = Buffer.from(JSON.stringify(config, null, 2));
  writeFileSync(target, next);
  const entry = {
    id: ID,
    time: "2026-12-05T12:00:00.000Z",
    file: target,
    fileKey: "config",
    command: "kitcfg update ipfs --set Gateway.NoFetch=B",
    kind: "update",
    keys: ["Gateway.NoFetch"],
  };
  const file = { target, temp: `${target}.kitcfg-gone`, ...hash(next), historyDir, entry, secret: false };
  const record = join(root, ".local/state/kitcfg/history/ipfs/.intent.json");
  writeFileSync(record, `${JSON.stringify({ id: ID, files: [file], root })}\n`, { mode: 0o600 });
  return record;
}

test.each([
  [
    "an earlier kitcfg's record (sha256)",
    (bytes: Buffer) => ({ sha256: createHash("sha256").update(bytes).digest("hex") }),
  ],
  [
    "an earlier kitcfg's record (wyhash)",
    (bytes: Buffer) => ({ hash: `wyhash:${Bun.hash.wyhash(bytes).toString(16)}` }),
  ],
  ["this kitcfg's record (wyhash by blocks)", (bytes: Buffer) => ({ hash: printHash(fingerprintOf(bytes)) })],
])("%s of a finished rename is settled forward and its version kept", (_what, hash) => {
  const record = leaveRenamedChange(hash);
  expect(kitcfg(["get", "ipfs", "Gateway.NoFetch"], { root }).stdout).toBe("true\n");
  expect(existsSync(record)).toBe(false);
  // Settled back instead, the version would be forgotten: the hash is what tells the two apart.
  const history = JSON.parse(kitcfg(["history", "ipfs", "--json"], { root }).stdout);
  expect(JSON.stringify(history)).toContain(ID);
});

/**
 * The state a writer leaves when it is stopped before its rename: the file as it was, its old
 * bytes kept, the record, and a temporary file holding `temp` (the new bytes, or what a power
 * loss left of them: the record and the temporary file are fsynced in one batch).
 */
function leavePendingChange(temp: (next: Buffer) => Buffer): { target: string; before: Buffer; next: Buffer } {
  expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
  const target = join(root, ".ipfs/config");
  const before = readFileSync(target);
  const historyDir = join(root, ".local/state/kitcfg/history/ipfs/config");
  mkdirSync(historyDir, { recursive: true });
  copyFileSync(target, join(historyDir, `${ID}.data`));
  const config = JSON.parse(before.toString());
  config.Gateway.NoFetch = !config.Gateway.NoFetch;
  const next = Buffer.from(JSON.stringify(config, null, 2));
  const tempPath = join(root, ".ipfs/.config.kitcfg-4242-abcdef.tmp");
  writeFileSync(tempPath, temp(next));
  const entry = { id: ID, time: "2026-12-05T12:00:00.000Z", file: target, fileKey: "config", command: "x", keys: [] };
  const file = { target, temp: tempPath, hash: printHash(fingerprintOf(next)), historyDir, entry, secret: false };
  const record = join(root, ".local/state/kitcfg/history/ipfs/.intent.json");
  writeFileSync(record, `${JSON.stringify({ id: ID, files: [file], root })}\n`, { mode: 0o600 });
  return { target, before, next };
}

test("a record whose temporary file holds the new bytes is settled forward: the rename is made", () => {
  const { target, next } = leavePendingChange((next) => next);
  expect(kitcfg(["get", "ipfs", "Gateway.NoFetch"], { root }).code).toBe(0);
  expect(readFileSync(target).equals(next)).toBe(true);
  expect(kitcfg(["history", "ipfs", "--json"], { root }).stdout).toContain(ID);
});

test("a record whose temporary file was cut short (a power loss before its fsync) is undone, the file kept", () => {
  const { target, before } = leavePendingChange((next) => next.subarray(0, 100));
  expect(kitcfg(["get", "ipfs", "Gateway.NoFetch"], { root }).code).toBe(0);
  expect(readFileSync(target).equals(before)).toBe(true);
  expect(existsSync(join(root, ".local/state/kitcfg/history/ipfs/.intent.json"))).toBe(false);
  expect(existsSync(join(root, ".ipfs/.config.kitcfg-4242-abcdef.tmp"))).toBe(false);
  expect(kitcfg(["history", "ipfs", "--json"], { root }).stdout).not.toContain(ID);
});
