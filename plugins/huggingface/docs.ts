import type { KeyDoc } from "kitcfg";

/**
 * `kitcfg keys huggingface`: one line per key, in kitcfg's words, after huggingface_hub's
 * docs/source/en/package_reference/environment_variables.md and src/huggingface_hub/constants.py
 * (huggingface/huggingface_hub @ee0a4510), naming the variable each key is exported as
 * (huggingface.env). `default` is the client's own value when the variable is unset.
 */
export function huggingfaceKeyDocs(): Record<string, KeyDoc> {
  return {
    cache_dir: { doc: "Hugging Face home (HF_HOME): the hub cache, token and assets live below it" },
    offline: { doc: "Use only the local cache and make no HTTP call to the Hub (HF_HUB_OFFLINE)" },
    "proxies.*": { doc: "Proxy URL for this scheme; http and https are exported as HTTP_PROXY and HTTPS_PROXY" },
    user_agent: { doc: "The older ipfs_kit_py tool's user agent; the Hub client has no such setting" },
    use_auth_token: { doc: "The older tool's token switch; the client's own is disable_implicit_token" },
    endpoint: { doc: "Base URL of the Hub, for a mirror or a private hub (HF_ENDPOINT)" },
    hub_cache: { doc: "Cache of downloaded models, datasets and spaces; default $HF_HOME/hub (HF_HUB_CACHE)" },
    assets_cache: {
      doc: "Cache of files made by libraries using the client; default $HF_HOME/assets (HF_ASSETS_CACHE)",
    },
    disable_telemetry: { doc: "Stop Hugging Face libraries from sending usage telemetry (HF_HUB_DISABLE_TELEMETRY)" },
    disable_progress_bars: {
      doc: "true hides, false forces tqdm progress bars; unset lets code decide (HF_HUB_DISABLE_PROGRESS_BARS)",
    },
    disable_symlinks_warning: {
      doc: "Silence the warning that the cache cannot use symlinks (HF_HUB_DISABLE_SYMLINKS_WARNING)",
      default: false,
    },
    disable_implicit_token: {
      doc: "Send the token only on calls that need it, not on every one (HF_HUB_DISABLE_IMPLICIT_TOKEN)",
      default: false,
    },
    disable_xet: {
      doc: "Do not use the hf-xet transfer backend even when installed (HF_HUB_DISABLE_XET)",
      default: false,
    },
    etag_timeout: {
      doc: "Seconds to wait for a file's metadata before using the cached copy (HF_HUB_ETAG_TIMEOUT)",
      default: 10,
    },
    download_timeout: {
      doc: "Seconds to wait for the server while downloading a file (HF_HUB_DOWNLOAD_TIMEOUT)",
      default: 10,
    },
    token: { doc: "Hub user access token, kept in the token file (HF_TOKEN_PATH), never in config.json" },
  };
}
