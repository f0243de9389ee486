import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const hfConfig = () => join(root, ".cache/huggingface/config.json");

describe("update", () => {
  test("update huggingface --set offline=true writes a JSON boolean", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "huggingface", "--set", "offline=true"], { root });
    expect(ran.code).toBe(0);
    const text = readFileSync(hfConfig(), "utf8");
    expect(text).toContain('"offline": true');
    expect(JSON.parse(text).offline).toBe(true);
  });

  test("every --set and --unset is honoured, in order", () => {
    kitcfg(["configure", "huggingface"], { root });
    const ran = kitcfg(
      [
        "update",
        "hf",
        "--set",
        "offline=true",
        "--set",
        "etag_timeout=30",
        "--set",
        "offline=false",
        "--unset",
        "user_agent",
        "--set=endpoint=https://hub.example.org",
      ],
      { root },
    );
    expect(ran.code).toBe(0);
    const config = JSON.parse(readFileSync(hfConfig(), "utf8"));
    expect(config.offline).toBe(false);
    expect(config.etag_timeout).toBe(30);
    expect(config.endpoint).toBe("https://hub.example.org");
    expect("user_agent" in config).toBe(false);
  });

  test("an unknown flag is a usage error and changes nothing", () => {
    kitcfg(["configure", "huggingface"], { root });
    const before = readFileSync(hfConfig());
    const ran = kitcfg(["update", "huggingface", "--set", "offline=true", "--offlien"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Unknown option "--offlien"');
    expect(readFileSync(hfConfig())).toEqual(before);
  });

  test("ipfs config's --bool is refused with how kitcfg types a value instead, and writes nothing", () => {
    kitcfg(["configure", "huggingface"], { root });
    const before = readFileSync(hfConfig());
    const ran = kitcfg(["set", "huggingface", "--bool", "offline", "true"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Unknown option "--bool"');
    expect(ran.stderr).toContain("Leave --bool out: kitcfg reads a value as the daemon's schema types the key");
    expect(readFileSync(hfConfig())).toEqual(before);
    // Elsewhere the usual pointer to the command's help.
    expect(kitcfg(["show", "huggingface", "--bool"], { root }).stderr).toContain("See `kitcfg show --help`");
  });

  test("a value that does not fit the schema is refused, naming the key, and the file stays byte-identical", () => {
    kitcfg(["configure", "huggingface"], { root });
    const before = readFileSync(hfConfig());
    for (const [set, expected] of [
      ["offline=maybe", "expected a boolean"],
      [
        "etag_timeout=soon",
        'expected a whole number of seconds from 0 to 9223372036 (Python\'s socket clock ends there), got "soon"',
      ],
      ["endpoint=ftp://x", "http(s) URL"],
      ["proxies=[1]", "JSON object"],
    ] as const) {
      const ran = kitcfg(["update", "huggingface", "--set", set], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`"${set.split("=")[0]}"`);
      expect(ran.stderr).toContain(expected);
      expect(ran.stderr).not.toContain("    at ");
      expect(readFileSync(hfConfig())).toEqual(before);
    }
  });

  test("--dry-run shows a diff and writes nothing", () => {
    kitcfg(["configure", "huggingface"], { root });
    const before = readFileSync(hfConfig());
    const ran = kitcfg(["update", "huggingface", "--set", "offline=true", "--dry-run"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('-  "offline": false,');
    expect(ran.stdout).toContain('+  "offline": true,');
    expect(readFileSync(hfConfig())).toEqual(before);
  });

  test("-0 is set as 0 in every format, not refused as a plugin's fault", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    kitcfg(["configure", "lassie", "-q"], { root });
    const s3 = kitcfg(["update", "s3", "--set", "max_delete=-0"], { root });
    expect(s3.stderr).not.toContain("Plugin");
    expect(s3.code).toBe(0);
    expect(readFileSync(join(root, ".s3cfg"), "utf8")).toContain("max_delete = 0\n");
    expect(kitcfg(["update", "lassie", "--set", "port=8080"], { root }).code).toBe(0);
    expect(kitcfg(["update", "lassie", "--set", "port=-0"], { root }).code).toBe(0);
    expect(readFileSync(join(root, ".lassie/config.json"), "utf8")).toContain('"port": 0,');
    expect(readFileSync(join(root, ".lassie/lassie.env"), "utf8")).toContain("LASSIE_PORT=0\n");
  });

  test("dotted paths reach nested keys and JSON values set arrays and objects", () => {
    kitcfg(["configure", "huggingface"], { root });
    expect(kitcfg(["update", "huggingface", "--set", "proxies.https=http://proxy:3128"], { root }).code).toBe(0);
    expect(JSON.parse(readFileSync(hfConfig(), "utf8")).proxies).toEqual({ https: "http://proxy:3128" });
    expect(kitcfg(["update", "huggingface", "--set", 'proxies={"http":"http://p:1"}'], { root }).code).toBe(0);
    expect(JSON.parse(readFileSync(hfConfig(), "utf8")).proxies).toEqual({ http: "http://p:1" });
  });
});

describe("configure", () => {
  test("writes defaults where files are absent and leaves a valid file untouched", () => {
    expect(kitcfg(["configure", "all"], { root }).code).toBe(0);
    expect(existsSync(hfConfig())).toBe(true);
    expect(existsSync(join(root, ".s3cfg"))).toBe(true);
    kitcfg(["update", "huggingface", "--set", "offline=true"], { root });
    const before = readFileSync(hfConfig());
    const again = kitcfg(["configure", "huggingface"], { root });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("left as it is");
    expect(readFileSync(hfConfig())).toEqual(before);
  });

  test("configure all goes on past a daemon it cannot write, and exits with that daemon's code", () => {
    writeFileSync(join(root, "not-a-folder"), "");
    const env = cleanEnv(root, { HF_HOME: join(root, "not-a-folder/hf") });
    const ran = kitcfg(["configure", "all"], { root, env });
    expect(ran.code).toBe(3);
    expect(ran.stderr).toContain("huggingface: Cannot read");
    expect(existsSync(join(root, ".s3cfg"))).toBe(true);
    expect(existsSync(join(root, ".ipfs/config"))).toBe(true);
    expect(ran.stdout).not.toContain("huggingface: nothing to change");
  });

  test("--force rewrites the file and keeps the old one in history", () => {
    kitcfg(["configure", "huggingface"], { root });
    kitcfg(["update", "huggingface", "--set", "offline=true"], { root });
    const old = readFileSync(hfConfig(), "utf8");
    const ran = kitcfg(["configure", "huggingface", "--force", "--json"], { root });
    expect(ran.code).toBe(0);
    expect(JSON.parse(readFileSync(hfConfig(), "utf8")).offline).toBe(false);
    const result = JSON.parse(ran.stdout).results[0];
    const id = result.history[0];
    const kept = readFileSync(join(root, `.local/state/kitcfg/history/huggingface/config/${id}.data`), "utf8");
    expect(kept).toBe(old);
  });
});

describe("names", () => {
  test("older underscore spellings are aliases, and an unknown name suggests the nearest", () => {
    expect(kitcfg(["configure", "huggingface_hub"], { root }).code).toBe(0);
    const ran = kitcfg(["show", "hugingface"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('did you mean "huggingface"');
  });
});

describe("show --flat", () => {
  test("a KEY=VALUE line per key, in the file's order: strings bare, anything else JSON; under a key too", async () => {
    kitcfg(["configure", "all", "-q"], { root });
    kitcfg(["update", "huggingface", "--set", "user_agent=two\nlines", "-q"], { root });
    const hf = kitcfg(["show", "huggingface", "--flat"], { root });
    expect(hf.code).toBe(0);
    expect(hf.stdout.split("\n").slice(0, 5)).toEqual([
      "cache_dir=~/.cache/huggingface",
      "use_auth_token=false",
      "offline=false",
      "proxies={}",
      'user_agent="two\\nlines"',
    ]);
    const connMgr = kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=500", "-q"], { root });
    expect(connMgr.code).toBe(0);
    const swarm = kitcfg(["show", "ipfs", "Swarm.ConnMgr", "--flat"], { root }).stdout;
    expect(swarm).toBe("Swarm.ConnMgr.HighWater=500\n");
    const lines = kitcfg(["show", "ipfs", "--flat"], { root }).stdout.trimEnd().split("\n");
    expect(lines).toContain("Addresses.API=/ip4/127.0.0.1/tcp/5001");
    const bootstrap = lines.find((l) => l.startsWith("Bootstrap="))!;
    expect(JSON.parse(bootstrap.slice("Bootstrap=".length))).toEqual(["auto"]);
    expect(lines).toContain("Identity.PrivKey=<redacted>");
    const json = JSON.parse(kitcfg(["show", "ipfs", "Addresses", "--flat", "--json"], { root }).stdout);
    expect(json.value["Addresses.API"]).toBe("/ip4/127.0.0.1/tcp/5001");
    expect(json.value["Addresses.Swarm"]).toBeArray();
    // A map keyed by names with dots (DNS names) is one line: every path shown is one get reads.
    expect(lines).toContain('DNS.Resolvers={".":"auto"}');
    for (const line of lines.filter((l) => !l.includes("<redacted>"))) {
      const key = line.slice(0, line.indexOf("="));
      // In this process: a binary run per key would take seconds.
      expect(`${key}: ${(await runCli(["get", "ipfs", key], { root })).code}`).toBe(`${key}: 0`);
    }
  });
});

describe("secrets", () => {
  test("show, get and --json never print a secret value", () => {
    const token = "hf_SECRETtokenVALUE1234567890";
    kitcfg(["configure", "all"], { root });
    expect(kitcfg(["update", "huggingface", "--set", `token=${token}`], { root }).code).toBe(0);
    expect(
      kitcfg(["update", "s3", "--set", "access_key=AKIAEXAMPLEKEY", "--set", "secret_key=sEcReT/kEy+value"], { root })
        .code,
    ).toBe(0);
    expect(readFileSync(join(root, ".cache/huggingface/token"), "utf8")).toBe(token);
    expect(statSync(join(root, ".cache/huggingface/token")).mode & 0o777).toBe(0o600);
    const outputs = [
      kitcfg(["show", "huggingface"], { root }),
      kitcfg(["show", "huggingface", "--json"], { root }),
      kitcfg(["get", "huggingface", "token"], { root }),
      kitcfg(["show", "s3"], { root }),
      kitcfg(["show", "s3", "--json"], { root }),
      kitcfg(["show", "s3", "--flat"], { root }),
      kitcfg(["show", "huggingface", "--flat", "--json"], { root }),
      kitcfg(["status", "--json"], { root }),
      kitcfg(["validate", "--json"], { root }),
      kitcfg(["update", "s3", "--set", "secret_key=another/secret", "--dry-run"], { root }),
      kitcfg(["update", "huggingface", "--set", "token=hf_NEWtokenVALUE", "--dry-run", "--json"], { root }),
    ];
    for (const ran of outputs) {
      for (const secret of [token, "AKIAEXAMPLEKEY", "sEcReT/kEy+value", "another/secret", "hf_NEWtokenVALUE"]) {
        expect(ran.stdout + ran.stderr).not.toContain(secret);
      }
    }
    expect(outputs[0]!.stdout).toContain("<redacted>");
  });

  test("set records a secret in history as <redacted>, whatever the spelling of its value", () => {
    kitcfg(["configure", "ipfs-cluster-ctl", "-q"], { root });
    // "SECRETPW1" with one letter as a JSON escape: no redaction of the text could see it.
    const value = '{"username":"u","password":"SECRET\\u0050W1"}';
    expect(kitcfg(["set", "ipfs-cluster-ctl", "basic_auth", value], { root }).code).toBe(0);
    expect(kitcfg(["set", "ipfs-cluster-ctl", "timeout", "90"], { root }).code).toBe(0);
    const history = kitcfg(["history", "ipfs-cluster-ctl", "--json"], { root });
    const commands = JSON.parse(history.stdout).versions.map((v: { command: string }) => v.command);
    expect(commands[1]).toBe(`kitcfg set ipfs-cluster-ctl basic_auth <redacted> --root ${root}`);
    // Other values are recorded as given.
    expect(commands[0]).toBe(`kitcfg set ipfs-cluster-ctl timeout 90 --root ${root}`);
    for (const shown of [history.stdout, kitcfg(["history", "ipfs-cluster-ctl"], { root }).stdout]) {
      expect(shown).not.toContain("SECRET");
      expect(shown).not.toContain("u0050");
    }
  });
});

describe("validate and exit codes", () => {
  test("validate exits 0 when valid and 1 with the key path when not", () => {
    kitcfg(["configure", "all"], { root });
    expect(kitcfg(["validate"], { root }).code).toBe(0);
    const config = JSON.parse(readFileSync(hfConfig(), "utf8"));
    writeFileSync(hfConfig(), JSON.stringify({ ...config, offline: "yes" }));
    const ran = kitcfg(["validate", "huggingface"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"offline"');
  });

  test("a file that does not parse is reported with line and column, exit 3 on update", () => {
    kitcfg(["configure", "huggingface"], { root });
    writeFileSync(hfConfig(), '{\n  "offline": true,\n}');
    const ran = kitcfg(["update", "huggingface", "--set", "offline=false"], { root });
    expect(ran.code).toBe(3);
    expect(ran.stderr).toMatch(/line 3, column 1/);
    expect(readFileSync(hfConfig(), "utf8")).toBe('{\n  "offline": true,\n}');
  });

  test("a daemon whose files cannot be read is reported, and the others are still validated", () => {
    kitcfg(["configure", "s3"], { root });
    writeFileSync(join(root, "not-a-folder"), "");
    const env = cleanEnv(root, { HF_HOME: join(root, "not-a-folder/hf") });
    const ran = kitcfg(["validate"], { root, env });
    // A file that cannot be read is an I/O failure: exit 3, as from every other command.
    expect(ran.code).toBe(3);
    expect(ran.stdout).toContain("s3: valid");
    expect(ran.stderr).toContain("huggingface: Cannot read");
    expect(ran.stderr).toContain("a parent of it is a file, not a folder");
    const status = JSON.parse(kitcfg(["status", "--json"], { root, env }).stdout).daemons;
    expect(status.find((d: { daemon: string }) => d.daemon === "s3").valid).toBe(true);
    expect(status.find((d: { daemon: string }) => d.daemon === "huggingface").valid).toBe(false);
  });

  test("a daemon whose check against another daemon fails is not called valid, by validate or status", () => {
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root }).code).toBe(0);
    expect(kitcfg(["update", "ipfs", "--set", "Addresses.API=/ip4/127.0.0.1/tcp/5002"], { root }).code).toBe(0);
    const ran = kitcfg(["validate"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stdout.split("\n").filter(Boolean)).toEqual(["✔ ipfs: valid"]);
    expect(ran.stderr).toContain(
      '✖ ipfs-cluster-service: "ipfs_connector.ipfshttp.node_multiaddress": is /ip4/127.0.0.1',
    );
    // status agrees: the daemon is invalid, and its other errors are found by validating them all.
    const status = kitcfg(["status"], { root });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^ipfs-cluster-service +invalid /m);
    expect(status.stdout).toMatch(/^ipfs +valid /m);
    expect(status.stderr).toContain("make them agree (and 1 more: kitcfg validate)");
    const json = JSON.parse(kitcfg(["status", "--json"], { root }).stdout).daemons;
    expect(json.find((d: { daemon: string }) => d.daemon === "ipfs-cluster-service").valid).toBe(false);
  });

  test("an unknown command is a usage error with a suggestion", () => {
    const ran = kitcfg(["valdate"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('did you mean "validate"');
  });
});

describe("the binary in someone else's project", () => {
  test("a .env setting HF_HOME in the current folder changes nothing", () => {
    const project = join(root, "project");
    mkdirSync(project);
    writeFileSync(join(project, ".env"), `HF_HOME=${join(root, "from-dotenv")}\n`);
    writeFileSync(join(project, "bunfig.toml"), '[run]\npreload = ["./nope.ts"]\n');
    const ran = kitcfg(["configure", "huggingface", "--root", root], { cwd: project, env: cleanEnv(root) });
    expect(ran.code).toBe(0);
    expect(existsSync(hfConfig())).toBe(true);
    expect(existsSync(join(root, "from-dotenv"))).toBe(false);
  });

  test("output has no colour codes when stdout is not a terminal", () => {
    kitcfg(["configure", "all"], { root });
    for (const args of [
      ["status"],
      ["validate"],
      ["list"],
      ["update", "huggingface", "--set", "offline=true", "--dry-run"],
      ["update", "--help"],
      ["--help"],
    ]) {
      const ran = kitcfg(args, { root });
      expect(ran.stdout + ran.stderr).not.toContain("\u001B[");
    }
  });

  test("--help works on every command", () => {
    for (const command of ["list", "status", "show", "get", "configure", "update", "validate", "env", "args"]) {
      const ran = kitcfg([command, "--help"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stdout).toContain("USAGE");
      expect(ran.stdout).toContain("--json");
      expect(ran.stdout).toContain("--root");
    }
  });
});
