import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { update } from "../../core/change.ts";
import { readSnapshot } from "../../core/snapshot.ts";
import { secretStrings } from "../../core/redact.ts";
import { listTree, openTestKit, pluginNames, seededRandom } from "../_safety.ts";
import { cleanEnv, KITCFG, kitcfg, tempDir } from "../helpers.ts";

let names: string[] = [];
const scratch = tempDir("kitcfg-secrets-names-");
beforeAll(async () => (names = await pluginNames(scratch.dir)));
afterAll(() => scratch.cleanup());

const random = seededRandom(4242);
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");

/** Values a secret key may take, tried in order until the plugin accepts one. */
function candidates(name: string, i: number): string[] {
  const tag = `${name.replaceAll("-", "")}${i}`;
  return [
    `kitcfgSecret${tag}Q7x${hex(8)}`,
    hex(64),
    `${hex(8)}:kitcfgPass${tag}${hex(8)}`,
    `/ip4/127.0.0.1/tcp/1234/p2p/kitcfgSecret${tag}${hex(8)}`,
  ];
}

/**
 * Configure `name` under a fresh root and give every secret key a known value the plugin
 * accepts; returns the root and every secret value now in its configuration (generated
 * ones too: identities, cluster secrets), at least 8 characters long.
 */
async function withKnownSecrets(
  name: string,
): Promise<{ root: string; cleanup: () => void; keys: string[]; values: string[] }> {
  const { dir: root, cleanup } = tempDir(`kitcfg-secrets-${name}-`);
  expect(kitcfg(["configure", name], { root }).code).toBe(0);
  const kit = await openTestKit(root);
  const patterns = kit.target(name).plugin.secrets ?? [];
  const keys: string[] = [];
  // Two rounds: a key may be refused until another is set (an access key needs its secret key).
  for (let round = 0; round < 2; round++) {
    for (const [i, pattern] of patterns.entries()) {
      const key = pattern.replaceAll("*", "kitcfguser");
      if (keys.includes(key)) continue;
      for (const text of candidates(name, i)) {
        try {
          await update(kit, { daemon: name, requests: [{ op: "set", key, text }] });
          keys.push(key);
          break;
        } catch {
          // this value does not fit the key: try the next
        }
      }
    }
  }
  const config = (await readSnapshot((await openTestKit(root)).target(name))).config;
  const values = [...new Set(secretStrings(config, patterns))].filter((v) => v.length >= 8);
  return { root, cleanup, keys, values };
}

function leaked(output: string, values: string[]): string[] {
  return values.filter((value) => output.includes(value) || output.includes(JSON.stringify(value).slice(1, -1)));
}

