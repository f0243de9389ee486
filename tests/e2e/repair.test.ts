import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { format as toml } from "../../core/formats/toml.ts";
import { cleanEnv, FIXTURES, hasTool, kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

/** The versions kept in history for one file of a daemon, oldest first. */
function history(daemon: string, fileKey: string): string[] {
  const dir = join(root, ".local/state/kitcfg/history", daemon, fileKey);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".data"))
    .sort()
    .map((name) => readFileSync(join(dir, name), "utf8"));
}

/** `.s3cfg` as the older tool wrote it: `key = value` lines, no section header (FORMATS.md §10). */
const LEGACY_S3CFG = [
  "access_key = your-access-key",
  "secret_key = your-secret-key",
  "host_base = s3.amazonaws.com",
  "host_bucket = %(bucket)s.s3.amazonaws.com",
  "bucket_location = us-east-1",
  "use_https = True",
  "signature_v2 = False",
  "",
].join("\n");

/** What the older tool's lotus update appended (daemon_config_manager.py `_update_lotus_config`). */
const APPENDED = [
  "",
  "# Updated by daemon_config_manager",
  "API.ListenAddress = '/ip4/0.0.0.0/tcp/1234/http'",
  "EnableSplitstore = False",
  "DefaultMaxFee = '0.5 FIL'",
  "api_port = 1234",
  "Libp2p = {'ListenAddresses': ['/ip4/0.0.0.0/tcp/1235', '/ip6/::/tcp/1235']}",
  "",
  "# Updated by daemon_config_manager",
  "ConnMgrLow = 100",
  "TracerSourceAuth = 'tracer-token-XYZ'",
  "",
].join("\n");

/** The test that runs the real s3cmd is skipped, with a notice, where it is not installed. */
const S3CMD = hasTool("s3cmd", "the repair test that runs the real s3cmd");

