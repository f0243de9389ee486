import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, runCli, tempDir } from "../helpers.ts";
import { CTL_REFUSED, PEER } from "./_load-rules.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const configFile = () => join(root, ".ipfs-cluster/ctl/config.json");

/** The words a POSIX shell passes to a command for `text` (what `eval "ctl $(kitcfg args ...)"` gives ctl). */
function shellWords(text: string): string[] {
  const ran = Bun.spawnSync(["sh", "-c", `for w in ${text}; do printf '%s\\0' "$w"; done`], { env: cleanEnv(root) });
  return ran.stdout.toString().split("\0").slice(0, -1);
}

describe("ipfs-cluster-ctl", () => {
  test("configure writes ctl's flag defaults to config.json (0600), which validates and gives --host", async () => {
    expect((await runCli(["configure", "ipfs-cluster-ctl"], { root })).code).toBe(0);
    expect(JSON.parse(readFileSync(configFile(), "utf8"))).toEqual({
      host: "/ip4/127.0.0.1/tcp/9094",
      https: false,
      no_check_certificate: false,
      encoding: "text",
      timeout: 0,
      debug: false,
    });
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    expect((await runCli(["validate", "ipfs-cluster-ctl"], { root })).code).toBe(0);
    const args = kitcfg(["args", "ipfs-cluster-ctl"], { root });
    expect(args.code).toBe(0);
    expect(args.stdout).toBe("--host=/ip4/127.0.0.1/tcp/9094\n");
  });

  test("configure --set writes values in place of the defaults, typed and checked, or writes nothing", async () => {
    const refused = await runCli(["configure", "ipfs-cluster-ctl", "--set", "timeout=-1"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Cannot set "timeout" for ipfs-cluster-ctl: expected an integer from 0 to 9223372036, got "-1"',
    );
    const invalid = await runCli(["configure", "ipfs-cluster-ctl", "--set", "host=/ip4/127.0.0.1/tcpp/9094"], { root });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'Cannot configure ipfs-cluster-ctl: "host": "/ip4/127.0.0.1/tcpp/9094" is not a valid multiaddr',
    );
    expect(existsSync(configFile())).toBe(false);
    expect(
      (
        await runCli(
          [
            "configure",
            "ipfs-cluster-ctl",
            "--set",
            "timeout=20",
            "--set",
            "basic_auth.username=admin",
            "--unset",
            "debug",
          ],
          { root },
        )
      ).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(configFile(), "utf8"))).toEqual({
      host: "/ip4/127.0.0.1/tcp/9094",
      https: false,
      no_check_certificate: false,
      encoding: "text",
      timeout: 20,
      basic_auth: { username: "admin" },
    });
  });

  test("update of one key changes only that key's line", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    const before = readFileSync(configFile(), "utf8").split("\n");
    expect((await runCli(["update", "ipfs-cluster-ctl", "--set", "encoding=json"], { root })).code).toBe(0);
    const after = readFileSync(configFile(), "utf8").split("\n");
    expect(after.filter((line, i) => line !== before[i])).toEqual(['  "encoding": "json",']);
    const refused = await runCli(["update", "ipfs-cluster-ctl", "--set", "encoding=yaml"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('expected one of "text", "json", got "yaml"');
  });

  test("credentials over plain HTTP add --force-http, since ctl would turn HTTPS on by itself", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    await runCli(
      [
        "update",
        "ipfs-cluster-ctl",
        "--set",
        "basic_auth.username=admin",
        "--set",
        "basic_auth.password=pw",
        "--set",
        "timeout=30",
        "--set",
        "encoding=json",
      ],
      { root },
    );
    expect(kitcfg(["args", "ipfs-cluster-ctl"], { root }).stdout).toBe(
      "--host=/ip4/127.0.0.1/tcp/9094 --basic-auth=admin:pw --force-http --encoding=json --timeout=30\n",
    );
    await runCli(
      [
        "update",
        "ipfs-cluster-ctl",
        "--set",
        "https=true",
        "--set",
        "no_check_certificate=true",
        "--set",
        "host=/dns4/cluster.example.org/tcp/9094",
      ],
      { root },
    );
    expect(kitcfg(["args", "ipfs-cluster-ctl"], { root }).stdout).toBe(
      "--host=/dns4/cluster.example.org/tcp/9094 --https --no-check-certificate " +
        "--basic-auth=admin:pw --encoding=json --timeout=30\n",
    );
  });

  test("args output is quote-safe for a shell, and --json gives the same words unquoted", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    const password = `it's a "pass" $HOME *`;
    await runCli(
      [
        "update",
        "ipfs-cluster-ctl",
        "--set",
        "basic_auth.username=admin",
        "--set",
        `basic_auth.password=${password}`,
        "--set",
        'host=["/ip4/127.0.0.1/tcp/9094","/ip4/10.0.0.2/tcp/9094"]',
      ],
      { root },
    );
    const words = [
      "--host=/ip4/127.0.0.1/tcp/9094,/ip4/10.0.0.2/tcp/9094",
      `--basic-auth=admin:${password}`,
      "--force-http",
    ];
    const text = kitcfg(["args", "ipfs-cluster-ctl"], { root });
    expect(text.code).toBe(0);
    expect(shellWords(text.stdout.trim())).toEqual(words);
    expect(JSON.parse(kitcfg(["args", "ipfs-cluster-ctl", "--json"], { root }).stdout)).toEqual(words);
  });

  test("a CLUSTER_CREDENTIALS variable cannot add credentials the configuration does not have", () => {
    kitcfg(["configure", "ipfs-cluster-ctl"], { root });
    const env = cleanEnv(root, { CLUSTER_CREDENTIALS: "someone:else" });
    expect(kitcfg(["args", "ipfs-cluster-ctl"], { root, env }).stdout).toBe(
      "--host=/ip4/127.0.0.1/tcp/9094 --basic-auth=\n",
    );
  });

  test("the password and the secret appear in args only: show, get, validate and status hide them", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    const password = "ctl-Pass-w0rd";
    const secret = "0f".repeat(32);
    await runCli(
      [
        "update",
        "ipfs-cluster-ctl",
        "--set",
        "basic_auth.username=admin",
        "--set",
        `basic_auth.password=${password}`,
        "--set",
        `secret=${secret}`,
        "--set",
        "host=/ip4/127.0.0.1/tcp/9096/p2p/12D3KooWFMMrT3ChFWoTz9L7QFmiLnnMXC7D51KwrCjJdiuYPJqQ",
      ],
      { root },
    );
    for (const args of [
      ["show", "ipfs-cluster-ctl"],
      ["show", "ipfs-cluster-ctl", "--json"],
      ["get", "ipfs-cluster-ctl", "basic_auth"],
      ["validate", "--json"],
      ["status", "--json"],
    ]) {
      const ran = await runCli(args, { root });
      expect(ran.stdout + ran.stderr).not.toContain(password);
      expect(ran.stdout + ran.stderr).not.toContain(secret);
    }
    const args = kitcfg(["args", "ipfs-cluster-ctl"], { root }).stdout;
    expect(args).toContain(`--basic-auth=admin:${password}`);
    expect(args).toContain(`--secret=${secret}`);
  });

  test("validate reports what ctl would do differently from what the file says", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    const bad = await runCli(["update", "ipfs-cluster-ctl", "--set", "basic_auth.username=ad:min"], { root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"basic_auth.username" for ipfs-cluster-ctl: contains ":"');
    const warned = await runCli(
      ["update", "ipfs-cluster-ctl", "--set", "basic_auth.username=admin", "--set", "host=/ip4/192.0.2.10/tcp/9094"],
      { root },
    );
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('"https": is false while basic_auth is set and a host is not on this machine');
  });
});

