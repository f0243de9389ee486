import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import * as v from "valibot";
import { DESIRED_RESULT } from "../../mcp/desired-tool.ts";
import { listTree } from "../_safety.ts";
import { cleanEnv, kitcfg, KITCFG, tempDir } from "../helpers.ts";
import type { Ran } from "../helpers.ts";

const CLUSTER_SECRET = "c0ffee00".repeat(8);
const S3_SECRET = "s3FleetSecretKey0123456789";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir("kitcfg-fleet-")));
afterEach(() => cleanup());

const kuboConfig = () => join(root, ".ipfs/config");
const serviceJson = () => join(root, ".ipfs-cluster/service.json");
const s3cfg = () => join(root, ".s3cfg");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const write = (name: string, text: string) => (writeFileSync(join(root, name), text), join(root, name));

/** Every regular file under the root (history included) with its bytes. */
function bytesUnder(dir: string): Record<string, string> {
  return Object.fromEntries(
    listTree(dir)
      .filter((p) => statSync(join(dir, p)).isFile())
      .map((p) => [p, readFileSync(join(dir, p)).toString("base64")]),
  );
}

/** Run the binary with text on stdin. */
function withStdin(args: string[], input: string | Uint8Array, env: Record<string, string> = {}): Ran {
  const result = Bun.spawnSync([KITCFG, ...args, "--root", root], {
    env: cleanEnv(root, env),
    cwd: root,
    stdin: Buffer.from(input),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

const DESIRED = `# one host of a fleet
[ipfs]
profile = "server"
[ipfs.set]
"Swarm.ConnMgr.HighWater" = "200"
[s3.set]
host_base = "s3.example.org"
`;

describe("kitcfg plan and apply", () => {
  test("plan exits 4 and writes nothing; apply creates what is missing; then both say in sync with exit 0", () => {
    const file = write("desired.toml", DESIRED);
    const before = bytesUnder(root);
    const plan = kitcfg(["plan", file], { root });
    expect(plan.code).toBe(4);
    expect(plan.stdout).toContain("ipfs: would be created");
    expect(plan.stdout).toContain("+host_base = s3.example.org");
    expect(plan.stdout).toContain("2 daemons would change (nothing written)");
    expect(bytesUnder(root)).toEqual(before);

    const apply = kitcfg(["apply", file], { root });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("2 daemons changed");
    expect(readJson(kuboConfig()).Swarm.ConnMgr.HighWater).toBe(200);
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = s3.example.org");

    const written = bytesUnder(root);
    const again = kitcfg(["apply", file, "--json"], { root });
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({ ok: true, dry_run: false, changed: false });
    expect(result.daemons.map((d: any) => [d.daemon, d.action, d.changed, d.keys])).toEqual([
      ["ipfs", "unchanged", false, []],
      ["s3", "unchanged", false, []],
    ]);
    const human = kitcfg(["apply", file], { root });
    expect(human.stdout).toContain("ipfs: in sync");
    expect(human.stdout.trimEnd().split("\n").at(-1)).toBe("✔ Everything is in sync");
    expect(kitcfg(["plan", file], { root }).code).toBe(0);
    expect(bytesUnder(root)).toEqual(written);
  });

  test("an unset of a key the daemon ignores removes it once; a second apply is in sync (exit 0)", () => {
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    const config = readJson(kuboConfig());
    config.Gateway.Bogus = 1;
    writeFileSync(kuboConfig(), JSON.stringify(config, null, 2));
    const file = write("desired.toml", '[ipfs]\nunset = ["Gateway.Bogus"]\n');
    const first = kitcfg(["apply", file], { root });
    expect(first.code).toBe(0);
    expect(readJson(kuboConfig()).Gateway).not.toHaveProperty("Bogus");
    const written = bytesUnder(root);
    for (const command of ["apply", "plan"]) {
      const again = kitcfg([command, file], { root });
      expect([command, again.code]).toEqual([command, 0]);
      expect(again.stdout).toContain('"Gateway.Bogus" is not a setting ipfs takes, and is not in its files');
      expect(again.stdout).toContain("Everything is in sync");
    }
    expect(bytesUnder(root)).toEqual(written);
    // A single command still refuses it: there, a key the daemon does not take is a misspelt one.
    expect(kitcfg(["unset", "ipfs", "Gateway.Bogus"], { root }).code).toBe(2);
  });

  test("a profile that picks new values each time (randomports) applies once: the next plan is in sync", () => {
    const file = write("desired.toml", '[ipfs]\nprofile = "randomports"\n');
    expect(kitcfg(["apply", file], { root }).code).toBe(0);
    const swarm = readJson(kuboConfig()).Addresses.Swarm;
    expect(swarm[0]).toMatch(/^\/ip4\/0\.0\.0\.0\/tcp\/\d+$/);
    const written = bytesUnder(root);
    for (const command of ["plan", "apply"]) {
      const again = kitcfg([command, file], { root });
      expect([command, again.code]).toEqual([command, 0]);
      expect(again.stdout).toContain('profile "randomports" applies only when ipfs is first written');
    }
    expect(bytesUnder(root)).toEqual(written);
  });

  test("a follower that loads its configuration from a source: other keys are refused, not dropped", () => {
    const follow = ["ipfs-cluster-follow", "--instance", "c1"];
    expect(kitcfg(["configure", ...follow, "--set", "source=https://example.org/c1.json"], { root }).code).toBe(0);
    const file = write(
      "desired.toml",
      '[ipfs-cluster-follow.instances.c1]\nsource = "https://example.org/c1.json"\n' +
        '[ipfs-cluster-follow.instances.c1.set]\n"cluster.peername" = "edge-1"\n',
    );
    const written = bytesUnder(root);
    for (const command of ["plan", "apply"]) {
      const ran = kitcfg([command, file], { root });
      expect([command, ran.code]).toEqual([command, 1]);
      expect(ran.stdout + ran.stderr).toContain('Cannot set "cluster.peername": "source" is set');
    }
    const single = kitcfg(["set", ...follow.slice(0, 1), "cluster.peername", "edge-1", ...follow.slice(1)], { root });
    expect(single.code).toBe(1);
    expect(bytesUnder(root)).toEqual(written);
  });

  test("plan --json and apply --dry-run: the contract's shape, exit 4 and 0, nothing written", () => {
    const file = write("desired.toml", DESIRED);
    const before = bytesUnder(root);
    const plan = kitcfg(["plan", file, "--json"], { root });
    expect(plan.code).toBe(4);
    const result = JSON.parse(plan.stdout);
    expect(result).toMatchObject({ ok: true, dry_run: true, changed: true });
    const ipfs = result.daemons[0];
    expect(ipfs).toMatchObject({ daemon: "ipfs", action: "create", changed: true });
    expect(ipfs.files[0]).toMatchObject({ path: kuboConfig(), action: "create", before: null });
    expect(JSON.parse(ipfs.files[0].after).Swarm.ConnMgr.HighWater).toBe(200);
    expect(ipfs.diff).toContain(`+++ b${kuboConfig()}`);
    expect(Object.keys(result.facts)).toEqual(["ipfs", "s3"]);
    expect(result.facts.ipfs.peer_id).toMatch(/^12D3KooW/);
    const dry = kitcfg(["apply", file, "--dry-run", "--json"], { root });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, changed: true });
    expect(bytesUnder(root)).toEqual(before);
  });

  test("one refused daemon: exit 1 from apply and plan, every file under the root byte-identical", () => {
    expect(kitcfg(["apply", write("first.toml", DESIRED)], { root }).code).toBe(0);
    const file = write(
      "bad.toml",
      `${DESIRED.replace('"200"', '"250"')}\n[huggingface.set]\noffline = "maybe"\n[lassie]\n`,
    );
    const before = bytesUnder(root);
    const apply = kitcfg(["apply", file], { root });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      '✖ Cannot set "offline" for huggingface: expected a boolean (true or false), got "maybe"',
    );
    expect(apply.stderr).toContain("Nothing was written on any daemon: 1 daemon refused");
    expect(bytesUnder(root)).toEqual(before);

    const json = kitcfg(["apply", file, "--json"], { root });
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ ok: false, changed: false, error: { code: "INVALID_VALUE" } });
    expect(result.error.issues[0]).toMatchObject({ key: "offline", severity: "error" });
    const refused = result.daemons.find((d: any) => d.daemon === "huggingface");
    expect(refused).toMatchObject({ action: "create", changed: false, error: { code: "INVALID_VALUE" } });
    expect(result.daemons.every((d: any) => d.changed === false)).toBe(true);
    // plan says what apply would do, and names each daemon once.
    const plan = kitcfg(["plan", file], { root });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("Nothing would be written on any daemon: 1 daemon refused");
    expect(plan.stderr).not.toContain("huggingface: Cannot set");
    expect(plan.stderr).not.toContain("Nothing was written");
    expect(bytesUnder(root)).toEqual(before);
  });

  test("a refused daemon's hint is on stderr under its error, as every command prints one, -q or not", () => {
    const file = write("refused.toml", '[ipfs.set]\n"Nope.Key" = 1\n');
    for (const quiet of [[], ["-q"]]) {
      const ran = kitcfg(["plan", file, ...quiet], { root });
      expect(ran.code).toBe(2);
      expect(ran.stderr).toMatch(/^✖ Unknown key "Nope.Key" for ipfs\n {2}Keys here: Identity, /);
      expect(ran.stdout).not.toContain("Keys here");
    }
  });

  test("restore undoes an apply daemon by daemon", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    const original = readFileSync(s3cfg(), "utf8");
    expect(kitcfg(["apply", write("desired.toml", DESIRED)], { root }).code).toBe(0);
    const kubo = readFileSync(kuboConfig(), "utf8");
    const history = JSON.parse(kitcfg(["history", "s3", "--json"], { root }).stdout);
    expect(history.versions[0]).toMatchObject({ kind: "update", keys: ["host_base"] });
    expect(history.versions[0].command).toContain("kitcfg apply");
    expect(kitcfg(["restore", "s3"], { root }).code).toBe(0);
    expect(readFileSync(s3cfg(), "utf8")).toBe(original);
    expect(readFileSync(kuboConfig(), "utf8")).toBe(kubo);
    // ipfs was created by the apply: undoing it removes its files.
    expect(kitcfg(["restore", "ipfs"], { root }).code).toBe(0);
    expect(existsSync(kuboConfig())).toBe(false);
  });

  test("secrets by reference (@file, env:NAME) are written, and never shown in output, diffs or history", () => {
    write("cluster-secret", `${CLUSTER_SECRET}\n`);
    const file = write(
      "secrets.toml",
      `[ipfs-cluster-service.set]\n"cluster.secret" = "@cluster-secret"\n` +
        `[s3.set]\nsecret_key = "env:S3_SECRET"\naccess_key = "AKIAFLEET"\n`,
    );
    const env = { S3_SECRET };
    const runs = [
      kitcfg(["plan", file], { root, env: cleanEnv(root, env) }),
      kitcfg(["plan", file, "--json"], { root, env: cleanEnv(root, env) }),
      kitcfg(["apply", file, "--json"], { root, env: cleanEnv(root, env) }),
    ];
    expect(runs.map((r) => r.code)).toEqual([4, 4, 0]);
    expect(readJson(serviceJson()).cluster.secret).toBe(CLUSTER_SECRET);
    expect(readFileSync(s3cfg(), "utf8")).toContain(`secret_key = ${S3_SECRET}`);
    const facts = JSON.parse(runs[2]!.stdout).facts["ipfs-cluster-service"];
    expect(facts.secret_fingerprint).toBe(`sha256:${createHash("sha256").update(CLUSTER_SECRET).digest("hex")}`);
    // A second change of the secret, so that history holds one and diff shows one changing.
    const other = "0badc0de".repeat(8);
    write("cluster-secret", other);
    runs.push(kitcfg(["apply", file], { root, env: cleanEnv(root, env) }));
    expect(runs.at(-1)!.stdout).toContain("<redacted:changed>");
    for (const args of [
      ["history", "ipfs-cluster-service"],
      ["history", "s3", "--json"],
      ["diff", "ipfs-cluster-service"],
      ["show", "s3"],
    ])
      runs.push(kitcfg(args, { root }));
    for (const run of runs) {
      expect(run.stdout + run.stderr).not.toContain(CLUSTER_SECRET);
      expect(run.stdout + run.stderr).not.toContain(other);
      expect(run.stdout + run.stderr).not.toContain(S3_SECRET);
    }
    expect(runs.find((r) => r.stdout.includes("kitcfg apply"))).toBeDefined();
  });

  test("- reads the document from stdin, TOML or JSON; a .json file is JSON", () => {
    const toml = withStdin(["apply", "-", "--json"], '[s3.set]\nhost_base = "stdin.example"\n');
    expect(toml.code).toBe(0);
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = stdin.example");
    const json = withStdin(["plan", "-"], JSON.stringify({ s3: { set: { host_base: "json.example" } } }));
    expect(json.code).toBe(4);
    expect(json.stdout).toContain("+host_base = json.example");
    const file = write(
      "desired.json",
      JSON.stringify({ s3: { set: { host_base: "file.example", use_https: "false" } } }),
    );
    expect(kitcfg(["apply", file], { root }).code).toBe(0);
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = file.example");
    expect(readFileSync(s3cfg(), "utf8")).toContain("use_https = False");
  });

  test("- reads stdin as a file is read: bytes that are not UTF-8, or more than 8 MiB, are refused", () => {
    expect(kitcfg(["configure", "s3", "-q"], { root }).code).toBe(0);
    const before = bytesUnder(root);
    const latin1 = Buffer.concat([
      Buffer.from('[s3.set]\nhost_base = "h'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('.x"\n'),
    ]);
    const huge = `[s3.set]\nhost_base = "huge.example"\n#${"a".repeat(9 << 20)}\n`;
    for (const [input, why] of [
      [latin1, "it is not UTF-8 text"],
      [huge, "8388608 bytes"],
    ] as const) {
      for (const command of ["plan", "apply"]) {
        const ran = withStdin([command, "-"], input);
        expect(ran.code).toBe(3);
        expect(ran.stderr).toContain("Cannot read the desired state on stdin: ");
        expect(ran.stderr).toContain(why);
      }
    }
    expect(bytesUnder(root)).toEqual(before);
  });

  test(
    "facts in --json: kubo's and cluster's peer ids and " + "addresses as the files hold them, no secret anywhere",
    () => {
      const file = write(
        "desired.toml",
        `[ipfs]\n[ipfs-cluster-service.set]\n"cluster.listen_multiaddress" = "/ip4/0.0.0.0/tcp/9096"\n` +
          `[ipfs-cluster-follow.instances.collab]\nsource = "https://example.org/service.json"\n`,
      );
      const ran = kitcfg(["apply", file, "--json"], { root });
      expect(ran.code).toBe(0);
      const result = JSON.parse(ran.stdout);
      const kubo = readJson(kuboConfig());
      const service = readJson(serviceJson());
      const identity = readJson(join(root, ".ipfs-cluster/identity.json"));
      const follower = readJson(join(root, ".ipfs-cluster-follow/collab/identity.json"));
      expect(result.facts).toEqual({
        ipfs: { peer_id: kubo.Identity.PeerID, swarm_addresses: kubo.Addresses.Swarm, api_address: kubo.Addresses.API },
        "ipfs-cluster-service": {
          peer_id: identity.id,
          listen_addresses: ["/ip4/0.0.0.0/tcp/9096"],
          secret_fingerprint: `sha256:${createHash("sha256").update(service.cluster.secret).digest("hex")}`,
        },
        "ipfs-cluster-follow/collab": { peer_id: follower.id, listen_addresses: [], secret_fingerprint: null },
      });
      expect(result.daemons[2]).toMatchObject({
        daemon: "ipfs-cluster-follow",
        instance: "collab",
        facts: result.facts["ipfs-cluster-follow/collab"],
      });
      for (const secret of [kubo.Identity.PrivKey, service.cluster.secret, identity.private_key, follower.private_key])
        expect(ran.stdout).not.toContain(secret);
    },
  );

  test(
    "exit codes: 2 for an unknown daemon, field or option, " +
      "3 for a missing or unparsable file, 3 when a later write fails (earlier daemons put back)",
    async () => {
      const code = (text: string, args: string[] = []) => kitcfg(["apply", write("d.toml", text), ...args], { root });
      const unknownDaemon = code("[ipfz]\n");
      expect(unknownDaemon.code).toBe(2);
      expect(unknownDaemon.stderr).toContain('Unknown daemon "ipfz": did you mean "ipfs"?');
      expect(code("[ipfs]\nsett = {}\n").stderr).toContain('Unknown field "sett" in "ipfs": did you mean "set"?');
      expect(code("[ipfs]\nsett = {}\n").code).toBe(2);
      expect(code("[s3]\n", ["--force"]).code).toBe(2);
      expect(kitcfg(["plan"], { root }).code).toBe(2);
      const missing = kitcfg(["plan", join(root, "nope.toml"), "--json"], { root });
      expect(missing.code).toBe(3);
      expect(JSON.parse(missing.stdout).error).toMatchObject({
        code: "IO_FAILED",
        message: `Cannot read the desired state ${join(root, "nope.toml")}: no such file`,
      });
      expect(code("[s3\n").code).toBe(3);
      // A value by reference (README's exit codes): a variable not set is usage, a file not read is I/O.
      expect(code('[s3.set]\nsecret_key = "env:KITCFG_TEST_NOT_SET"\n').code).toBe(2);
      expect(code('[s3.set]\nsecret_key = "@/nonexistent/secret"\n').code).toBe(3);
      // A daemon whose file does not parse is named once ("Cannot parse s3's …", not "s3: Cannot parse s3's").
      mkdirSync(join(root, ".ipfs"));
      writeFileSync(kuboConfig(), "{", { mode: 0o600 });
      const unparsable = code('[ipfs.set]\n"Swarm.ConnMgr.HighWater" = "200"\n');
      expect(unparsable.code).toBe(3);
      expect(unparsable.stderr).toContain("✖ Cannot parse ipfs's");
      rmSync(join(root, ".ipfs"), { recursive: true });

      // s3 is locked by a live process: ipfs, written first, is put back when s3 cannot be written.
      expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
      const before = readFileSync(s3cfg());
      // The lock is a kernel lock (flock): util-linux's flock holds it, as another kitcfg would.
      writeFileSync(`${s3cfg()}.lock`, "");
      const holder = Bun.spawn(["flock", "-x", "-o", `${s3cfg()}.lock`, "sh", "-c", "echo held; exec sleep 30"], {
        stdout: "pipe",
      });
      await holder.stdout.getReader().read();
      try {
        writeFileSync(`${s3cfg()}.lock`, `${holder.pid}\n`);
        const locked = code('[ipfs]\n[s3.set]\nhost_base = "h.example"\n', ["--lock-timeout", "0.3"]);
        expect(locked.code).toBe(3);
        expect(locked.stderr).toContain(`Cannot apply s3: Cannot write ${s3cfg()}: locked by process ${holder.pid}`);
        expect(locked.stderr).toContain("ipfs put back as they were");
        expect(existsSync(kuboConfig())).toBe(false);
        expect(readFileSync(s3cfg())).toEqual(before);
      } finally {
        holder.kill("SIGKILL");
      }
    },
  );
});

