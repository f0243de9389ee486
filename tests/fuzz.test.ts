import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { update } from "../core/change.ts";
import { findToggle, openTestKit } from "./_safety.ts";
import { runFuzz } from "./_fuzz.ts";
import { runCli, tempDir } from "./helpers.ts";

// bench/fuzz.ts runs the same generator with more cases and any seed.
const CASES = 2000;

test(`${CASES} seeded fuzz cases end in a clear error or a valid result, ` +
  `never a crash, a stray write or a polluted prototype`, async () => {
  const report = await runFuzz({ cases: CASES, seed: 1337 });
  console.log(`fuzz: ${report.cases} cases`, report.byKind, "exit codes:", report.byExit);
  expect(report.failures.slice(0, 10)).toEqual([]);
  expect(report.cases).toBe(CASES);
}, 300_000);

describe("cases the fuzzer found, kept as regressions", () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir: root, cleanup } = tempDir()));
  afterEach(() => cleanup());

  test("a file nested thousands of levels deep is a parse error, not a stack overflow", async () => {
    expect((await runCli(["configure", "huggingface"], { root })).code).toBe(0);
    const config = join(root, ".cache/huggingface/config.json");
    for (const text of ["[".repeat(100_000), `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`]) {
      writeFileSync(config, text);
      const ran = await runCli(["show", "huggingface"], { root });
      expect(ran.code).toBe(3);
      expect(ran.stderr).toMatch(
        /^✖ Cannot parse .*config\.json: the document is nested (too deeply|more than 64 levels deep)/,
      );
    }
    let value: unknown = "x";
    for (let i = 0; i < 100; i++) value = { a: value };
    const kit = await openTestKit(root);
    const refused = update(kit, { daemon: "huggingface", requests: [{ op: "set", key: "proxies", value }] });
    await expect(refused).rejects.toThrow(
      'Cannot set "proxies" for huggingface: the value nests more than 64 levels deep',
    );
    const long = await runCli(["update", "huggingface", "--set", `proxies=${"[".repeat(10_000)}`], { root });
    expect(long.stderr.split("\n")[0]!.length).toBeLessThan(200);
  });

  test("a blank secret does not turn every space of the output into <redacted>", async () => {
    // s3cmd strips a blank secret_key (kitcfg refuses it there); lassie's recorder token may be one.
    expect(
      (
        await runCli(
          ["configure", "lassie", "--set", "event_recorder_auth= ", "--set", "event_recorder_url=https://h.example"],
          { root },
        )
      ).code,
    ).toBe(0);
    for (const args of [
      ["show", "lassie", "--json"],
      ["update", "lassie", "--set", "address=h.example", "--json"],
      ["history", "lassie", "--json"],
    ]) {
      const ran = await runCli(args, { root });
      expect(ran.code).toBe(0);
      expect(() => JSON.parse(ran.stdout)).not.toThrow();
      expect(ran.stdout).toContain("h.example");
    }
  });

  test("a short secret that is also a number elsewhere keeps --json output valid", async () => {
    expect((await runCli(["configure", "s3", "--set", "secret_key=1", "--set", "access_key=2"], { root })).code).toBe(
      0,
    );
    const ran = await runCli(["show", "s3", "--json"], { root });
    const shown = JSON.parse(ran.stdout);
    expect(shown.value.secret_key).toBe("<redacted>");
    expect(shown.value.access_key).toBe("<redacted>");
  });

  test("a TOML file that starts with a byte order mark is edited in place and keeps it", async () => {
    const kit = await openTestKit(root);
    const toml = kit.registry.plugins.find((p) =>
      Object.values(p.plugin.files).some((f) => f.format === "toml" && !f.mount),
    );
    if (!toml) return console.log("skipped: no plugin with a TOML file");
    const name = toml.plugin.name;
    expect((await runCli(["configure", name], { root })).code).toBe(0);
    const toggle = await findToggle(root, name);
    if (!toggle) return console.log(`skipped: ${name} has no boolean key`);
    const main = kit.target(name).files.find((f) => f.main)!.path;
    writeFileSync(main, `\uFEFF${readFileSync(main, "utf8")}`);
    const ran = await runCli(["update", name, "--set", `${toggle.key}=${toggle.values[0]}`], { root });
    expect(ran.stderr).toBe("");
    expect(readFileSync(main, "utf8").startsWith("\uFEFF")).toBe(true);
  });

  test("two large, wholly different versions of a file give a diff without running out of memory", async () => {
    expect((await runCli(["configure", "s3"], { root })).code).toBe(0);
    const s3cfg = join(root, ".s3cfg");
    writeFileSync(s3cfg, `${readFileSync(s3cfg, "utf8")}${"# padding\n".repeat(300_000)}`);
    const ran = await runCli(["configure", "s3", "--force", "--dry-run"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("-# padding");
  });
});
