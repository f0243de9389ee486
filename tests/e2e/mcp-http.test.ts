import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { cleanEnv, KITCFG, kitcfg, mcpToolCall, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
let env: Record<string, string>;
let server: Served | undefined;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  env = cleanEnv(root);
  expect(kitcfg(["configure", "huggingface"], { root, env }).code).toBe(0);
});
afterEach(async () => {
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  server = undefined;
  cleanup();
});

const hfConfig = () => join(root, ".cache/huggingface/config.json");

interface Served {
  proc: Bun.Subprocess<"ignore", "ignore", "pipe">;
  url: string;
  log: string;
}

/** Start `dist/kitcfg mcp --http --port 0` and wait for the line that gives its URL. */
async function serve(extra: string[] = []): Promise<Served> {
  const proc = Bun.spawn([KITCFG, "mcp", "--http", "--port", "0", "--root", root, ...extra], {
    env,
    cwd: root,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  const reader = proc.stderr.getReader();
  let log = "";
  let match: RegExpExecArray | null = null;
  while (!(match = /on (http:\/\/\S+\/mcp)/.exec(log))) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`kitcfg mcp --http did not start:\n${log}`);
    log += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  server = { proc, url: match[1]!, log };
  return server;
}

const UPDATE = mcpToolCall(1, "update_daemon_config", {
  daemon_name: "huggingface",
  config_updates: { offline: true },
});

function post(url: string, headers: Record<string, string>, body: unknown = UPDATE): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
}

async function connectClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: "kitcfg-http-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

test(
  "without the token a request gets 401 and changes nothing; " + "with the generated token the SDK client works",
  async () => {
    const { url, log } = await serve();
    const before = readFileSync(hfConfig());
    const none = await post(url, {});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await post(url, { Authorization: "Bearer not-the-token" })).status).toBe(401);
    expect(readFileSync(hfConfig())).toEqual(before);

    const tokenFile = join(root, ".local/state/kitcfg/mcp-token");
    expect(log).toContain(tokenFile);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, "utf8").trim();
    const client = await connectClient(url, token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("update_daemon_config");
    const result = await client.callTool({
      name: "update_daemon_config",
      arguments: { daemon_name: "huggingface", config_updates: { offline: true } },
    });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(readFileSync(hfConfig(), "utf8")).offline).toBe(true);
    await client.close();
  },
);

test("a request from a foreign Origin is refused even with the token; a local Origin is served", async () => {
  const { url } = await serve();
  const token = readFileSync(join(root, ".local/state/kitcfg/mcp-token"), "utf8").trim();
  const before = readFileSync(hfConfig());
  const foreign = await post(url, { Authorization: `Bearer ${token}`, Origin: "https://evil.example" });
  expect(foreign.status).toBe(403);
  expect(await foreign.text()).toContain("evil.example");
  expect(readFileSync(hfConfig())).toEqual(before);

  const local = await post(url, { Authorization: `Bearer ${token}`, Origin: "http://localhost:3000" });
  expect(local.status).toBe(200);
  expect(await local.text()).toContain('"changed":true');
  expect(JSON.parse(readFileSync(hfConfig(), "utf8")).offline).toBe(true);
});

test("a Host header that is not local is refused on loopback (DNS rebinding)", async () => {
  const { url } = await serve();
  const token = readFileSync(join(root, ".local/state/kitcfg/mcp-token"), "utf8").trim();
  const rebound = await post(url, { Authorization: `Bearer ${token}`, Host: "attacker.example" });
  expect(rebound.status).toBe(403);
  expect(JSON.parse(readFileSync(hfConfig(), "utf8")).offline).toBe(false);
});

test("--token-file gives the token and any other is refused; paths other than /mcp are 404", async () => {
  const tokenFile = join(root, "token");
  writeFileSync(tokenFile, "my-own-token-0123456789\n", { mode: 0o600 });
  const { url } = await serve(["--token-file", tokenFile]);
  expect((await post(url, { Authorization: "Bearer my-own-token-0123456789" })).status).toBe(200);
  expect(JSON.parse(readFileSync(hfConfig(), "utf8")).offline).toBe(true);
  expect((await post(url, { Authorization: "Bearer my-own-token-01234567890" })).status).toBe(401);
  expect(
    (await fetch(url.replace(/\/mcp$/, "/other"), { headers: { Authorization: "Bearer my-own-token-0123456789" } }))
      .status,
  ).toBe(404);
});

