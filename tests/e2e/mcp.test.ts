import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import {
  ACME_PLUGIN,
  cleanEnv,
  jsonLines,
  kitcfg,
  KITCFG,
  MCP_INITIALIZED,
  mcpInitialize,
  mcpPiped,
  mcpToolCall,
  tempDir,
} from "../helpers.ts";

const SECRET = "hf_kitcfgTestSecret0123456789";
const S3_SECRET = "s3SecretKeyForTheMcpTest987";

let root: string;
let cleanup: () => void;
let env: Record<string, string>;
let session: Session | undefined;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  mkdirSync(join(root, "plugins"));
  writeFileSync(join(root, "plugins/acme.ts"), ACME_PLUGIN);
  env = cleanEnv(root, { KITCFG_PLUGIN_PATH: join(root, "plugins") });
});
afterEach(async () => {
  await session?.client.close();
  session = undefined;
  cleanup();
});

const hfConfig = () => join(root, ".cache/huggingface/config.json");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

interface Session {
  client: Client;
  transport: StdioClientTransport;
  /** Every response the server sent, as JSON text (for the secret check). */
  seen: string[];
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
}

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: any;
}

/** Start `dist/kitcfg mcp --root <root>` and connect the SDK's own client to it. */
async function connect(): Promise<Session> {
  const transport = new StdioClientTransport({
    command: KITCFG,
    args: ["mcp", "--root", root],
    env,
    cwd: root,
    stderr: "pipe",
  });
  const client = new Client({ name: "kitcfg-test", version: "1.0.0" });
  await client.connect(transport);
  const seen: string[] = [];
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as ToolResult;
    seen.push(JSON.stringify(result));
    return result;
  };
  session = { client, transport, seen, call };
  return session;
}

const textOf = (result: ToolResult) => result.content.map((c) => c.text ?? "").join("\n");

