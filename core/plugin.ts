import type { GenericSchema, InferInput } from "valibot";
import type { Issue } from "./errors.ts";
import type { Change, FormatName, FormatReading, FormatStyle } from "./formats/types.ts";

/** A daemon's whole configuration as kitcfg sees it: every file mounted at its key prefix. */
export type Config = Record<string, unknown>;

/** What a plugin's functions are given: where things are, never the disk itself. */
export interface PluginContext {
  /** The environment the daemon itself would read (its home or config-path variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The home folder: the real one, or the root given with `--root`. */
  readonly home: string;
  /** The root given with `--root` / `KITCFG_ROOT`, if any. */
  readonly root?: string;
  /** The instance name, for plugins with several (one folder per instance). */
  readonly instance?: string;
  /** This machine's host name (some daemons name their peer after it). */
  readonly hostname: string;
  /** Resolved absolute paths of this plugin's files, by file key (empty while resolving). */
  readonly paths: Readonly<Record<string, string>>;
  /** Put a path under the root and expand `~`, as the core does for `files[*].path`. */
  resolve(path: string): string;
  /**
   * A path as the daemon will read it, for paths written into file contents (a cache
   * folder, a token file): without a root, absolute with `~` expanded; with `--root`, as
   * given (`~/.cache/x` stays so, for the daemon's own home), never with the root's prefix,
   * so files built under a root for an image or container work there. Give it the path
   * before `resolve`.
   */
  daemonPath(path: string): string;
  /** Read a file the plugin needs to look at (a daemon's `api` file); undefined if absent. */
  readText(path: string): string | undefined;
  /**
   * The names in a folder (a daemon's folder of instances), sorted, "." and ".." left out;
   * undefined when there is no folder there that can be read.
   */
  listDir(path: string): string[] | undefined;
  /** Whether anything is at `path` (symlinks followed), such as an instance's main file. */
  exists(path: string): boolean;
  /**
   * What is at `path` (symlinks followed): "socket" for a daemon's unix socket, "file",
   * "folder", or "other" (a FIFO, a device); undefined when nothing is there.
   */
  fileKind(path: string): "file" | "folder" | "socket" | "other" | undefined;
  /**
   * Whether some process holds a lock (flock, POSIX or OFD) on the file at `path`, such as a
   * running daemon's repo lock. Read from the kernel's lock table without opening the file,
   * so the holder's lock is never taken or disturbed. False when the file does not exist;
   * undefined when this system cannot tell (no /proc/locks).
   */
  isLockHeld(path: string): boolean | undefined;
}

/** One file of a daemon's configuration. */
export interface FileSpec<C extends Config = Config> {
  /**
   * Where the file lives, honouring the variables the daemon itself reads. A string may
   * start with `~`; a function gets the context (its `paths` are still empty then).
   * The core puts the result under `--root` when one is given.
   */
  path: string | ((ctx: PluginContext) => string);
  /** How the file is written: the core loads the matching parser. */
  format: FormatName;
  /**
   * Where the daemon reads the file more loosely than `format`'s rules (text after a JSON
   * document, which Go's `json.Decoder` leaves unread): kitcfg then reads it so too, keeps
   * what the daemon ignores, and `validate` warns about it. Default: the format's rules.
   */
  reading?: FormatReading;
  /**
   * Key prefix where this file sits in the logical config; omitted or "" for the root. A
   * mounted file may be missing (a token file before login): its keys are then absent.
   */
  mount?: string;
  /**
   * Mode for a new file. Default: 0o600 if it holds a secret, else 0o644. For a secret
   * file it is also the policy `validate` holds the file to: 0o640 lets the daemon's group
   * read it (a daemon that runs as its own user in the owner's group), anything wider is
   * reported; with no mode, a secret file readable by anyone but its owner is.
   */
  mode?: number;
  /**
   * Mode for the file's folder when kitcfg creates it. Default: 0o700 when a secret file of
   * the daemon lives in it, else 0o755. (A daemon may keep a secret file 0600 in a 0755 folder.)
   */
  dirMode?: number;
  /**
   * The file holds secret values: created 0600 in a 0700 folder. A file is also secret when
   * a secret key path falls inside its mount; a derived file may say `false` to declare that
   * its computed content holds none (a version file beside a config that holds a key).
   */
  secret?: boolean;
  /** Layout for text kitcfg writes into this file. */
  style?: FormatStyle;
  /** Text placed before the content when the file is created (comments). */
  header?: string;
  /**
   * The text a new file starts from instead of `header` + the stringified content: the
   * daemon's own commented default file. The content is edited into it, so when the
   * defaults equal what the template parses to, `configure` writes it byte for byte.
   * While the file on disk is still exactly the template plus edits kitcfg can reproduce,
   * every change is applied to the template afresh, so an unset key gets the template's
   * own line back (a commented default stays the documented default).
   */
  template?: (ctx: PluginContext) => string;
  /**
   * Turn the parsed file into its part of the logical config (a `True` in the file into `true`).
   * Runs after every read. Default: identity.
   */
  decode?: (raw: unknown, ctx: PluginContext) => unknown;
  /**
   * Turn a logical part back into what the file holds. `previous` is what the file held
   * before (undefined for a new file), so keys can stay where they were. Default: identity.
   */
  encode?: (value: unknown, previous: unknown, ctx: PluginContext) => unknown;
  /**
   * For a file computed from the configuration (an env file for systemd): its content.
   * Such a file is never read as a source; it is rewritten whenever it disagrees.
   */
  derive?: (config: C, ctx: PluginContext) => unknown;
}

