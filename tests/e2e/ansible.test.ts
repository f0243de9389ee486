import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { KITCFG, tempDir } from "../helpers.ts";

// The Ansible collection (ansible/ansible_collections/kitcfg/kitcfg) driven by the real
// ansible-playbook from Debian's ansible-core: 5 hosts on this machine (ansible_connection=local),
// each with its own --root, running the example playbook playbooks/cluster.yml.

const HAVE_ANSIBLE = Bun.which("ansible-playbook") !== null;
if (!HAVE_ANSIBLE)
  console.warn("⚠ ansible-playbook not found: tests/e2e/ansible.test.ts is skipped (install Debian's ansible-core)");
const ansibleTest = HAVE_ANSIBLE ? test : test.skip;
// CI installs ansible-core (.ci/run): there a missing ansible-playbook is a failure, not a skip.
if (!HAVE_ANSIBLE && process.env.CI)
  test("CI has ansible-playbook", () => expect(Bun.which("ansible-playbook")).not.toBeNull());

const COLLECTIONS = resolve(import.meta.dir, "../../ansible");
const COLLECTION = join(COLLECTIONS, "ansible_collections/kitcfg/kitcfg");
const HOSTS = ["peer1", "peer2", "peer3", "peer4", "peer5"];
// About 3 minutes in all on an idle machine; a busy CI runner may take much longer.
const SLOW = 600_000;

const work = tempDir("kitcfg-ansible-");
const rootOf = (host: string) => join(work.dir, "roots", host);

beforeAll(() => {
  mkdirSync(join(work.dir, "home"), { recursive: true });
  const lines = HOSTS.map(
    (host, i) =>
      `${host} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 kitcfg_binary=${KITCFG} ` +
      `kitcfg_root=${rootOf(host)} cluster_port_offset=${i * 10} cluster_peer_host=127.0.0.1`,
  );
  writeFileSync(join(work.dir, "inventory.ini"), `[ipfs_cluster]\n${lines.join("\n")}\n`);
  for (const host of HOSTS) mkdirSync(rootOf(host), { recursive: true });
});
afterAll(() => work.cleanup());

