import { checkIdentity, generateIdentity } from "kitcfg";
import { isObject } from "./shared.ts";
import type { PluginContext, RepairResult } from "kitcfg";

// Fixes for the cluster files that the older ipfs_kit_py tool got wrong, and for the
// pre-0.11 layout the daemon itself migrates (tests/fixtures/FORMATS.md §4 and §10;
// cmdutils/configs.go `LoadIdentityFromDisk`):
// - ipfs_kit_py's validator wanted `id` and `secret` at the top level of service.json, where
//   the daemon ignores them: `secret` belongs under `cluster`, the identity in identity.json;
// - before 0.11, service.json held `cluster.id` and `cluster.private_key`; the daemon moves
//   them into a new identity.json when that file is missing;
// - with no identity anywhere the daemon cannot start: a new one is written.

/** File keys of service.json and identity.json in the plugin's `files`. */
export interface ClusterFileKeys {
  main: string;
  identity: string;
}

/** Repair the texts of service.json and identity.json; see the notes above. */
export function repairCluster(
  texts: Readonly<Record<string, string | undefined>>,
  ctx: PluginContext,
  keys: ClusterFileKeys,
): RepairResult {
  const none: RepairResult = { texts: {}, fixes: [] };
  const service = parseObject(texts[keys.main]);
  if (!service) return none;
  const identityText = texts[keys.identity];
  const identity = parseObject(identityText);
  if (identityText !== undefined && !identity) return none; // a broken identity.json is for a person to look at
  const fixes: string[] = [];
  const moved = moveSecret(service, fixes);
  const { doc, found } = takeIdentities(moved, fixes);
  const out: Record<string, string> = {};
  if (doc !== service) out[keys.main] = goJson(doc, "  ");
  if (!identity || typeof identity.id !== "string" || typeof identity.private_key !== "string") {
    const usable = found.find((f) => checkIdentity(f.id, f.privateKey).ok) ?? found[0];
    const chosen = usable ?? { from: "", ...generateIdentity() };
    out[keys.identity] = goJson({ id: chosen.id, private_key: chosen.privateKey }, "    ");
    const where = ctx.paths[keys.identity] ?? "identity.json";
    fixes.push(
      usable
        ? `wrote ${where} with the identity service.json held (${usable.from}), peer ID ${usable.id}`
        : `wrote ${where} with a new identity (no private key was found to keep): the peer ID is now ${chosen.id}`,
    );
  } else if (found.some((f) => f.id !== identity.id)) {
    fixes.push("kept identity.json, which the daemon reads, over the different identity service.json held");
  }
  return fixes.length === 0 ? none : { texts: out, fixes };
}

// --- internal ---

type Obj = Record<string, unknown>;

/** `secret` from the top level to `cluster.secret` (after `peername`, where the daemon writes it). */
function moveSecret(service: Obj, fixes: string[]): Obj {
  if (!("secret" in service)) return service;
  const { secret, ...rest } = service;
  const cluster = isObject(rest.cluster) ? rest.cluster : {};
  if (typeof cluster.secret === "string" && cluster.secret !== "") {
    fixes.push(
      cluster.secret === secret
        ? "removed the top-level secret: cluster.secret holds the same value"
        : "removed the top-level secret: cluster.secret, which the daemon reads, holds another value and was kept",
    );
    return rest;
  }
  const entries = Object.entries(cluster).filter(([key]) => key !== "secret");
  const at = entries.findIndex(([key]) => key === "peername") + 1;
  entries.splice(at, 0, ["secret", secret]);
  fixes.push("moved the top-level secret to cluster.secret, where the daemon reads it");
  return withCluster(rest, Object.fromEntries(entries));
}

interface FoundIdentity {
  from: string;
  id: string;
  privateKey: string;
}

/** `doc` without `id`/`private_key` at the top level and in `cluster`, and the pairs found there. */
function takeIdentities(doc: Obj, fixes: string[]): { doc: Obj; found: FoundIdentity[] } {
  const found: FoundIdentity[] = [];
  const take = (holder: Obj, from: string): Obj => {
    if (!("id" in holder) && !("private_key" in holder)) return holder;
    const { id, private_key: privateKey, ...rest } = holder;
    if (typeof id === "string" && typeof privateKey === "string") found.push({ from, id, privateKey });
    fixes.push(
      `removed ${from === "the top level" ? "the top-level " : "cluster."}id and private_key from service.json: ` +
        "the identity belongs in identity.json",
    );
    return rest;
  };
  const top = take(doc, "the top level");
  if (!isObject(top.cluster)) return { doc: top, found };
  const cluster = take(top.cluster, "cluster");
  return { doc: cluster === top.cluster ? top : withCluster(top, cluster), found };
}

/** `doc` with its `cluster` section replaced (or added at the front, where the daemon writes it). */
function withCluster(doc: Obj, cluster: Obj): Obj {
  if (!("cluster" in doc)) return { cluster, ...doc };
  return Object.fromEntries(Object.entries(doc).map(([key, value]) => [key, key === "cluster" ? cluster : value]));
}

function parseObject(text: string | undefined): Obj | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, ""), exactInteger);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON.parse reviver: an integer past 2^53, which a double would round, becomes the bigint of
 * its text (JSON.parse gives the text as `context.source`), so a rewritten file keeps every digit.
 */
function exactInteger(_key: string, value: unknown, context?: { source?: string }): unknown {
  const source = context?.source;
  if (typeof value !== "number" || Number.isSafeInteger(value) || source === undefined) return value;
  return /^-?\d+$/.test(source) ? BigInt(source) : value;
}

/** Go's `json.MarshalIndent`: no trailing newline, `<`, `>`, `&` escaped; a bigint written with every digit. */
function goJson(value: unknown, indent: string): string {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  return JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? raw(String(item)) : item), indent).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
