import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../cli/commands/index.ts";
import { cleanEnv, hasTool, KITCFG, kitcfg, tempDir } from "../helpers.ts";
import { listTree } from "../_safety.ts";

// Each test runs the binary many times: give a loaded machine room.
setDefaultTimeout(60_000);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const hf = (file: string) => join(root, ".cache/huggingface", file);
const ANSI = /\u001B\[/;

/** Run the binary through bash, for pipes, process substitution and redirections. */
function sh(script: string, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const ran = Bun.spawnSync(["bash", "-c", script], {
    env: cleanEnv(root, { K: KITCFG, R: root, ...env }),
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: ran.exitCode ?? -1, stdout: ran.stdout.toString(), stderr: ran.stderr.toString() };
}

describe("set and unset", () => {
  test("kitcfg set DAEMON KEY VALUE writes a typed value, unset removes it", () => {
    expect(kitcfg(["configure", "s3", "-q"], { root }).code).toBe(0);
    expect(kitcfg(["configure", "huggingface", "-q"], { root }).code).toBe(0);
    expect(kitcfg(["set", "s3", "host_base", "minio.lab:9000"], { root }).code).toBe(0);
    expect(readFileSync(join(root, ".s3cfg"), "utf8")).toContain("host_base = minio.lab:9000\n");
    expect(kitcfg(["set", "huggingface", "offline", "yes"], { root }).code).toBe(0);
    expect(JSON.parse(readFileSync(hf("config.json"), "utf8")).offline).toBe(true);
    expect(kitcfg(["unset", "huggingface", "offline"], { root }).code).toBe(0);
    expect("offline" in JSON.parse(readFileSync(hf("config.json"), "utf8"))).toBe(false);
  });

  test("set refuses a value that does not fit, and a missing value is a usage error", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const before = readFileSync(hf("config.json"));
    const bad = kitcfg(["set", "huggingface", "offline", "maybe"], { root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'Cannot set "offline" for huggingface: expected a boolean (true or false), got "maybe"',
    );
    expect(kitcfg(["set", "huggingface", "offline"], { root }).code).toBe(2);
    expect(readFileSync(hf("config.json"))).toEqual(before);
  });
});

describe("a value that starts with -", () => {
  test("is refused as an option with the way to give it, goes after --, and -- counts what follows", () => {
    kitcfg(["configure", "lassie", "-q"], { root });
    const asOption = kitcfg(["set", "lassie", "bitswap_concurrency", "-5"], { root });
    expect(asOption.code).toBe(2);
    expect(asOption.stderr).toContain(
      'A value that starts with "-" goes after "--": kitcfg set lassie bitswap_concurrency -- -5',
    );
    const env = cleanEnv(root);
    const after = kitcfg(["--root", root, "set", "lassie", "global_timeout", "--", "-1s", "extra"], { env });
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('Unexpected argument "extra" for "kitcfg set"');
    expect(kitcfg(["--root", root, "set", "lassie", "providers", "--", "-x"], { env }).stderr).not.toContain(
      "Unexpected argument",
    );
  });
});

describe("unset of a key", () => {
  test("a misspelt key is refused as set refuses it; a known absent key is nothing to change", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const before = readFileSync(hf("config.json"));
    for (const args of [
      ["unset", "huggingface", "offlin"],
      ["update", "huggingface", "--unset", "offlin"],
      ["set", "huggingface", "offlin", "true"],
    ]) {
      const ran = kitcfg(args, { root });
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain('Unknown key "offlin" for huggingface: did you mean "offline"?');
    }
    expect(readFileSync(hf("config.json"))).toEqual(before);
    expect(kitcfg(["configure", "huggingface", "--force", "--unset", "offlin"], { root }).code).toBe(2);
    for (let i = 0; i < 2; i++) {
      const ran = kitcfg(["unset", "huggingface", "hub_cache"], { root });
      expect([ran.code, ran.stderr]).toEqual([0, ""]);
    }
  });

  test("get and show of a misspelt key exit 1 as for an absent value, with the nearest key", () => {
    kitcfg(["configure", "ipfs", "-q"], { root });
    for (const command of ["get", "show"]) {
      const ran = kitcfg([command, "ipfs", "Adresses.API"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('ipfs has no value at "Adresses.API"');
      expect(ran.stderr).toContain('ipfs takes no key "Adresses": did you mean "Addresses"?');
    }
    // A key ipfs takes, or an index into a list, is only absent.
    for (const key of ["Gateway.RetrievalTimeout", "Bootstrap.7"]) {
      const ran = kitcfg(["get", "ipfs", key], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).not.toContain("takes no key");
    }
    // An absent key with a default in the daemon's documentation names that default (a secret never).
    for (const command of ["get", "show"]) {
      const ran = kitcfg([command, "ipfs", "swarm.connmgr.highwater"], { root });
      expect([ran.code, ran.stdout]).toEqual([1, ""]);
      expect(ran.stderr).toContain("not set: ipfs uses its default, 96, when the key is absent");
    }
    kitcfg(["configure", "lotus", "-q"], { root });
    expect(kitcfg(["get", "lotus", "API.Timeout"], { root }).stderr).toContain('lotus uses its default, "30s"');
    // A pattern under any table (lotus's `*.*.Wallet.RemoteBackend`) keeps the hint off the secret only.
    const secret = kitcfg(["get", "lotus", "Wallet.RemoteBackend"], { root });
    expect([secret.code, secret.stderr]).toEqual([1, '✖ lotus has no value at "Wallet.RemoteBackend"\n']);
  });

  test("a key the schema does not know is removed where the file holds it", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const config = JSON.parse(readFileSync(hf("config.json"), "utf8"));
    writeFileSync(hf("config.json"), JSON.stringify({ ...config, old_setting: 1 }, null, 2));
    expect(kitcfg(["unset", "huggingface", "old_setting"], { root }).code).toBe(0);
    expect("old_setting" in JSON.parse(readFileSync(hf("config.json"), "utf8"))).toBe(false);
    expect(kitcfg(["unset", "huggingface", "old_setting"], { root }).code).toBe(2);
  });
});

describe("keys in another case", () => {
  test("kubo's keys match whatever their case in get, show and keys, as in set and unset", () => {
    kitcfg(["configure", "ipfs", "-q"], { root });
    expect(kitcfg(["set", "ipfs", "gateway.nofetch", "true"], { root }).code).toBe(0);
    expect(kitcfg(["get", "ipfs", "gateway.nofetch"], { root }).stdout).toBe("true\n");
    expect(kitcfg(["get", "ipfs", "ADDRESSES.api"], { root }).stdout).toBe("/ip4/127.0.0.1/tcp/5001\n");
    expect(JSON.parse(kitcfg(["show", "ipfs", "gateway", "--json"], { root }).stdout).value.NoFetch).toBe(true);
    expect(kitcfg(["keys", "ipfs", "gateway.nof"], { root }).stdout).toContain("Gateway.NoFetch");
    const secret = kitcfg(["get", "ipfs", "identity.privkey"], { root });
    expect([secret.code, secret.stdout]).toEqual([1, ""]);
    // A file that spells the key otherwise is read where the daemon reads it; its secret stays one.
    const file = join(root, ".ipfs/config");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace('"Identity"', '"identity"').replace('"PrivKey"', '"privkey"'),
    );
    expect(kitcfg(["get", "ipfs", "Identity.PeerID"], { root }).stdout).toStartWith("12D3KooW");
    for (const key of ["Identity.PrivKey", "identity.privkey", "identity"]) {
      const ran = kitcfg(["get", "ipfs", key], { root });
      expect([ran.code, ran.stdout]).toEqual([1, ""]);
      expect(ran.stderr).toContain("is a secret");
    }
  });
});

describe("keys Go folds past their case", () => {
  test("ipfs-cluster's keys match whatever their case in get and set, component names only as written", () => {
    kitcfg(["configure", "ipfs-cluster-service", "-q"], { root });
    const file = join(root, ".ipfs-cluster/service.json");
    const { consensus, ...rest } = JSON.parse(readFileSync(file, "utf8"));
    const { peername, ...cluster } = rest.cluster;
    writeFileSync(file, JSON.stringify({ ...rest, cluster: { ...cluster, Peername: peername }, Consensus: consensus }));
    expect(kitcfg(["get", "ipfs-cluster-service", "cluster.peername"], { root }).stdout).toBe(`${peername}\n`);
    expect(kitcfg(["get", "ipfs-cluster-service", "consensus.crdt.cluster_name"], { root }).code).toBe(0);
    expect(kitcfg(["get", "ipfs-cluster-service", "consensus.CRDT.cluster_name"], { root }).code).not.toBe(0);
    expect(kitcfg(["set", "ipfs-cluster-service", "cluster.peername", "renamed"], { root }).code).toBe(0);
    const written = JSON.parse(readFileSync(file, "utf8"));
    expect([written.cluster.Peername, written.cluster.peername]).toEqual(["renamed", undefined]);
  });

  // Go's encoding/json matches a key to a field as strings.EqualFold does, which reads "ſ" (U+017F)
  // as "s" and the Kelvin sign as "k": the daemon reads such a key as its field.
  test("a Go daemon reads a key with a long s as its field: validate judges it, get and show hide its secret", () => {
    kitcfg(["configure", "ipfs", "-q"], { root });
    const kubo = join(root, ".ipfs/config");
    const config = JSON.parse(readFileSync(kubo, "utf8"));
    writeFileSync(kubo, JSON.stringify({ ...config, "Addre\u017f\u017fes": { API: "garbage" } }, null, 2));
    const bad = kitcfg(["validate", "ipfs"], { root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"Addresses.API"');
    expect(bad.stderr).toContain('"Addre\u017f\u017fes": is read by ipfs as "Addresses"');

    kitcfg(["configure", "ipfs-cluster-service", "-q"], { root });
    const service = join(root, ".ipfs-cluster/service.json");
    const cluster = JSON.parse(readFileSync(service, "utf8"));
    const secret = "ab".repeat(32);
    cluster.cluster["\u017fecret"] = secret;
    writeFileSync(service, JSON.stringify(cluster, null, 2));
    for (const command of [
      ["show", "ipfs-cluster-service"],
      ["show", "ipfs-cluster-service", "--json"],
    ]) {
      const ran = kitcfg(command, { root });
      expect(ran.code).toBe(0);
      expect(ran.stdout).not.toContain(secret);
    }
    const one = kitcfg(["get", "ipfs-cluster-service", "cluster.\u017fecret"], { root });
    expect([one.code, one.stdout]).toEqual([1, ""]);
    expect(one.stderr).toContain("is a secret");
  });
});

describe("hints name the instance", () => {
  test("the commands a hint gives for an instance reach that instance", () => {
    const follow = ["ipfs-cluster-follow", "--instance", "two"];
    expect(kitcfg(["configure", ...follow, "-q"], { root }).code).toBe(0);
    expect(kitcfg(["set", ...follow, "cluster.peername", "p2"], { root }).code).toBe(0);
    const history = kitcfg(["history", ...follow], { root });
    expect(history.stdout).toContain(
      "`kitcfg diff ipfs-cluster-follow --instance two --from ID`, " +
        "`kitcfg restore ipfs-cluster-follow --instance two ID`",
    );
    expect(kitcfg(["restore", ...follow, "nope"], { root }).stderr).toContain(
      "See `kitcfg history ipfs-cluster-follow --instance two` for the ids",
    );
    expect(kitcfg(["get", ...follow, "cluster.secret"], { root }).stderr).toContain(
      "kitcfg get ipfs-cluster-follow --instance two cluster.secret --reveal",
    );
    expect(kitcfg(["configure", ...follow, "--force"], { root }).stdout).toContain(
      "`kitcfg history ipfs-cluster-follow --instance two`",
    );
  });
});

describe("values from stdin and pipes", () => {
  // update and set change a configured daemon: configure it first.
  beforeEach(() => void kitcfg(["configure", "huggingface", "-q"], { root }));

  test("--set token=@- reads stdin, and set's @- too; one final newline is dropped", () => {
    expect(sh('printf "hf_fromStdinPipe01\\n" | "$K" update huggingface --set token=@- --root "$R"').code).toBe(0);
    expect(readFileSync(hf("token"), "utf8")).toBe("hf_fromStdinPipe01");
    const ran = sh('"$K" set huggingface token @- --root "$R" <<< hf_fromHereString2');
    expect(ran.code).toBe(0);
    expect(ran.stdout + ran.stderr).not.toContain("hf_fromHereString2");
    expect(readFileSync(hf("token"), "utf8")).toBe("hf_fromHereString2");
  });

  test("@/dev/stdin and process substitution read a pipe to its end, even from a slow writer", () => {
    expect(
      sh('(sleep 0.3; printf hf_slowWriter0003) | "$K" update huggingface --set token=@/dev/stdin --root "$R"').code,
    ).toBe(0);
    expect(readFileSync(hf("token"), "utf8")).toBe("hf_slowWriter0003");
    expect(sh('"$K" update huggingface --set token=@<(printf hf_procSubst0004) --root "$R"').code).toBe(0);
    expect(readFileSync(hf("token"), "utf8")).toBe("hf_procSubst0004");
  });

  test.skipIf(!hasTool("script", "the @- from a terminal test"))(
    "@- with a terminal on stdin says to pipe the value in",
    () => {
      const ran = sh('script -qec "\\"$K\\" set huggingface token @- --root \\"$R\\"" /dev/null < /dev/null');
      expect(ran.stdout).toContain("stdin is a terminal: pipe the value in");
      // A usage error (2), as a missing value is: nothing was read, nothing refused.
      expect(ran.code).toBe(2);
      expect(existsSync(hf("token"))).toBe(false);
    },
  );

  test("stdin that gives nothing, not UTF-8 or a NUL is refused, and read once per command", () => {
    writeFileSync(hf("token"), "hf_keptAsItWas0005", { mode: 0o600 });
    const refused = (command: string, code: number, message: string) => {
      const ran = sh(command);
      expect(`${command}: ${ran.code} ${ran.stderr}`).toContain(`${command}: ${code} `);
      expect(ran.stderr).toContain(message);
      expect(readFileSync(hf("token"), "utf8")).toBe("hf_keptAsItWas0005");
    };
    refused('printf "" | "$K" set huggingface token @- --root "$R"', 1, "/dev/stdin gave no value; to empty the key");
    refused('"$K" set huggingface token @- --root "$R" < /dev/null', 1, "/dev/stdin gave no value");
    // Refused values, as the README's exit codes have them: 1 like an empty one, not an I/O failure.
    refused('printf "hf_\\377x" | "$K" set huggingface token @- --root "$R"', 1, "/dev/stdin: it is not UTF-8 text");
    refused(
      'head -c 2000000 /dev/zero | tr "\\0" a | "$K" set huggingface token @- --root "$R"',
      1,
      "/dev/stdin: it holds more than 1048576 bytes",
    );
    refused('printf "hf_a\\0b" | "$K" set huggingface token @- --root "$R"', 1, "holds a NUL byte");
    refused(
      'printf x | "$K" update huggingface --set token=@- --set endpoint=@/dev/stdin --root "$R"',
      2,
      "stdin can give one value per command: token and endpoint both read it",
    );
  });

  test("a device is still refused", () => {
    const ran = kitcfg(["update", "huggingface", "--set", "token=@/dev/zero"], { root });
    expect(ran.code).toBe(3);
    expect(ran.stderr).toContain("cannot read /dev/zero: it is not a regular file or a pipe");
  });
});

describe("get of a secret", () => {
  test("exits 1 with a clear message unless --reveal, which prints the value itself", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    kitcfg(["set", "huggingface", "token", "hf_revealMe000001"], { root });
    const refused = kitcfg(["get", "huggingface", "token"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(
      '"token" of huggingface is a secret: kitcfg prints it only when asked with --reveal',
    );
    expect(refused.stderr).not.toContain("hf_revealMe000001");
    const json = kitcfg(["get", "huggingface", "token", "--json"], { root });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe("SECRET");
    expect(kitcfg(["get", "huggingface", "token", "--reveal"], { root }).stdout).toBe("hf_revealMe000001\n");
    expect(kitcfg(["get", "huggingface", "token", "--reveal", "--json"], { root }).stdout).toBe(
      '"hf_revealMe000001"\n',
    );
  });

  test("a key that holds a secret is refused too; a plain key needs no --reveal", () => {
    kitcfg(["configure", "ipfs", "-q"], { root });
    expect(kitcfg(["get", "ipfs", "Identity"], { root }).code).toBe(1);
    expect(kitcfg(["get", "ipfs", "Identity.PeerID"], { root }).stdout).toStartWith("12D3KooW");
  });

  test("a plain key whose value is also a secret's is refused as a secret, not printed as <redacted>", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const shared = "sharedValue0042";
    kitcfg(["update", "s3", "--set", "access_key=AKIA0042", "--set", `secret_key=${shared}`], { root });
    kitcfg(["set", "s3", "bucket_location", shared], { root });
    const refused = kitcfg(["get", "s3", "bucket_location"], { root });
    expect([refused.code, refused.stdout]).toEqual([1, ""]);
    expect(refused.stderr).toContain('"bucket_location" of s3 holds the value of a secret');
    expect(refused.stderr).toContain("kitcfg get s3 bucket_location --reveal");
    expect(refused.stderr).not.toContain(shared);
    expect(JSON.parse(kitcfg(["get", "s3", "bucket_location", "--json"], { root }).stdout).error.code).toBe("SECRET");
    expect(kitcfg(["get", "s3", "bucket_location", "--reveal"], { root }).stdout).toBe(`${shared}\n`);
    expect(kitcfg(["get", "s3", "host_base"], { root }).stdout).toBe("s3.amazonaws.com\n");
  });
});

describe("global flags, colour and quiet", () => {
  test("--root, --json and --color may come before the command", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const ran = kitcfg(["--root", root, "--json", "status"], {});
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).daemons.find((d: { daemon: string }) => d.daemon === "huggingface").configured).toBe(
      true,
    );
    expect(kitcfg([`--root=${root}`, "--color=never", "get", "huggingface", "offline"]).stdout).toBe("false\n");
    const unknown = kitcfg(["--offline", "status"], { root });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown option "--offline" before the command');
    // A flag that takes a value, given last without one: one line on stderr, as after the command.
    for (const given of [["--root", root, "--color"], ["--root"]]) {
      const ran = kitcfg(given);
      expect([ran.code, ran.stdout, ran.stderr.split("\n")[0]]).toEqual([
        2,
        "",
        `✖ Option "${given.at(-1)}" needs a value`,
      ]);
    }
  });

  test("global flags before help ask help of the command after them; global flags alone are the usage", () => {
    const help = kitcfg(["--root", root, "help", "set"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("USAGE kitcfg set");
    expect(kitcfg(["--lock-timeout", "3", "--plugins", root, "help", "update"]).stdout).toContain(
      "USAGE kitcfg update",
    );
    expect(kitcfg(["--root", root, "help"]).stdout).toContain("kitcfg help COMMAND");
    for (const alone of [["--root", root], ["-q"]]) {
      const ran = kitcfg(alone);
      expect([ran.code, ran.stderr]).toEqual([2, ""]);
      expect(ran.stdout).toContain("kitcfg help COMMAND");
    }
    // With --json the answer is JSON, as from every command.
    expect(JSON.parse(kitcfg(["--json", `--root=${root}`]).stdout).error.message).toBe("No command given");
    kitcfg(["configure", "huggingface", "-q"], { root });
    expect(kitcfg(["--plugins", join(root, "none"), "--root", root, "get", "huggingface", "offline"]).stdout).toBe(
      "false\n",
    );
  });

  test("a missing argument is named with the command's form and where its help is", () => {
    const ran = kitcfg(["get", "huggingface"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("Missing KEY (Dotted key path; the whole configuration is `kitcfg show DAEMON`): ");
    expect(ran.stderr).toContain("kitcfg get DAEMON KEY");
    expect(ran.stderr).toContain("See `kitcfg help get`");
    expect(kitcfg(["set", "s3", "host_base"], { root }).stderr).toContain("Missing VALUE");
  });

  test("--color=always colours both streams, never and a pipe colour neither, a bad value is a usage error", () => {
    const always = kitcfg(["configure", "huggingface", "--color=always"], { root });
    expect(always.stdout).toMatch(ANSI);
    expect(kitcfg(["get", "huggingface", "nope", "--color", "always"], { root }).stderr).toMatch(ANSI);
    const piped = kitcfg(["get", "huggingface", "nope"], { root });
    expect(piped.stderr).not.toMatch(ANSI);
    expect(kitcfg(["get", "huggingface", "nope", "--color=never"], { root, env: cleanEnv(root) }).stderr).not.toMatch(
      ANSI,
    );
    expect(kitcfg(["status", "--color=sometimes"], { root }).code).toBe(2);
  });

  test.skipIf(!hasTool("script", "the colour-per-stream test, which needs a terminal"))(
    "colour is decided per stream: a terminal on stdout, a file on stderr",
    () => {
      kitcfg(["configure", "huggingface", "-q"], { root });
      const out = sh(
        'script -qec "\\"$K\\" update huggingface --set offline=true --root \\"$R\\" 2>\\"$R/err\\"" /dev/null',
      );
      expect(out.stdout).toMatch(ANSI);
      sh('script -qec "\\"$K\\" get huggingface nope --root \\"$R\\" 2>\\"$R/err\\"" /dev/null');
      const err = readFileSync(join(root, "err"), "utf8");
      expect(err).toContain('huggingface has no value at "nope"');
      expect(err).not.toMatch(ANSI);
    },
  );

  test("-q prints no success or info lines, but errors still", () => {
    // -q keeps warnings (s3's empty credentials), never success lines.
    const quiet = kitcfg(["configure", "all", "-q"], { root });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("");
    expect(quiet.stderr).not.toContain("✔");
    expect(kitcfg(["--quiet", "set", "huggingface", "offline", "true"], { root }).stdout).toBe("");
    expect(kitcfg(["-q", "get", "huggingface", "nope"], { root }).stderr).toContain("no value");
  });

  test("a switch given =true or =false is read so everywhere, any other value refused (--force=no)", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const before = readFileSync(hf("config.json"));
    const forced = kitcfg(["set", "huggingface", "offline", "maybe", "--force=no"], { root });
    expect([forced.code, forced.stdout]).toEqual([2, ""]);
    expect(forced.stderr).toContain('Option "--force" of "kitcfg set" takes no value, got "no"');
    expect(readFileSync(hf("config.json"))).toEqual(before);
    expect(JSON.parse(kitcfg(["status", "--json=true"], { root }).stdout).daemons.length).toBeGreaterThan(0);
    expect(JSON.parse(kitcfg(["--json=true", "get", "huggingface", "offline"], { root }).stdout)).toBe(false);
    for (const off of [["--json=false"], ["--json", "--no-json"]]) {
      expect(kitcfg(["get", "huggingface", "offline", ...off], { root }).stdout).toBe("false\n");
    }
    expect(kitcfg(["set", "huggingface", "offline", "true", "--quiet=true"], { root }).stdout).toBe("");
  });
});

describe("help", () => {
  test("kitcfg help CMD is CMD's help, and every command's help has examples", () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      if (entry.hidden) continue;
      const help = kitcfg(["help", name]);
      expect(help.code).toBe(0);
      expect(help.stdout).toBe(kitcfg([name, "--help"]).stdout);
      expect(help.stdout).toContain(`\n\nExamples:\n  ${entry.examples![0]}`);
    }
    expect(kitcfg(["help", "sett"]).stderr).toContain('Unknown command "sett": did you mean "set"?');
    expect(kitcfg(["--help"]).stdout).not.toContain("__complete");
  }, 60_000);

  test("kitcfg --help names every option every command takes, as the README does", () => {
    // status takes the options every command takes, and no other.
    const common = [...kitcfg(["help", "status"]).stdout.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(common).toContain("--lock-timeout");
    const top = kitcfg(["--help"]).stdout;
    expect(common.filter((option) => !top.includes(option))).toEqual([]);
  });

  test("the version ids in diff's and restore's examples have the shape of the ids history lists", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    expect(kitcfg(["set", "s3", "host_base", "minio.lab:9000"], { root }).code).toBe(0);
    const ids = JSON.parse(kitcfg(["history", "s3", "--json"], { root }).stdout).versions.map(
      (v: { id: string }) => v.id,
    );
    // A version id starts with the UTC time of the write: a prefix of one is digits, then T, then digits.
    const idPrefix = /^\d{8}T\d{1,9}(Z(-\d*)?)?$/;
    for (const id of ids) expect(id).toMatch(idPrefix);
    const given = [
      ...COMMANDS.diff!.examples!.flatMap((line) => [...line.matchAll(/--(?:from|to) (\S+)/g)].map((m) => m[1]!)),
      ...COMMANDS.restore!.examples!.flatMap((line) => /^kitcfg restore \S+ ([^-\s]\S*)/.exec(line)?.[1] ?? []),
    ].filter((id) => id !== "current");
    expect(given.length).toBeGreaterThan(0);
    for (const id of given) expect(id).toMatch(idPrefix);
  });

  test("set's help", () => {
    expect(kitcfg(["help", "set"]).stdout).toMatchInlineSnapshot(`
      "Set one key, as \`kitcfg update DAEMON --set KEY=VALUE\` does (VALUE @FILE reads a file, @- stdin) (kitcfg set)

      USAGE kitcfg set [OPTIONS] <DAEMON> <KEY> <VALUE>

      ARGUMENTS

        DAEMON    Daemon name (see \`kitcfg list\`) (Required)
           KEY    Dotted key path (see \`kitcfg keys DAEMON\`) (Required)
         VALUE    The value, typed by the schema; @FILE reads it from FILE, @- from stdin (Required)

      OPTIONS

                       --dry-run    Show the diff, write nothing
                         --force    Write even if the result is invalid (exit code 1 all the same)
               --instance=<NAME>    Instance, for daemons with several (ipfs-cluster-follow)
                          --json    Print one JSON document on stdout
                    --root=<DIR>    Put every file under DIR (~ becomes DIR); also KITCFG_ROOT
                 --plugins=<DIR>    Load user plugins from DIR (colon-separated list); also KITCFG_PLUGIN_PATH
        --lock-timeout=<SECONDS>    Seconds to wait for another writer (default 10)
                  --color=<WHEN>    Colour: auto (each stream's own terminal), always or never
                     -q, --quiet    Print no success or info lines
                      -h, --help    Show this help

      Examples:
        kitcfg set ipfs Addresses.API /ip4/127.0.0.1/tcp/5001
        printf %s "$TOKEN" | kitcfg set huggingface token @-
      "
    `);
  });
});

describe("small things a user notices", () => {
  test("keys gives no default for a value made for each configuration (a peer id), and reads well", () => {
    for (const [daemon, key] of [
      ["ipfs", "Identity.PeerID"],
      ["ipfs-cluster-service", "identity.id"],
    ]) {
      const ran = kitcfg(["keys", daemon!, key!], { root });
      expect(ran.stdout).toStartWith(`${key}  (a string; made for each new configuration)`);
      const json = JSON.parse(kitcfg(["keys", daemon!, key!, "--json"], { root }).stdout).keys[0];
      expect([json.generated, json.default]).toEqual([true, undefined]);
    }
    expect(kitcfg(["keys", "ipfs", "Addresses.API"], { root }).stdout).toContain('default "/ip4/127.0.0.1/tcp/5001"');
    expect(
      kitcfg(["keys", "ipfs-cluster-service", "datastore.pebble.pebble_options.levels"], { root }).stdout,
    ).toContain("a JSON array of JSON objects");
  });

  test("unset of a key the daemon needs says unset, not set ... got undefined", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const ran = kitcfg(["unset", "huggingface", "cache_dir"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toStartWith(
      '✖ Cannot unset "cache_dir" for huggingface: huggingface needs a value there: expected a path',
    );
    expect(ran.stderr).not.toContain("undefined");
  });

  test("an empty --root is refused, not taken as the current folder", () => {
    for (const args of [
      ["--root", "", "status"],
      ["status", "--root="],
    ]) {
      const ran = kitcfg(args, { cwd: root });
      expect(ran.code).toBe(2);
      expect(ran.stderr.split("\n")[0]).toBe("✖ --root needs a folder: it was given an empty one");
    }
    expect(listTree(root)).toEqual([]);
  });

  test("an empty --lock-timeout is refused, not taken as 0 seconds", () => {
    for (const given of ["", " "]) {
      const ran = kitcfg(["--lock-timeout", given, "configure", "huggingface"], { root });
      expect([ran.code, ran.stderr.split("\n")[0]]).toEqual([
        2,
        `✖ --lock-timeout needs a number of seconds, got ${JSON.stringify(given)}`,
      ]);
    }
    expect(listTree(root)).toEqual([]);
  });

  test("kitcfg --help CMD and -h CMD show that command's help; --json alone answers in JSON", () => {
    expect(kitcfg(["--help", "edit"]).stdout).toStartWith("Edit a daemon's main file");
    expect(kitcfg(["-h", "set"]).stdout).toStartWith("Set one key");
    const json = kitcfg(["--json"]);
    expect([json.code, JSON.parse(json.stdout).error.code]).toEqual([2, "USAGE"]);
  });
});

describe("dry runs", () => {
  test("say what the write would do to each file, and write nothing", () => {
    const created = kitcfg(["configure", "huggingface", "--dry-run"], { root });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`✔ would create ${hf("config.json")}\n`);
    expect(existsSync(hf("config.json"))).toBe(false);
    kitcfg(["configure", "huggingface", "-q"], { root });
    const updated = kitcfg(["update", "huggingface", "--set", "offline=true", "--dry-run"], { root });
    expect(updated.stdout).toContain(`✔ would update ${hf("config.json")} (offline)\n`);
    expect(kitcfg(["get", "huggingface", "offline"], { root }).stdout).toBe("false\n");
  });
});
