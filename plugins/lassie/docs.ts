import type { KeyDoc } from "kitcfg";

/**
 * `kitcfg keys lassie`: one line per key, in kitcfg's words, after the `lassie daemon` flags
 * (filecoin-project/lassie @c6ba7778: cmd/lassie/daemon.go `daemonFlags`, cmd/lassie/flags.go),
 * naming the flag each key becomes (`kitcfg args lassie`; lassie.env has its LASSIE_* twin).
 * `default` is lassie's own value where the written defaults leave the key out.
 */
export function lassieKeyDocs(): Record<string, KeyDoc> {
  return {
    address: { doc: "Host name or IP the HTTP server listens on (--address)" },
    port: { doc: "Port the HTTP server listens on; 0 takes a free one at each start (--port)" },
    max_blocks: {
      doc: "Blocks sent for one request before the connection is closed; 0 for no limit (--maxblocks)",
      default: 0,
    },
    libp2p_lowwater: {
      doc: "Connections libp2p trims to; both 0: libp2p's 160/192, one alone: no trim (--libp2p-conns-lowwater)",
      default: 0,
    },
    libp2p_highwater: {
      doc:
        "Connections above which libp2p trims; both 0: libp2p's 160/192, one alone: no trim " +
        "(--libp2p-conns-highwater)",
      default: 0,
    },
    concurrent_sp_retrievals: {
      doc: "Most retrievals from storage providers at once; 0 for no limit (--concurrent-sp-retrievals)",
      default: 0,
    },
    protocols: { doc: "Retrieval protocols lassie may use: bitswap, graphsync, http (--protocols)" },
    providers: {
      doc: "Fetch only from these providers (multiaddrs, http URLs or f0 ids), not discovered ones (--providers)",
    },
    exclude_providers: { doc: "Peer IDs of providers never fetched from (--exclude-providers)" },
    temp_directory: { doc: "Folder for temporary files while downloading; default the system's (--tempdir)" },
    bitswap_concurrency: { doc: "Most Bitswap requests in flight over all retrievals (--bitswap-concurrency)" },
    bitswap_concurrency_per_retrieval: {
      doc: "Most Bitswap requests in flight for one retrieval (--bitswap-concurrency-per-retrieval)",
    },
    global_timeout: { doc: "A retrieval not finished after this long fails; a Go duration (--global-timeout)" },
    provider_timeout: { doc: "A provider silent for this long is given up on; a Go duration (--provider-timeout)" },
    event_recorder_url: {
      doc: "URL of an event recorder API that lassie reports retrieval events to (--event-recorder-url)",
    },
    event_recorder_auth: { doc: "Authorization token lassie sends to the event recorder API (--event-recorder-auth)" },
    event_recorder_instance_id: {
      doc: "Instance ID sent with recorded events; default a random UUID (--event-recorder-instance-id)",
    },
    ipni_endpoint: {
      doc: "IPNI indexer queried to discover providers; a flag only, not in lassie.env (--ipni-endpoint)",
      default: "https://cid.contact",
    },
    access_token: { doc: "Bearer token HTTP clients must send; a flag only, not in lassie.env (--access-token)" },
    bitswap_requests_per_peer: {
      doc: "The older tool's per-peer Bitswap limit: lassie has no such option and ignores it",
    },
    http_concurrent: { doc: "The older tool's HTTP concurrency: lassie has no such option and ignores it" },
    http_requests_per_peer: { doc: "The older tool's per-peer HTTP limit: lassie has no such option and ignores it" },
  };
}
