import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT_CODES } from "../../core/errors.ts";
import { cleanEnv, kitcfg, KITCFG, tempDir } from "../helpers.ts";

// Each test runs the binary several times; a loaded machine takes seconds for that.
setDefaultTimeout(60_000);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

describe("one meaning per exit code", () => {
  test(
    "a file that does not parse is exit 3 from configure, " + "validate, show, get, update and env, naming the line",
    () => {
      expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
      const file = join(root, ".cache/huggingface/config.json");
      writeFileSync(file, '{\n  "offline": tru\n}\n');
      const commands = [
        ["configure", "huggingface"],
        ["validate", "huggingface"],
        ["validate"],
        ["show", "huggingface"],
        ["get", "huggingface", "offline"],
        ["update", "huggingface", "--set", "offline=true"],
        ["env", "huggingface"],
        ["repair", "huggingface"],
        ["status"],
      ];
      for (const args of commands) {
        const ran = kitcfg(args, { root });
        expect({ args, code: ran.code }).toEqual({ args, code: 3 });
        expect(ran.stderr).toContain(file);
        expect(ran.stderr).toContain("line 2");
        expect(ran.stderr).not.toContain("    at ");
      }
      expect(kitcfg(["validate", "--json"], { root }).code).toBe(3);
      // status says why, as validate does.
      const status = JSON.parse(kitcfg(["status", "--json"], { root }).stdout).daemons[0];
      expect([status.valid, status.issues[0].code, status.issues[0].file]).toEqual([false, "PARSE_FAILED", file]);
      // A daemon named on its own that has no files at all is nothing matched: exit 1.
      expect(kitcfg(["repair", "lotus"], { root }).stderr).toContain("lotus is not configured");
      expect(kitcfg(["repair", "lotus"], { root }).code).toBe(1);
    },
  );

  test("an instance given for every daemon is a usage error (exit 2), not ignored", () => {
    for (const args of [
      ["validate", "--instance", "collab"],
      ["configure", "all", "--instance", "collab"],
      ["repair", "all", "--instance", "collab"],
    ]) {
      const ran = kitcfg(args, { root });
      expect({ args, code: ran.code }).toEqual({ args, code: 2 });
      expect(ran.stderr).toContain('Cannot use instance "collab" for every daemon');
    }
    // configure all wrote nothing.
    expect(JSON.parse(kitcfg(["status", "--json"], { root }).stdout).daemons.some((d: any) => d.configured)).toBe(
      false,
    );
  });

  test(
    "a refused value is exit 1, a line break in an s3cmd INI value included, " + "and the file stays byte-identical",
    () => {
      expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
      const file = join(root, ".s3cfg");
      const before = readFileSync(file);
      for (const set of ["host_base=a\nb", "host_base=a\rb", "use_https=maybe", "socket_timeout=1.5"]) {
        const ran = kitcfg(["update", "s3", "--set", set], { root });
        expect({ set, code: ran.code }).toEqual({ set, code: 1 });
        expect(ran.stderr).toContain(`Cannot set "${set.split("=")[0]}" for s3`);
      }
      expect(readFileSync(file)).toEqual(before);
    },
  );

  test("an unknown key is a usage error, exit 2, as the README's table says, with a suggestion", () => {
    expect(EXIT_CODES.UNKNOWN_KEY).toBe(2);
    const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
    expect(readme).toMatch(/\| 2 \| usage error: unknown command, option, daemon or key path/);
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "huggingface", "--set", "offlien=true"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Unknown key "offlien" for huggingface: did you mean "offline"?');
    expect(kitcfg(["update", "nosuchdaemon", "--set", "a=b"], { root }).code).toBe(2);
    // A known daemon without that value: nothing matched.
    expect(kitcfg(["get", "huggingface", "proxies.https"], { root }).code).toBe(1);
  });

  test("show > /dev/full is an I/O error: exit 3 and one line, no stack", () => {
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    const ran = Bun.spawnSync(["sh", "-c", `"${KITCFG}" show ipfs --root "${root}" > /dev/full`], {
      env: cleanEnv(root),
      stderr: "pipe",
    });
    const stderr = ran.stderr.toString();
    expect(ran.exitCode).toBe(3);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("Cannot write the output");
    expect(stderr).toContain("no space left on device");
    expect(stderr).not.toContain("Internal error");
  });

  test("a --json error that cannot reach stdout (/dev/full) is exit 3, the error said on stderr, no stack", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const ran = Bun.spawnSync(
      ["sh", "-c", `"${KITCFG}" get huggingface proxies.https --json --root "${root}" > /dev/full`],
      { env: cleanEnv(root), stderr: "pipe" },
    );
    const stderr = ran.stderr.toString();
    expect(ran.exitCode).toBe(3);
    expect(stderr).toContain('huggingface has no value at "proxies.https"');
    expect(stderr).toContain("Cannot write the output: ENOSPC");
    expect(stderr).not.toContain("Internal error");
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test("a stderr that cannot take the messages (2>/dev/full) leaves the exit code as the command's own", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    // s3 with no credentials warns on stderr: the write is done all the same.
    const ran = Bun.spawnSync(
      ["sh", "-c", `"${KITCFG}" set s3 host_base minio.lab:9000 --root "${root}" 2>/dev/full`],
      { env: cleanEnv(root), stdout: "pipe" },
    );
    expect(ran.exitCode).toBe(0);
    expect(ran.stdout.toString()).toContain("updated");
    expect(readFileSync(join(root, ".s3cfg"), "utf8")).toContain("host_base = minio.lab:9000\n");
    const refused = Bun.spawnSync(["sh", "-c", `"${KITCFG}" set s3 use_https maybe --root "${root}" 2>/dev/full`], {
      env: cleanEnv(root),
    });
    expect(refused.exitCode).toBe(1);
  });
});