describe("ipfs-cluster-ctl: across daemons", () => {
  test(
    "ctl's host and credentials must match the cluster's REST API; " + "each disagreement names both key paths",
    async () => {
      await runCli(["configure", "ipfs-cluster-service"], { root });
      await runCli(["configure", "ipfs-cluster-ctl"], { root });
      expect((await runCli(["validate"], { root })).code).toBe(0);

      await runCli(["update", "ipfs-cluster-ctl", "--set", "host=/ip4/127.0.0.1/tcp/9999"], { root });
      let ran = await runCli(["validate"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(
        '✖ ipfs-cluster-ctl: "host": is /ip4/127.0.0.1/tcp/9999, ' +
          'but ipfs-cluster-service "api.restapi.http_listen_multiaddress" is /ip4/127.0.0.1/tcp/9094',
      );

      await runCli(["update", "ipfs-cluster-ctl", "--set", "host=/ip4/127.0.0.1/tcp/9094"], { root });
      await runCli(
        ["update", "ipfs-cluster-service", "--set", 'api.restapi.basic_auth_credentials={"admin":"right-pass"}'],
        { root },
      );
      ran = await runCli(["validate"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(
        '✖ ipfs-cluster-ctl: "basic_auth": is not set, ' +
          'but ipfs-cluster-service "api.restapi.basic_auth_credentials" requires a user',
      );

      await runCli(
        ["update", "ipfs-cluster-ctl", "--set", "basic_auth.username=admin", "--set", "basic_auth.password=wrong-pass"],
        { root },
      );
      ran = await runCli(["validate"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(
        'ipfs-cluster-ctl: "basic_auth.password": does not match the password of "admin" ' +
          'in ipfs-cluster-service "api.restapi.basic_auth_credentials"',
      );
      expect(ran.stderr).not.toContain("wrong-pass");
      expect(ran.stderr).not.toContain("right-pass");

      await runCli(["update", "ipfs-cluster-ctl", "--set", "basic_auth.password=right-pass"], { root });
      expect((await runCli(["validate"], { root })).code).toBe(0);
    },
  );

  test("a host list that reaches the cluster's REST API is valid: ctl fails over to the others", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    // Three peers on one host, 10 ports apart: ctl tries them in turn.
    const peers = ["/ip4/127.0.0.1/tcp/9104", "/ip4/127.0.0.1/tcp/9094", "/ip4/127.0.0.1/tcp/9114"];
    await runCli(["configure", "ipfs-cluster-ctl", "--set", `host=${JSON.stringify(peers)}`], { root });
    const ran = await runCli(["validate"], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    await runCli(["update", "ipfs-cluster-ctl", "--set", `host=${JSON.stringify([peers[0], peers[2]])}`], { root });
    expect((await runCli(["validate"], { root })).stderr).toContain('"host": is /ip4/127.0.0.1/tcp/9114, but');
  });
});

describe("ipfs-cluster-ctl: flag rules, one per upstream check", () => {
  test("every value ctl refuses is refused by update --set; the file stays byte-identical", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    const before = readFileSync(configFile());
    for (const [sets, message, upstream] of CTL_REFUSED) {
      const ran = await runCli(["update", "ipfs-cluster-ctl", ...sets.flatMap((set) => ["--set", set])], { root });
      expect({ sets, upstream, code: ran.code }).toEqual({ sets, upstream, code: 1 });
      expect({ upstream, stderr: ran.stderr }).toEqual({ upstream, stderr: expect.stringContaining(message) });
      expect(readFileSync(configFile())).toEqual(before);
    }
  });

  test("every flag ctl reads is accepted, and a short hex secret for an HTTP host is only a warning", async () => {
    await runCli(["configure", "ipfs-cluster-ctl"], { root });
    const sets = [
      `host=["/ip4/127.0.0.1/tcp/9094","/dns4/cluster.example/tcp/9094",` +
        `"/unix/run/cluster.sock","/ip4/10.0.0.1/tcp/9096/p2p/${PEER}"]`,
      `secret=${"ab".repeat(32)}`,
      "https=true",
      "no_check_certificate=true",
      "encoding=json",
      "timeout=9223372036",
      "basic_auth.username=admin",
      "basic_auth.password=pw:with:colons",
      "debug=true",
    ];
    const ran = await runCli(["update", "ipfs-cluster-ctl", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect((await runCli(["validate", "ipfs-cluster-ctl"], { root })).code).toBe(0);
    const short = await runCli(
      ["update", "ipfs-cluster-ctl", "--set", "host=/ip4/127.0.0.1/tcp/9094", "--set", `secret=${"ab".repeat(16)}`],
      { root },
    );
    expect(short.code).toBe(0);
    expect(short.stderr).toContain('"secret": must be the cluster secret');
  });
});
