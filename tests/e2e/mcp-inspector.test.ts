import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cleanEnv, kitcfg, KITCFG, tempDir } from "../helpers.ts";

// The MCP Inspector's CLI is a real MCP client (npm @modelcontextprotocol/inspector, a
// devDependency): it checks a result's structuredContent against the tool's outputSchema
// and rejects the whole result when it does not conform, error results included.
const INSPECTOR = resolve(import.meta.dir, "../../node_modules/@modelcontextprotocol/inspector/cli/build/cli.js");
const haveInspector = existsSync(INSPECTOR);
if (!haveInspector) console.warn(`⚠ MCP Inspector tests skipped: ${INSPECTOR} is not installed (npm ci installs it)`);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

interface Inspected {
  code: number;
  result?: { isError?: boolean; content: { text?: string }[]; structuredContent?: any };
  stderr: string;
}

/** `mcp-inspector --cli dist/kitcfg mcp --root ROOT --method tools/call --tool-name NAME --tool-arg k=v ...`. */
function inspect(tool: string, args: Record<string, string>): Inspected {
  const toolArgs = Object.entries(args).flatMap(([key, value]) => ["--tool-arg", `${key}=${value}`]);
  const argv = [
    "node",
    INSPECTOR,
    "--cli",
    KITCFG,
    "mcp",
    "--root",
    root,
    "--method",
    "tools/call",
    "--tool-name",
    tool,
    ...toolArgs,
  ];
  const ran = Bun.spawnSync(argv, { env: cleanEnv(root), cwd: root, stdout: "pipe", stderr: "pipe" });
  const stdout = ran.stdout.toString();
  return {
    code: ran.exitCode ?? -1,
    result: stdout.trim().startsWith("{") ? JSON.parse(stdout) : undefined,
    stderr: ran.stderr.toString() + stdout,
  };
}

const textOf = (inspected: Inspected) => inspected.result!.content.map((c) => c.text ?? "").join("\n");

describe.skipIf(!haveInspector)("the MCP Inspector CLI driving dist/kitcfg mcp", () => {
  test("a refused value, an unknown daemon and a missing argument " +
    "come back as isError results with kitcfg's message and code", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const config = join(root, ".cache/huggingface/config.json");
    const before = readFileSync(config);
    const cases: [Record<string, string>, string, string][] = [
      [
        { daemon_name: "huggingface", config_updates: '{"offline":"maybe"}' },
        "INVALID_VALUE",
        'Cannot set "offline" for huggingface: expected a boolean',
      ],
      [
        { daemon_name: "hugingface", config_updates: '{"offline":true}' },
        "UNKNOWN_DAEMON",
        'Unknown daemon "hugingface": did you mean "huggingface"?',
      ],
      [{ config_updates: '{"offline":true}' }, "USAGE", 'Missing argument "daemon_name"'],
      [
        { daemon_name: "huggingface", config_updates: '{"offlien":true}' },
        "UNKNOWN_KEY",
        'Unknown key "offlien" for huggingface',
      ],
    ];
    for (const [args, code, message] of cases) {
      const inspected = inspect("update_daemon_config", args);
      expect(inspected.stderr).not.toContain("does not match the tool's output schema");
      expect(inspected.code).toBe(0);
      expect(inspected.result!.isError).toBe(true);
      expect(textOf(inspected)).toContain(message);
      expect(textOf(inspected)).not.toContain("Input validation error");
      expect(inspected.result!.structuredContent.error.code).toBe(code);
    }
    expect(readFileSync(config)).toEqual(before);
  }, 60_000);

  test("every tool's error result is accepted by the Inspector: the output schemas declare the error shape", () => {
    const listed = Bun.spawnSync(
      ["node", INSPECTOR, "--cli", KITCFG, "mcp", "--root", root, "--method", "tools/list"],
      { env: cleanEnv(root), cwd: root, stdout: "pipe" },
    );
    const tools = JSON.parse(listed.stdout.toString()).tools as {
      name: string;
      inputSchema: { properties?: Record<string, unknown> };
    }[];
    expect(tools.length).toBeGreaterThanOrEqual(8);
    for (const tool of tools) {
      const args: Record<string, string> = tool.inputSchema.properties?.daemon_name
        ? { daemon_name: "nope" }
        : { no_such_argument: "1" };
      const inspected = inspect(tool.name, args);
      expect({ tool: tool.name, complaint: inspected.stderr.includes("output schema") }).toEqual({
        tool: tool.name,
        complaint: false,
      });
      expect(inspected.result!.isError).toBe(true);
      expect(typeof inspected.result!.structuredContent.error.code).toBe("string");
    }
  }, 120_000);

  test("an accepted change and an unconfigured daemon read back as the tool declares them", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const ok = inspect("update_daemon_config", { daemon_name: "huggingface", config_updates: '{"offline":true}' });
    expect(ok.result!.isError).toBeFalsy();
    expect(ok.result!.structuredContent.changedKeys).toEqual(["offline"]);
    const absent = inspect("update_daemon_config", {
      daemon_name: "s3",
      config_updates: '{"host_base":"minio.lab:9000"}',
    });
    expect(absent.result!.isError).toBe(true);
    expect(absent.result!.structuredContent.error.code).toBe("NOT_FOUND");
    expect(textOf(absent)).toContain("s3 is not configured: run `kitcfg configure s3`");
    expect(existsSync(join(root, ".s3cfg"))).toBe(false);
  }, 60_000);
});