describe("MCP apply_daemon_configs", () => {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  async function connect() {
    const transport = new StdioClientTransport({
      command: KITCFG,
      args: ["mcp", "--root", root],
      env: cleanEnv(root),
      cwd: root,
      stderr: "pipe",
    });
    client = new Client({ name: "kitcfg-fleet-test", version: "1.0.0" });
    await client.connect(transport);
    const call = async (args: Record<string, unknown>) =>
      (await client!.callTool({ name: "apply_daemon_configs", arguments: args })) as any;
    return { client, call };
  }

  test(
    "dry_run plans, a real call writes, a second call changes nothing; " + "every result fits the output schema",
    async () => {
      const { client, call } = await connect();
      const { tools } = await client.listTools();
      const tool = tools.find((t) => t.name === "apply_daemon_configs")!;
      // Every tool's output schema is "its result, or {error}" (anyOf): the result is the first branch.
      const result = ((tool.outputSchema as { anyOf?: { required?: string[] }[] }).anyOf ?? [])[0];
      expect(result?.required).toEqual(expect.arrayContaining(["ok", "dry_run", "changed", "daemons", "facts"]));
      expect(tool.inputSchema.required).toEqual(["desired_state"]);
      const desired = {
        ipfs: { set: { "Swarm.ConnMgr.HighWater": 300 } },
        "ipfs-cluster-service": { set: { "cluster.secret": CLUSTER_SECRET } },
      };
      const before = bytesUnder(root);
      const plan = await call({ desired_state: desired, dry_run: true });
      expect(plan.isError).toBeFalsy();
      expect(plan.structuredContent).toMatchObject({ ok: true, dry_run: true, changed: true });
      expect(bytesUnder(root)).toEqual(before);
      const applied = await call({ desired_state: desired });
      expect(applied.structuredContent.changed).toBe(true);
      expect(applied.structuredContent.facts["ipfs-cluster-service"].secret_fingerprint).toMatch(
        /^sha256:[0-9a-f]{64}$/,
      );
      expect(readJson(kuboConfig()).Swarm.ConnMgr.HighWater).toBe(300);
      const again = await call({ desired_state: desired });
      expect(again.structuredContent.changed).toBe(false);
      expect(again.content[0].text).toContain("Everything is in sync");
      for (const result of [plan, applied, again]) {
        expect(v.safeParse(DESIRED_RESULT, result.structuredContent).success).toBe(true);
        expect(JSON.stringify(result)).not.toContain(CLUSTER_SECRET);
      }
    },
  );

  test(
    "a refusal, a bad document and a value by reference are " + "isError results of the same shape; nothing is written",
    async () => {
      const { call } = await connect();
      const before = bytesUnder(root);
      const refused = await call({
        desired_state: { s3: { set: { host_base: "h.example" } }, huggingface: { set: { offline: "maybe" } } },
      });
      const unknown = await call({ desired_state: { ipfz: {} } });
      const reference = await call({ desired_state: { s3: { set: { secret_key: "@/etc/passwd" } } } });
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ ok: false, changed: false, error: { code: "INVALID_VALUE" } });
      expect(refused.structuredContent.daemons.map((d: any) => d.daemon)).toEqual(["s3", "huggingface"]);
      expect(unknown.structuredContent).toMatchObject({ ok: false, daemons: [], error: { code: "UNKNOWN_DAEMON" } });
      expect(reference.structuredContent.error.message).toContain('Cannot read "secret_key" by reference here');
      for (const result of [refused, unknown, reference]) {
        expect(result.isError).toBe(true);
        expect(v.safeParse(DESIRED_RESULT, result.structuredContent).success).toBe(true);
      }
      expect(bytesUnder(root)).toEqual(before);
    },
  );
});
