/**
 * The contract every text format implements. A format knows text and nothing about
 * daemons: it parses, stringifies, and edits text in place.
 */

/** A key path, one segment per level: `["API", "ListenAddress"]`. */
export type KeyPath = readonly string[];

/** One change to make to a document: set a key path to a value, or remove it. */
export type Change =
  | { readonly op: "set"; readonly path: KeyPath; readonly value: unknown }
  | { readonly op: "unset"; readonly path: KeyPath };

/** Layout choices for text a format writes from scratch or inserts into existing text. */
export interface FormatStyle {
  /** Indent unit for nested structures (JSON: spaces per level; TOML: keys under a table). */
  indent?: number | string;
  /** End the file with a newline (Go's encoder writes none; most tools do). */
  trailingNewline?: boolean;
  /** JSON: escape `<`, `>` and `&` as `\u003c` and so on, as Go's encoder does. */
  escapeHtml?: boolean;
  /** TOML/INI: on unset, comment the line out (`#Key = value`) instead of removing it. */
  commentOnUnset?: boolean;
  /** INI: the separator between key and value on new lines, e.g. `" = "` or `"="`. */
  separator?: string;
  /**
   * TOML: the daemon has no float settings, so a whole number replacing a float literal
   * (`5.0`) is written as an integer; by default it stays a float, as the file had it.
   */
  noFloats?: boolean;
}

/**
 * Where a daemon reads a file more loosely than its format's rules, declared on the file
 * (`FileSpec.reading`) so that kitcfg reads the file as the daemon does.
 */
export interface FormatReading {
  /**
   * JSON: the daemon reads the object (or array) and leaves the text after its closing
   * bracket unread, as Go's `json.Decoder.Decode` reads one value from a stream (Go's
   * `json.Unmarshal` and Python's `json.load` refuse such a file). `parse` then reads the
   * document before that text, `edit` keeps the text byte for byte, and `unread` says
   * where it starts. The document itself must still be JSON.
   */
  ignoresTrailingText?: boolean;
  /**
   * INI: the daemon reads every section as one, the name given here: each `key = value` line
   * wherever it stands, a key's last line in the file giving its value (a reader that skips
   * section headers). `parse` then gives one object of keys, a section named like a key
   * above it being no conflict; `edit` sets a key's last line, or adds the key to this
   * section, and unsets each line of it; `stringify` writes the keys under this section.
   */
  oneSection?: string;
  /**
   * TOML: the daemon's decoder lets a table that was defined only implicitly be defined
   * once more: a `[header]` may open a table that dotted keys created (`a.b = 1` then `[a]`),
   * or a sub-table that a header or dotted keys created on the way (`[a]`, `b.c = 1`, then
   * `[a.b]`), and dotted keys may add to an inline table (`a = {b = 1}` then `a.c = 2`); the
   * keys of both go into the one table. A table stops being implicit once defined again, so
   * a second definition still refuses, as do a header twice and a header after an inline
   * table. TOML 1.0 refuses all of these. `parse`, `edit` (which reads its result back so)
   * and `entries` read the file so.
   */
  reopensImplicitTables?: boolean;
}

/** How a format names a mapping and a list, in messages about a file's content ("a table"). */
export interface TypeNouns {
  object: string;
  list: string;
}

/** How `Format.edit` is called. */
export interface EditOptions {
  /**
   * The caller has parsed `text`, and parses the result and compares it with the value it
   * meant: the editor may skip reading the whole text again (a big file is then read once).
   */
  checked?: boolean;
}

/** A text format. Every function is pure: text and values in, text or values out. */
export interface Format {
  /**
   * Parse a whole document.
   * @throws ParseError with 1-based `line` and `column` when the text is malformed.
   */
  parse(text: string): unknown;
  /** Write a value as a new document, in the given style. */
  stringify(value: unknown, style?: FormatStyle): string;
  /**
   * Apply `changes`, in order, to existing `text`, leaving every byte that the changes do
   * not concern exactly as it was: comments, key order, indentation, blank lines, CRLF.
   * The caller parses the result again and compares it with the intended value.
   * @throws KitcfgError (`EDIT_FAILED`) when a change cannot be made in place.
   * @throws ParseError when `text` itself is malformed.
   */
  edit(text: string, changes: readonly Change[], style?: FormatStyle, options?: EditOptions): string;
  /**
   * Every string value (and quoted key) in `text`, where it is spelled and what it reads
   * as, for redacting secrets whatever their spelling (`\u003c`, `\$`, quotes).
   * @throws ParseError when `text` is malformed (callers then redact the text as text).
   */
  strings?(text: string): StringSpan[];
  /**
   * For a format whose strings never span a line break: every string value (and quoted
   * key) in `text`, whole lines of a document that parses (a part of it from a line start
   * to a line end will do), as `strings` lists them. Lets redaction of a small change to a
   * big file read only the lines its diff shows.
   */
  lineStrings?(text: string): StringSpan[];
  /**
   * For a format whose parser lets a later duplicate key win: every key's value as the text
   * holds it, the ones `parse` drops included, so that a secret a later line shadows is
   * still known as one. For a format read with `ignoresTrailingText`: the values in the text
   * after the document, which `parse` leaves out. For TOML: every value by its full path, so
   * that a secret's key under another table is known by its last segments.
   * @throws ParseError when `text` is malformed.
   */
  entries?(text: string): { path: string[]; value: string }[];
  /**
   * What `after`, an edit of `before`, parses to, read from the part the edit changed:
   * `beforeValue` is what `parse(before)` gave, and the parts of `after` the edit left alone
   * come back as its own values. For comparing the result of an edit with the value meant,
   * as a whole parse would, at the cost of the change rather than of the document.
   * Undefined when the changed part does not tell: the caller then parses `after` whole.
   */
  parseEdited?(before: string, beforeValue: unknown, after: string): { value: unknown } | undefined;
  /**
   * For a format whose reader skips a line it cannot read (and warns) rather than refusing
   * the file: the 1-based numbers of those lines, which `parse` leaves out.
   */
  skipped?(text: string): number[];
  /** How this format names a mapping and a list in messages; JSON's words ("a JSON object") otherwise. */
  nouns?: TypeNouns;
  /**
   * The format as read with `reading` (see `FormatReading`); absent when no reading
   * changes it. Called once per reading: the format loader keeps what it gives.
   */
  reading?(reading: FormatReading): Format;
  /**
   * For a format read with `ignoresTrailingText`: the 1-based line where the text after the
   * document starts, in a text that parses; undefined when only blanks follow the document.
   */
  unread?(text: string): number | undefined;
}

/** A string in a document's text: `text.slice(start, end)` is its spelling, `value` what it reads as. */
export interface StringSpan {
  start: number;
  end: number;
  value: string;
}

/** The formats kitcfg knows. */
export type FormatName = "json" | "toml" | "ini" | "env" | "text";
