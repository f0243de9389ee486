import { createPluginContext } from "kitcfg";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ipfs from "../../plugins/ipfs.ts";
import { runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
let holders: ReturnType<typeof Bun.spawn>[] = [];
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => {
  for (const holder of holders) holder.kill();
  holders = [];
  cleanup();
});

const repo = () => join(root, ".ipfs");
const read = (file: string) => readFileSync(join(repo(), file), "utf8");
const config = () => JSON.parse(read("config"));

describe("ipfs profiles", () => {
  test("configure --profile server writes the defaults with kubo's server settings", async () => {
    expect((await runCli(["configure", "ipfs", "--profile", "server"], { root })).code).toBe(0);
    const written = config();
    expect(written.Addresses.NoAnnounce).toContain("/ip4/10.0.0.0/ipcidr/8");
    expect(written.Addresses.NoAnnounce).toHaveLength(19);
    expect(written.Swarm.AddrFilters).toEqual(written.Addresses.NoAnnounce);
    expect(written.Discovery.MDNS.Enabled).toBe(false);
    expect(written.Swarm.DisableNatPortMap).toBe(true);
    expect((await runCli(["validate", "ipfs"], { root })).code).toBe(0);
  });

  test("configure --profile on a configured repo is refused unless it holds the profile already", async () => {
    await runCli(["configure", "ipfs"], { root });
    const before = read("config");
    const refused = await runCli(["configure", "ipfs", "--profile", "server"], { root });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`ipfs is already configured: configure's profile "server" shapes new files only`);
    expect(refused.stderr).toContain("kitcfg update ipfs --profile server");
    expect(read("config")).toBe(before);
    expect((await runCli(["configure", "ipfs", "--profile", "pebbleds"], { root })).stderr).toContain(
      "It applies only when the configuration is first written",
    );
    // Held already (a second run of one provisioning script), or a profile that picks new ports each time: no change.
    expect((await runCli(["update", "ipfs", "--profile", "server", "-q"], { root })).code).toBe(0);
    expect((await runCli(["configure", "ipfs", "--profile", "server"], { root })).code).toBe(0);
    expect((await runCli(["configure", "ipfs", "--profile", "randomports"], { root })).code).toBe(0);
    const fresh = join(root, "fresh");
    const all = await runCli(["configure", "all", "--profile", "server"], { root: fresh });
    expect(all.code).toBe(2);
    expect(all.stderr).toContain("Cannot give a profile to configure all: profiles belong to one daemon");
    expect((await runCli(["status", "--json"], { root: fresh })).stdout).not.toContain('"exists": true');
  });

  test(
    "update --profile server --dry-run shows the diff and writes nothing; " + "without --dry-run it applies",
    async () => {
      await runCli(["configure", "ipfs"], { root });
      const before = read("config");
      const dry = await runCli(["update", "ipfs", "--profile", "server", "--dry-run"], { root });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('-      "Enabled": true');
      expect(dry.stdout).toContain('+      "Enabled": false');
      expect(dry.stdout).toContain('+    "AddrFilters": [');
      expect(read("config")).toBe(before);
      expect((await runCli(["update", "ipfs", "--profile", "server"], { root })).code).toBe(0);
      expect(config().Discovery.MDNS.Enabled).toBe(false);
      // Applying it again changes nothing; its inverse takes the filters out again.
      expect((await runCli(["update", "ipfs", "--profile", "server"], { root })).stdout).toContain("nothing to change");
      expect((await runCli(["update", "ipfs", "--profile", "local-discovery"], { root })).code).toBe(0);
      expect(config().Addresses.NoAnnounce).toEqual([]);
      expect(config().Discovery.MDNS.Enabled).toBe(true);
    },
  );

  test("a profile and --set go together, the profile first", async () => {
    await runCli(["configure", "ipfs"], { root });
    const ran = await runCli(["update", "ipfs", "--profile", "lowpower", "--set", "Swarm.ConnMgr.HighWater=60"], {
      root,
    });
    expect(ran.code).toBe(0);
    expect(config().Swarm.ConnMgr).toEqual({ Type: "basic", LowWater: 20, HighWater: 60, GracePeriod: "1m0s" });
  });

  test.each(["flatfs", "pebbleds", "badgerds"])(
    "the init-only %s profile is refused on an existing config, which stays as it was",
    async (name) => {
      await runCli(["configure", "ipfs"], { root });
      const before = read("config");
      const ran = await runCli(["update", "ipfs", "--profile", name], { root });
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain(
        `Cannot apply profile "${name}" to the existing ipfs configuration: ` +
          `it applies only when the configuration is first written`,
      );
      expect(read("config")).toBe(before);
    },
  );

  test("configure --profile pebbleds writes pebble's spec and its disk spec", async () => {
    expect((await runCli(["configure", "ipfs", "--profile", "pebbleds"], { root })).code).toBe(0);
    expect(config().Datastore.Spec).toEqual({
      formatMajorVersion: 24,
      path: "pebbleds",
      prefix: "pebble.datastore",
      type: "pebbleds",
    });
    expect(read("datastore_spec")).toBe('{"path":"pebbleds","type":"pebbleds"}');
    expect((await runCli(["validate", "ipfs"], { root })).code).toBe(0);
  });

  test("an unknown profile is a usage error listing kubo's", async () => {
    const ran = await runCli(["update", "ipfs", "--profile", "sever"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Unknown profile "sever" for ipfs: use one of server, local-discovery, test');
  });

  test("every profile gives a configuration kitcfg and kubo accept", async () => {
    const ctx = createPluginContext({ root });
    const defaults = await ipfs.defaults(ctx);
    for (const [name, profile] of Object.entries(ipfs.profiles!)) {
      // defaults are read-only; apply takes a config to make a new one from (it never changes its argument).
      const applied = profile.apply(defaults as Parameters<typeof profile.apply>[0], ctx);
      const issues = (await ipfs.validate!(applied, ctx)).filter((i) => i.severity !== "warning");
      expect({ name, issues }).toEqual({ name, issues: [] });
    }
    expect(
      Object.keys(ipfs.profiles!)
        .filter((name) => ipfs.profiles![name]!.initOnly)
        .sort(),
    ).toEqual([
      "badgerds",
      "badgerds-measure",
      "default-datastore",
      "flatfs",
      "flatfs-measure",
      "pebbleds",
      "pebbleds-measure",
    ]);
  });

  test(
    "randomports picks one free TCP port for both families; " + "test and default-networking undo each other",
    async () => {
      await runCli(["configure", "ipfs"], { root });
      await runCli(["update", "ipfs", "--profile", "randomports"], { root });
      const [v4, v6] = config().Addresses.Swarm;
      const port = /tcp\/(\d+)$/.exec(v4)![1];
      expect(Number(port)).toBeGreaterThan(0);
      expect(v6).toBe(`/ip6/::/tcp/${port}`);
      await runCli(["update", "ipfs", "--profile", "test"], { root });
      expect(config().Addresses.API).toBe("/ip4/127.0.0.1/tcp/0");
      expect(config().AutoConf.Enabled).toBe(false);
      await runCli(["update", "ipfs", "--profile", "default-networking"], { root });
      expect(config().Addresses.API).toBe("/ip4/127.0.0.1/tcp/5001");
      expect("Enabled" in config().AutoConf).toBe(false);
      expect((await runCli(["validate", "ipfs"], { root })).code).toBe(0);
    },
  );
});

describe("ipfs running", () => {
  /** A process that holds repo.lock the way given, until the test ends. */
  async function holdLock(kind: "posix" | "flock"): Promise<void> {
    const lock = join(repo(), "repo.lock");
    writeFileSync(lock, "");
    // kubo takes a POSIX write lock (fcntl F_SETLK, go4.org/lock); util-linux flock takes a BSD one.
    const argv =
      kind === "posix"
        ? [
            "python3",
            "-c",
            "import fcntl,sys,time\nf=open(sys.argv[1],'w')\n" +
              "fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\nprint('locked',flush=True)\ntime.sleep(60)",
            lock,
          ]
        : ["flock", "--no-fork", "--nonblock", lock, "sh", "-c", "echo locked; exec sleep 60"];
    const holder = Bun.spawn(argv, { stdout: "pipe", stderr: "inherit" });
    holders.push(holder);
    // The holder says "locked" once it has the lock; its line may come in pieces.
    const reader = holder.stdout.getReader();
    let said = "";
    while (!said.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      said += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    expect(said).toBe("locked\n");
  }

  /** The kernel's lock table, without each line's ordinal, which shifts as other processes lock files. */
  function lockTable(): string {
    return readFileSync("/proc/locks", "utf8").replace(/^\d+: /gm, "");
  }

  test.each(["posix", "flock"] as const)(
    "a change while a process holds repo.lock (%s) and an api file exists says to restart",
    async (kind) => {
      await runCli(["configure", "ipfs"], { root });
      writeFileSync(join(repo(), "api"), "/ip4/127.0.0.1/tcp/5001");
      await holdLock(kind);
      const held = lockTable()
        .split("\n")
        .filter((line) => line.includes(` ${holders[0]!.pid} `));
      expect(held).toHaveLength(1);
      const ran = await runCli(["update", "ipfs", "--set", "Datastore.StorageMax=20GB", "--json"], { root });
      expect(ran.code).toBe(0);
      expect(JSON.parse(ran.stdout).restart).toBe(
        `ipfs is running (api file ${repo()}/api): restart it to apply the change`,
      );
      const human = await runCli(["update", "ipfs", "--set", "Datastore.StorageMax=30GB"], { root });
      expect(human.stderr).toContain("restart it to apply the change");
      // Looking did not take or drop the daemon's lock.
      expect(
        lockTable()
          .split("\n")
          .filter((line) => line.includes(` ${holders[0]!.pid} `)),
      ).toEqual(held);
    },
  );

  test("an api file left by a crashed daemon, with repo.lock free, is not a running daemon", async () => {
    await runCli(["configure", "ipfs"], { root });
    writeFileSync(join(repo(), "api"), "/ip4/127.0.0.1/tcp/5001");
    writeFileSync(join(repo(), "repo.lock"), "");
    const ran = await runCli(["update", "ipfs", "--set", "Datastore.StorageMax=20GB", "--json"], { root });
    expect(JSON.parse(ran.stdout).restart).toBeUndefined();
  });

  test("a lock on repo.lock without an api file is an ipfs command at work", async () => {
    await runCli(["configure", "ipfs"], { root });
    await holdLock("posix");
    const ran = await runCli(["update", "ipfs", "--set", "Datastore.StorageMax=20GB", "--json"], { root });
    expect(JSON.parse(ran.stdout).restart).toBe(
      `an ipfs process holds ${repo()}/repo.lock: restart the daemon (or let the command finish) to apply the change`,
    );
  });
});
