import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { Kit } from "./kit.ts";
import { listenClashesOf } from "./listens.ts";
import type { Config, PluginIssue } from "./plugin.ts";
import { readSnapshot } from "./snapshot.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";

// Issues between daemons, for commands that plan some of them (apply, update): the plugins'
// checks across daemons and the sockets two of them would both listen on.

/**
 * The issues between daemons that the `planned` configurations bring: run on them and on the
 * current configurations of every other configured daemon and instance of `targets` (all of
 * them, ops.ts `allTargets`), less the ones the current configurations already have.
 */
export async function crossIssuesBrought(
  kit: Kit,
  planned: readonly { target: Target; config: Config; before?: Config }[],
  targets: readonly Target[],
): Promise<CrossFound[]> {
  const current = new Map<string, { target: Target; config: Config }>();
  for (const target of targets) {
    // A planned daemon's current configuration is the one its plan was made from: not read again.
    const plannedFrom = planned.find((entry) => entry.target.label === target.label)?.before;
    if (plannedFrom !== undefined) {
      current.set(target.label, { target, config: plannedFrom });
      continue;
    }
    try {
      const snapshot = await readSnapshot(target);
      if (snapshot.configured && !snapshot.files.some((f) => f.error && !f.file.spec.derive))
        current.set(target.label, { target, config: snapshot.config });
    } catch (error) {
      if (!(error instanceof KitcfgError)) throw error; // a daemon whose files cannot be read has nothing to compare
    }
  }
  const before = crossIssues(kit, [...current.values()]);
  const next = new Map(planned.map((entry) => [entry.target.label, entry]));
  for (const [label, entry] of current) if (!next.has(label)) next.set(label, entry);
  return crossIssues(kit, [...next.values()]).filter(
    (found) =>
      !before.some(
        (old) =>
          old.owner === found.owner && old.issue.key === found.issue.key && old.issue.message === found.issue.message,
      ),
  );
}

/**
 * Whether a change of `target` alone is looked at against the other daemons: its plugin
 * declares sockets or has checks across daemons (every built-in daemon another's check needs
 * has sockets). Else no other daemon need be read for it.
 */
export function concernsOthers(target: Target): boolean {
  return target.plugin.listens !== undefined || (target.plugin.checks?.length ?? 0) > 0;
}

/** An issue between daemons: the daemon it is about, and the other daemons (or instance) it names. */
export interface CrossFound {
  owner: string;
  needs: string[];
  /** For a socket two daemons listen on: the other one. */
  other?: string;
  issue: Issue;
}

/**
 * Every issue of every check whose daemons are all present, with the check's owner, and
 * every socket two of the daemons (or instances) would both listen on.
 */
export function crossIssues(kit: Kit, entries: { target: Target; config: Config }[]): CrossFound[] {
  const configs: Record<string, Config> = {};
  for (const entry of entries) configs[entry.target.plugin.name] ??= entry.config;
  const found: CrossFound[] = listenClashesOf(entries).map(({ owner, other, issue }) => ({
    owner,
    other,
    needs: [],
    issue: { ...issue, message: kit.redact(issue.message) },
  }));
  for (const { target, config } of entries) {
    for (const check of target.plugin.checks ?? []) {
      if (!check.needs.every((name) => configs[name])) continue;
      // Each instance is checked as itself.
      let issues: PluginIssue[];
      try {
        issues = callPlugin(target.loaded, "checks", () =>
          check.run({ ...configs, [target.plugin.name]: config }, target.ctx),
        );
      } catch (error) {
        // A plugin's check that fails is reported as an error of its daemon, not a failed run.
        if (!(error instanceof KitcfgError)) throw error;
        const issue: Issue = { key: "", message: kit.redact(error.message), severity: "error", daemon: target.label };
        found.push({
          owner: target.label,
          needs: check.needs,
          issue: error.file ? { ...issue, file: error.file } : issue,
        });
        continue;
      }
      for (const i of issues) {
        const issue: Issue = {
          key: i.key,
          message: kit.redact(i.message),
          severity: i.severity ?? "error",
          daemon: target.label,
        };
        found.push({ owner: target.label, needs: check.needs, issue });
      }
    }
  }
  return found;
}