test("bad --http options are usage errors that name the option", () => {
  writeFileSync(join(root, "empty"), "");
  const cases: [string[], number, string][] = [
    [["mcp", "--port", "8000"], 2, "--port needs --http"],
    [["mcp", "--http", "--port", "http"], 2, "--port needs a number 0-65535"],
    [["mcp", "--http", "--token-file", join(root, "empty")], 2, "is empty"],
    [["mcp", "--http", "--token-file", join(root, "missing")], 3, "does not exist"],
  ];
  for (const [args, code, message] of cases) {
    const ran = kitcfg(args, { root, env });
    expect(ran.code).toBe(code);
    expect(ran.stderr).toContain(message);
  }
});

test("a token file no client can match stops the server at start, with what is wrong with it", async () => {
  // Each token here once started a server that refused every request (401), or said only EISDIR.
  writeFileSync(join(root, "spaced"), "my own token\n", { mode: 0o600 });
  writeFileSync(join(root, "unicode"), "tökén-0123456789\n", { mode: 0o600 });
  writeFileSync(join(root, "second-line"), "\nmy-own-token-0123456789\n", { mode: 0o600 });
  const cases: [string, number, string][] = [
    [join(root, "spaced"), 2, "holds a blank or a character outside printable ASCII: no client could send it"],
    [join(root, "unicode"), 2, "holds a blank or a character outside printable ASCII"],
    [join(root, "second-line"), 2, "has a blank first line: put the bearer token on its first line"],
    [root, 3, `Cannot read the token file ${root}: it is a folder, not a file`],
  ];
  for (const [file, code, message] of cases) {
    const proc = Bun.spawn([KITCFG, "mcp", "--http", "--port", "0", "--token-file", file, "--root", root], {
      env,
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    // A server that started is stopped (exit 0): the assertion below then says so.
    const timer = setTimeout(() => proc.kill("SIGTERM"), 5000);
    const exited = await proc.exited;
    clearTimeout(timer);
    const stderr = await new Response(proc.stderr).text();
    expect({ file, code: exited, stderr: stderr.trim().split("\n")[0] }).toEqual({
      file,
      code,
      stderr: expect.stringContaining(message),
    });
  }
}, 30_000);

test("SIGTERM stops the HTTP server with exit code 0", async () => {
  const { proc } = await serve();
  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
});

/** Send `request` as raw bytes over TCP (fetch cannot send a bad or missing Host) and read the whole answer. */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => void (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer; got so far: ${answer.slice(0, 200)}`)));
  });
}

test("a bad or missing Host header gets a one-line error, never a debug page", async () => {
  const { url } = await serve();
  const bodies: string[] = [];
  for (const host of ["Host: exa mple.com:80:80\r\n", "Host: [::1\r\n", "Host: \u00ff\u00fe\r\n", "Host: \r\n", ""]) {
    for (const path of ["/mcp", "/", "/%zz"]) {
      const answer = await rawRequest(
        url,
        `POST ${path} HTTP/1.1\r\n${host}Content-Type: application/json\r\n` +
          `Content-Length: 2\r\nConnection: close\r\n\r\n{}`,
      );
      const [head = "", body = ""] = answer.split("\r\n\r\n");
      expect(head).toMatch(/^HTTP\/1\.1 4\d\d /);
      // One short line: no stack, no source, no file paths.
      expect({ host, path, body: body.trim().split("\n").length, long: body.length > 300 }).toEqual({
        host,
        path,
        body: 1,
        long: false,
      });
      expect(body).not.toMatch(/\/work\/|node_modules|at \w+ \(|<html/i);
      bodies.push(body);
    }
  }
  // The server still serves a good client afterwards.
  const token = readFileSync(join(root, ".local/state/kitcfg/mcp-token"), "utf8").trim();
  const client = await connectClient(url, token);
  expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  await client.close();
});