describe("messages that name the real problem", () => {
  test("basic_auth with the wrong field names says which fields, not 'expected a JSON object'", () => {
    expect(kitcfg(["configure", "ipfs-cluster-ctl"], { root }).code).toBe(0);
    const file = join(root, ".ipfs-cluster/ctl/config.json");
    const before = readFileSync(file);
    const ran = kitcfg(["update", "ipfs-cluster-ctl", "--set", 'basic_auth={"user":"a","password":"b"}'], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"user" is not one of its fields (username, password)');
    expect(ran.stderr).toContain('"username" is missing');
    expect(ran.stderr).not.toContain('got "{');
    expect(readFileSync(file)).toEqual(before);
    expect(
      kitcfg(["update", "ipfs-cluster-ctl", "--set", 'basic_auth={"username":"a","password":"b"}'], { root }).code,
    ).toBe(0);
  });

  test(
    "get indexes arrays (Bootstrap.0, as ipfs config users expect); " + "--set on an index says to set the list whole",
    () => {
      expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
      const list = [
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
      ];
      expect(kitcfg(["update", "ipfs", "--set", `Bootstrap=${JSON.stringify(list)}`], { root }).code).toBe(0);
      expect(kitcfg(["get", "ipfs", "Bootstrap.0"], { root }).stdout).toBe(`${list[0]}\n`);
      expect(kitcfg(["get", "ipfs", "Bootstrap.1"], { root }).stdout).toBe(`${list[1]}\n`);
      expect(kitcfg(["get", "ipfs", "Bootstrap.2"], { root }).code).toBe(1);
      const before = readFileSync(join(root, ".ipfs/config"));
      const set = kitcfg(["update", "ipfs", "--set", "Bootstrap.0=/ip4/1.2.3.4/tcp/4001"], { root });
      expect(set.code).toBe(2);
      expect(set.stderr).toContain('"Bootstrap" is a list, set as a whole');
      expect(readFileSync(join(root, ".ipfs/config"))).toEqual(before);
    },
  );
});