describe("secrets never appear in output", () => {
  test("every plugin: every command's output, human and --json, diffs, history, errors", async () => {
    const summary: string[] = [];
    for (const name of names) {
      const { root, cleanup, keys, values } = await withKnownSecrets(name);
      try {
        const fresh = [`kitcfgNew${hex(16)}`, `kitcfgEnv${hex(16)}`, `kitcfgFile${hex(16)}`];
        const env = cleanEnv(root, { KITCFG_TEST_SECRET: fresh[1]! });
        writeFileSync(join(root, "secret-file"), `${fresh[2]}\n`);
        const outputs: string[] = [];
        const run = (...args: string[]) => {
          const ran = kitcfg(args, { root, env });
          outputs.push(ran.stdout + ran.stderr);
          expect(ran.stderr).not.toContain("Internal error");
          return ran;
        };
        const views = () => {
          for (const json of [[], ["--json"]]) {
            run("list", ...json);
            run("status", ...json);
            run("show", name, ...json);
            run("validate", ...json);
            run("validate", name, ...json);
            run("history", name, ...json);
            run("diff", name, ...json);
            run("restore", name, "--dry-run", ...json);
            run("configure", name, "--force", "--dry-run", ...json);
            run("env", name, ...json);
            for (const key of keys) run("get", name, key, ...json);
            for (const key of keys) run("get", name, key.split(".")[0]!, ...json);
          }
          const oldest = JSON.parse(run("history", name, "--json").stdout).versions.at(-1)?.id;
          if (oldest) {
            run("diff", name, "--from", oldest);
            run("diff", name, "--from", oldest, "--to", "current", "--json");
            run("restore", name, oldest, "--dry-run");
          }
        };
        views();
        for (const key of keys) {
          run("update", name, "--set", `${key}=${fresh[0]}`, "--dry-run");
          run("update", name, "--set", `${key}=${fresh[0]}`, "--dry-run", "--json");
          run("update", name, "--set", `${key}=${fresh[0]} \u0001 not valid`);
          run("update", name, "--set", `${key}=${fresh[0]}`, "--set", "no.such.key.anywhere=1");
        }
        if (keys[0]) {
          run("update", name, "--set-env", `${keys[0]}=KITCFG_TEST_SECRET`);
          run("update", name, "--set", `${keys[0]}=@${join(root, "secret-file")}`, "--json");
          views();
          run("restore", name);
          run("configure", name, "--force");
          views();
        }
        // A secret file that no longer parses: its error names a line, never its content.
        const kit = await openTestKit(root);
        for (const file of kit.target(name).files.filter((f) => f.secret && !f.spec.derive)) {
          try {
            writeFileSync(file.path, `${readFileSync(file.path, "utf8")}\n}}} broken {{{ "\n`);
          } catch {}
        }
        run("show", name);
        run("validate", name, "--json");
        run("update", name, "--set", `${keys[0] ?? "x"}=${fresh[0]}`);
        const all = [...values, ...fresh];
        expect({ name, leaked: leaked(outputs.join("\n"), all) }).toEqual({ name, leaked: [] });
        summary.push(
          `${name}: ${keys.length}/${(kit.target(name).plugin.secrets ?? []).length} secret keys set, ` +
            `${all.length} values, ${outputs.length} outputs`,
        );
      } finally {
        cleanup();
      }
    }
    console.log(`secrets: ${summary.join("; ")}`);
  }, 180_000);
});

