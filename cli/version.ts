import { version } from "../package.json";

/** Defined by build.ts when kitcfg is compiled; absent when it runs from source. */
declare const KITCFG_COMMIT: string | undefined;

/** kitcfg's version, from package.json. */
export const VERSION: string = version;

/** The git commit kitcfg was built from, written in by build.ts; "unknown" from source or without git. */
export const COMMIT: string = typeof KITCFG_COMMIT === "string" ? KITCFG_COMMIT : "unknown";
