// The real storacha CLI's own loading code, run by bench/storacha-differential.ts in a fresh node
// process whose environment holds the STORACHA_* variables kitcfg gives:
//
//   node bench/storacha-read.mjs /tmp/storacha-cli
//
// It imports the installed @storacha/cli's lib.js and calls `getStore()` and `getClient()` as every
// command does (packages/cli/lib.js), then prints one JSON line: the variables it saw, the store's
// path or the error constructing it, and the client's service DID and URL, receipts endpoint and
// agent DID, or the error `getClient()` threw. Constructing the client dials nothing
// (@storacha/client index.node.js `create`, base.js: HTTP.open only keeps the URL); to be sure,
// fetch and socket connects are replaced by a trap that records the attempt and throws.
import net from "node:net";
import { pathToFileURL } from "node:url";

const cli = process.argv[2];
const out = { environ: {}, dialed: [] };
for (const [name, value] of Object.entries(process.env)) if (name.startsWith("STORACHA_")) out.environ[name] = value;

globalThis.fetch = async (url) => {
  out.dialed.push(`fetch ${String(url)}`);
  throw new Error("network call refused by storacha-read.mjs");
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function trappedConnect(...args) {
  out.dialed.push(`connect ${JSON.stringify(args[0])}`);
  return connect.apply(this, ["/nonexistent/storacha-read.sock"]);
};

const describe = (error) => `${error?.name ?? "Error"}: ${error?.message ?? String(error)}${codeOf(error)}`;
const codeOf = (error) => (error?.code ? ` (${error.code})` : "");

try {
  const lib = await import(pathToFileURL(`${cli}/node_modules/@storacha/cli/lib.js`).href);
  try {
    out.storePath = lib.getStore().path;
  } catch (error) {
    out.storeError = describe(error);
  }
  try {
    const client = await lib.getClient();
    const conf = client._serviceConf;
    out.client = {
      agent: client.agent.did(),
      serviceDid: conf.access.id.did(),
      serviceUrl: conf.access.channel.url.href,
      uploadUrl: conf.upload.channel.url.href,
      receiptsUrl: String(client._receiptsEndpoint),
    };
  } catch (error) {
    out.clientError = describe(error);
  }
} catch (error) {
  out.importError = describe(error);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