/** An issue as a plugin reports it; severity defaults to "error". */
export interface PluginIssue {
  key: string;
  message: string;
  severity?: Issue["severity"];
  /**
   * The environment variables whose values the issue judges, for a daemon that reads variables
   * over its file at start: the issue is then this environment's, not the file's, and an update
   * that refuses over it says which variable to correct rather than which key to set.
   */
  variables?: string[];
}

/** What `kitcfg keys` shows of one key beyond its type. */
export interface KeyDoc {
  /** One line, in kitcfg's words, after the daemon's documentation. */
  doc?: string;
  /** The daemon's default when the key is absent from the file. */
  default?: unknown;
}

/** A named set of changes, such as a daemon's "server" profile. */
export interface Profile<C extends Config = Config> {
  summary: string;
  /**
   * Only for a configuration being written for the first time (`configure --profile`),
   * such as a profile that picks a storage backend: `update --profile` refuses it on an existing one.
   */
  initOnly?: boolean;
  /**
   * Picks new values each time it is applied (a random free port): a desired state, applied
   * again and again, takes it only when the configuration is first written.
   */
  random?: boolean;
  /** The configuration with the profile applied; data in, data out. */
  apply: (config: C, ctx: PluginContext) => C;
}

/** A check that looks at several daemons' configurations at once. */
export interface CrossCheck {
  /** The other daemons this check needs (by plugin name); it is skipped if one is absent. */
  needs: string[];
  /**
   * Issues, each about a key of this plugin's daemon, whose message reads after it as any
   * issue's does (`is 8080, but acme-server "port" is 9090: ...`) and names the other
   * daemon's key. kitcfg adds the daemon and the key (`acme-client: "server": is 8080, ...`).
   */
  run: (configs: Record<string, Config>, ctx: PluginContext) => PluginIssue[];
}

/**
 * A socket a daemon listens on when it starts, as `listens` reports it. The core compares
 * every configured daemon's (and instance's) sockets with Linux's bind rules: the same TCP
 * or UDP port (not 0) on the same IP, or on a wildcard (0.0.0.0, ::) of the family, or one
 * unix socket path. A /dns* host, an /ip6zone and anything Go cannot listen on are not judged.
 */
