import type { KeyDoc } from "kitcfg";

/**
 * `kitcfg keys storacha`: one line per key, in kitcfg's words. The STORACHA_* keys follow the
 * CLI's README and lib.js (storacha/upload-service @4d987aa2, packages/cli), whose defaults
 * apply when the variable is unset; the others are the older ipfs_kit_py tool's settings,
 * which the Storacha CLI does not read (tests/fixtures/FORMATS.md §9, §10).
 */
export function storachaKeyDocs(): Record<string, KeyDoc> {
  return {
    endpoints: { doc: "The older tool's Storacha bridge URLs, tried in order; the storacha CLI does not read them" },
    timeout: { doc: "The older tool's seconds to wait for an endpoint; the CLI has no such setting" },
    retries: { doc: "The older tool's retries per endpoint after a failure; the CLI has no such setting" },
    mock_mode: { doc: "The older tool's switch to simulate Storacha calls without the network; the CLI has none" },
    api_key: { doc: "The older tool's bridge API key; the CLI authenticates with UCAN delegations instead" },
    service_url: {
      doc: "Upload service URL the CLI talks to, used only with service_did (STORACHA_SERVICE_URL)",
      default: "https://up.storacha.network",
    },
    service_did: {
      doc: "DID of that upload service, used only with service_url (STORACHA_SERVICE_DID)",
      default: "did:web:up.storacha.network",
    },
    receipts_url: {
      doc: "Where the CLI fetches the UCAN receipts the service issues (STORACHA_RECEIPTS_URL)",
      default: "https://up.storacha.network/receipt/",
    },
    store_name: {
      doc: "Name of the CLI's agent store of keys and delegations, one per profile (STORACHA_STORE_NAME)",
      default: "storacha-cli",
    },
  };
}
