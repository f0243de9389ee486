import type { Format, FormatName } from "./types.ts";

export type { Change, Format, FormatName, FormatStyle, KeyPath } from "./types.ts";

/** Each format's module, loaded on first use so a command pays only for the parsers it needs. */
const FORMAT_LOADERS: Record<FormatName, () => Promise<{ format: Format }>> = {
  json: () => import("./json.ts"),
  toml: () => import("./toml.ts"),
  ini: () => import("./ini.ts"),
  env: () => import("./env.ts"),
  text: () => import("./text.ts"),
};

/** The names of every known format. */
export const FORMAT_NAMES = Object.keys(FORMAT_LOADERS) as FormatName[];

/** Load a format by name. */
export async function loadFormat(name: FormatName): Promise<Format> {
  const loader = FORMAT_LOADERS[name];
  if (!loader) throw new Error(`Unknown format "${name}"`);
  return (await loader()).format;
}
