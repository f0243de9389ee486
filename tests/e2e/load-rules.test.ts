import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";
import { CTL_REFUSED, FOLLOW_REFUSED, LOTUS_REFUSED, SERVICE_REFUSED } from "../plugins/_load-rules.ts";
import type { RefusedRow } from "../plugins/_load-rules.ts";

// The compiled binary refuses every value lotus and the ipfs-cluster daemons refuse at load:
// exit 1, kitcfg's reason on stderr, and every file left byte-identical.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const DAEMONS: [daemon: string, rows: RefusedRow[], files: string[], extra: string[]][] = [
  ["lotus", LOTUS_REFUSED, [".lotus/config.toml"], []],
  ["ipfs-cluster-service", SERVICE_REFUSED, [".ipfs-cluster/service.json", ".ipfs-cluster/identity.json"], []],
  [
    "ipfs-cluster-follow",
    FOLLOW_REFUSED,
    [".ipfs-cluster-follow/e2e/service.json", ".ipfs-cluster-follow/e2e/identity.json"],
    ["--instance", "e2e"],
  ],
  ["ipfs-cluster-ctl", CTL_REFUSED, [".ipfs-cluster/ctl/config.json"], []],
];

describe("dist/kitcfg refuses what the daemons refuse at load", () => {
  for (const [daemon, rows, files, extra] of DAEMONS) {
    test(`${daemon}: ${rows.length} refused values, exit 1, files byte-identical`, () => {
      expect(kitcfg(["configure", daemon, ...extra], { root }).code).toBe(0);
      const before = files.map((file) => readFileSync(join(root, file)));
      for (const [sets, message, upstream] of rows) {
        const ran = kitcfg(["update", daemon, ...extra, ...sets.flatMap((set) => ["--set", set])], { root });
        expect({ sets, upstream, code: ran.code }).toEqual({ sets, upstream, code: 1 });
        expect({ upstream, stderr: ran.stderr }).toEqual({ upstream, stderr: expect.stringContaining(message) });
        expect(ran.stderr).not.toContain("    at ");
        for (const [i, file] of files.entries()) expect(readFileSync(join(root, file))).toEqual(before[i]!);
      }
    }, 120_000);
  }
});
