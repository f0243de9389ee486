/**
 * Defaults a session needs before it knows whether it will write: kept apart from the
 * modules that use them (history.ts, lock.ts), so that opening a session for a read does
 * not load the write path.
 */

/** How many versions of each file are kept unless configured otherwise. */
export const DEFAULT_RETENTION = 50;

/** How long a writer waits for another one by default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
