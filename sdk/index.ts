/**
 * The plugin SDK: everything a plugin file needs, served to user plugins as `"kitcfg"`
 * and used by the built-in plugins too, so both are written with the same kit.
 *
 * - the contract: `definePlugin` (types inferred from the valibot schema), valibot as `v`,
 *   and the types of every hook;
 * - dotted key paths: `getAt`, `setAt`, `unsetAt`, `sectionAt`, `parseKeyPath`, and the
 *   default `update` (`applyPathChanges`) that a plugin's own `update` gets as `next`;
 * - the value syntaxes of the IPFS world: Go durations and byte sizes, multiaddrs, libp2p
 *   identities (generate, derive the peer ID, verify), as checks and as valibot schemas
 *   (`goDuration()`, `byteSize()`, `multiaddr()`, `peerId()`, `port()`);
 * - errors (`KitcfgError`), and `expandVars` (Go's rules) and `pythonExpandVars` (Python's)
 *   for paths the daemon builds from variables;
 * - `nonUtf8Problem`, where a file's text holds a byte that is not UTF-8 (kitcfg keeps such
 *   bytes exact), for a daemon that refuses them;
 * - `parsePythonLiteral`, for values the older Python tool (ipfs_kit_py) wrote as reprs, and
 *   `pythonStrip`, Python's `str.strip()` (its whitespace is not JavaScript's);
 * - `tomlFloats`, the numbers a TOML text writes as floats, which a Go decoder tells from integers,
 *   and `goTomlValueProblems`, values a Go TOML decoder refuses whole (`1e400`, `1979-02-30`);
 * - `goJsonNulls`, a JSON value as Go's encoding/json reads its nulls (a null member is a missing one),
 *   `writtenJsonNumbers`, numbers as a JSON text writes them (`10.0`, 9223372036854775807), and
 *   `GO_INTEGER_RANGES`, the values of Go's int64, uint64 and uint32 to judge them by, and
 *   `goJsonTextProblem`, a text Go's encoding/json refuses whole (a byte-order mark), and `readJsonAsGo`,
 *   a JSON text as Go decodes it where its parse says otherwise (a key given twice), with `goRawJson`,
 *   `goJsonMap`, `goPointer` and `goDecoder` to mark the schema's json.RawMessage fields, maps of named
 *   keys, pointers and types that decode themselves;
 * - `swarmListeners`, the sockets a libp2p host's listen addresses take, for a plugin's `listens`,
 *   and `connManagerIssue`, what libp2p's connection manager makes of an odd pair of counts;
 * - `readGoEnv`, what kelseyhightower/envconfig's `Process` makes of the environment for a Go
 *   struct (each field a variable sets, read into its Go type, and each variable refused), with
 *   `goEnvVariable` (a field's variable name), `readGoText` and `parseGoInteger` (strconv's rules).
 */
import * as v from "valibot";

export { v };
export { definePlugin } from "../core/plugin.ts";
export type {
  Config,
  ConfigOf,
  CrossCheck,
  FileSpec,
  KeyDoc,
  Listener,
  Plugin,
  PluginContext,
  PluginIssue,
  Profile,
  RepairResult,
  UpdateNext,
} from "../core/plugin.ts";
export type { Change, FormatName, FormatReading, FormatStyle, KeyPath } from "../core/formats/types.ts";
export { KitcfgError } from "../core/errors.ts";
export { expandVars, pythonExpandVars } from "../core/paths.ts";
export { deepEqual, formatKeyPath, goFoldKey, isPlainObject, parseKeyPath } from "../core/keypath.ts";
export { applyPathChanges } from "../core/update.ts";
export { getAt, sectionAt, setAt, stringsOf, unsetAt } from "./paths.ts";
export type { KeyPathLike } from "./paths.ts";
export { createPluginContext } from "./context.ts";
export type { CreatePluginContextOptions } from "./context.ts";
export { urlCheck } from "../core/schema.ts";
export { byteSize, goDuration, multiaddr, peerId, port } from "./schemas.ts";
export {
  formatGoDuration,
  goDurationMs,
  goDurationNs,
  goTrimSpace,
  isByteSize,
  isGoDuration,
  parseByteSize,
} from "./go.ts";
export {
  allowlistProblem,
  dialArgs,
  dialNetwork,
  ipFamily,
  isAddressMask,
  isListenable,
  isMultiaddr,
  multiaddrProblem,
  multiaddrProtocols,
  tcpEndpoint,
  trimMultiaddr,
} from "./multiaddr.ts";
export { swarmListeners } from "./listen.ts";
export type { SwarmListenOptions } from "./listen.ts";
export {
  checkIdentity,
  decodeBase58,
  encodeBase58,
  generateIdentity,
  decodesAsPeerId,
  isPeerId,
  marshalPrivateKey,
  newIdentity,
  peerIdOf,
  primeIdentities,
} from "./libp2p.ts";
export type { Identity, IdentityCheck } from "./libp2p.ts";
export { connManagerIssue } from "./connmgr.ts";
export type { ConnManagerKeys } from "./connmgr.ts";
export { parseGoUrl } from "./go-url.ts";
export type { GoUrl } from "./go-url.ts";
export { parsePythonLiteral, PythonFloat } from "./python-literal.ts";
export { pythonStrip } from "../core/_python-space.ts";
export { nonUtf8Problem } from "../core/_escaped-bytes.ts";
export { goTomlValueProblems, tomlFloats } from "./toml.ts";
export { GO_INTEGER_RANGES, goJsonNulls, goJsonTextProblem, writtenJsonNumbers } from "./go-json.ts";
export type { WrittenNumber } from "./go-json.ts";
export { goDecoder, goJsonMap, goPointer, goRawJson } from "../core/_go-json-marks.ts";
export type { GoJsonReading } from "../core/_fold-json-text.ts";
export { readJsonAsGo } from "../core/_read-as-daemon.ts";
export type { ReadJsonAsGoOptions } from "../core/_read-as-daemon.ts";
export { goEnvVariable, parseGoInteger, readGoEnv, readGoText } from "./go-env.ts";
export type {
  GoEnvField,
  GoEnvReading,
  GoEnvRefusal,
  GoEnvSegment,
  GoEnvTags,
  GoEnvText,
  GoEnvType,
  GoEnvValue,
} from "./go-env.ts";