describe("secret files on disk", () => {
  test("every plugin: secret files are 0600 in 0700 folders, in history too", async () => {
    for (const name of names) {
      const { root, cleanup } = await withKnownSecrets(name);
      try {
        const kit = await openTestKit(root);
        for (const file of kit.target(name).files.filter((f) => f.secret)) {
          let mode: number;
          try {
            mode = statSync(file.path).mode & 0o777;
          } catch {
            continue; // an optional secret file the plugin did not write
          }
          expect({ file: file.path, mode: mode.toString(8) }).toEqual({ file: file.path, mode: "600" });
          // 0700 unless the plugin declares the daemon's own folder mode (kubo's repo is 0755).
          const folderMode = (file.spec.dirMode ?? 0o700).toString(8);
          if (dirname(file.path) !== root)
            expect((statSync(dirname(file.path)).mode & 0o777).toString(8)).toBe(folderMode);
        }
        const history = join(kit.stateDir, "history");
        for (const path of listTree(history)) {
          const stat = statSync(join(history, path));
          if (stat.isDirectory())
            expect({ path, mode: (stat.mode & 0o777).toString(8) }).toEqual({ path, mode: "700" });
        }
        for (const file of kit.target(name).files.filter((f) => f.secret)) {
          const dir = join(history, name, ...(kit.target(name).instance ? [kit.target(name).instance!] : []), file.key);
          for (const path of listTree(dir))
            expect({ path, mode: (statSync(join(dir, path)).mode & 0o777).toString(8) }).toEqual({ path, mode: "600" });
        }
      } finally {
        cleanup();
      }
    }
  }, 60_000);

  test("every plugin: validate reports a secret file readable by group or others", async () => {
    for (const name of names) {
      const { root, cleanup } = await withKnownSecrets(name);
      try {
        const kit = await openTestKit(root);
        const file = kit.target(name).files.find((f) => f.secret && !f.spec.derive && statSafe(f.path));
        if (!file) continue;
        expect(kitcfg(["validate", name], { root }).stdout).not.toContain("readable by others");
        chmodSync(file.path, 0o644);
        const ran = kitcfg(["validate", name], { root });
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain(
          `${file.path} holds secrets but is readable by others (mode 644); run chmod 600 on it`,
        );
      } finally {
        cleanup();
      }
    }
  }, 60_000);

  test("an update keeps a secret file's mode and says when others can read it, as validate does", () => {
    const { dir: root, cleanup } = tempDir();
    try {
      expect(
        kitcfg(["configure", "s3", "--set", "access_key=AKIAMODE", "--set", "secret_key=modeSecret1"], { root }).code,
      ).toBe(0);
      const file = join(root, ".s3cfg");
      chmodSync(file, 0o644);
      const ran = kitcfg(["update", "s3", "--set", "use_https=False"], { root });
      expect(ran.code).toBe(0);
      const warning = `⚠ s3: ${file} holds secrets but is readable by others (mode 644); run chmod 600 on it`;
      expect(ran.stderr).toContain(`${warning} (\`kitcfg repair s3\` does)`);
      expect((statSync(file).mode & 0o777).toString(8)).toBe("644");
      chmodSync(file, 0o600);
      expect(kitcfg(["update", "s3", "--set", "use_https=True"], { root }).stderr).not.toContain("readable by others");
    } finally {
      cleanup();
    }
  });

  test("an existing file keeps its mode and owner when rewritten", async () => {
    const { dir: root, cleanup } = tempDir();
    try {
      expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
      const file = join(root, ".s3cfg");
      chmodSync(file, 0o640);
      const owned = process.getuid?.() === 0;
      if (owned) chownSync(file, 4321, 4322);
      expect(kitcfg(["update", "s3", "--set", "host_base=h.example"], { root }).code).toBe(0);
      const stat = statSync(file);
      expect((stat.mode & 0o777).toString(8)).toBe("640");
      if (owned) expect([stat.uid, stat.gid]).toEqual([4321, 4322]);
      else console.log("skipped: owner kept: not running as root, cannot chown");
      expect(readFileSync(file, "utf8")).toContain("host_base = h.example");
    } finally {
      cleanup();
    }
  });
});

describe("secrets from a file or the environment", () => {
  test("--set key=@FILE and --set-env key=VAR write the value without it on the command line", async () => {
    const { dir: root, cleanup } = tempDir();
    try {
      writeFileSync(join(root, "hf-token"), "hf_kitcfgFromFile123\n");
      const env = cleanEnv(root, { HF_TEST_TOKEN: "hf_kitcfgFromEnv456" });
      expect(kitcfg(["configure", "huggingface", "--set", "token=@hf-token"], { root, env }).code).toBe(0);
      const token = join(root, ".cache/huggingface/token");
      expect(readFileSync(token, "utf8")).toBe("hf_kitcfgFromFile123");
      const ran = kitcfg(["update", "huggingface", "--set-env", "token=HF_TEST_TOKEN"], { root, env });
      expect(ran.code).toBe(0);
      expect(readFileSync(token, "utf8")).toBe("hf_kitcfgFromEnv456");
      expect(ran.stdout + ran.stderr).not.toContain("hf_kitcfgFrom");
      expect(kitcfg(["update", "huggingface", "--set", "user_agent=@@literal"], { root, env }).code).toBe(0);
      expect(JSON.parse(readFileSync(join(root, ".cache/huggingface/config.json"), "utf8")).user_agent).toBe(
        "@literal",
      );
      const missing = kitcfg(["update", "huggingface", "--set", "token=@/nonexistent/token"], { root, env });
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain(
        'Cannot set "token" for huggingface: cannot read /nonexistent/token: no such file',
      );
      const unset = kitcfg(["update", "huggingface", "--set-env", "token=NOT_SET"], { root, env });
      expect(unset.code).toBe(2);
      expect(unset.stderr).toContain('"NOT_SET" is not set');
      expect(kitcfg(["update", "huggingface", "--set", "token=@/dev/zero"], { root, env }).stderr).toContain(
        "not a regular file or a pipe",
      );
    } finally {
      cleanup();
    }
  });

  test("--set-env of a variable that is set but empty is refused, as a file that gives nothing is", () => {
    const { dir: root, cleanup } = tempDir();
    try {
      const env = cleanEnv(root, { LASSIE_AUTH: "", S3_SECRET: "" });
      expect(kitcfg(["configure", "lassie", "--set", "event_recorder_auth=kept0042"], { root, env }).code).toBe(0);
      const before = readFileSync(join(root, ".lassie/config.json"));
      const ran = kitcfg(["update", "lassie", "--set-env", "event_recorder_auth=LASSIE_AUTH"], { root, env });
      expect([ran.code, ran.stdout]).toEqual([1, ""]);
      expect(ran.stderr).toContain(
        'Cannot set "event_recorder_auth" for lassie: the variable "LASSIE_AUTH" is empty; ' +
          "to empty the key, give --set event_recorder_auth= or unset it",
      );
      expect(readFileSync(join(root, ".lassie/config.json"))).toEqual(before);
      expect(kitcfg(["configure", "s3", "--set-env", "secret_key=S3_SECRET"], { root, env }).code).toBe(1);
      expect(existsSync(join(root, ".s3cfg"))).toBe(false);
    } finally {
      cleanup();
    }
  });
});

function statSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

describe("secrets spelled otherwise in the files or the command", () => {
  /** Characters that JSON (Go's HTML-safe encoder), env files and TOML each spell their own way. */
  const NASTY = `<>&$"\\\`'`;
  /** Every character as a JSON `\uXXXX` escape: a spelling no redaction of raw text can see. */
  const uEscaped = (value: string) =>
    [...value].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  /** What must never appear: the value, its usual spellings, and its longest run of letters and digits. */
  const markers = (value: string) => {
    const json = JSON.stringify(value).slice(1, -1);
    const go = json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    const runs = value.match(/[A-Za-z0-9]{10,}/g) ?? [];
    return [value, json, go, value.replace(/["\\`$]/g, "\\$&"), uEscaped(value), ...runs];
  };
  const leaks = (output: string, values: string[]) =>
    values.flatMap((value) =>
      markers(value)
        .filter((m) => output.includes(m))
        .map((m) => `${m} (of ${value})`),
    );

  test('every plugin: secrets with <>&$"\\ and \\u escapes, ' +
    "in diffs, history, restore, configure --dry-run and MCP", async () => {
    const summary: string[] = [];
    for (const name of names) {
      const { dir: root, cleanup } = tempDir(`kitcfg-spelled-${name}-`);
      try {
        expect(kitcfg(["configure", name], { root }).code).toBe(0);
        const kit = await openTestKit(root);
        const target = kit.target(name);
        const patterns = target.plugin.secrets ?? [];
        const set: string[] = [];
        const values: string[] = [];
        const outputs: string[] = [];
        const run = (...args: string[]) => {
          const ran = kitcfg(args, { root });
          outputs.push(ran.stdout + ran.stderr);
          expect(ran.stderr).not.toContain("Internal error");
          return ran;
        };
        for (const [i, pattern] of patterns.entries()) {
          const key = pattern.replaceAll("*", "kitcfguser");
          const path = key.split(".");
          const value = `kitcfgNasty${name.replaceAll("-", "")}${i}${hex(10)}${NASTY}end${hex(6)}`;
          // Typed as JSON with \u escapes: on the parent object when there is one, else as a JSON string.
          const config = (await readSnapshot((await openTestKit(root)).target(name))).config as Record<string, any>;
          const parentPath = path.slice(0, -1);
          let parent: any = config;
          for (const p of parentPath) parent = parent?.[p];
          const attempts: string[] = [];
          if (parentPath.length > 0 && parent && typeof parent === "object") {
            const json = JSON.stringify({ ...parent, [path.at(-1)!]: "\u0000PLACEHOLDER" }).replace(
              JSON.stringify("\u0000PLACEHOLDER"),
              `"${uEscaped(value)}"`,
            );
            attempts.push(`${parentPath.join(".")}=${json}`);
          } else if (parentPath.length > 0) {
            // A credentials object that is not there yet: with the user name it needs beside the secret.
            for (const extra of ["", '"username":"kitcfguser",'])
              attempts.push(`${parentPath.join(".")}={${extra}"${path.at(-1)}":"${uEscaped(value)}"}`);
          }
          attempts.push(`${key}=${value}`);
          for (const attempt of attempts) {
            const ran = kitcfg(["update", name, "--set", attempt], { root });
            outputs.push(ran.stdout + ran.stderr);
            if (ran.code === 0) {
              set.push(key);
              values.push(value);
              break;
            }
          }
        }
        // Secrets generated at configure (cluster secret, identities) must not leak either.
        const now = (await readSnapshot((await openTestKit(root)).target(name))).config;
        for (const value of secretStrings(now, patterns))
          if (value.length >= 10 && !values.includes(value)) values.push(value);
        // A file a daemon (or a person) wrote with every secret spelled as \u escapes: the same values
        // to kubo and cluster.
        for (const file of target.files.filter((f) => f.spec.format === "json" && !f.spec.derive)) {
          let text: string;
          try {
            text = readFileSync(file.path, "utf8");
          } catch {
            continue;
          }
          for (const value of values) {
            for (const spelled of [
              JSON.stringify(value).slice(1, -1),
              JSON.stringify(value)
                .slice(1, -1)
                .replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
            ]) {
              text = text.split(`"${spelled}"`).join(`"${uEscaped(value)}"`);
            }
          }
          writeFileSync(file.path, text);
        }
        const fresh = `kitcfgFresh${hex(12)}${NASTY}\\u0041${hex(6)}`;
        values.push(fresh);
        run("show", name);
        run("validate", name, "--json");
        for (const json of [[], ["--json"]]) {
          run("history", name, ...json);
          run("diff", name, ...json);
          run("restore", name, "--dry-run", ...json);
          run("configure", name, "--force", "--dry-run", ...json);
        }
        for (const [i, key] of set.entries())
          run("update", name, "--set", `${key}=${fresh}`, "--dry-run", ...(i % 2 ? ["--json"] : []));
        const oldest = JSON.parse(run("history", name, "--json").stdout).versions?.at(-1)?.id;
        if (oldest) run("diff", name, "--from", oldest);
        // The same through MCP.
        outputs.push(...(await mcpOutputs(root, name, set, fresh)));
        // And after a restore, whose diffs show old and new side by side.
        run("restore", name);
        run("diff", name);
        run("history", name, "--json");
        expect({ name, leaked: leaks(outputs.join("\n"), values) }).toEqual({ name, leaked: [] });
        summary.push(
          `${name}: ${set.length}/${patterns.length} keys with <>&$"\\\\ values, ` +
            `${values.length} values, ${outputs.length} outputs`,
        );
      } finally {
        cleanup();
      }
    }
    console.log(`spelled secrets: ${summary.join("; ")}`);
  }, 240_000);

  test("a secret refused for blanks at its ends is not shown without them, given or by reference", () => {
    const { dir: root, cleanup } = tempDir("kitcfg-secrets-blanks-");
    try {
      kitcfg(["configure", "s3", "-q"], { root });
      const set = kitcfg(["set", "s3", "secret_key", " kitcfgBlankSecret31 "], { root });
      // A value given by reference is a secret whatever its key (README, "Fleet").
      writeFileSync(join(root, "host.toml"), '[s3.set]\nhost_base = "env:HOST_BASE"\n');
      const env = { ...cleanEnv(root), HOST_BASE: " kitcfgBlankRef32.example " };
      const desired = [["plan"], ["apply", "--json"]].map((args) => kitcfg([...args, "host.toml"], { root, env }));
      for (const ran of [set, ...desired]) {
        expect(ran.code).toBe(1);
        expect(ran.stdout + ran.stderr).toMatch(/s3cmd strips \(it would read \\?"<redacted>\\?"\)/);
        expect(ran.stdout + ran.stderr).not.toMatch(/kitcfgBlank(Secret31|Ref32)/);
      }
    } finally {
      cleanup();
    }
  });
});

/** Every MCP tool that shows a configuration, a diff or history, on `name`, as the JSON text of each result. */
async function mcpOutputs(root: string, name: string, keys: string[], fresh: string): Promise<string[]> {
  const { Client } = await import("@modelcontextprotocol/client");
  const { StdioClientTransport } = await import("@modelcontextprotocol/client/stdio");
  const client = new Client({ name: "kitcfg-secrets-test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: KITCFG,
      args: ["mcp", "--root", root],
      env: cleanEnv(root),
      cwd: root,
      stderr: "ignore",
    }),
  );
  const seen: string[] = [];
  const call = async (tool: string, args: Record<string, unknown>) =>
    seen.push(JSON.stringify(await client.callTool({ name: tool, arguments: args })));
  try {
    await call("get_daemon_config", { daemon_name: name });
    await call("daemon_config_history", { daemon_name: name });
    await call("diff_daemon_config", { daemon_name: name });
    await call("restore_daemon_config", { daemon_name: name, dry_run: true });
    await call("configure_daemon", { daemon_name: name, force: true, dry_run: true });
    await call("validate_daemon_configs", { daemon_name: name });
    for (const key of keys)
      await call("update_daemon_config", { daemon_name: name, config_updates: { [key]: fresh }, dry_run: true });
  } finally {
    await client.close();
  }
  return seen;
}

describe("secrets in files a person wrote by hand", () => {
  test("configure's refusal of a secret of the wrong type says <redacted>, as validate does", () => {
    const { dir: root, cleanup } = tempDir("kitcfg-secrets-typed-");
    try {
      kitcfg(["configure", "ipfs-cluster-ctl", "-q"], { root });
      kitcfg(["set", "ipfs-cluster-ctl", "basic_auth", '{"username":"u","password":"x"}', "-q"], { root });
      const file = join(root, ".ipfs-cluster/ctl/config.json");
      writeFileSync(file, readFileSync(file, "utf8").replace('"password": "x"', '"password": 4242424242'));
      for (const args of [[], ["--dry-run"], ["--json"]]) {
        const ran = kitcfg(["configure", "ipfs-cluster-ctl", ...args], { root });
        expect(ran.code).toBe(1);
        expect(ran.stdout + ran.stderr).toContain('"basic_auth.password": expected a string, got <redacted>');
        expect(ran.stdout + ran.stderr).not.toContain("4242424242");
      }
    } finally {
      cleanup();
    }
  });

  test("a secret on a commented-out or skipped line is redacted in diffs: lotus, s3cmd, a derived env file", () => {
    const { dir: root, cleanup } = tempDir("kitcfg-secrets-comment-");
    try {
      for (const name of ["lotus", "s3", "lassie"]) kitcfg(["configure", name, "-q"], { root });
      kitcfg(["set", "lotus", "Wallet.RemoteBackend", "kitcfgWalletTok91:http://127.0.0.1:1234", "-q"], { root });
      // Commented out by hand, as lotus's template writes every option: no value, still on disk.
      const toml = join(root, ".lotus/config.toml");
      writeFileSync(toml, readFileSync(toml, "utf8").replace("  RemoteBackend = ", "  #RemoteBackend = "));
      const s3cfg = join(root, ".s3cfg");
      const lines = ["# secret_key = kitcfgOldS3Secret92", "secret_key: kitcfgTypoS3Secret93", "secret_key = "];
      writeFileSync(s3cfg, readFileSync(s3cfg, "utf8").replace(/^secret_key = $/m, lines.join("\n")));
      const env = join(root, ".lassie/lassie.env");
      writeFileSync(env, `${readFileSync(env, "utf8")}# LASSIE_ACCESS_TOKEN=kitcfgCommentedTok94\n`);
      const runs = [
        kitcfg(["diff", "lotus"], { root }),
        kitcfg(["update", "s3", "--set", "restore_priority=Bulk", "--dry-run"], { root }),
        kitcfg(["update", "s3", "--set", "restore_priority=Bulk", "--dry-run", "--json"], { root }),
        kitcfg(["diff", "lassie"], { root }),
      ];
      for (const ran of runs) {
        // The diff shows the line, its value redacted.
        expect(ran.stdout).toMatch(/(#RemoteBackend = "|# secret_key = |# LASSIE_ACCESS_TOKEN=)<redacted/);
        expect(ran.stdout + ran.stderr).not.toMatch(/kitcfg(WalletTok|OldS3|TypoS3|CommentedTok)/);
      }
    } finally {
      cleanup();
    }
  });

  test("a JSON secret a later duplicate key shadows is redacted in diffs: the cluster secret, kubo's Identity", () => {
    const { dir: root, cleanup } = tempDir("kitcfg-secrets-duplicate-");
    try {
      for (const name of ["ipfs-cluster-service", "ipfs"]) kitcfg(["configure", name, "-q"], { root });
      const service = join(root, ".ipfs-cluster/service.json");
      const shadowed = "5ecre7".repeat(10).slice(0, 64);
      const text = readFileSync(service, "utf8");
      writeFileSync(service, text.replace('"cluster": {', `"cluster": {\n    "secret": "${shadowed}",`));
      // Go's decoder reads an object given twice into one struct: kubo keeps the first one's PrivKey.
      const config = join(root, ".ipfs/config");
      const key = "CAESQkitcfgShadowedPrivKey55";
      writeFileSync(config, readFileSync(config, "utf8").replace(/^\{/, `{\n  "Identity": {"PrivKey": "${key}"},`));
      const runs = [
        kitcfg(["diff", "ipfs-cluster-service"], { root }),
        kitcfg(["diff", "ipfs"], { root }),
        kitcfg(["diff", "ipfs", "--json"], { root }),
        kitcfg(["update", "ipfs-cluster-service", "--set", "cluster.peername=p2", "--dry-run"], { root }),
      ];
      for (const ran of runs) {
        expect(ran.stdout).toMatch(/"(secret|PrivKey)\\?": \\?"<redacted/);
        expect(ran.stdout + ran.stderr).not.toContain(shadowed);
        expect(ran.stdout + ran.stderr).not.toContain(key);
      }
    } finally {
      cleanup();
    }
  });

  test('credentials written as one "user:password" text where their object belongs are hidden and refused', () => {
    const { dir: root, cleanup } = tempDir("kitcfg-secrets-flat-");
    try {
      for (const name of ["ipfs-cluster-ctl", "ipfs-cluster-service"]) kitcfg(["configure", name, "-q"], { root });
      const ctl = join(root, ".ipfs-cluster/ctl/config.json");
      const written = JSON.parse(readFileSync(ctl, "utf8"));
      // As ctl's --basic-auth flag takes them; and the service's map of users as one text.
      writeFileSync(ctl, JSON.stringify({ ...written, basic_auth: "admin:kitcfgFlatPass61" }, null, 2));
      const service = join(root, ".ipfs-cluster/service.json");
      const text = readFileSync(service, "utf8");
      writeFileSync(
        service,
        text.replace(/"basic_auth_credentials": [^,]*,/, '"basic_auth_credentials": "u:kitcfgFlatPass62",'),
      );
      const runs = [
        kitcfg(["show", "ipfs-cluster-ctl"], { root }),
        kitcfg(["show", "ipfs-cluster-service", "--json"], { root }),
        kitcfg(["validate", "ipfs-cluster-ctl"], { root }),
        kitcfg(["validate", "ipfs-cluster-service", "--json"], { root }),
        kitcfg(["get", "ipfs-cluster-ctl", "basic_auth"], { root }),
        kitcfg(["get", "ipfs-cluster-service", "api.restapi.basic_auth_credentials"], { root }),
        kitcfg(["update", "ipfs-cluster-ctl", "--set", "timeout=5", "--dry-run"], { root }),
      ];
      for (const ran of runs) expect(ran.stdout + ran.stderr).not.toContain("kitcfgFlatPass");
      expect(runs[0]!.stdout).toContain('"basic_auth": "<redacted>"');
      expect(runs[4]!.stderr).toContain("is a secret");
    } finally {
      cleanup();
    }
  });

  test("a token written by hand in a derived env file is redacted in diffs, whether the file parses or not", () => {
    const { dir: root, cleanup } = tempDir("kitcfg-secrets-env-");
    try {
      kitcfg(["configure", "lassie", "-q"], { root });
      const env = join(root, ".lassie/lassie.env");
      // A variable of the daemon's own name, not the configuration's key (access_token).
      writeFileSync(env, `${readFileSync(env, "utf8")}LASSIE_ACCESS_TOKEN=kitcfgHandTokenOne77\n`);
      const parses = kitcfg(["configure", "lassie", "--dry-run"], { root });
      expect(parses.stdout).toContain("-LASSIE_ACCESS_TOKEN=<redacted>");
      // An unclosed quote: the file no longer parses, and its lines are still shown redacted.
      writeFileSync(env, `${readFileSync(env, "utf8")}LASSIE_ACCESS_TOKEN='kitcfgHandTokenTwo88\n`);
      for (const args of [["--dry-run"], ["--dry-run", "--json"], ["--force", "--dry-run"]]) {
        const ran = kitcfg(["configure", "lassie", ...args], { root });
        expect(ran.stdout + ran.stderr).not.toContain("kitcfgHandToken");
      }
      expect(kitcfg(["configure", "lassie", "--dry-run"], { root }).stdout).toContain(
        "-LASSIE_ACCESS_TOKEN='<redacted>",
      );
    } finally {
      cleanup();
    }
  });
});

describe("credentials written into a URL", () => {
  // A proxy, endpoint or router URL may carry a user name and password (`http://user:pass@host`),
  // whatever key holds it: every output hides them (core/redact.ts maskUrlCredentials).
  test("show, get, env, diffs, history and the desired-state result hide them; --reveal shows them", () => {
    const { dir: root, cleanup } = tempDir("kitcfg-url-credentials-");
    try {
      const env = cleanEnv(root);
      expect(kitcfg(["configure", "huggingface", "-q"], { root, env }).code).toBe(0);
      const url = "http://alice:kitcfgUrlPw48@proxy.lab:3128";
      const desired = join(root, "desired.json");
      writeFileSync(
        desired,
        JSON.stringify({ huggingface: { set: { "proxies.http": "http://c:kitcfgUrlPw50@p3:1" } } }),
      );
      const set = kitcfg(["set", "huggingface", "proxies.https", url], { root, env });
      expect(set.code).toBe(0);
      const shown = kitcfg(["show", "huggingface"], { root, env });
      expect(shown.stdout).toContain("http://<redacted>@proxy.lab:3128");
      const got = kitcfg(["get", "huggingface", "proxies.https"], { root, env });
      expect([got.code, got.stdout]).toEqual([1, ""]);
      expect(got.stderr).toContain("--reveal");
      expect(kitcfg(["get", "huggingface", "proxies.https", "--reveal"], { root, env }).stdout).toBe(`${url}\n`);
      expect(kitcfg(["env", "huggingface"], { root, env }).code).toBe(1);
      const outputs = [
        set,
        shown,
        got,
        kitcfg(["history", "huggingface"], { root, env }),
        kitcfg(["update", "huggingface", "--set", "proxies.https=http://bob:kitcfgUrlPw49@p2:1", "--dry-run"], {
          root,
          env,
        }),
        kitcfg(["plan", desired, "--json"], { root, env }),
      ];
      for (const ran of outputs)
        for (const pw of ["kitcfgUrlPw48", "kitcfgUrlPw49", "kitcfgUrlPw50"])
          expect(ran.stdout + ran.stderr).not.toContain(pw);
      const planned = JSON.parse(outputs.at(-1)!.stdout);
      expect(planned.daemons[0].secretKeys).toEqual(["proxies.http"]);
    } finally {
      cleanup();
    }
  });
});
