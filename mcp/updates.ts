import { KitcfgError } from "../core/errors.ts";
import { isPlainObject, parseKeyPath, pathsNameEach, setPath } from "../core/keypath.ts";
import type { UpdateRequest } from "../core/request.ts";

/**
 * Turn `config_updates` into update requests, in the order given, following JSON Merge
 * Patch (RFC 7396), which is what an agent sending a partial object expects:
 *
 * - a nested object merges into what is there, key by key (`{"proxies": {"https": ...}}`
 *   sets `proxies.https` and keeps `proxies.http`);
 * - a dotted key reaches the same place (`{"proxies.https": ...}`);
 * - `null` removes the key (there is no way to write a literal null through this tool);
 * - an object with a key that holds a dot (kubo's `Gateway.PublicGateways`, keyed by host
 *   names) is set whole, as given, since no dotted path reaches into it;
 * - anything else, arrays included, is set whole and typed as given: JSON types are not
 *   coerced, so `"true"` stays a string and the schema refuses it where a boolean belongs.
 *
 * An empty object adds nothing, as in a merge patch.
 * @throws KitcfgError `USAGE` when nothing is left to change; `INVALID_KEY` for a key that
 * is not a dotted path.
 */
export function toUpdateRequests(updates: Record<string, unknown>): UpdateRequest[] {
  const requests: UpdateRequest[] = [];
  collect(updates, [], requests);
  if (requests.length === 0) {
    throw new KitcfgError("USAGE", "Nothing to change: config_updates has no key to set or remove", {
      hint: 'Example: {"daemon_name": "huggingface", "config_updates": {"offline": true}}',
    });
  }
  return requests;
}

/** The values the requests set, as one nested object (to find secrets among them). */
export function requestedValues(requests: readonly UpdateRequest[]): unknown {
  let values: unknown = {};
  for (const request of requests) {
    if (request.op === "set" && "value" in request) values = setPath(values, parseKeyPath(request.key), request.value);
  }
  return values;
}

// --- internal ---

/** Deeper than any daemon's configuration; bounds the recursion on hostile input. */
const MAX_DEPTH = 64;

function collect(node: Record<string, unknown>, prefix: string[], out: UpdateRequest[]): void {
  if (prefix.length > MAX_DEPTH) {
    throw new KitcfgError(
      "USAGE",
      `config_updates nests deeper than ${MAX_DEPTH} levels at "${prefix.slice(0, 3).join(".")}..."`,
    );
  }
  for (const [key, value] of Object.entries(node)) {
    const path = [...prefix, ...parseKeyPath(key)];
    // A map keyed by names with dots (DNS names) is set whole: no path reaches into it.
    if (isPlainObject(value) && pathsNameEach(value)) collect(value, path, out);
    else if (value === null) out.push({ op: "unset", key: path.join(".") });
    else out.push({ op: "set", key: path.join("."), value });
  }
}
