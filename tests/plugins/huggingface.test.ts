import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const home = () => join(root, ".cache/huggingface");

/** What a POSIX shell sees after sourcing the env file the way systemd-style tools do. */
function sourced(file: string, names: string[]): Record<string, string> {
  const script = `set -a; . "${file}"; ${names.map((n) => `printf '%s=%s\\n' ${n} "$${n}"`).join("; ")}`;
  const out = Bun.spawnSync(["sh", "-c", script], { env: cleanEnv(root) }).stdout.toString();
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("huggingface plugin", () => {
  test("configure writes the older tool's keys, and an env file that agrees", async () => {
    expect((await runCli(["configure", "huggingface"], { root })).code).toBe(0);
    const config = JSON.parse(readFileSync(join(home(), "config.json"), "utf8"));
    // Under --root, paths are written as the client will see them: ~ is its own home.
    expect(config).toMatchObject({
      cache_dir: "~/.cache/huggingface",
      use_auth_token: false,
      offline: false,
      proxies: {},
      user_agent: "ipfs_kit_py/1.0",
    });
    const vars = sourced(join(home(), "huggingface.env"), ["HF_HOME", "HF_HUB_OFFLINE", "HF_TOKEN_PATH"]);
    expect(vars).toEqual({
      HF_HOME: "~/.cache/huggingface",
      HF_HUB_OFFLINE: "0",
      HF_TOKEN_PATH: "~/.cache/huggingface/token",
    });
  });

  test("every update keeps the env file in agreement with config.json", async () => {
    await runCli(["configure", "huggingface"], { root });
    await runCli(
      [
        "update",
        "huggingface",
        "--set",
        "offline=true",
        "--set",
        "endpoint=https://hf-mirror.example",
        "--set",
        "disable_telemetry=true",
        "--set",
        "proxies.https=http://proxy:3128",
      ],
      { root },
    );
    const vars = sourced(join(home(), "huggingface.env"), [
      "HF_HUB_OFFLINE",
      "HF_ENDPOINT",
      "HF_HUB_DISABLE_TELEMETRY",
      "HTTPS_PROXY",
    ]);
    expect(vars).toEqual({
      HF_HUB_OFFLINE: "1",
      HF_ENDPOINT: "https://hf-mirror.example",
      HF_HUB_DISABLE_TELEMETRY: "1",
      HTTPS_PROXY: "http://proxy:3128",
    });
    expect((await runCli(["validate", "huggingface"], { root })).code).toBe(0);
  });

  test("validate reports an env file edited out of agreement, and configure rewrites it", async () => {
    await runCli(["configure", "huggingface"], { root });
    const envFile = join(home(), "huggingface.env");
    writeFileSync(envFile, readFileSync(envFile, "utf8").replace("HF_HUB_OFFLINE=0", "HF_HUB_OFFLINE=1"));
    const ran = await runCli(["validate", "huggingface"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("disagrees with the configuration");
    expect((await runCli(["configure", "huggingface"], { root })).code).toBe(0);
    expect(readFileSync(envFile, "utf8")).toContain("HF_HUB_OFFLINE=0");
  });

  test("a bad value edited into config.json is the error validate and status name, not the env file", async () => {
    await runCli(["configure", "huggingface"], { root });
    const configFile = join(home(), "config.json");
    writeFileSync(configFile, readFileSync(configFile, "utf8").replace('"offline": false', '"offline": "x"'));
    const ran = await runCli(["validate", "huggingface"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"offline": expected a boolean (true or false), got "x"');
    // configure, which that message would advise, refuses an invalid configuration.
    expect(ran.stderr).not.toContain("disagrees with the configuration");
    const status = JSON.parse((await runCli(["status", "--json"], { root })).stdout);
    const hf = status.daemons.find((d: { daemon: string }) => d.daemon === "huggingface");
    expect(hf.issues[0].key).toBe("offline");
  });

  test("configure moves a token the older tool merged into config.json to the token file, never drops it", async () => {
    // daemon_config_manager.py `_update_huggingface_config`: json.dump(indent=2) of a shallow dict.update.
    const legacy = {
      cache_dir: home(),
      use_auth_token: false,
      offline: false,
      proxies: {},
      user_agent: "ipfs_kit_py/1.0",
      token: "hf_legacyTOKEN42",
    };
    mkdirSync(home(), { recursive: true });
    writeFileSync(join(home(), "config.json"), JSON.stringify(legacy, null, 2));
    const ran = await runCli(["configure", "huggingface"], { root });
    expect(ran.code).toBe(0);
    expect(readFileSync(join(home(), "token"), "utf8")).toBe("hf_legacyTOKEN42");
    expect(readFileSync(join(home(), "config.json"), "utf8")).not.toContain("hf_legacyTOKEN42");
    expect(ran.stdout).not.toContain("left as it is");
    expect(ran.stdout + ran.stderr).not.toContain("hf_legacyTOKEN42");
  });

  test("the token goes to the token file the client reads, 0600 in a 0700 folder, never into config.json", async () => {
    const tokenPath = join(root, "secrets/hf/token");
    const env = cleanEnv(root, { HF_TOKEN_PATH: tokenPath });
    await runCli(["configure", "huggingface"], { root, env });
    expect((await runCli(["update", "huggingface", "--set", "token=hf_abcDEF123456"], { root, env })).code).toBe(0);
    expect(readFileSync(tokenPath, "utf8")).toBe("hf_abcDEF123456");
    expect(statSync(tokenPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, "secrets/hf")).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(home(), "config.json"), "utf8")).not.toContain("hf_abcDEF123456");
    expect(sourced(join(home(), "huggingface.env"), ["HF_TOKEN_PATH"]).HF_TOKEN_PATH).toBe(tokenPath);
    expect((await runCli(["update", "huggingface", "--unset", "token"], { root, env })).code).toBe(0);
    expect(existsSync(tokenPath)).toBe(false);
  });

  test("a diff shows where the token is (HF_TOKEN_PATH), and never the token", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    expect(
      kitcfg(["update", "huggingface", "--set", "token=hf_diffTOKEN77", "--set", "offline=true"], { root }).code,
    ).toBe(0);
    const diff = kitcfg(["diff", "huggingface"], { root });
    expect(diff.stdout).toContain('HF_TOKEN_PATH="~/.cache/huggingface/token"\n');
    expect(diff.stdout).toContain("+HF_HUB_OFFLINE=1");
    expect(diff.stdout).not.toContain("hf_diffTOKEN77");
  });

  test("HF_HOME moves every file, as the Hub client does", () => {
    const env = cleanEnv(root, { HF_HOME: join(root, "data/hf") });
    expect(kitcfg(["configure", "huggingface"], { root, env }).code).toBe(0);
    expect(existsSync(join(root, "data/hf/config.json"))).toBe(true);
    expect(existsSync(join(root, "data/hf/huggingface.env"))).toBe(true);
  });

  test("kitcfg env prints export lines that a shell can eval", () => {
    kitcfg(["configure", "huggingface"], { root });
    kitcfg(["update", "huggingface", "--set", "offline=true", "--set", 'user_agent=it\'s "quoted" $HOME'], { root });
    const exports = kitcfg(["env", "huggingface"], { root });
    expect(exports.code).toBe(0);
    const script = `eval "$(cat)"; printf '%s|%s|%s' "$HF_HUB_OFFLINE" "$HF_HOME" "$HF_TOKEN_PATH"`;
    const out = Bun.spawnSync(["sh", "-c", script], {
      stdin: Buffer.from(exports.stdout),
      env: cleanEnv(root),
    }).stdout.toString();
    // This machine's folders, under --root the root's (as IPFS_PATH is): the client goes where kitcfg wrote.
    const home = join(root, ".cache/huggingface");
    expect(out).toBe(`1|${home}|${home}/token`);
    // The env file, read by the daemon's own machine (an image built under a root), keeps its own paths.
    expect(readFileSync(join(home, "huggingface.env"), "utf8")).toContain('HF_HOME="~/.cache/huggingface"\n');
  });

  test("kitcfg env of a configuration with errors prints the variables and says so on stderr", () => {
    kitcfg(["configure", "huggingface"], { root });
    expect(kitcfg(["env", "huggingface"], { root }).stderr).toBe("");
    const file = join(root, ".cache/huggingface/config.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), etag_timeout: "1.5" }));
    const exports = kitcfg(["env", "huggingface"], { root });
    expect(exports.code).toBe(0);
    expect(exports.stdout).toContain("HF_HUB_ETAG_TIMEOUT='1.5'");
    expect(exports.stderr).toContain(
      "huggingface's configuration has an error: a client given these variables may refuse them; " +
        "see `kitcfg validate huggingface`",
    );
  });

  test("kitcfg env exports no variable for a value of another JSON type (no [object Object])", () => {
    kitcfg(["configure", "huggingface"], { root });
    const file = join(root, ".cache/huggingface/config.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), endpoint: { a: 1 } }));
    const exports = kitcfg(["env", "huggingface"], { root });
    expect(exports.code).toBe(0);
    expect(exports.stdout).not.toContain("HF_ENDPOINT");
    expect(exports.stderr).toContain("huggingface's configuration has an error");
  });

  test("kitcfg env gives hub_cache and assets_cache as this machine has them, as it does HF_HOME", () => {
    kitcfg(["configure", "huggingface"], { root });
    const sets = ["--set", "hub_cache=~/models", "--set", "assets_cache=/srv/hf/assets"];
    expect(kitcfg(["update", "huggingface", ...sets], { root }).code).toBe(0);
    const exports = kitcfg(["env", "huggingface"], { root }).stdout;
    // Before, `~` went out as it is: the client, expanding it, filled the real home's cache, not the root's.
    expect(exports).toContain(`export HF_HUB_CACHE='${join(root, "models")}'\n`);
    expect(exports).toContain(`export HF_ASSETS_CACHE='${join(root, "srv/hf/assets")}'\n`);
    const file = readFileSync(join(root, ".cache/huggingface/huggingface.env"), "utf8");
    expect(file).toContain('HF_HUB_CACHE="~/models"\n');
    // The client expands $HF_HOME with the HF_HOME exported beside it, whatever this shell holds.
    expect(kitcfg(["update", "huggingface", "--set", "hub_cache=$HF_HOME/hub"], { root }).code).toBe(0);
    const again = kitcfg(["env", "huggingface"], { root }).stdout;
    expect(again).toContain(`export HF_HUB_CACHE='${join(root, ".cache/huggingface/hub")}'\n`);
  });

  test("a relative cache folder is a warning: the client reads it from the folder each program runs in", () => {
    kitcfg(["configure", "huggingface"], { root });
    const ran = kitcfg(["update", "huggingface", "--set", "hub_cache=models"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"hub_cache": is a relative path');
    expect(kitcfg(["update", "huggingface", "--set", "hub_cache=$HF_HOME/hub"], { root }).stderr).toBe("");
  });

  test("an empty folder and one with a tab are the client's to take: a warning, and written as they are", () => {
    kitcfg(["configure", "huggingface"], { root });
    // The client reads "" as the folder it runs in, and a tab as part of a name (constants.py, no check).
    const ran = kitcfg(["update", "huggingface", "--set", "hub_cache=", "--set", "assets_cache=~/a\tb"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"hub_cache": is empty: the client takes the folder each program runs in');
    const file = join(home(), "huggingface.env");
    expect(sourced(file, ["HF_HUB_CACHE", "HF_ASSETS_CACHE"])).toEqual({ HF_HUB_CACHE: "", HF_ASSETS_CACHE: "~/a\tb" });
    // A shell gets "" too, not the root or home a path is resolved against.
    const exports = kitcfg(["env", "huggingface"], { root }).stdout;
    expect(exports).toContain("export HF_HUB_CACHE=''\n");
    expect(exports).toContain(`export HF_ASSETS_CACHE='${join(root, "a\tb")}'\n`);
    expect(kitcfg(["validate", "huggingface"], { root }).code).toBe(0);
    // A line break cannot stand in the env file, one variable a line.
    const refused = kitcfg(["update", "huggingface", "--set", "hub_cache=a\nb"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("expected a path on one line");
  });
});
