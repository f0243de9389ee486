import { connManagerIssue, goDurationMs } from "kitcfg";
import type { PluginIssue } from "kitcfg";

// Lassie's counts and timeouts as `lassie daemon` reads them (FORMATS.md §16): values it takes
// and starts with, but uses otherwise than the number says, are warnings; one that makes every
// retrieval fail is an error.

/** The settings these rules read, as the schema gives them. */
export interface LassieRuleInput {
  bitswap_concurrency?: number;
  bitswap_concurrency_per_retrieval?: number;
  libp2p_lowwater?: number;
  libp2p_highwater?: number;
  provider_timeout?: string;
  global_timeout?: string;
}

/** The bitswap and libp2p connection counts' issues. */
export function countIssues(config: LassieRuleInput): PluginIssue[] {
  return [...negativeIssues(config), ...connectionIssues(config)];
}

/**
 * Timeouts at or below zero, which time.ParseDuration reads. buildLassieConfigFromCLIContext
 * (main.go) sets a global timeout only above 0; NewLassieConfig (pkg/lassie/lassie.go) turns a
 * provider timeout of 0 into its default 20s but keeps a negative one, and runRetrievalCandidate
 * (pkg/retriever/parallelpeerretriever.go) then gives each connection a deadline already past.
 */
export function timeoutIssues(config: LassieRuleInput): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const provider = config.provider_timeout === undefined ? undefined : goDurationMs(config.provider_timeout);
  if (provider !== undefined && provider < 0)
    issues.push({
      key: "provider_timeout",
      message:
        "is negative: lassie gives every provider connection a deadline already past, so every retrieval fails; " +
        "give a positive duration such as 20s",
    });
  if (provider === 0)
    issues.push({
      key: "provider_timeout",
      severity: "warning",
      message: "is 0, which lassie reads as its default 20s, not as no limit",
    });
  const global = config.global_timeout === undefined ? undefined : goDurationMs(config.global_timeout);
  if (global !== undefined && global < 0)
    issues.push({
      key: "global_timeout",
      severity: "warning",
      message: "is negative: lassie ignores it, as it does 0, and sets no time limit on a retrieval",
    });
  return issues;
}

// --- internal ---

/**
 * Negative bitswap counts, which urfave/cli's IntFlag reads: buildLassieConfigFromCLIContext
 * (main.go) uses them only above 0.
 */
function negativeIssues(config: LassieRuleInput): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const key of ["bitswap_concurrency", "bitswap_concurrency_per_retrieval"] as const) {
    if ((config[key] ?? 0) < 0)
      issues.push({ key, severity: "warning", message: "is negative: lassie ignores it and keeps its default" });
  }
  return issues;
}

/**
 * The libp2p connection counts. daemonAction (cmd/lassie/daemon.go:100-116) keeps libp2p's default
 * connection manager (160 low, 192 high: go-libp2p v0.46.0 defaults.go DefaultConnectionManager)
 * only while both are 0; as soon as either is not, it builds its own with NewConnManager(low, high),
 * the other one 0, and that function checks neither (connmgr.go:110-150). The manager never trims
 * while either mark is 0 (connmgr.go:462-465 getConnsToClose), and lassie's host has no resource
 * manager to limit connections instead (pkg/net/host/host.go: NullResourceManager), so one count
 * without the other leaves lassie with no limit at all. Lassie starts either way: warnings.
 */
function connectionIssues(config: LassieRuleInput): PluginIssue[] {
  const { libp2p_lowwater: low = 0, libp2p_highwater: high = 0 } = config;
  if ((low === 0) !== (high === 0)) {
    const [key, missing, mark, fallback] =
      low === 0
        ? (["libp2p_highwater", "libp2p_lowwater", "low", 160] as const)
        : (["libp2p_lowwater", "libp2p_highwater", "high", 192] as const);
    return [
      {
        key,
        severity: "warning",
        message:
          `is set without ${missing}: lassie then gives libp2p's connection manager a ${mark} water of 0 ` +
          `(not libp2p's default ${fallback}), and a manager with a mark at 0 never trims: nothing limits ` +
          `how many libp2p connections lassie keeps open; set ${missing} too, or neither for libp2p's 160 and 192`,
      },
    ];
  }
  // Both 0: libp2p's own manager (160 and 192).
  if (low === 0) return [];
  const trimmed = connManagerIssue(low, high, {
    low: "libp2p_lowwater",
    high: "libp2p_highwater",
    fix: "give counts with libp2p_lowwater below libp2p_highwater, or 0 for both (libp2p's 160 and 192)",
    grace: "first minute",
    silence: "10 seconds",
  });
  return trimmed ? [trimmed] : [];
}
