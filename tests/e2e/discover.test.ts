import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, hasTool, KITCFG, kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary many times: give a loaded machine room.
setDefaultTimeout(60_000);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

interface Key {
  key: string;
  type: string;
  default?: unknown;
  doc?: string;
  secret: boolean;
}

const keysOf = (...args: string[]): Key[] => JSON.parse(kitcfg(["keys", ...args, "--json"], { root }).stdout).keys;

describe("keys", () => {
  test("lists each key with its type and default, under a prefix", () => {
    const ran = kitcfg(["keys", "ipfs", "Swarm.ConnMgr"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(
      "Swarm.ConnMgr.HighWater  (a whole number (a Go int64); default 96)\n" +
        "    Connections above which the manager trims\n",
    );
    expect(ran.stdout).not.toContain("Addresses.");
    const api = keysOf("ipfs", "Addresses").find((k) => k.key === "Addresses.API")!;
    expect(api).toMatchObject({ default: "/ip4/127.0.0.1/tcp/5001", secret: false });
    expect(api.doc).toContain("RPC API");
  });

  test("a prefix may end inside a key's last segment, as it is typed", () => {
    const addr = keysOf("ipfs", "Addr").map((k) => k.key);
    expect(addr).toContain("Addresses.API");
    expect(addr.every((key) => key.startsWith("Addresses."))).toBe(true);
    expect(keysOf("ipfs", "Swarm.ConnMgr.High").map((k) => k.key)).toEqual(["Swarm.ConnMgr.HighWater"]);
    expect(keysOf("ipfs", "Swarm.Conn").map((k) => k.key)).toContain("Swarm.ConnMgr.LowWater");
    // Whole segments before the last: "Swar.ConnMgr" is not "Swarm.ConnMgr".
    expect(kitcfg(["keys", "ipfs", "Swar.ConnMgr"], { root }).code).toBe(2);
  });

  test("lotus's documentation and commented defaults come from its own default file", () => {
    const listen = keysOf("lotus", "API").find((k) => k.key === "API.ListenAddress")!;
    expect(listen).toEqual({
      key: "API.ListenAddress",
      type: "a string",
      default: "/ip4/127.0.0.1/tcp/1234/http",
      doc: "Binding address for the Lotus API (env LOTUS_API_LISTENADDRESS)",
      secret: false,
    });
  });

  test("secrets are marked and their (generated) defaults never shown", () => {
    const ipfs = keysOf("ipfs", "Identity");
    expect(ipfs.find((k) => k.key === "Identity.PrivKey")).toMatchObject({ secret: true });
    expect("default" in ipfs.find((k) => k.key === "Identity.PrivKey")!).toBe(false);
    const text = kitcfg(["keys", "ipfs-cluster-service", "cluster"], { root }).stdout;
    expect(text).toMatch(/^cluster\.secret {2}\(.*; secret\)$/m);
    expect(keysOf("s3").some((k) => k.key === "secret_key" && k.secret)).toBe(true);
  });

  test("an unknown prefix or daemon is a usage error (exit 2), as an unknown key is everywhere", () => {
    const ran = kitcfg(["keys", "ipfs", "Adresses"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('ipfs has no key starting with "Adresses"');
    expect(kitcfg(["keys", "nosuch"], { root }).code).toBe(2);
  });
});

describe("schema and profiles", () => {
  test("schema prints a JSON Schema that describes the file kitcfg writes", () => {
    const ran = kitcfg(["schema", "huggingface"], { root });
    expect(ran.code).toBe(0);
    const schema = JSON.parse(ran.stdout);
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.properties.offline).toEqual({ type: "boolean" });
    kitcfg(["configure", "huggingface", "-q"], { root });
    const written = JSON.parse(readFileSync(join(root, ".cache/huggingface/config.json"), "utf8"));
    for (const key of Object.keys(written)) expect(Object.keys(schema.properties)).toContain(key);
    const ipfs = JSON.parse(kitcfg(["schema", "ipfs"], { root }).stdout);
    expect(JSON.stringify(ipfs.properties.Addresses)).toContain('"API":');
  });

  test("profiles lists a daemon's profiles, or says it has none", () => {
    const ipfs = kitcfg(["profiles", "ipfs"], { root });
    expect(ipfs.stdout).toMatch(/^server {2,}Keep private and local addresses out/m);
    expect(ipfs.stdout).toMatch(/^pebbleds .*\(only when first configured\)$/m);
    const json = JSON.parse(kitcfg(["profiles", "ipfs", "--json"], { root }).stdout);
    expect(json.profiles.find((p: { name: string }) => p.name === "lowpower").initOnly).toBe(false);
    expect(kitcfg(["profiles", "s3"], { root }).stdout).toBe("ℹ s3 has no profiles\n");
  });
});

describe("completion", () => {
  /** Source the bash script and call its function the way bash would, with COMP_WORDS and COMP_CWORD. */
  function complete(...words: string[]): string[] {
    const script = `source <("${KITCFG}" completion bash)
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
_kitcfg
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const ran = Bun.spawnSync(["bash", "-c", script, "bash", KITCFG, ...words], {
      env: cleanEnv(root),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(ran.stderr.toString()).toBe("");
    return ran.stdout.toString().split("\n").filter(Boolean);
  }

  test("bash completes commands, daemons, key paths, instances and flags", () => {
    expect(complete("up")).toEqual(["update"]);
    expect(complete("--root", root, "sta")).toEqual(["status"]);
    expect(complete("get", "hug")).toEqual(["huggingface"]);
    expect(complete("configure", "a")).toEqual(["all"]);
    expect(complete("get", "ipfs", "Addresses.A")).toEqual([
      "Addresses.Announce",
      "Addresses.AppendAnnounce",
      "Addresses.API",
    ]);
    expect(complete("update", "huggingface", "--set", "off")).toEqual(["offline="]);
    expect(complete("update", "huggingface", "--unset", "off")).toEqual(["offline"]);
    expect(complete("status", "--j")).toEqual(["--json"]);
    expect(complete("help", "pro")).toEqual(["profiles"]);
    expect(complete("completion", "")).toEqual(["bash", "zsh", "fish"]);
    kitcfg(["configure", "ipfs-cluster-follow", "--instance", "alpha", "-q"], { root });
    kitcfg(["configure", "ipfs-cluster-follow", "--instance", "beta", "-q"], { root });
    expect(complete("update", "ipfs-cluster-follow", "--root", root, "--instance", "")).toEqual(["alpha", "beta"]);
  });

  test("another shell is a usage error", () => {
    const tcsh = kitcfg(["completion", "tcsh"]);
    expect(tcsh.code).toBe(2);
    expect(tcsh.stderr).toContain("kitcfg has completion for bash, zsh and fish");
  });

  /** What each shell offers for a command line ending where TAB is pressed (words of `line`). */
  type Completer = (line: string) => string[];

  /** A folder on PATH holding `kitcfg`: the scripts call the binary by name, as a user's shell does. */
  function pathWithKitcfg(): string {
    const bin = join(root, "bin");
    if (!existsSync(bin)) {
      mkdirSync(bin);
      symlinkSync(KITCFG, join(bin, "kitcfg"));
    }
    return `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  }

  /** fish's own completion engine (`complete -C`) over the script `kitcfg completion fish` prints. */
  const fish: Completer = (line) => {
    const script = `source (kitcfg completion fish | psub); complete -C ${JSON.stringify(line)}`;
    const ran = Bun.spawnSync(["fish", "--no-config", "-c", script], {
      env: cleanEnv(root, { PATH: pathWithKitcfg() }),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(ran.stderr.toString()).toBe("");
    return ran.stdout
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((entry) => entry.split("\t")[0]!);
  };

  /**
   * zsh's completion system, driven as a person drives it: an interactive zsh on a
   * pseudo-terminal (zsh/zpty) sources the script, the line is typed and TAB pressed; every
   * candidate the completion adds (compadd) is recorded.
   */
  const zsh: Completer = (line) => {
    const out = join(root, "zsh-candidates.txt");
    rmSync(out, { force: true });
    const driver = `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1= PROMPT= RPROMPT='
zpty -w z 'source <(kitcfg completion zsh)'
zpty -w z 'compadd () { builtin compadd -O __hits "$@"; print -rl -- $__hits "--" >> ${out}; builtin compadd "$@" }'
zpty -n -w z ${shellQuote(line)}$'\t'
for i in {1..200}; do [[ -s ${out} ]] && break; sleep 0.05; done
sleep 0.3
zpty -d z`;
    const ran = Bun.spawnSync(["zsh", "-f", "-c", driver], {
      env: cleanEnv(root, { PATH: pathWithKitcfg() }),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(ran.exitCode).toBe(0);
    const lines = existsSync(out) ? readFileSync(out, "utf8").split("\n") : [];
    return [...new Set(lines.filter((entry) => entry && entry !== "--"))].sort();
  };

  for (const [shell, complete] of [
    ["zsh", zsh],
    ["fish", fish],
  ] as const) {
    test.if(hasTool(shell, `${shell} completion tests`))(
      `${shell} completes commands, daemons, key paths, instances and flags`,
      () => {
        const sorted = (line: string) => complete(line).sort();
        expect(sorted("kitcfg upd")).toEqual(["update"]);
        expect(sorted(`kitcfg --root ${root} sta`)).toEqual(["status"]);
        expect(sorted("kitcfg get hug")).toEqual(["huggingface"]);
        expect(sorted("kitcfg configure a")).toEqual(["all"]);
        expect(sorted("kitcfg get ipfs Addresses.A")).toEqual([
          "Addresses.API",
          "Addresses.Announce",
          "Addresses.AppendAnnounce",
        ]);
        expect(sorted("kitcfg update huggingface --set off")).toEqual(["offline="]);
        expect(sorted("kitcfg update huggingface --unset off")).toEqual(["offline"]);
        expect(sorted("kitcfg status --j")).toEqual(["--json"]);
        expect(sorted("kitcfg help pro")).toEqual(["profiles"]);
        expect(sorted("kitcfg completion ")).toEqual(["bash", "fish", "zsh"]);
        kitcfg(["configure", "ipfs-cluster-follow", "--instance", "alpha", "-q"], { root });
        kitcfg(["configure", "ipfs-cluster-follow", "--instance", "beta", "-q"], { root });
        expect(sorted(`kitcfg update ipfs-cluster-follow --root ${root} --instance `)).toEqual(["alpha", "beta"]);
      },
    );
  }
});

/** `text` as one single-quoted shell word. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