export interface Listener {
  /** The key that sets it (a dotted path), or "" for a socket no key sets (then `name` says which). */
  key: string;
  /**
   * Where it listens, as a multiaddr; only its head is read, as go-multiaddr's manet.DialArgs
   * reads it: `/ip4/127.0.0.1/tcp/5001`, `/ip6/::/udp/4001/quic-v1`, `/unix/run/api.sock`.
   */
  address: string;
  /** What it is, for a socket no key sets, without an article: "REST API socket". */
  name?: string;
  /**
   * The daemon hands Go's net.Listen the network "tcp" or "udp" (a `host:port` it formats
   * itself) rather than manet's "tcp4"/"tcp6": on a wildcard address (0.0.0.0 or ::) Go then
   * opens one IPv6 socket with IPV6_V6ONLY off, which takes the port on every IPv4 address too.
   * Default false: manet.Listen's /ip6/:: socket is IPv6 only, and its /ip4/0.0.0.0 one IPv4 only.
   */
  dualStack?: boolean;
  /**
   * Opened with SO_REUSEPORT (a libp2p TCP transport): two such sockets on one port both bind
   * (the kernel hands each new connection to either), where any other pair clashes.
   */
  reusePort?: boolean;
  /**
   * The daemon starts even when it cannot listen here (a libp2p swarm address: the swarm fails
   * only when it listens on none). Default false: a clash here stops the daemon started second.
   */
  optional?: boolean;
  /**
   * The sockets of one network host that shares them between its addresses (QUIC and
   * WebTransport on one UDP port) carry one name: the core never compares them with each other.
   */
  host?: string;
  /**
   * When the daemon listens on `address` only once it has rewritten what its file holds (an
   * older file it upgrades before it starts): the address as the file holds it, which a clash
   * names so that the user can find it, and `why` it is listened on as `address`, read after
   * "… is listened on as ADDRESS:". Sockets are compared on `address` alone.
   */
  written?: { address: string; why: string };
  /**
   * The environment variable that gave `address`, for a daemon that reads variables over its file
   * at start: a clash names it beside the address, and its issue lists it (`Issue.variables`).
   */
  variable?: string;
}

/** Everything kitcfg knows about one daemon. Build one with `definePlugin`. */
export interface Plugin<C extends Config = Config> {
  /** kebab-case name used on the command line: `acme`, `acme-server`. */
  name: string;
  /** One line shown by `kitcfg list`. */
  summary: string;
  /** Other accepted names (the older tool's underscore spellings). */
  aliases?: string[];
  /** The files that make up the configuration, by key. The first root file is the main one. */
  files: Record<string, FileSpec<C>>;
  /**
   * valibot schema of the logical config; drives `--set` coercion and validation. An integer past
   * 2^53 (in a JSON or TOML file, or given to `--set`) arrives as a bigint with every digit, never
   * a rounded number: a field that may hold one takes `v.union([v.number(), v.bigint()])`.
   */
  schema: GenericSchema;
  /** Key paths whose values never leave kitcfg in clear; `*` matches any one key. */
  secrets?: string[];
  /**
   * The daemon reads its config with Go's encoding/json: a key names the object field it
   * equals but for case, and keys that name no field are ignored. Then `--set` takes any case
   * of a field and writes to the spelling the file already uses (else the schema's); `validate`
   * checks a differently cased key as the field it stands for, warns that it is spelled
   * differently, and warns about keys the daemon ignores. Record (map) keys stay exact.
   * `"lookup"`, for a daemon whose decoder reads every spelling of a field and keeps either
   * (BurntSushi/toml): `get`, `set`, `unset` and `keys` match keys so, but `validate` leaves the
   * configuration as written to the plugin's own checks, which judge each spelling.
   */
  caseInsensitiveKeys?: boolean | "lookup";
  /** What a fresh install writes: what the daemon itself would write. Runs on `configure`. */
  defaults: (ctx: PluginContext) => C | ReadonlyDeep<C> | Promise<C | ReadonlyDeep<C>>;
  /** Checks beyond the schema, run after it passes for the keys concerned. */
  validate?: (config: C, ctx: PluginContext) => PluginIssue[] | Promise<PluginIssue[]>;
  /**
   * The configuration after `changes`. Runs on every update; the default applies each
   * dotted-path set or unset in order. Override only where a change implies others, and
   * call `next` (the default) for the part that is a plain set or unset:
   * `update: (config, changes, ctx, next) => withDerived(next(config, changes))`.
   */
  update?: (config: C, changes: readonly Change[], ctx: PluginContext, next: UpdateNext<C>) => C;
  /** Environment variables that give the daemon this configuration (`kitcfg env`). */
  env?: (config: C, ctx: PluginContext) => Record<string, string>;
  /** Command-line flags that give a client this configuration (`kitcfg args`). */
  args?: (config: C, ctx: PluginContext) => string[];
  /**
   * One line of the daemon's own documentation per dotted key path, and the daemon's
   * built-in default where the written defaults leave a key out (a commented default line).
   * Runs only for `kitcfg keys`; may be large, so keep it a function.
   */
  keyDocs?: () => Record<string, KeyDoc>;
  /** Named profiles (`configure --profile NAME`, `update --profile NAME`). */
  profiles?: Record<string, Profile<C>>;
  /** Several configurations side by side, one per instance name. */
  instances?: {
    /** The instance used when none is given. */
    default: string;
    /** Instance names found on disk. */
    list: (ctx: PluginContext) => string[];
  };
  /**
   * Public facts about this configuration that other hosts need (a peer id, listen
   * addresses, a fingerprint of a shared secret), by fact name. Runs after `kitcfg plan` /
   * `apply` on the planned or written configuration, whose every daemon's facts `--json`
   * reports. Return JSON values only and never a secret: the core replaces any secret value
   * it still finds with `<redacted>`, but a fact derived from a secret (a hash) is the
   * plugin's to make safe. Keys the configuration lacks are `null`, not left out.
   */
  facts?: (config: C, ctx: PluginContext) => Record<string, unknown>;
  /**
   * The sockets the daemon listens on when it starts with this configuration (defaults
   * included where the file leaves a key out); none for a client. Runs with every validation:
   * the core refuses two of the daemon's own sockets that clash, and `validate` (all daemons),
   * `plan` and `apply` compare every configured daemon's and instance's sockets with each other.
   */
  listens?: (config: C, ctx: PluginContext) => Listener[];
  /**
   * Key paths (dotted) the daemon does not read with this configuration, as when a setting
   * makes it load its configuration from elsewhere, or a later member of the file replaces
   * what is written there: the schema's issues under them are left out, so that `validate`
   * refuses nothing the daemon never looks at (`validate` here says what the daemon does with
   * them instead). May be async (a reading of the file's text, `readJsonAsGo`).
   */
  unread?: (config: C, ctx: PluginContext) => string[] | Promise<string[]>;
  /** Checks across daemons, run by `validate` when every daemon they need is present. */
  checks?: CrossCheck[];
  /** A note that the daemon is running and must restart to see a change; undefined if not. */
  running?: (ctx: PluginContext) => string | undefined;
  /**
   * Fix, as text, what the older Python tool got wrong in this daemon's
   * files. Given each file's text by file key (undefined for a missing file), return the
   * texts to write (only files that change) and one line per fix. Runs on `kitcfg repair`;
   * the core turns the result into a reviewable plan, validates it, and keeps the old
   * files in history. Return no texts when there is nothing to repair.
   */
  repair?: (texts: Readonly<Record<string, string | undefined>>, ctx: PluginContext) => RepairResult;
}

