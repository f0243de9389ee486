import type { PluginIssue } from "../core/plugin.ts";

/** How a plugin names the two counts of its libp2p connection manager, and what to write instead. */
export interface ConnManagerKeys {
  /** The low water's key (`Swarm.ConnMgr.LowWater`). */
  low: string;
  /** The high water's key. */
  high: string;
  /** What a sound pair looks like, ending each warning (`give a LowWater below HighWater`). */
  fix: string;
  /** How long a new connection is safe from a trim, as the warnings say it (`first minute`). */
  grace: string;
  /** How often the manager trims (`10 seconds`). */
  silence: string;
}

/**
 * What go-libp2p's BasicConnMgr makes of a low and a high water, which NewConnManager takes
 * unchecked (p2p/net/connmgr/connmgr.go): the daemon starts with any pair, so each odd one is a
 * warning saying what the manager then does, and a sound pair (both above 0, the low not above
 * the high) is undefined. Every silence period (10 s by default) the manager trims once the count
 * reaches the high water (`background`), only when above the low water, down to it, and only
 * among connections past their grace period (`getConnsToClose`: target = candidates - low); it
 * never trims while either mark is 0 ("disabled").
 */
export function connManagerIssue(low: number, high: number, keys: ConnManagerKeys): PluginIssue | undefined {
  const warn = (key: string, message: string): PluginIssue => ({
    key,
    severity: "warning",
    message: `${message}; ${keys.fix}`,
  });
  if (low < 0) {
    return warn(
      keys.low,
      `is negative (${low}): libp2p's connection manager then closes every connection past its ${keys.grace} ` +
        `${high < 0 ? `every ${keys.silence}` : `whenever ${high} are open`}, down to none`,
    );
  }
  if (high < 0) {
    return warn(
      keys.high,
      `is negative (${high}): libp2p's connection manager then trims every ${keys.silence}, whatever the ` +
        `count, back to ${keys.low} (${low}): the high water does nothing`,
    );
  }
  if (low === 0 || high === 0) {
    return warn(
      low === 0 ? keys.low : keys.high,
      "is 0: libp2p's connection manager never trims while either mark is 0, so it does not limit connections",
    );
  }
  if (low > high) {
    return warn(
      keys.low,
      `(${low}) is above ${keys.high} (${high}): libp2p's connection manager trims only above the low water, ` +
        "back to it, so the high water does nothing",
    );
  }
  return undefined;
}
