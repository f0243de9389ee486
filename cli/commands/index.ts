import type { CommandDef } from "citty";

/** A command: its one-line summary for `kitcfg --help`, and its module, loaded only when it runs. */
export interface CommandEntry {
  summary: string;
  /** Shown under "Examples:" in the command's help. */
  examples?: string[];
  /** Left out of `kitcfg --help` (the completion helper). */
  hidden?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: citty types parsed arguments by definition; commands read them as given
  load: () => Promise<{ default: CommandDef<any> }>;
}

/** Every command, by name. Adding one is a file in this folder and a line here. */
export const COMMANDS: Record<string, CommandEntry> = {
  list: {
    summary: "List the daemons kitcfg knows",
    examples: ["kitcfg list", "kitcfg list --json"],
    load: () => import("./list.ts"),
  },
  status: {
    summary: "Show which daemons are configured and valid",
    examples: ["kitcfg status", "kitcfg --root /srv/node status --json"],
    load: () => import("./status.ts"),
  },
  show: {
    summary: "Print a daemon's configuration (secrets redacted)",
    examples: ["kitcfg show ipfs", "kitcfg show ipfs Addresses", "kitcfg show ipfs --flat | grep Swarm"],
    load: () => import("./show.ts"),
  },
  get: {
    summary: "Print one value, for scripts",
    examples: ["kitcfg get ipfs Addresses.API", "kitcfg get huggingface token --reveal"],
    load: () => import("./get.ts"),
  },
  set: {
    summary: "Set one key: kitcfg set DAEMON KEY VALUE",
    examples: [
      "kitcfg set ipfs Addresses.API /ip4/127.0.0.1/tcp/5001",
      'printf %s "$TOKEN" | kitcfg set huggingface token @-',
    ],
    load: () => import("./set.ts"),
  },
  unset: {
    summary: "Remove one key: kitcfg unset DAEMON KEY",
    examples: ["kitcfg unset huggingface endpoint"],
    load: () => import("./unset.ts"),
  },
  configure: {
    summary: "Write defaults where files are missing (all: every daemon)",
    examples: [
      "kitcfg configure all",
      "kitcfg configure ipfs --profile server --dry-run",
      "kitcfg configure s3 --set host_base=s3.example.com",
    ],
    load: () => import("./configure.ts"),
  },
  update: {
    summary: "Change keys: --set KEY=VALUE, --unset KEY",
    examples: [
      "kitcfg update huggingface --set offline=true",
      "kitcfg update ipfs --profile lowpower --dry-run",
      "kitcfg update huggingface --set token=@- < token.txt",
    ],
    load: () => import("./update.ts"),
  },
  edit: {
    summary: "Edit a daemon's main file in $EDITOR, checked before it is written",
    examples: ["kitcfg edit lotus", "EDITOR=nano kitcfg edit ipfs-cluster-follow --instance mycluster"],
    load: () => import("./edit.ts"),
  },
  validate: {
    summary: "Check configurations the way the daemons read them",
    examples: ["kitcfg validate", "kitcfg validate ipfs --json"],
    load: () => import("./validate.ts"),
  },
  keys: {
    summary: "List the keys a daemon takes, with type, default and doc",
    examples: ["kitcfg keys ipfs Addresses", "kitcfg keys s3 --json"],
    load: () => import("./keys.ts"),
  },
  schema: {
    summary: "Print the JSON Schema of a daemon's configuration",
    examples: ["kitcfg schema huggingface > hf.schema.json"],
    load: () => import("./schema.ts"),
  },
  profiles: {
    summary: "List a daemon's profiles",
    examples: ["kitcfg profiles ipfs"],
    load: () => import("./profiles.ts"),
  },
  env: {
    summary: "Print export lines for a shell",
    examples: ['eval "$(kitcfg env huggingface)"'],
    load: () => import("./env.ts"),
  },
  args: {
    summary: "Print a client's flags on one line",
    examples: ["ipfs-cluster-ctl $(kitcfg args ipfs-cluster-ctl) peers ls"],
    load: () => import("./args.ts"),
  },
  history: {
    summary: "List the versions kept of a daemon's files",
    examples: ["kitcfg history ipfs"],
    load: () => import("./history.ts"),
  },
  diff: {
    summary: "Diff versions in history against each other or the files now",
    examples: ["kitcfg diff ipfs", "kitcfg diff ipfs --from 20250101T1200 --to current"],
    load: () => import("./diff.ts"),
  },
  restore: {
    summary: "Put a version from history back (default: undo the last write)",
    examples: ["kitcfg restore ipfs --dry-run", "kitcfg restore ipfs 20250101T1200"],
    load: () => import("./restore.ts"),
  },
  plan: {
    summary: "Show what a desired-state file would change (exit 4: changes pending)",
    examples: ["kitcfg plan fleet.toml", "kitcfg plan - < fleet.json"],
    load: () => import("./plan.ts"),
  },
  apply: {
    summary: "Apply a desired-state file to every daemon it names, all or nothing",
    examples: ["kitcfg apply fleet.toml", "kitcfg apply fleet.toml --dry-run"],
    load: () => import("./apply.ts"),
  },
  repair: {
    summary: "Fix what the older tool got wrong in a daemon's files",
    examples: ["kitcfg repair all --dry-run", "kitcfg repair s3"],
    load: () => import("./repair.ts"),
  },
  plugin: {
    summary: "Start a plugin for a new daemon: plugin new NAME [--dir DIR]",
    examples: ["kitcfg plugin new node-exporter --dir ~/.config/kitcfg/plugins"],
    load: () => import("./plugin.ts"),
  },
  completion: {
    summary: "Print shell completion for bash, zsh or fish",
    examples: [
      "source <(kitcfg completion bash)   # in ~/.bashrc",
      "kitcfg completion fish > ~/.config/fish/completions/kitcfg.fish",
    ],
    load: () => import("./completion.ts"),
  },
  mcp: {
    summary: "Serve MCP on stdio (--http: Streamable HTTP) for AI agents",
    examples: ["kitcfg mcp", "kitcfg mcp --http --port 8765"],
    load: () => import("./mcp.ts"),
  },
  __complete: { summary: "Words for shell completion", hidden: true, load: () => import("./complete.ts") },
};