/** What a plugin's `repair` found and fixed. */
export interface RepairResult {
  /** New text per file key, for the files that change. */
  texts: Record<string, string>;
  /** One line per fix, e.g. "moved the keys before [default] into a [default] section". */
  fixes: string[];
  /**
   * Settings to make once the texts are taken, by dotted key path, with typed values, as an
   * update would: a repair that moves a value to where it belongs says where, and the core
   * edits it into the file in the file's own format (a commented default is uncommented).
   */
  set?: Record<string, unknown>;
}

/** The default `update`: each dotted-path set or unset in order, on a copy. */
export type UpdateNext<C extends Config = Config> = (config: C, changes: readonly Change[]) => C;

/**
 * The config type a valibot schema describes, as plugin functions receive it: as the file
 * holds it, the schema's input (an optional key may be absent, whatever default the schema
 * gives it; a value a transform reads is still its text), not what parsing would make of it.
 */
export type ConfigOf<S extends GenericSchema> = InferInput<S> extends Config ? InferInput<S> : Config;

/**
 * A value whose lists are read-only at every depth: what `defaults` may return
 * (a literal `[]` is typed `readonly []`).
 */
export type ReadonlyDeep<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyDeep<U>[]
  : T extends object
    ? { [K in keyof T]: ReadonlyDeep<T[K]> }
    : T;

/**
 * Give a plugin object its types. The config type comes from the schema, so the functions
 * get typed configs with no type argument. It returns its argument unchanged: the registry checks the shape when it
 * loads the file.
 */
export function definePlugin<const S extends GenericSchema>(
  plugin: Plugin<ConfigOf<S>> & { schema: S },
): Plugin<ConfigOf<S>> {
  return plugin;
}

/** Names of the functions a plugin may define, checked by the registry. */
export const PLUGIN_FUNCTIONS = [
  "defaults",
  "validate",
  "update",
  "env",
  "args",
  "facts",
  "running",
  "repair",
  "keyDocs",
  "listens",
  "unread",
] as const;
