import * as v from "valibot";
import { isByteSize, isGoDuration } from "./go.ts";
import { decodesAsPeerId } from "./libp2p.ts";
import { multiaddrProblem } from "./multiaddr.ts";

// valibot schemas for the value syntaxes of the IPFS world, with the messages kitcfg shows
// when a value does not fit ("expected a Go duration such as 30s, got …").

/** A Go duration string (`time.ParseDuration`): `30s`, `1h0m0s`, `1.5h`, `0`. */
export function goDuration() {
  return v.pipe(
    v.string(),
    v.check((text: string) => isGoDuration(text), "expected a Go duration such as 30s, 5m or 1h30m"),
  );
}

/** A byte size as Go's humanize reads one: `10GB`, `512MiB`, `1024`. */
export function byteSize() {
  return v.pipe(
    v.string(),
    v.check((text: string) => isByteSize(text), "expected a byte size such as 10GB or 512MiB"),
  );
}

/** A multiaddr in text form: `/ip4/127.0.0.1/tcp/5001`. */
export function multiaddr() {
  return v.pipe(
    v.string(),
    v.check(
      (text: string) => multiaddrProblem(text) === undefined,
      "expected a multiaddr such as /ip4/127.0.0.1/tcp/4001",
    ),
  );
}

/** A libp2p peer ID as go-libp2p's peer.Decode reads it: `12D3KooW…`, `Qm…`, or a CID such as `k51…`. */
export function peerId() {
  return v.pipe(
    v.string(),
    v.check((text: string) => decodesAsPeerId(text), "expected a peer ID such as 12D3KooW…"),
  );
}

/** A TCP or UDP port: an integer from 1 to 65535. */
export function port() {
  return v.pipe(
    v.number(),
    v.integer("expected an integer"),
    v.minValue(1, "expected a port from 1 to 65535"),
    v.maxValue(65535, "expected a port from 1 to 65535"),
  );
}
