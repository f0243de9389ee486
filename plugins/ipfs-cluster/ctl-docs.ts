import type { KeyDoc } from "kitcfg";

/**
 * `kitcfg keys ipfs-cluster-ctl`: one line per key, in kitcfg's words, after ctl's global
 * flags (ipfs-cluster/ipfs-cluster @2182e887: cmd/ipfs-cluster-ctl/main.go `app.Flags` and
 * `app.Before`), naming the flag each key becomes (`kitcfg args ipfs-cluster-ctl`).
 */
export function clusterCtlKeyDocs(): Record<string, KeyDoc> {
  return {
    host: { doc: "REST API multiaddr(s) of the peer to control, tried in turn; /p2p/ ones go over libp2p (--host)" },
    "basic_auth.username": { doc: "User name for HTTP basic auth on the REST API (--basic-auth user:password)" },
    "basic_auth.password": {
      doc: "Password sent with basic_auth.username to the REST API (--basic-auth user:password)",
    },
    https: { doc: "Reach the REST API over HTTPS (--https)" },
    no_check_certificate: {
      doc: "With https, accept a server certificate that does not verify (--no-check-certificate)",
    },
    encoding: { doc: "Format of ctl's output: text or json (--encoding)" },
    timeout: { doc: "Seconds a request may take before ctl gives up; 0 waits forever (--timeout)" },
    secret: { doc: "The cluster secret, needed only to reach /p2p/ or /dnsaddr/ hosts over libp2p (--secret)" },
    force_http: {
      doc: "ctl's --force-http; `kitcfg args` derives that flag from https, so this key changes nothing",
      default: false,
    },
    debug: { doc: "Set the log level of ctl and its API client to debug (--debug)" },
  };
}