describe("the kitcfg.kitcfg collection deploys a 5-peer cluster", () => {
  let secret = "";

  ansibleTest(
    "the first run changes every host and the second changes none",
    async () => {
      const first = await playbook(["kitcfg.kitcfg.cluster"]);
      expect(first.code, first.output).toBe(0);
      const recap = playRecap(first.output);
      for (const host of HOSTS) expect(recap[host]).toMatchObject({ failed: 0, unreachable: 0 });
      for (const host of HOSTS) expect(recap[host]!.changed).toBeGreaterThan(0);

      secret = JSON.parse(readFileSync(join(rootOf("peer1"), ".ipfs-cluster/service.json"), "utf8")).cluster.secret;
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(first.output).not.toContain(secret);

      const second = await playbook(["kitcfg.kitcfg.cluster"]);
      expect(second.code, second.output.slice(-3000)).toBe(0);
      const again = playRecap(second.output);
      for (const host of HOSTS) expect(again[host]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    },
    SLOW,
  );

  ansibleTest("the hosts form one cluster on paper, with identities checked independently of kitcfg", () => {
    const nodes = HOSTS.map((host) => readNode(rootOf(host)));
    const clusterIds = nodes.map((node) => node.cluster.identity.id);
    const kuboIds = nodes.map((node) => node.kubo.Identity.PeerID);
    expect(new Set([...clusterIds, ...kuboIds]).size).toBe(2 * HOSTS.length);
    for (const node of nodes) {
      expect(peerIdOf(node.cluster.identity.private_key)).toBe(node.cluster.identity.id);
      expect(peerIdOf(node.kubo.Identity.PrivKey)).toBe(node.kubo.Identity.PeerID);
    }
    expect(new Set(nodes.map((node) => node.cluster.service.cluster.secret))).toEqual(new Set([secret]));
    const ports = new Set<string>();
    for (const [i, node] of nodes.entries()) {
      const service = node.cluster.service;
      const others = HOSTS.map((_, j) => j).filter((j) => j !== i);
      expect([...service.consensus.crdt.trusted_peers].sort()).toEqual([...clusterIds].sort());
      expect(service.cluster.peer_addresses).toEqual(
        others.map((j) => `/ip4/127.0.0.1/tcp/${9096 + j * 10}/p2p/${clusterIds[j]}`),
      );
      expect(node.kubo.Bootstrap).toEqual(others.map((j) => `/ip4/127.0.0.1/tcp/${4001 + j * 10}/p2p/${kuboIds[j]}`));
      expect(service.ipfs_connector.ipfshttp.node_multiaddress).toBe(node.kubo.Addresses.API);
      expect(service.cluster.peername).toBe(HOSTS[i]);
      for (const address of [
        node.kubo.Addresses.API,
        node.kubo.Addresses.Gateway,
        ...node.kubo.Addresses.Swarm,
        ...service.cluster.listen_multiaddress,
        service.api.restapi.http_listen_multiaddress,
        service.api.ipfsproxy.listen_multiaddress,
        service.api.pinsvcapi.http_listen_multiaddress,
      ]) {
        const port = `${/\/(tcp|udp)\/(\d+)/.exec(address)?.slice(1).join(" ")}`;
        expect(ports.has(port), `${HOSTS[i]} reuses ${port}`).toBe(false);
        ports.add(port);
      }
    }
  });

  ansibleTest(
    "--check --diff shows a changed desired state and writes nothing, and -vvv shows no secret",
    async () => {
      const before = hashTree(join(work.dir, "roots"));
      // The secret given as a variable (as from Ansible Vault), and Ansible's most verbose output.
      writeFileSync(join(work.dir, "vault.yml"), `cluster_secret: "${secret}"\n`);
      const change = JSON.stringify({ cluster_extra_set: { "cluster.peer_watch_interval": "7s" } });
      const run = await playbook([
        "kitcfg.kitcfg.cluster",
        "--check",
        "--diff",
        "-vvv",
        "-e",
        `@${join(work.dir, "vault.yml")}`,
        "-e",
        change,
      ]);
      expect(run.code, run.output.slice(-3000)).toBe(0);
      const recap = playRecap(run.output);
      for (const host of HOSTS) expect(recap[host]).toMatchObject({ changed: 1, failed: 0 });
      expect(run.output.match(/^\+\s+"peer_watch_interval": "7s",?$/gm)?.length).toBe(HOSTS.length);
      expect(run.output.match(/^-\s+"peer_watch_interval": "5s",?$/gm)?.length).toBe(HOSTS.length);
      expect(hashTree(join(work.dir, "roots"))).toBe(before);

      expect(run.output).toContain("VALUE_SPECIFIED_IN_NO_LOG_PARAMETER");
      expect(run.output).not.toContain(secret);
      for (const host of HOSTS) {
        const node = readNode(rootOf(host));
        expect(run.output).not.toContain(node.kubo.Identity.PrivKey);
        expect(run.output).not.toContain(node.cluster.identity.private_key);
      }
    },
    SLOW,
  );

  ansibleTest(
    "a refused value fails every host with kitcfg's message and leaves every file byte-identical",
    async () => {
      const before = hashTree(join(work.dir, "roots"));
      const run = await playbook([
        "kitcfg.kitcfg.cluster",
        "-e",
        JSON.stringify({ kubo_extra_set: { "Swarm.ConnMgr.HighWater": "lots" } }),
      ]);
      expect(run.code).not.toBe(0);
      const recap = playRecap(run.output);
      for (const host of HOSTS) expect(recap[host]).toMatchObject({ failed: 1 });
      const failures = run.output.split("\n").filter((line) => line.startsWith("fatal: "));
      expect(failures.length).toBe(HOSTS.length);
      for (const line of failures) expect(line).toContain('"msg": "Cannot set \\"Swarm.ConnMgr.HighWater\\" for ipfs:');
      expect(hashTree(join(work.dir, "roots"))).toBe(before);
    },
    SLOW,
  );

  ansibleTest(
    "a kitcfg binary that is not there fails every host with a clear message",
    async () => {
      const run = await ansible([
        "ipfs_cluster",
        "-m",
        "kitcfg.kitcfg.config",
        "-a",
        "daemon=ipfs binary=/nonexistent/kitcfg",
      ]);
      expect(run.code).not.toBe(0);
      expect(run.output.match(/^peer\d \| FAILED!/gm)?.length).toBe(HOSTS.length);
      const message = 'Cannot run kitcfg: \\"/nonexistent/kitcfg\\" does not exist on this host';
      expect(run.output.split(message).length - 1).toBe(HOSTS.length);
      // A program that is not kitcfg answers nothing (and may end before reading the state: a broken pipe).
      const other = await ansible([
        "ipfs_cluster",
        "-m",
        "kitcfg.kitcfg.config",
        "-a",
        "daemon=ipfs binary=/bin/false",
      ]);
      expect(other.output.match(/^peer\d \| FAILED!/gm)?.length).toBe(HOSTS.length);
      const silent = 'Cannot run kitcfg: \\"/bin/false\\" gave no answer';
      expect(other.output.split(silent).length - 1).toBe(HOSTS.length);
    },
    SLOW,
  );
});

describe("the kitcfg.kitcfg.config module", () => {
  ansibleTest(
    "an unset of a key the daemon ignores removes it once; the second run changes nothing",
    async () => {
      for (const host of HOSTS) {
        const file = join(rootOf(host), ".ipfs/config");
        const config = JSON.parse(readFileSync(file, "utf8"));
        config.Gateway.Bogus = 1;
        writeFileSync(file, JSON.stringify(config, null, 2));
      }
      const args = "daemon=ipfs unset=Gateway.Bogus root={{ kitcfg_root }} binary={{ kitcfg_binary }}";
      const first = await ansible(["ipfs_cluster", "-m", "kitcfg.kitcfg.config", "-a", args]);
      expect(first.code, first.output.slice(-3000)).toBe(0);
      expect(first.output.match(/^peer\d \| CHANGED/gm)?.length).toBe(HOSTS.length);
      for (const host of HOSTS)
        expect(JSON.parse(readFileSync(join(rootOf(host), ".ipfs/config"), "utf8")).Gateway).not.toHaveProperty(
          "Bogus",
        );
      const second = await ansible(["ipfs_cluster", "-m", "kitcfg.kitcfg.config", "-a", args]);
      expect(second.code, second.output.slice(-3000)).toBe(0);
      expect(second.output.match(/^peer\d \| SUCCESS/gm)?.length).toBe(HOSTS.length);
    },
    SLOW,
  );
});

describe("the kitcfg.kitcfg.config and apply modules: secrets and order", () => {
  ansibleTest(
    "a secret that starts with @ or env: is written as given, never shown; unset then set leaves the key set",
    async () => {
      const host = "peer1";
      const common = { root: rootOf(host), binary: KITCFG };
      const secret = "@kitcfgAtSecret41";
      const config = await ansible([
        host,
        "-m",
        "kitcfg.kitcfg.config",
        "-a",
        JSON.stringify({
          ...common,
          daemon: "s3",
          secrets: { secret_key: secret, access_key: "env:kitcfgEnvSecret42" },
        }),
        "-vvv",
      ]);
      expect(config.code, config.output.slice(-3000)).toBe(0);
      const s3cfg = readFileSync(join(rootOf(host), ".s3cfg"), "utf8");
      expect(s3cfg).toContain(`secret_key = ${secret}\n`);
      expect(s3cfg).toContain("access_key = env:kitcfgEnvSecret42\n");
      const token = "env:hf_kitcfgEnvToken43";
      const applied = await ansible([
        host,
        "-m",
        "kitcfg.kitcfg.apply",
        "-a",
        JSON.stringify({ ...common, state: { huggingface: {} }, secrets: { huggingface: { set: { token } } } }),
        "-vvv",
      ]);
      expect(applied.code, applied.output.slice(-3000)).toBe(0);
      expect(readFileSync(join(rootOf(host), ".cache/huggingface/token"), "utf8")).toBe(token);
      for (const output of [config.output, applied.output])
        for (const shown of ["kitcfgAtSecret41", "kitcfgEnvSecret42", "kitcfgEnvToken43"])
          expect(output).not.toContain(shown);
      // A secret given under set: (not secrets:, which is no_log) is hidden all the same: Ansible shows a module's
      // arguments with -vvv. So is every set value of a document kitcfg refuses whole (an unknown daemon).
      const inSet = await ansible([
        host,
        "-m",
        "kitcfg.kitcfg.config",
        "-a",
        JSON.stringify({ ...common, daemon: "s3", set: { secret_key: "kitcfgSetSecret44", host_base: "s3.example" } }),
        "-vvv",
      ]);
      expect(inSet.code, inSet.output.slice(-3000)).toBe(0);
      expect(readFileSync(join(rootOf(host), ".s3cfg"), "utf8")).toContain("secret_key = kitcfgSetSecret44\n");
      const inState = await ansible([
        host,
        "-m",
        "kitcfg.kitcfg.apply",
        "-a",
        JSON.stringify({ ...common, state: { huggingface: { set: { token: "hf_kitcfgStateToken45" } } } }),
        "-vvv",
      ]);
      expect(inState.code, inState.output.slice(-3000)).toBe(0);
      const refused = await ansible([
        host,
        "-m",
        "kitcfg.kitcfg.apply",
        "-a",
        JSON.stringify({ ...common, state: { nodaemon: { set: { password: "kitcfgRefusedSecret46" } } } }),
        "-vvv",
      ]);
      expect(refused.code).not.toBe(0);
      expect(inSet.output).toContain("s3.example");
      for (const [output, shown] of [
        [inSet.output, "kitcfgSetSecret44"],
        [inState.output, "kitcfgStateToken45"],
        [refused.output, "kitcfgRefusedSecret46"],
      ])
        expect(output).not.toContain(shown);
      // In the file's own order, as in TOML: the key cleared, then filled again.
      const args = { ...common, daemon: "ipfs", unset: ["Swarm.ConnMgr"], set: { "Swarm.ConnMgr.HighWater": 300 } };
      const refill = await ansible([host, "-m", "kitcfg.kitcfg.config", "-a", JSON.stringify(args)]);
      expect(refill.code, refill.output.slice(-3000)).toBe(0);
      expect(JSON.parse(readFileSync(join(rootOf(host), ".ipfs/config"), "utf8")).Swarm.ConnMgr).toEqual({
        HighWater: 300,
      });
    },
    SLOW,
  );
});

describe("the modules' log line of their arguments on the managed host", () => {
  // Ansible writes one line of a module's arguments to the host's syslog (or journal) as the module
  // starts, hiding only no_log options: the real AnsibleModule is run here with its log captured.
  const loggedBy = (module: "config" | "apply", args: Record<string, unknown>) => {
    const out = join(work.dir, `logged-${module}.json`);
    const harness = [
      "import json, sys",
      `sys.path.insert(0, ${JSON.stringify(COLLECTIONS)})`,
      "from ansible.module_utils import basic",
      "logged = []",
      "basic.AnsibleModule.log = lambda self, msg, log_args=None: logged.append(msg)",
      `args = json.loads(${JSON.stringify(JSON.stringify(args))})`,
      'basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()',
      `from ansible_collections.kitcfg.kitcfg.plugins.modules import ${module}`,
      "try:",
      `    ${module}.main()`,
      "except SystemExit:",
      "    pass",
      `open(${JSON.stringify(out)}, "w").write(json.dumps(logged))`,
    ].join("\n");
    const ran = Bun.spawnSync(["/usr/bin/python3", "-c", harness], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: join(work.dir, "home"), LANG: "C.UTF-8" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(existsSync(out), ran.stderr.toString()).toBe(true);
    return JSON.parse(readFileSync(out, "utf8")) as string[];
  };

  ansibleTest("a secret given under set: is hidden there too, once kitcfg has named the secret keys", () => {
    const common = { root: rootOf("peer2"), binary: KITCFG };
    const config = loggedBy("config", {
      ...common,
      daemon: "s3",
      set: { secret_key: "kitcfgSyslogSecret47", host_base: "s3.syslog.example" },
    });
    expect(config).toHaveLength(1);
    expect(config[0]).toContain("s3.syslog.example");
    expect(config[0]).not.toContain("kitcfgSyslogSecret47");
    const state = { huggingface: { set: { token: "hf_kitcfgSyslogToken48", endpoint: "https://hub.syslog.example" } } };
    const applied = loggedBy("apply", { ...common, state });
    expect(applied).toHaveLength(1);
    expect(applied[0]).toContain("hub.syslog.example");
    expect(applied[0]).not.toContain("kitcfgSyslogToken48");
    // A document kitcfg refuses whole (an unknown daemon): every text value given is hidden.
    const refused = loggedBy("apply", { ...common, state: { nodaemon: { set: { password: "kitcfgSyslog49" } } } });
    expect(refused).toHaveLength(1);
    expect(refused[0]).not.toContain("kitcfgSyslog49");
  });
});

describe("the kitcfg.kitcfg.install role", () => {
  ansibleTest(
    "installs the binary verified by its SHA-256, once, and refuses another digest",
    async () => {
      const sha256 = createHash("sha256").update(readFileSync(KITCFG)).digest("hex");
      const host = HOSTS[0]!;
      const install = join(work.dir, "install.yml");
      const playFor = (name: string) =>
        `- hosts: ${host}\n  gather_facts: false\n  roles:\n    - role: kitcfg.kitcfg.install\n` +
        `      kitcfg_install_dest: "${join(work.dir, "bin", name)}"\n`;
      const vars = (digest: string) => [
        "-e",
        JSON.stringify({ kitcfg_install_src: KITCFG, kitcfg_install_sha256: digest }),
      ];
      mkdirSync(join(work.dir, "bin"), { recursive: true });

      writeFileSync(install, playFor("kitcfg"));
      const first = await playbook([install, ...vars(sha256)]);
      expect(first.code, first.output.slice(-2000)).toBe(0);
      expect(playRecap(first.output)[host]).toMatchObject({ changed: 1, failed: 0 });
      expect(
        createHash("sha256")
          .update(readFileSync(join(work.dir, "bin/kitcfg")))
          .digest("hex"),
      ).toBe(sha256);
      expect(statSync(join(work.dir, "bin/kitcfg")).mode & 0o777).toBe(0o755);

      const second = await playbook([install, ...vars(sha256)]);
      expect(playRecap(second.output)[host]).toMatchObject({ changed: 0, failed: 0 });

      writeFileSync(install, playFor("other"));
      const wrong = sha256.replace(/^./, (c) => (c === "0" ? "1" : "0"));
      const refused = await playbook([install, ...vars(wrong)]);
      expect(refused.code).not.toBe(0);
      expect(playRecap(refused.output)[host]).toMatchObject({ failed: 1 });
      expect(refused.output).toContain(`has SHA-256 ${sha256}`);
      expect(existsSync(join(work.dir, "bin/other"))).toBe(false);
    },
    SLOW,
  );

  ansibleTest(
    "ansible-galaxy builds the collection",
    async () => {
      const out = join(work.dir, "galaxy");
      const run = await spawn(["ansible-galaxy", "collection", "build", COLLECTION, "--output-path", out]);
      expect(run.code, run.output).toBe(0);
      expect(existsSync(join(out, "kitcfg-kitcfg-0.1.0.tar.gz"))).toBe(true);
    },
    SLOW,
  );
});

// --- internal ---

interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

function playbook(args: string[]): Promise<{ code: number; output: string }> {
  return spawn(["ansible-playbook", "-i", join(work.dir, "inventory.ini"), "--forks", "5", ...args]);
}

function ansible(args: string[]): Promise<{ code: number; output: string }> {
  return spawn(["ansible", "-i", join(work.dir, "inventory.ini"), "--forks", "5", ...args]);
}

/** Run an Ansible command with its home, temp folders and collections inside the test's folder. */
async function spawn(argv: string[]): Promise<{ code: number; output: string }> {
  const home = join(work.dir, "home");
  const child = Bun.spawn(argv, {
    cwd: work.dir,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      LANG: "C.UTF-8",
      ANSIBLE_COLLECTIONS_PATH: COLLECTIONS,
      ANSIBLE_LOCAL_TEMP: join(home, "tmp"),
      ANSIBLE_REMOTE_TEMP: join(home, "remote-tmp"),
      ANSIBLE_NOCOLOR: "1",
      ANSIBLE_RETRY_FILES_ENABLED: "0",
      ANSIBLE_DEPRECATION_WARNINGS: "0",
      ANSIBLE_PIPELINING: "1",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, output: `${stdout}\n${stderr}` };
}

/** Per host, the counts of the PLAY RECAP at the end of ansible-playbook's output. */
function playRecap(output: string): Record<string, Recap> {
  const recap: Record<string, Recap> = {};
  const tail = output.slice(output.lastIndexOf("PLAY RECAP"));
  for (const match of tail.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    recap[match[1]!] = { ok: +match[2]!, changed: +match[3]!, unreachable: +match[4]!, failed: +match[5]! };
  }
  return recap;
}

/** One hash over every file's path, mode and bytes under `dir`. */
function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stat = statSync(full);
      hash.update(`${full}\0${stat.mode}\0`);
      if (stat.isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

type Json = any;

function readNode(root: string): { kubo: Json; cluster: { service: Json; identity: Json } } {
  const read = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8"));
  return {
    kubo: read(".ipfs/config"),
    cluster: { service: read(".ipfs-cluster/service.json"), identity: read(".ipfs-cluster/identity.json") },
  };
}

// The libp2p peer-id spec (github.com/libp2p/specs, peer-ids/peer-ids.md): a key is a protobuf
// { 1: KeyType (1 = Ed25519), 2: bytes Data }; an Ed25519 private key's Data is the 32-byte seed
// followed by the 32-byte public key; a peer id is the identity multihash (0x00, length) of the
// protobuf-encoded public key when that is at most 42 bytes, written in base58btc.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** The peer id of a base64 protobuf Ed25519 private key, derived with node:crypto only. */
function peerIdOf(privateKeyBase64: string): string {
  const fields = decodeProtobuf(Buffer.from(privateKeyBase64, "base64"));
  expect(fields.get(1)).toBe(1);
  const data = fields.get(2) as Buffer;
  expect(data.length).toBe(64);
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, data.subarray(0, 32)]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(key).export({ format: "der", type: "spki" }).subarray(-32);
  expect(Buffer.compare(publicKey, data.subarray(32))).toBe(0);
  const encoded = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x20]), publicKey]);
  return base58btc(Buffer.concat([Buffer.from([0x00, encoded.length]), encoded]));
}

function decodeProtobuf(bytes: Buffer): Map<number, number | Buffer> {
  const fields = new Map<number, number | Buffer>();
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const tag = varint();
    if ((tag & 7) === 0) fields.set(tag >> 3, varint());
    else {
      const length = varint();
      fields.set(tag >> 3, bytes.subarray(at, at + length));
      at += length;
    }
  }
  return fields;
}

function base58btc(bytes: Buffer): string {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let text = "";
  while (n > 0n) {
    text = alphabet[Number(n % 58n)] + text;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}