/** Run the real s3cmd on a config file (.ci/run installs Debian's). */
function s3cmdDump(file: string): Map<string, string> {
  const result = Bun.spawnSync(["s3cmd", "-c", file, "--dump-config"], {
    env: cleanEnv(root),
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0) throw new Error(`s3cmd failed (${result.exitCode}): ${result.stderr.toString()}`);
  return new Map(
    result.stdout
      .toString()
      .split("\n")
      .flatMap((line) => {
        const match = /^(\w+) = (.*)$/.exec(line);
        return match ? [[match[1]!, match[2]!] as [string, string]] : [];
      }),
  );
}

describe("kitcfg repair", () => {
  test.skipIf(!S3CMD)(
    "s3: a legacy .s3cfg gets its [default] header, every other line stays, and s3cmd reads the same values",
    () => {
      const file = join(root, ".s3cfg");
      writeFileSync(file, LEGACY_S3CFG, { mode: 0o600 });
      const before = s3cmdDump(file);

      const dry = kitcfg(["repair", "s3", "--dry-run"], { root });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain("s3: would fix: put the 7 settings that had no section header under [default]");
      expect(dry.stdout).toContain("+[default]");
      expect(dry.stdout).not.toContain("your-secret-key");
      expect(readFileSync(file, "utf8")).toBe(LEGACY_S3CFG);
      expect(history("s3", "main")).toEqual([]);

      const ran = kitcfg(["repair", "s3"], { root });
      expect(ran.code).toBe(0);
      expect(readFileSync(file, "utf8")).toBe(`[default]\n${LEGACY_S3CFG}`);
      expect(history("s3", "main")).toEqual([LEGACY_S3CFG]);
      const after = s3cmdDump(file);
      for (const key of [
        "access_key",
        "secret_key",
        "host_base",
        "host_bucket",
        "bucket_location",
        "use_https",
        "signature_v2",
      ]) {
        expect({ key, value: after.get(key) }).toEqual({ key, value: before.get(key) });
      }
      expect(after.get("bucket_location")).toBe("us-east-1");
      expect(kitcfg(["validate", "s3"], { root }).code).toBe(0);

      const again = kitcfg(["repair", "s3", "--json"], { root });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).results[0]).toMatchObject({
        daemon: "s3",
        changed: false,
        notes: ["s3: nothing to repair"],
      });
    },
  );

  test("s3: comments and a later [default] section keep their place", () => {
    const file = join(root, ".s3cfg");
    const text =
      "# lab credentials\n\naccess_key = AKIA1\n# the endpoint\n" +
      "host_base = minio.lab:9000\n\n[default]\nsecret_key = abc\n";
    writeFileSync(file, text, { mode: 0o600 });
    expect(kitcfg(["repair", "s3"], { root }).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(text.replace("access_key", "[default]\naccess_key"));
  });

  test(
    "lotus: the appended block is moved into place, " +
      "the result parses and validates, every other line is the fixture's",
    () => {
      const fixture = readFileSync(join(FIXTURES, "lotus/default-lotus-config.toml"), "utf8");
      const file = join(root, ".lotus/config.toml");
      mkdirSync(join(root, ".lotus"));
      writeFileSync(file, fixture + APPENDED);
      chmodSync(file, 0o600);
      const broken = kitcfg(["validate", "lotus"], { root });
      // The appended block makes the TOML unparsable: exit 3, as from every command.
      expect(broken.code).toBe(3);
      expect(broken.stderr).toContain("Cannot parse");

      const dry = kitcfg(["repair", "lotus", "--dry-run"], { root });
      expect(dry.code).toBe(0);
      expect(dry.stdout).not.toContain("tracer-token-XYZ");
      expect(readFileSync(file, "utf8")).toBe(fixture + APPENDED);

      const ran = kitcfg(["repair", "lotus", "--json"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stdout).not.toContain("tracer-token-XYZ");
      const [result] = JSON.parse(ran.stdout).results;
      expect(result.fixes).toEqual([
        'moved "API.ListenAddress" (line 424) to API.ListenAddress',
        'moved "EnableSplitstore" (line 425) to Chainstore.EnableSplitstore',
        'moved "DefaultMaxFee" (line 426) to Fees.DefaultMaxFee',
        'could not place "api_port" (line 427): it is not a Lotus option',
        'moved "Libp2p.ListenAddresses" (line 428) to Libp2p.ListenAddresses',
        'moved "ConnMgrLow" (line 431) to Libp2p.ConnMgrLow',
        'moved "TracerSourceAuth" (line 432) to Pubsub.TracerSourceAuth',
        `removed what the older tool appended to ${file} from line 423 ` +
          `("# Updated by daemon_config_manager") on; the old file is kept in history`,
      ]);

      const repaired = readFileSync(file, "utf8");
      const parsed = toml.parse(repaired) as Record<string, Record<string, unknown>>;
      expect(parsed.Chainstore!.EnableSplitstore).toBe(false);
      expect(parsed.Libp2p!.ListenAddresses).toEqual(["/ip4/0.0.0.0/tcp/1235", "/ip6/::/tcp/1235"]);
      const old = fixture.split("\n");
      const now = repaired.split("\n");
      expect(now.length).toBe(old.length);
      expect(now.filter((line, i) => line !== old[i])).toEqual([
        '  ListenAddress = "/ip4/0.0.0.0/tcp/1234/http"',
        '  ListenAddresses = ["/ip4/0.0.0.0/tcp/1235", "/ip6/::/tcp/1235"]',
        "  ConnMgrLow = 100",
        '  TracerSourceAuth = "tracer-token-XYZ"',
        '  DefaultMaxFee = "0.5 FIL"',
        "  EnableSplitstore = false",
      ]);
      expect(kitcfg(["validate", "lotus"], { root }).code).toBe(0);
      expect(history("lotus", "config")).toEqual([fixture + APPENDED]);
    },
  );

  test("lotus: a file that does not parse until repaired points to repair, not to configure --force", () => {
    const fixture = readFileSync(join(FIXTURES, "lotus/default-lotus-config.toml"), "utf8");
    mkdirSync(join(root, ".lotus"));
    writeFileSync(join(root, ".lotus/config.toml"), fixture + APPENDED, { mode: 0o600 });
    const repairable = "`kitcfg repair lotus` can fix it";
    for (const args of [["validate", "lotus"], ["status"], ["show", "lotus"], ["update", "lotus", "--unset", "x"]]) {
      const ran = kitcfg(args, { root });
      expect({ args, code: ran.code }).toEqual({ args, code: 3 });
      expect(ran.stderr).toContain(repairable);
      expect(ran.stderr).not.toContain("configure lotus --force");
    }
    // A line that is not the older tool's is no repair's to fix.
    writeFileSync(join(root, ".lotus/config.toml"), `${fixture}\nBroken = True\n`, { mode: 0o600 });
    const other = kitcfg(["show", "lotus"], { root });
    expect(other.code).toBe(3);
    expect(other.stderr).not.toContain(repairable);
    expect(other.stderr).toContain("configure lotus --force");
  });

  test("lotus: an appended secret that cannot be placed is removed without its value ever shown", () => {
    const fixture = readFileSync(join(FIXTURES, "lotus/default-lotus-config.toml"), "utf8");
    const file = join(root, ".lotus/config.toml");
    mkdirSync(join(root, ".lotus"));
    // `repr()` of a list: Wallet.RemoteBackend takes a string, so the repair cannot place it.
    const appended =
      "\n# Updated by daemon_config_manager\nWallet.RemoteBackend = ['walletTOKEN123:/ip4/1.2.3.4/tcp/1']\n";
    writeFileSync(file, fixture + appended, { mode: 0o600 });
    for (const args of [
      ["repair", "lotus", "--dry-run"],
      ["repair", "lotus", "--json"],
      ["diff", "lotus"],
    ]) {
      const ran = kitcfg(args, { root });
      expect({ args, code: ran.code }).toEqual({ args, code: 0 });
      expect(ran.stdout + ran.stderr).not.toContain("walletTOKEN123");
    }
    expect(readFileSync(file, "utf8")).toBe(fixture);
  });

  test("a daemon with nothing kitcfg knows to repair says so and exits 0", () => {
    kitcfg(["configure", "huggingface"], { root });
    const ran = kitcfg(["repair", "huggingface"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("huggingface has nothing kitcfg knows how to repair");
    kitcfg(["configure", "lotus"], { root });
    const lotus = kitcfg(["repair", "lotus"], { root });
    expect(lotus.code).toBe(0);
    expect(lotus.stdout).toContain("lotus: nothing to repair");
  });

  test("a secret file the older tool left readable by others gets its mode back, from repair and repair all", () => {
    // daemon_config_manager.py writes every file with open(..., "w"): 0644 under the usual umask.
    writeFileSync(join(root, ".s3cfg"), `[default]\n${LEGACY_S3CFG}`, { mode: 0o644 });
    chmodSync(join(root, ".s3cfg"), 0o644);
    kitcfg(["configure", "huggingface", "--set", "offline=true"], { root });
    writeFileSync(join(root, ".cache/huggingface/token"), "hf_kitcfgModeToken42", { mode: 0o644 });
    chmodSync(join(root, ".cache/huggingface/token"), 0o644);
    const mode = (file: string) => statSync(join(root, file)).mode & 0o777;
    const invalid = kitcfg(["validate", "s3"], { root });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("(mode 644); run chmod 600 on it (`kitcfg repair s3` does)");

    const dry = kitcfg(["repair", "s3", "--dry-run"], { root });
    expect([dry.code, mode(".s3cfg")]).toEqual([0, 0o644]);
    expect(dry.stdout).toContain(`s3: would fix: ${join(root, ".s3cfg")}: mode 644 -> 600, as it holds secrets`);
    expect(dry.stdout).not.toContain("nothing to repair");

    // huggingface has no repair hook: repair all lists it for its token file's mode alone.
    const all = kitcfg(["repair", "all", "--json"], { root });
    expect(all.code).toBe(0);
    const results = JSON.parse(all.stdout).results as { daemon: string; changed: boolean; fixes: string[] }[];
    expect(results.map((r) => [r.daemon, r.changed, r.fixes.length])).toEqual([
      ["huggingface", true, 1],
      ["s3", true, 1],
    ]);
    expect([mode(".s3cfg"), mode(".cache/huggingface/token")]).toEqual([0o600, 0o600]);
    expect(all.stdout).not.toContain("hf_kitcfgModeToken42");
    expect(kitcfg(["validate", "s3"], { root }).code).toBe(0);
    expect(kitcfg(["repair", "s3"], { root }).stdout).toContain("s3: nothing to repair");
  });

  test("a token the older tool merged into Hugging Face's config.json is warned about and moved to its file", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const config = join(root, ".cache/huggingface/config.json");
    const token = join(root, ".cache/huggingface/token");
    const legacy = { ...JSON.parse(readFileSync(config, "utf8")), token: "hf_kitcfgMergedToken77" };
    writeFileSync(config, JSON.stringify(legacy, null, 2));
    // The Hub client reads the token file only: kitcfg's "valid" alone would hide that it has none.
    const warned = kitcfg(["validate", "huggingface"], { root });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      `"token": is in ${config}, where huggingface never reads it: it reads ${token}, which is missing; ` +
        "`kitcfg repair huggingface` moves it there",
    );
    const fixed = kitcfg(["repair", "huggingface"], { root });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(
      `fixed: moved "token" from ${config} to ${token}, the only place huggingface reads it`,
    );
    expect(readFileSync(token, "utf8")).toBe("hf_kitcfgMergedToken77");
    expect(statSync(token).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(config, "utf8")).token).toBeUndefined();
    expect(kitcfg(["validate", "huggingface"], { root }).stderr).toBe("");
    expect(kitcfg(["repair", "huggingface"], { root }).stdout).toContain("nothing kitcfg knows how to repair");

    // A token file of its own wins: the merged copy is only removed.
    writeFileSync(config, JSON.stringify(legacy, null, 2));
    writeFileSync(token, "hf_kitcfgOwnToken88", { mode: 0o600 });
    expect(kitcfg(["validate", "huggingface"], { root }).stderr).toContain(
      "which holds its own; `kitcfg repair huggingface` removes it",
    );
    const removed = kitcfg(["repair", "huggingface", "--json"], { root });
    expect(JSON.parse(removed.stdout).results[0].fixes).toEqual([
      `removed "token" from ${config}: huggingface reads it from ${token} only, which holds its own`,
    ]);
    expect(readFileSync(token, "utf8")).toBe("hf_kitcfgOwnToken88");
    for (const ran of [warned, fixed, removed]) expect(ran.stdout + ran.stderr).not.toMatch(/kitcfg(Merged|Own)Token/);
  });

  test("repair all moves a token merged into Hugging Face's config.json, as repair huggingface does", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const config = join(root, ".cache/huggingface/config.json");
    const token = join(root, ".cache/huggingface/token");
    // The config file's mode is right: the setting in the wrong file is all there is to repair.
    const legacy = { ...JSON.parse(readFileSync(config, "utf8")), token: "hf_kitcfgAllToken55" };
    writeFileSync(config, JSON.stringify(legacy, null, 2));
    const ran = kitcfg(["repair", "all", "--json"], { root });
    expect(ran.code).toBe(0);
    const results = JSON.parse(ran.stdout).results as { daemon: string; changed: boolean; fixes: string[] }[];
    expect(results.map((r) => [r.daemon, r.changed, r.fixes])).toEqual([
      ["huggingface", true, [`moved "token" from ${config} to ${token}, the only place huggingface reads it`]],
    ]);
    expect(readFileSync(token, "utf8")).toBe("hf_kitcfgAllToken55");
    expect(JSON.parse(readFileSync(config, "utf8")).token).toBeUndefined();
    expect(ran.stdout + ran.stderr).not.toContain("hf_kitcfgAllToken55");
  });

  test("repair all goes through every daemon that has a repair", () => {
    writeFileSync(join(root, ".s3cfg"), LEGACY_S3CFG, { mode: 0o600 });
    mkdirSync(join(root, ".lotus"));
    copyFileSync(join(FIXTURES, "lotus/default-lotus-config.toml"), join(root, ".lotus/config.toml"));
    const ran = kitcfg(["repair", "all", "--json"], { root });
    expect(ran.code).toBe(0);
    const results = JSON.parse(ran.stdout).results as { daemon: string; changed: boolean }[];
    expect(results.find((r) => r.daemon === "s3")?.changed).toBe(true);
    expect(results.find((r) => r.daemon === "lotus")?.changed).toBe(false);
    expect(results.some((r) => r.daemon === "huggingface")).toBe(false);
  });
});
