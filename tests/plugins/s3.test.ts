import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, FIXTURES, hasTool, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

/** The tests that run the real s3cmd are skipped, with a notice, where it is not installed. */
const S3CMD = hasTool("s3cmd", "3 s3 plugin tests that run the real s3cmd");

/** Run the real s3cmd on a config file (.ci/run installs Debian's). */
function dumpConfig(file: string, env: Record<string, string> = {}): Map<string, string> {
  const result = Bun.spawnSync(["s3cmd", "-c", file, "--dump-config"], {
    env: cleanEnv(root, env),
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0) throw new Error(`s3cmd failed (${result.exitCode}): ${result.stderr.toString()}`);
  const values = new Map<string, string>();
  for (const line of result.stdout.toString().split("\n")) {
    const match = /^(\w+) = (.*)$/.exec(line);
    if (match) values.set(match[1]!, match[2]!);
  }
  return values;
}

describe("s3 plugin", () => {
  test.skipIf(!S3CMD)("the real s3cmd reads back every value kitcfg set", async () => {
    expect((await runCli(["configure", "s3"], { root })).code).toBe(0);
    const file = join(root, ".s3cfg");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const ran = await runCli(
      [
        "update",
        "s3",
        "--set",
        "access_key=AKIAKITCFGTEST",
        "--set",
        "secret_key=kitcfg/secret+key",
        "--set",
        "host_base=minio.local:9000",
        "--set",
        "host_bucket=minio.local:9000/%(bucket)s",
        "--set",
        "use_https=false",
        "--set",
        "multipart_chunk_size_mb=64",
        "--set",
        "signature_v2=true",
        "--set",
        "bucket_location=eu-west-1",
      ],
      { root },
    );
    expect(ran.code).toBe(0);
    const dump = dumpConfig(file);
    expect(dump.get("access_key")).toBe("AKIAKITCFGTEST");
    expect(dump.get("secret_key")).toBe("kitcfg/secret+key");
    expect(dump.get("host_base")).toBe("minio.local:9000");
    expect(dump.get("host_bucket")).toBe("minio.local:9000/%(bucket)s");
    expect(dump.get("use_https")).toBe("False");
    expect(dump.get("signature_v2")).toBe("True");
    expect(dump.get("multipart_chunk_size_mb")).toBe("64");
    expect(dump.get("bucket_location")).toBe("eu-west-1");
    expect(readFileSync(file, "utf8")).toContain("use_https = False\n");
  });

  test.skipIf(!S3CMD)(
    "the defaults are s3cmd's own: its dump of kitcfg's file matches the fixture but for keys and the tty default",
    async () => {
      await runCli(["configure", "s3"], { root });
      await runCli(
        [
          "update",
          "s3",
          "--set",
          "access_key=EXAMPLE_ACCESS_KEY",
          "--set",
          "secret_key=EXAMPLE_SECRET_KEY",
          "--set",
          "progress_meter=false",
        ],
        { root },
      );
      const ours = dumpConfig(join(root, ".s3cfg"));
      const fixture = readFileSync(join(FIXTURES, "s3/s3cfg-default"), "utf8");
      for (const line of fixture.split("\n")) {
        const match = /^(\w+) = (.*)$/.exec(line);
        if (match) expect(`${match[1]} = ${ours.get(match[1]!)}`).toBe(line);
      }
    },
  );

  test("setting one key in a commented .s3cfg changes one line", async () => {
    const file = join(root, ".s3cfg");
    const text =
      "# s3cmd settings for the lab\n[default]\n# credentials\naccess_key = AKIAOLD\n" +
      "secret_key = oldsecret\n\n# endpoint\nhost_base = s3.amazonaws.com\nuse_https = True\n";
    writeFileSync(file, text, { mode: 0o600 });
    expect((await runCli(["update", "s3", "--set", "host_base=minio.lab:9000"], { root })).code).toBe(0);
    const after = readFileSync(file, "utf8").split("\n");
    const before = text.split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(["host_base = minio.lab:9000"]);
  });

  test("a key in several sections: set where s3cmd reads it, the shadowed copies kept and never shown", async () => {
    const file = join(root, ".s3cfg");
    const text =
      "[default]\naccess_key = AKIASHADOWED1\nsecret_key = shadowedsecret1\nhost_base = s3.amazonaws.com\n" +
      "secret_key = shadowedsecret2\n[other]\naccess_key = AKIAREADLAST\nsecret_key = readlastsecret\n";
    writeFileSync(file, text, { mode: 0o600 });
    if (S3CMD) expect(dumpConfig(file).get("secret_key")).toBe("readlastsecret");
    const set = kitcfg(["update", "s3", "--set", "host_base=minio.lab:9000"], { root });
    expect(set.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(text.replace("s3.amazonaws.com", "minio.lab:9000"));
    const secrets = ["AKIASHADOWED1", "shadowedsecret1", "shadowedsecret2", "AKIAREADLAST", "readlastsecret"];
    for (const args of [
      ["update", "s3", "--set", "secret_key=freshsecret9", "--dry-run"],
      ["update", "s3", "--set", "host_base=s3.example", "--dry-run", "--json"],
    ]) {
      const shown = kitcfg(args, { root });
      for (const secret of secrets) expect(`${args.join(" ")}: ${shown.stdout}${shown.stderr}`).not.toContain(secret);
    }
    expect(kitcfg(["update", "s3", "--set", "secret_key=freshsecret9"], { root }).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      text.replace("s3.amazonaws.com", "minio.lab:9000").replace("readlastsecret", "freshsecret9"),
    );
    const diff = kitcfg(["diff", "s3"], { root });
    expect(diff.stdout).toContain("+secret_key = <redacted:changed>");
    for (const secret of [...secrets, "freshsecret9"]) expect(diff.stdout).not.toContain(secret);
    if (S3CMD) expect(dumpConfig(file).get("secret_key")).toBe("freshsecret9");
  });

  test.skipIf(!S3CMD)("S3CMD_CONFIG moves the file, as s3cmd does", () => {
    const env = cleanEnv(root, { S3CMD_CONFIG: join(root, "elsewhere/s3.ini") });
    expect(kitcfg(["configure", "s3"], { root, env }).code).toBe(0);
    // With no key in the file s3cmd would ask the EC2 metadata service; give it keys the way it reads them.
    const keys = { AWS_ACCESS_KEY_ID: "AKIAFROMENV", AWS_SECRET_ACCESS_KEY: "fromenv" };
    expect(dumpConfig(join(root, "elsewhere/s3.ini"), keys).get("host_base")).toBe("s3.amazonaws.com");
  });

  test("the fixture validates, and booleans in s3cmd's other spellings are accepted", async () => {
    const file = join(root, ".s3cfg");
    copyFileSync(join(FIXTURES, "s3/s3cfg-default"), file);
    chmodSync(file, 0o600);
    expect((await runCli(["validate", "s3"], { root })).code).toBe(0);
    writeFileSync(file, "[default]\naccess_key = a\nsecret_key = b\nuse_https = yes\nsignature_v2 = off\n", {
      mode: 0o600,
    });
    const shown = await runCli(["show", "s3", "--json"], { root });
    expect(JSON.parse(shown.stdout).value.use_https).toBe(true);
    expect(JSON.parse(shown.stdout).value.signature_v2).toBe(false);
    writeFileSync(file, "[default]\nuse_https = perhaps\n", { mode: 0o600 });
    const invalid = await runCli(["validate", "s3"], { root });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('"use_https": expected a boolean');
  });

  test("a key s3cmd has no option for is a warning, as s3cmd never reads it; an option is not", async () => {
    const file = join(root, ".s3cfg");
    const text = "[default]\naccess_key = a\nsecret_key = b\nUSER_PATH = /x\nHost_Base = elsewhere\n";
    writeFileSync(file, text, { mode: 0o600 });
    const ran = await runCli(["validate", "s3"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"USER_PATH": is not an s3cmd option: s3cmd ignores it');
    // Names are matched exactly: s3cmd reads host_base, never Host_Base.
    expect(ran.stderr).toContain('"Host_Base": is not an s3cmd option');
    expect(ran.stderr).not.toContain('"access_key"');
    if (S3CMD) {
      const dumped = dumpConfig(file);
      expect([dumped.has("USER_PATH"), dumped.get("host_base")]).toEqual([false, "s3.amazonaws.com"]);
    }
  });
});