describe("kitcfg mcp over stdio", () => {
  test(
    "lists the older tool's four tools and the new ones; " +
      "daemon_name is an enum of the loaded plugins, user plugins included",
    async () => {
      const { client } = await connect();
      const { tools } = await client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      const names = [
        "configure_daemon",
        "update_daemon_config",
        "validate_daemon_configs",
        "get_daemon_config_status",
        "get_daemon_config",
      ];
      for (const name of [...names, "daemon_config_history", "diff_daemon_config", "restore_daemon_config"]) {
        expect(byName[name]).toBeDefined();
        expect(byName[name]!.outputSchema).toBeDefined();
      }
      const configureEnum = (byName.configure_daemon!.inputSchema.properties as any).daemon_name.enum as string[];
      expect(configureEnum).toEqual(expect.arrayContaining(["huggingface", "huggingface_hub", "s3", "acme", "all"]));
      const updateProps = byName.update_daemon_config!.inputSchema.properties as any;
      expect(updateProps.daemon_name.enum).toContain("acme");
      expect(updateProps.daemon_name.enum).not.toContain("all");
      expect(updateProps.config_updates.type).toBe("object");
      expect(byName.update_daemon_config!.inputSchema.required).toEqual(["daemon_name", "config_updates"]);
    },
  );

  test("annotations say which tools can destroy a configuration: configure_daemon's force replaces it", async () => {
    const { client, call } = await connect();
    const { tools } = await client.listTools();
    const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    // A client asks before a destructive call: force: true gives the node a new identity on every call.
    expect(hints.configure_daemon).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    for (const name of ["update_daemon_config", "restore_daemon_config", "apply_daemon_configs"])
      expect(hints[name]).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const name of ["validate_daemon_configs", "get_daemon_config_status", "get_daemon_config"])
      expect(hints[name]).toMatchObject({ readOnlyHint: true });
    const configure = tools.find((t) => t.name === "configure_daemon")!;
    expect(configure.description).toContain("new identities and secrets");
    expect((configure.inputSchema.properties as any).force.description).toContain("new identities and secrets");

    await call("configure_daemon", { daemon_name: "huggingface" });
    await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: true } });
    await call("configure_daemon", { daemon_name: "huggingface", force: true });
    expect(readJson(hfConfig()).offline).toBe(false);
  });

  test("the instructions map the CLI commands and flags messages name to tools and arguments that exist", async () => {
    const { client } = await connect();
    const instructions = client.getInstructions() ?? "";
    const { tools } = await client.listTools();
    const named = [...instructions.matchAll(/`kitcfg (\w+)[^`]*` is (\w+)/g)].map((m) => [m[1], m[2]]);
    expect(named.map(([command]) => command)).toEqual(["configure", "update", "restore", "apply"]);
    for (const [, tool] of named) expect(tools.map((t) => t.name)).toContain(tool!);
    const update = tools.find((t) => t.name === "update_daemon_config")!.inputSchema.properties as object;
    for (const [flag, argument] of [...instructions.matchAll(/`--([a-z-]+)` is (\w+): true/g)].map((m) => [m[1], m[2]]))
      expect({ flag, has: Object.hasOwn(update, argument!) }).toEqual({ flag, has: true });
  });

  test("configure_daemon all writes every daemon's files, then leaves valid ones alone", async () => {
    const { call } = await connect();
    const first = await call("configure_daemon", { daemon_name: "all" });
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent.ok).toBe(true);
    expect(first.structuredContent.results.map((r: any) => r.daemon)).toEqual(
      expect.arrayContaining(["huggingface", "s3", "acme"]),
    );
    expect(readJson(hfConfig()).offline).toBe(false);
    expect(existsSync(join(root, ".s3cfg"))).toBe(true);
    expect(readJson(join(root, ".acme/config.json"))).toEqual({ port: 8080, debug: false });
    expect(textOf(first)).toContain(`created ${hfConfig()}`);

    const before = readFileSync(hfConfig());
    const again = await call("configure_daemon", { daemon_name: "huggingface" });
    expect(again.structuredContent.results[0].changed).toBe(false);
    expect(readFileSync(hfConfig())).toEqual(before);
  });

  test(
    "update_daemon_config merges nested objects, " + "accepts dotted keys, keeps JSON types, and null removes a key",
    async () => {
      const { call } = await connect();
      await call("configure_daemon", { daemon_name: "huggingface" });
      const set = await call("update_daemon_config", {
        daemon_name: "huggingface",
        config_updates: {
          offline: true,
          etag_timeout: 30,
          proxies: { https: "http://proxy:3128" },
          "proxies.http": "http://proxy:3128",
        },
      });
      expect(set.isError).toBeFalsy();
      expect(set.structuredContent.changedKeys).toEqual(expect.arrayContaining(["offline", "etag_timeout"]));
      let config = readJson(hfConfig());
      expect(config.offline).toBe(true);
      expect(config.etag_timeout).toBe(30);
      expect(config.proxies).toEqual({ https: "http://proxy:3128", http: "http://proxy:3128" });
      expect(readFileSync(join(root, ".cache/huggingface/huggingface.env"), "utf8")).toContain("HF_HUB_OFFLINE=1");

      await call("update_daemon_config", {
        daemon_name: "huggingface_hub",
        config_updates: { proxies: { https: null }, user_agent: null },
      });
      config = readJson(hfConfig());
      expect(config.proxies).toEqual({ http: "http://proxy:3128" });
      expect("user_agent" in config).toBe(false);

      // A map keyed by host names (dots in its keys) is set whole: no dotted path reaches into it.
      await call("configure_daemon", { daemon_name: "ipfs" });
      const gateways = { "dweb.link": { Paths: ["/ipfs"], UseSubdomains: true }, "gw.example.org": null };
      for (const config_updates of [
        { "Gateway.PublicGateways": gateways },
        { Gateway: { PublicGateways: gateways } },
      ]) {
        const whole = await call("update_daemon_config", { daemon_name: "ipfs", config_updates });
        expect(whole.isError).toBeFalsy();
        expect(readJson(join(root, ".ipfs/config")).Gateway.PublicGateways).toEqual(gateways);
      }
    },
  );

  test("validate_daemon_configs does not call a daemon valid when its check against another fails", async () => {
    const { call } = await connect();
    await call("configure_daemon", { daemon_name: "ipfs" });
    await call("configure_daemon", { daemon_name: "ipfs-cluster-service" });
    await call("update_daemon_config", {
      daemon_name: "ipfs",
      config_updates: { "Addresses.API": "/ip4/127.0.0.1/tcp/5002" },
    });
    const text = textOf(await call("validate_daemon_configs", {}));
    expect(text).toContain("✔ ipfs: valid");
    expect(text).not.toContain("ipfs-cluster-service: valid");
    expect(text).toContain('✖ ipfs-cluster-service: "ipfs_connector.ipfshttp.node_multiaddress"');
    expect(text.split("\n").at(-1)).toBe("Not valid");
  });

  test("update_daemon_config with dry_run returns the diff and writes nothing", async () => {
    const { call } = await connect();
    await call("configure_daemon", { daemon_name: "huggingface" });
    const before = readFileSync(hfConfig());
    const result = await call("update_daemon_config", {
      daemon_name: "huggingface",
      config_updates: { offline: true },
      dry_run: true,
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.dryRun).toBe(true);
    expect(result.structuredContent.diff).toContain('+  "offline": true,');
    expect(textOf(result)).toContain('+  "offline": true,');
    expect(readFileSync(hfConfig())).toEqual(before);
  });

  test(
    "a refused value is an isError result with the CLI's message, " +
      "the file stays byte-identical, and the server keeps serving",
    async () => {
      const { call } = await connect();
      await call("configure_daemon", { daemon_name: "huggingface" });
      const before = readFileSync(hfConfig());
      const cli = kitcfg(["update", "huggingface", "--set", "offline=maybe"], { root, env });
      const refused = await call("update_daemon_config", {
        daemon_name: "huggingface",
        config_updates: { offline: "maybe" },
      });
      expect(refused.isError).toBe(true);
      expect(cli.stderr).toContain(textOf(refused).split("\n")[0]!);
      expect(refused.structuredContent.error.code).toBe("INVALID_VALUE");
      // No coercion: a JSON string "true" is not a boolean.
      const text = await call("update_daemon_config", {
        daemon_name: "huggingface",
        config_updates: { offline: "true" },
      });
      expect(textOf(text)).toContain('Cannot set "offline" for huggingface: expected a boolean');
      const unknownKey = await call("update_daemon_config", {
        daemon_name: "huggingface",
        config_updates: { offlien: true },
      });
      expect(textOf(unknownKey)).toContain('Unknown key "offlien" for huggingface: did you mean "offline"?');
      expect(readFileSync(hfConfig())).toEqual(before);
      const ok = await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: true } });
      expect(ok.isError).toBeFalsy();
      expect(readJson(hfConfig()).offline).toBe(true);
    },
  );

  test("malformed arguments give isError results naming the argument, and the server keeps serving", async () => {
    const { call } = await connect();
    await call("configure_daemon", { daemon_name: "huggingface" });
    const before = readFileSync(hfConfig());
    const cases: [string, Record<string, unknown>, string, string][] = [
      ["update_daemon_config", { config_updates: { offline: true } }, 'Missing argument "daemon_name"', "USAGE"],
      ["update_daemon_config", { daemon_name: "huggingface" }, 'Missing argument "config_updates"', "USAGE"],
      [
        "update_daemon_config",
        { daemon_name: "hugingface", config_updates: { offline: true } },
        'Unknown daemon "hugingface": did you mean "huggingface"?',
        "UNKNOWN_DAEMON",
      ],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: "offline=true" },
        "config_updates: expected an object",
        "USAGE",
      ],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: { offline: true }, dryrun: true },
        'Unknown argument "dryrun"',
        "USAGE",
      ],
      ["update_daemon_config", { daemon_name: "huggingface", config_updates: {} }, "Nothing to change", "USAGE"],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: { offlin: null } },
        'Unknown key "offlin" for huggingface: did you mean "offline"?',
        "UNKNOWN_KEY",
      ],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: { "a..b": 1 } },
        'Invalid key "a..b"',
        "INVALID_KEY",
      ],
      [
        "update_daemon_config",
        { daemon_name: "all", config_updates: { offline: true } },
        'Unknown daemon "all"',
        "UNKNOWN_DAEMON",
      ],
      [
        "update_daemon_config",
        { daemon_name: "s3", config_updates: { host_base: "minio.lab" } },
        "s3 is not configured: run `kitcfg configure s3`",
        "NOT_FOUND",
      ],
      ["configure_daemon", { daemon_name: 42 }, "daemon_name", "USAGE"],
      ["configure_daemon", {}, 'Missing argument "daemon_name"', "USAGE"],
      ["configure_daemon", { daemon_name: "huggingface", force: "yes" }, "force: expected true or false", "USAGE"],
      ["validate_daemon_configs", { daemon_name: "nope" }, 'Unknown daemon "nope"', "UNKNOWN_DAEMON"],
      [
        "get_daemon_config",
        { daemon_name: "huggingface", key: "nope" },
        'huggingface has no value at "nope"',
        "NOT_FOUND",
      ],
      ["get_daemon_config", { daemon_name: "acme" }, "acme is not configured", "NOT_FOUND"],
      ["daemon_config_history", {}, 'Missing argument "daemon_name"', "USAGE"],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: [1, 2] },
        "config_updates: expected an object of keys and values, got an array",
        "USAGE",
      ],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: JSON.parse('{"__proto__": {"offline": true}}') },
        '"__proto__" is not a configuration key',
        "INVALID_KEY",
      ],
      ["apply_daemon_configs", { desired_state: [] }, "desired_state: expected an object of keys and values", "USAGE"],
      // Megabyte names: refused at once (no nearest name looked for), the answer a line, not the name again.
      [
        "get_daemon_config",
        { daemon_name: "huggingface", key: "A".repeat(2_000_000) },
        "it is 2000000 characters long; no daemon has a key of over 1024",
        "INVALID_KEY",
      ],
      [
        "update_daemon_config",
        { daemon_name: "huggingface", config_updates: { ["A".repeat(2_000_000)]: 1 } },
        `Invalid key "${"A".repeat(80)}…"`,
        "INVALID_KEY",
      ],
      [
        "get_daemon_config",
        { daemon_name: "a".repeat(2_000_000) },
        `Unknown daemon "${"a".repeat(80)}…"`,
        "UNKNOWN_DAEMON",
      ],
    ];
    for (const [tool, args, message, code] of cases) {
      const result = await call(tool, args);
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result).length).toBeLessThan(4000);
      expect(textOf(result)).toContain(message);
      expect(textOf(result)).not.toContain("    at ");
      expect(textOf(result)).not.toContain("Input validation error");
      expect(textOf(result)).not.toContain("expected an object of arguments");
      expect(result.structuredContent?.error?.code).toBe(code);
    }
    expect(existsSync(join(root, ".s3cfg"))).toBe(false);
    expect(readFileSync(hfConfig())).toEqual(before);
    const status = await call("get_daemon_config_status", {});
    expect(status.isError).toBeFalsy();
  });

  test(
    "update_daemon_config refuses a result that keeps a " + "bad value already in the file, and force writes it",
    async () => {
      const { call } = await connect();
      await call("configure_daemon", { daemon_name: "huggingface" });
      const config = readJson(hfConfig());
      config.etag_timeout = -5;
      writeFileSync(hfConfig(), JSON.stringify(config, null, 2));
      const before = readFileSync(hfConfig());
      const refused = await call("update_daemon_config", {
        daemon_name: "huggingface",
        config_updates: { offline: true },
      });
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent.error.code).toBe("INVALID_VALUE");
      expect(textOf(refused)).toContain('Cannot update huggingface: "etag_timeout" (already in the file)');
      expect(readFileSync(hfConfig())).toEqual(before);
      const forced = await call("update_daemon_config", {
        daemon_name: "huggingface",
        config_updates: { offline: true },
        force: true,
      });
      expect(forced.isError).toBeFalsy();
      expect(forced.structuredContent.issues.some((i: any) => i.key === "etag_timeout" && i.severity === "error")).toBe(
        true,
      );
      expect(readJson(hfConfig()).offline).toBe(true);
    },
  );

  test(
    "a failed write is an isError result naming the path; " +
      "a broken plugin file is logged and skipped; the server keeps serving",
    async () => {
      writeFileSync(join(root, "not-a-folder"), "");
      writeFileSync(join(root, "plugins/broken.ts"), "export default 42;\n");
      env.HF_HOME = join(root, "not-a-folder/huggingface");
      const { call, transport } = await connect();
      let log = "";
      transport.stderr!.on("data", (chunk: Buffer) => void (log += chunk.toString()));
      const failed = await call("configure_daemon", { daemon_name: "huggingface" });
      expect(failed.isError).toBe(true);
      expect(failed.structuredContent.error.code).toBe("IO_FAILED");
      expect(textOf(failed)).toContain(join(root, "not-a-folder"));
      expect(textOf(failed)).not.toContain("    at ");
      const ok = await call("configure_daemon", { daemon_name: "s3" });
      expect(ok.isError).toBeFalsy();
      expect(existsSync(join(root, ".s3cfg"))).toBe(true);
      await session!.client.close();
      session = undefined;
      expect(log).toContain("broken.ts");
    },
  );

  test("validate, status and get_daemon_config see changes made meanwhile by the CLI, without a restart", async () => {
    const { call } = await connect();
    const empty = await call("validate_daemon_configs", {});
    expect(empty.structuredContent.ok).toBe(false);
    expect(textOf(empty)).toContain("Nothing to validate");

    expect(kitcfg(["configure", "huggingface"], { root, env }).code).toBe(0);
    const status = await call("get_daemon_config_status", {});
    const hf = status.structuredContent.daemons.find((d: any) => d.daemon === "huggingface");
    expect(hf).toMatchObject({ configured: true, valid: true });
    expect(status.structuredContent.daemons.find((d: any) => d.daemon === "acme").configured).toBe(false);
    expect(
      (await call("get_daemon_config", { daemon_name: "huggingface", key: "offline" })).structuredContent.value,
    ).toBe(false);

    expect(kitcfg(["update", "huggingface", "--set", "offline=true"], { root, env }).code).toBe(0);
    const after = await call("get_daemon_config", { daemon_name: "huggingface", key: "offline" });
    expect(after.structuredContent).toEqual({ daemon: "huggingface", key: "offline", value: true });
    expect(textOf(after)).toBe("true");

    // A file broken behind the server's back is reported, by file and line.
    writeFileSync(hfConfig(), '{ "offline": tru }\n');
    const broken = await call("validate_daemon_configs", { daemon_name: "huggingface" });
    expect(broken.structuredContent.ok).toBe(false);
    expect(textOf(broken)).toContain(hfConfig());
    const refused = await call("update_daemon_config", {
      daemon_name: "huggingface",
      config_updates: { offline: false },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(hfConfig());
  });

  test(
    "validate sees a same-size rewrite made in the same instant and a file only a daemon's check reads " +
      "(the server keeps checked daemons between calls)",
    async () => {
      for (const daemon of ["huggingface", "ipfs"]) expect(kitcfg(["configure", daemon], { root, env }).code).toBe(0);
      const { call } = await connect();
      const valid = async (daemon: string) =>
        (await call("validate_daemon_configs", { daemon_name: daemon })).structuredContent.ok;
      expect(await valid("huggingface")).toBe(true);
      expect(await valid("ipfs")).toBe(true);

      // Same inode, same size, written right after a check: only the text tells them apart.
      const text = readFileSync(hfConfig(), "utf8");
      expect(text).toContain('"offline": false');
      writeFileSync(hfConfig(), text.replace('"offline": false', '"offline": "nop"'));
      expect(await valid("huggingface")).toBe(false);
      writeFileSync(hfConfig(), text);
      expect(await valid("huggingface")).toBe(true);

      // kubo's swarm.key is no config file of kitcfg's, but makes the default AutoConf refused.
      const swarmKey = join(root, ".ipfs/swarm.key");
      writeFileSync(swarmKey, `/key/swarm/psk/1.0.0/\n/base16/\n${"ab".repeat(32)}\n`);
      const privateNet = await call("validate_daemon_configs", { daemon_name: "ipfs" });
      expect(privateNet.structuredContent.ok).toBe(false);
      expect(textOf(privateNet)).toContain("private network");
      rmSync(swarmKey);
      expect(await valid("ipfs")).toBe(true);
    },
  );

  test("each configured daemon's configuration is a resource, listed and readable, and follows changes", async () => {
    const { client, call } = await connect();
    expect((await client.listResources()).resources).toEqual([]);
    await call("configure_daemon", { daemon_name: "huggingface" });
    await call("configure_daemon", { daemon_name: "acme" });
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["kitcfg://config/acme", "kitcfg://config/huggingface"]);
    const read = async (uri: string) =>
      JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text);
    expect(await read("kitcfg://config/acme")).toEqual({ port: 8080, debug: false });
    kitcfg(["update", "acme", "--set", "port=9090"], { root, env });
    expect((await read("kitcfg://config/acme")).port).toBe(9090);
    await expect(client.readResource({ uri: "kitcfg://config/s3" })).rejects.toThrow("s3 is not configured");
    // A name that is no percent-encoding is not found, not a bug; a hint follows the message as a sentence.
    for (const uri of ["kitcfg://config/%", "kitcfg://config/s3/%zz", "kitcfg://config/acme/%C0%80"])
      await expect(client.readResource({ uri })).rejects.toThrow("is not a valid percent-encoded name");
    await expect(client.readResource({ uri: "kitcfg://config/s" })).rejects.toThrow('did you mean "s3"? Known daemons');
  });

  test("a resource takes a daemon's name as the tools do: in lower case, as resources/list gives it", async () => {
    const { client, call } = await connect();
    await call("configure_daemon", { daemon_name: "huggingface" });
    const tool = await call("get_daemon_config", { daemon_name: "HuggingFace" });
    expect(tool.isError).toBe(true);
    expect(textOf(tool)).toContain('Use the daemon\'s lowercase name, not "HuggingFace"');
    for (const uri of ["kitcfg://config/HuggingFace", "kitcfg://config/HUGGINGFACE"])
      await expect(client.readResource({ uri })).rejects.toThrow(
        `No resource at ${uri}: use the daemon's lowercase name "huggingface"`,
      );
    const read = await client.readResource({ uri: "kitcfg://config/huggingface" });
    expect(read.contents[0]?.uri).toBe("kitcfg://config/huggingface");
    // A name no daemon has in any case is unknown, with the nearest name, as before.
    await expect(client.readResource({ uri: "kitcfg://config/HuggingFac" })).rejects.toThrow("did you mean");
  });

  test(
    "daemon_config_history, diff_daemon_config and restore_daemon_config list, " + "compare and undo a write",
    async () => {
      const { call } = await connect();
      const noHistory = await call("diff_daemon_config", { daemon_name: "acme" });
      expect(noHistory.isError).toBe(true);
      expect(textOf(noHistory)).toContain("No history for acme yet");
      await call("configure_daemon", { daemon_name: "huggingface" });
      const original = readFileSync(hfConfig());
      await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: true } });

      const history = await call("daemon_config_history", { daemon_name: "huggingface" });
      expect(history.isError).toBeFalsy();
      const [newest] = history.structuredContent.versions;
      expect(newest.keys).toContain("offline");
      expect(newest.command).toContain("kitcfg mcp update_daemon_config huggingface");
      expect(textOf(history)).toContain(newest.id);

      const diff = await call("diff_daemon_config", { daemon_name: "huggingface", from: newest.id });
      expect(diff.structuredContent.diff).toContain('+  "offline": true,');
      expect(diff.structuredContent.to).toBe("current");

      const preview = await call("restore_daemon_config", { daemon_name: "huggingface", dry_run: true });
      expect(preview.structuredContent.dryRun).toBe(true);
      expect(JSON.parse(readFileSync(hfConfig(), "utf8")).offline).toBe(true);
      const restored = await call("restore_daemon_config", { daemon_name: "huggingface", version_id: newest.id });
      expect(restored.isError).toBeFalsy();
      expect(readFileSync(hfConfig())).toEqual(original);
      const unknown = await call("restore_daemon_config", { daemon_name: "huggingface", version_id: "19990101" });
      expect(unknown.isError).toBe(true);
    },
  );

  test("daemon_config_history's text is the CLI's table: a write of a whole file counts its keys", async () => {
    const { call } = await connect();
    await call("configure_daemon", { daemon_name: "s3" });
    for (const host of ["a.example.org", "b.example.org"])
      await call("update_daemon_config", { daemon_name: "s3", config_updates: { host_base: host } });
    const history = await call("daemon_config_history", { daemon_name: "s3" });
    const lines = textOf(history).split("\n");
    expect(lines[0]).toMatch(/^ID\s+REPLACED AT\s+FILES\s+KEYS CHANGED\s+BY$/);
    expect(lines).toHaveLength(4);
    // configure wrote every key of .s3cfg: listed whole, each row was padded to over a thousand columns.
    expect(lines[3]).toMatch(/main \(absent\)\s+access_key, .*, … \(\d+ keys\)\s+kitcfg mcp configure_daemon s3$/);
    for (const line of lines) expect(line.length).toBeLessThan(300);
    expect(history.structuredContent.versions[2].keys.length).toBeGreaterThan(50);
  });

  test("an instance is refused where every daemon is meant; a bad instance name is told the rule", async () => {
    const { call } = await connect();
    const refused = [
      await call("validate_daemon_configs", { instance: "collab" }),
      await call("configure_daemon", { daemon_name: "all", instance: "collab" }),
    ];
    for (const result of refused) {
      expect(result.isError).toBe(true);
      expect(result.structuredContent.error).toMatchObject({
        code: "USAGE",
        message: 'Cannot use instance "collab" for every daemon: an instance belongs to one daemon',
      });
    }
    // configure all wrote nothing: with the instance ignored, it configured every daemon.
    expect(existsSync(hfConfig())).toBe(false);
    for (const instance of [".hidden", "-rf", "x".repeat(200_000)]) {
      const result = await call("configure_daemon", { daemon_name: "ipfs-cluster-follow", instance });
      expect(result.structuredContent.error.code).toBe("USAGE");
      // The rule the name breaks, in one line of bounded length, whatever the length of the name.
      expect(textOf(result)).toContain('up to 128 letters, digits, ".", "_" and "-", starting with a letter or digit');
      expect(textOf(result).length).toBeLessThan(300);
    }
    expect(existsSync(join(root, ".ipfs-cluster-follow"))).toBe(false);
  });

  test("a secret set through the server or the CLI never appears in any MCP response", async () => {
    expect(kitcfg(["configure", "all"], { root, env }).code).toBe(0);
    expect(
      kitcfg(["update", "s3", "--set", `secret_key=${S3_SECRET}`, "--set", "access_key=AKIAKITCFGTEST"], { root, env })
        .code,
    ).toBe(0);
    const { client, call, seen } = await connect();
    const set = await call("update_daemon_config", {
      daemon_name: "huggingface",
      config_updates: { token: SECRET, offline: true },
    });
    expect(set.isError).toBeFalsy();
    expect(readFileSync(join(root, ".cache/huggingface/token"), "utf8").trim()).toBe(SECRET);
    // Every tool, every way a value can come back: results, diffs, errors, resources.
    await call("update_daemon_config", {
      daemon_name: "huggingface",
      config_updates: { token: `${SECRET}2` },
      dry_run: true,
    });
    await call("update_daemon_config", {
      daemon_name: "huggingface",
      config_updates: { token: `${SECRET} with a space` },
    });
    await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { token: 12345678901 } });
    await call("update_daemon_config", {
      daemon_name: "s3",
      config_updates: { secret_key: S3_SECRET, host_base: "s3.example.org" },
    });
    await call("configure_daemon", { daemon_name: "all", force: true, dry_run: true });
    await call("get_daemon_config", { daemon_name: "huggingface" });
    await call("get_daemon_config", { daemon_name: "huggingface", key: "token" });
    await call("get_daemon_config", { daemon_name: "s3" });
    await call("validate_daemon_configs", {});
    await call("get_daemon_config_status", {});
    await call("daemon_config_history", { daemon_name: "huggingface" });
    await call("diff_daemon_config", { daemon_name: "huggingface", from: "current", to: "current" });
    const versions = (await call("daemon_config_history", { daemon_name: "s3" })).structuredContent.versions;
    await call("diff_daemon_config", { daemon_name: "s3", from: versions.at(-1).id });
    await call("restore_daemon_config", { daemon_name: "s3", version_id: versions.at(-1).id, dry_run: true });
    for (const resource of (await client.listResources()).resources)
      seen.push(JSON.stringify(await client.readResource({ uri: resource.uri })));
    const all = seen.join("\n");
    expect(all).toContain("<redacted");
    for (const secret of [SECRET, S3_SECRET, "12345678901", "with a space"]) expect(all).not.toContain(secret);
    expect(
      (await call("get_daemon_config", { daemon_name: "huggingface", key: "token" })).structuredContent.value,
    ).toBe("<redacted>");
  });

  test("a request the SDK's schema refuses gets a -32600 error at once, not silence; the next is served", async () => {
    const { client } = await connect();
    // A progress token must be a string or an integer: the whole message is no valid request.
    const refused = client.request({ method: "ping", params: { _meta: { progressToken: { bad: true } } } });
    await expect(refused).rejects.toMatchObject({ code: -32600 });
    expect(await client.ping()).toEqual({});
  });

  test("the server writes only MCP messages on stdout and exits when its stdin closes", async () => {
    const proc = Bun.spawn([KITCFG, "mcp", "--root", root], {
      env,
      cwd: root,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    proc.stdin.write(`${JSON.stringify(mcpInitialize(1))}\n`);
    proc.stdin.write(`${JSON.stringify(MCP_INITIALIZED)}\n`);
    proc.stdin.write(`${JSON.stringify(mcpToolCall(2, "get_daemon_config_status"))}\n`);
    await proc.stdin.flush();
    const reader = proc.stdout.getReader();
    let out = "";
    while (out.split("\n").length < 3) out += new TextDecoder().decode((await reader.read()).value);
    proc.stdin.end();
    // No timer here: if the server outlived its stdin, this would hang until the test times out.
    expect(await proc.exited).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([1, 2]);
    expect(await new Response(proc.stderr).text()).toContain("MCP server on stdio");
  });
});

