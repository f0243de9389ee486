import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import huggingface from "../../plugins/huggingface.ts";
import ipfs from "../../plugins/ipfs.ts";
import clusterCtl from "../../plugins/ipfs-cluster-ctl.ts";
import clusterFollow from "../../plugins/ipfs-cluster-follow.ts";
import clusterService from "../../plugins/ipfs-cluster-service.ts";
import lassie from "../../plugins/lassie.ts";
import lotus from "../../plugins/lotus.ts";
import s3 from "../../plugins/s3.ts";
import storacha from "../../plugins/storacha.ts";
import { runCli, tempDir } from "../helpers.ts";

// `kitcfg keys <daemon>` owes every key one line of documentation (issue 11): listed as `keys`
// lists them (the CLI in this process, under a fresh --root), each key's line checked, and each
// line of the plugin's keyDocs matched to a key that exists.

interface Key {
  key: string;
  doc?: string;
}

/** Longest line of documentation a key may have: under 120 characters, so it fits a terminal line. */
const MAX_DOC = 119;

const PLUGINS = [ipfs, lotus, lassie, clusterService, clusterFollow, clusterCtl, s3, huggingface, storacha];

let root: string;
let cleanup: () => void;
const listed = new Map<string, Key[]>();
beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  for (const plugin of PLUGINS) {
    const ran = await runCli(["keys", plugin.name, "--json"], { root });
    expect(ran.code).toBe(0);
    listed.set(plugin.name, JSON.parse(ran.stdout).keys);
  }
});
afterAll(() => cleanup());

describe("keys documents every key", () => {
  for (const plugin of PLUGINS) {
    test(`keys ${plugin.name} gives each key one line under ${MAX_DOC + 1} characters`, () => {
      const keys = listed.get(plugin.name)!;
      expect(keys.length).toBeGreaterThan(0);
      // A line that is only the variable's name ("(env X)") says nothing of what the key does.
      const bad = keys.filter(
        ({ doc }) => !doc?.trim() || doc.startsWith("(env ") || doc.includes("\n") || doc.length > MAX_DOC,
      );
      const problems = bad.map((k) => `${k.key}: ${k.doc === undefined ? "no doc" : JSON.stringify(k.doc)}`);
      expect(problems).toEqual([]);
    });

    test(`every line of ${plugin.name}'s keyDocs is for a key keys lists`, () => {
      const keys = new Set(listed.get(plugin.name)!.map((k) => k.key));
      const documented = Object.keys(plugin.keyDocs?.() ?? {});
      expect(documented.length).toBeGreaterThan(0);
      const stray = documented.filter((key) => !keys.has(key));
      expect(stray).toEqual([]);
    });
  }
});
