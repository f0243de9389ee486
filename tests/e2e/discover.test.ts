import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACME_PLUGIN, cleanEnv, hasTool, KITCFG, kitcfg, tempDir } from "../helpers.ts";

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
      cwd: root,
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
    // An init-only profile is offered to configure, not to update, which refuses it.
    expect(complete("configure", "ipfs", "--profile", "")).toContain("pebbleds");
    expect(complete("update", "ipfs", "--profile", "")).not.toContain("pebbleds");
    expect(complete("update", "ipfs", "--profile", "")).toContain("lowpower");
    // What help offers, help takes: `kitcfg help help` is the usage.
    expect(complete("help", "hel")).toEqual(["help"]);
    expect(kitcfg(["help", "help"]).code).toBe(0);
    // bash gives the words as typed: a root quoted, or with backslashes, is still that root (not HOME's).
    const other = join(root, "other root");
    kitcfg(["configure", "ipfs-cluster-follow", "--instance", "gamma", "-q", "--root", other], {});
    const escaped = other.replace(/[/ ]/g, "\\$&");
    for (const typed of [`'${other}'`, `"${other}"`, escaped, `--root='${other}'`]) {
      const words = typed.startsWith("--") ? [typed] : ["--root", typed];
      expect(complete(...words, "show", "ipfs-cluster-follow", "--instance", "")).toEqual(["gamma"]);
    }
  });

  test("--json gives the script inside JSON", () => {
    const json = kitcfg(["completion", "zsh", "--json"]);
    expect(json.code).toBe(0);
    const { shell, script } = JSON.parse(json.stdout);
    expect(shell).toBe("zsh");
    expect(script).toBe(kitcfg(["completion", "zsh"]).stdout);
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
      cwd: root,
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
   * candidate the completion adds (compadd) is recorded. Then ^T saves the line as TAB left
   * it: keys are read in turn, so once it is saved the completion has finished.
   */
  function driveZsh(line: string): { candidates: string[]; buffer: string } {
    const out = join(root, "zsh-candidates.txt");
    const buffer = join(root, "zsh-buffer.txt");
    rmSync(out, { force: true });
    rmSync(buffer, { force: true });
    const driver = `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1= PROMPT= RPROMPT='
zpty -w z 'source <(kitcfg completion zsh)'
zpty -w z 'compadd () { builtin compadd -O __hits "$@"; print -rl -- $__hits "--" >> ${out}; builtin compadd "$@" }'
zpty -w z 'dump-buffer () { print -rn -- "$BUFFER" > ${buffer} }; zle -N dump-buffer; bindkey "^T" dump-buffer'
zpty -n -w z ${shellQuote(line)}$'\t\x14'
for i in {1..200}; do [[ -e ${buffer} ]] && break; sleep 0.05; done
zpty -d z`;
    const ran = Bun.spawnSync(["zsh", "-f", "-c", driver], {
      env: cleanEnv(root, { PATH: pathWithKitcfg() }),
      cwd: root,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(ran.exitCode).toBe(0);
    const lines = existsSync(out) ? readFileSync(out, "utf8").split("\n") : [];
    return {
      candidates: [...new Set(lines.filter((entry) => entry && entry !== "--"))].sort(),
      buffer: existsSync(buffer) ? readFileSync(buffer, "utf8") : "",
    };
  }

  const zsh: Completer = (line) => driveZsh(line).candidates;

  /**
   * bash, given the words it makes of `line`: split at blanks, and at "=" and ":" as well
   * (COMP_WORDBREAKS: `--root=DIR` is three words to a completion function). What it offers
   * is read as whole words: bash replaces only the part of a word after its last "=" or ":".
   */
  const bash: Completer = (line) => {
    const words = line.split(" ").flatMap((word) => word.split(/([=:]+)/).filter(Boolean));
    if (line.endsWith(" ")) words.push("");
    const last = line.split(" ").at(-1)!;
    const kept = last.slice(0, last.search(/[^=:]*$/));
    return complete(...words.slice(1)).map((reply) => kept + reply);
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

  for (const [shell, complete] of [
    ["bash", bash],
    ["zsh", zsh],
    ["fish", fish],
  ] as const) {
    const sorted = (line: string) => complete(line).sort();

    test.if(hasTool(shell, `${shell} completion tests`))(
      `${shell}: the word after --plugins is its folder, and the plugins there are daemons`,
      () => {
        const plugins = join(root, "my-plugins");
        mkdirSync(plugins);
        writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
        // Each shell lists folders its own way (zsh one path segment at a time, fish with a "/").
        expect(complete(`kitcfg --plugins ${root}/my-pl`).some((w) => /my-plugins\/?$/.test(w))).toBe(true);
        expect(sorted(`kitcfg --plugins ${plugins} sta`)).toEqual(["status"]);
        expect(sorted(`kitcfg get --plugins ${plugins} hug`)).toEqual(["huggingface"]);
        expect(sorted(`kitcfg get --root ${root} --plugins ${plugins} ac`)).toEqual(["acme"]);
        expect(sorted(`kitcfg get --root ${root} --plugins=${plugins} ac`)).toEqual(["acme"]);
      },
    );

    test.if(hasTool(shell, `${shell} completion tests`))(
      `${shell}: instances are looked up under --root=DIR and under a --root ~/DIR`,
      () => {
        kitcfg(["configure", "ipfs-cluster-follow", "--instance", "alpha", "-q"], { root });
        mkdirSync(join(root, "node"));
        kitcfg(["configure", "ipfs-cluster-follow", "--instance", "beta", "-q"], { root: join(root, "node") });
        expect(sorted(`kitcfg update ipfs-cluster-follow --root=${root} --instance `)).toEqual(["alpha"]);
        expect(sorted(`kitcfg --root=${root} update ipfs-cluster-follow --instance `)).toEqual(["alpha"]);
        // HOME is the test's folder: ~/node is where beta was configured.
        expect(sorted("kitcfg update ipfs-cluster-follow --root ~/node --instance ")).toEqual(["beta"]);
        expect(sorted("kitcfg --root ~/node update ipfs-cluster-follow --instance b")).toEqual(["beta"]);
      },
    );

    test.if(hasTool(shell, `${shell} completion tests`))(`${shell}: --color completes auto, always, never`, () => {
      expect(sorted("kitcfg --color a")).toEqual(["always", "auto"]);
      expect(sorted("kitcfg status --color ")).toEqual(["always", "auto", "never"]);
      expect(sorted("kitcfg status --color=n")).toEqual(["--color=never"]);
    });

    test.if(hasTool(shell, `${shell} completion tests`))(
      `${shell}: after the one key of get, show and unset, and set's key and value, only flags are offered`,
      () => {
        expect(sorted("kitcfg get ipfs Addresses.API ")).toEqual([]);
        expect(sorted("kitcfg show ipfs Addresses ")).toEqual([]);
        expect(sorted("kitcfg unset huggingface offline ")).toEqual([]);
        expect(sorted("kitcfg set huggingface offline ")).toEqual([]);
        expect(sorted("kitcfg set huggingface offline true ")).toEqual([]);
        expect(sorted("kitcfg set ipfs Addresses.API /ip4/127.0.0.1/tcp/5002 Add")).toEqual([]);
        expect(sorted("kitcfg get ipfs Addresses.API --j")).toEqual(["--json"]);
        expect(sorted("kitcfg set huggingface offline true --fo")).toEqual(["--force"]);
      },
    );
  }

  test.if(hasTool("zsh", "zsh completion tests"))("zsh adds no space after a completed KEY=", () => {
    expect(driveZsh("kitcfg update ipfs --set Addresses.AP").buffer).toBe("kitcfg update ipfs --set Addresses.API=");
    expect(driveZsh("kitcfg update huggingface --set-env tok").buffer).toBe(
      "kitcfg update huggingface --set-env token=",
    );
    // Anything else is followed by a space, ready for the next word.
    expect(driveZsh("kitcfg update huggingface --unset offl").buffer).toBe(
      "kitcfg update huggingface --unset offline ",
    );
  });
});

/** `text` as one single-quoted shell word. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