test("requests written with stdin closed right after are all answered before the server exits", async () => {
  // As `printf '...' | kitcfg mcp` does: the SDK alone would drop what is still in flight at stdin's end.
  const requests = [
    mcpInitialize(1),
    MCP_INITIALIZED,
    mcpToolCall(2, "configure_daemon", { daemon_name: "s3" }),
    mcpToolCall(3, "validate_daemon_configs"),
  ];
  const { dir: root, cleanup } = tempDir("kitcfg-mcp-pipe-");
  try {
    const { out, code } = await mcpPiped(root, requests);
    expect(code).toBe(0);
    const answers = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(answers.map((answer) => answer.id)).toEqual([1, 2, 3]);
    expect(answers[1].result.isError).toBeUndefined();
    expect(readFileSync(join(root, ".s3cfg"), "utf8")).toContain("host_base");
  } finally {
    cleanup();
  }
});

describe("kitcfg mcp memory", () => {
  test("1,000 sequential tool calls in one session complete " +
    "without the server's memory growing without bound", async () => {
    const { call, transport } = await connect();
    await call("configure_daemon", { daemon_name: "all" });
    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${transport.pid}/status`, "utf8"))![1]) / 1024;
    const marks: Record<number, number> = {};
    for (let i = 1; i <= 1000; i++) {
      const result =
        i % 4 === 0
          ? await call("update_daemon_config", {
              daemon_name: "huggingface",
              config_updates: { offline: i % 8 === 0, etag_timeout: i },
            })
          : i % 4 === 1
            ? await call("get_daemon_config", { daemon_name: "s3" })
            : i % 4 === 2
              ? await call("validate_daemon_configs", {})
              : await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: "bad" } });
      expect(result.isError ?? false).toBe(i % 4 === 3);
      if (i === 100 || i === 500 || i === 1000) marks[i] = rss();
      session!.seen.length = 0;
    }
    expect(readJson(hfConfig()).etag_timeout).toBe(1000);
    console.log(
      `server RSS after 100 / 500 / 1000 calls: ` +
        `${[marks[100], marks[500], marks[1000]].map((m) => m!.toFixed(1)).join(" / ")} MiB`,
    );
    // Growth from call 500 to 1000 stays a fraction of the warm server's footprint.
    expect(marks[1000]! - marks[500]!).toBeLessThan(marks[100]! / 4);
  }, 180_000);
});

describe("kitcfg mcp over stdio: limits", () => {
  test("a 20 MiB line is refused with a JSON-RPC error, " +
    "the next call is served, and closing stdin ends the server", async () => {
    const proc = Bun.spawn([KITCFG, "mcp", "--root", root], {
      env,
      cwd: root,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const nextMessage = jsonLines(proc).next;
    const send = (message: unknown) => proc.stdin.write(`${JSON.stringify(message)}\n`);
    send(mcpInitialize(1));
    expect((await nextMessage()).id).toBe(1);
    send(MCP_INITIALIZED);

    const huge = JSON.stringify(mcpToolCall(2, "get_daemon_config", { daemon_name: "x".repeat(20 * 1024 * 1024) }));
    const started = performance.now();
    proc.stdin.write(`${huge}\n`);
    await proc.stdin.flush();
    const refused = await nextMessage();
    expect(refused.id).toBe(2);
    expect(refused.error.code).toBe(-32600);
    expect(refused.error.message).toContain("Message too large");

    send(mcpToolCall(3, "get_daemon_config_status"));
    const served = await nextMessage();
    expect(served.id).toBe(3);
    expect(served.result.isError).toBeUndefined();
    console.log(`mcp stdio: 20 MiB line refused and next call served in ${Math.round(performance.now() - started)} ms`);

    proc.stdin.end();
    const code = await Promise.race([proc.exited, Bun.sleep(5000).then(() => "still running")]);
    if (code === "still running") proc.kill("SIGKILL");
    expect(code).toBe(0);
  }, 30_000);
});

test("two configure_daemon calls for one daemon at once: one writes, the other finds the file there", async () => {
  // Served at the same time: the second waits for the lock, then finds its plan made by the first.
  const configure = (id: number) => mcpToolCall(id, "configure_daemon", { daemon_name: "s3" });
  const { dir: root, cleanup } = tempDir("kitcfg-mcp-race-");
  try {
    const { out, code } = await mcpPiped(root, [mcpInitialize(1), MCP_INITIALIZED, configure(2), configure(3)]);
    expect(code).toBe(0);
    const answers = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((answer) => answer.id !== 1)
      .sort((a, b) => a.id - b.id);
    expect(answers.map((answer) => [answer.id, answer.result.isError ?? false])).toEqual([
      [2, false],
      [3, false],
    ]);
    expect(answers.map((answer) => answer.result.content[0].text).join("\n")).toContain("left as it is");
  } finally {
    cleanup();
  }
});

describe("kitcfg mcp validates lotus with the server's own LOTUS_* variables", () => {
  test("validate_daemon_configs names the variable the server runs with, never a secret's value", async () => {
    expect(kitcfg(["configure", "lotus"], { root, env }).code).toBe(0);
    env = { ...env, LOTUS_API_LISTENADDRESS: "garbage", LOTUS_WALLET_REMOTEBACKEND: "hunter2:ftp://x" };
    const { call, seen } = await connect();
    const result = await call("validate_daemon_configs", { daemon_name: "lotus" });
    expect(result.structuredContent.ok).toBe(false);
    expect(textOf(result)).toContain("with LOTUS_API_LISTENADDRESS from this environment");
    expect(textOf(result)).toContain("with LOTUS_WALLET_REMOTEBACKEND from this environment");
    expect(seen.join("\n")).not.toContain("hunter2");
  });
});
