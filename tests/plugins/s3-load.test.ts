import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, hasTool, kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary several times; a loaded machine takes seconds for that.
setDefaultTimeout(60_000);

// Load-time rules of s3cmd 2.3.0 (tests/fixtures/FORMATS.md, "Load-time rules: s3cmd"): each
// refused case is checked three ways: `update --set` refuses it (exit 1, file byte-identical),
// the same line written by hand fails `validate`, and the real s3cmd refuses the file too.
// Without s3cmd installed, kitcfg's side of each test runs and s3cmd's is skipped, with a notice.
const S3CMD = hasTool("s3cmd", "the real s3cmd's side of the s3cmd load-time rule tests");

let root: string;
let cleanup: () => void;
let file: string;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  file = join(root, ".s3cfg");
});
afterEach(() => cleanup());

const KEYS = "[default]\naccess_key = AKIAKITCFGTEST\nsecret_key = kitcfgsecret\n";

/** The real s3cmd on a file: its exit code, its dump of the options and what it printed on stderr. */
function s3cmd(
  path: string,
  env: Record<string, string> = {},
): { code: number; dump: Map<string, string>; stderr: string } {
  const ran = Bun.spawnSync(["s3cmd", "-c", path, "--dump-config"], {
    env: cleanEnv(root, env),
    stdout: "pipe",
    stderr: "pipe",
  });
  const dump = new Map<string, string>();
  for (const line of ran.stdout.toString().split("\n")) {
    const match = /^(\w+) = (.*)$/.exec(line);
    if (match) dump.set(match[1]!, match[2]!);
  }
  return { code: ran.exitCode ?? -1, dump, stderr: ran.stderr.toString() };
}

/** [what, --set arguments, upstream rule (file and function)] */
const REFUSED: [string, string[], string][] = [
  ["a boolean s3cmd cannot read", ["use_https=maybe"], "S3/Config.py update_option: must be Yes or No"],
  ["an empty boolean", ["use_https="], "S3/Config.py update_option: must be Yes or No"],
  ["a boolean as a number", ["check_ssl_certificate=2"], "S3/Config.py update_option + BaseUtils.is_bool"],
  ["a fraction where int() is needed", ["socket_timeout=1.5"], "S3/Config.py update_option: must be an integer"],
  ["an empty integer", ["socket_timeout="], "S3/Config.py update_option: must be an integer"],
  ["a verbosity logging does not know", ["verbosity=LOUD"], "S3/Config.py update_option: verbosity level is not valid"],
  ["a rate with a G suffix", ["limitrate=10G"], "S3/Config.py update_option: limitrate suffix m, k, or nothing"],
  ["a fractional rate", ["limitrate=1.5k"], "S3/Config.py update_option: int(value[:-1])"],
  [
    "KMS with signature v2",
    ["kms_key=alias/kitcfg", "signature_v2=true"],
    "S3/Config.py Config.__init__: KMS encryption requires signature v4",
  ],
  ["a header without a colon", ["add_headers=x-amz-meta-a:1,nocolon"], "S3/Config.py read_config_file: split(':', 1)"],
  ["a chunk size under 5 MB", ["multipart_chunk_size_mb=4"], "s3cmd main: MultiPartUpload.MIN_CHUNK_SIZE_MB"],
  ["a chunk size over 5 GB", ["multipart_chunk_size_mb=5121"], "s3cmd main: MultiPartUpload.MAX_CHUNK_SIZE_MB"],
  ["underscores int() does not take", ["socket_timeout=1__0"], "S3/Config.py update_option: must be an integer"],
  ["a zero rate with a suffix", ["limitrate=0k"], "S3/Config.py update_option: 0 << 10 falls back to int('0k')"],
  ["a verbosity with a fraction", ["verbosity=1.5"], "S3/Config.py update_option: verbosity level is not valid"],
  ["an encoding Python does not know", ["encoding=yes"], "s3cmd main: codecs.getwriter raises LookupError"],
  ["an empty encoding", ["encoding="], "s3cmd main: codecs.getwriter raises LookupError"],
  ["a bytes codec as the encoding", ["encoding=base64"], "s3cmd main: codecs.getwriter; base64_codec writes bytes"],
  ["idna as the encoding", ["encoding=IDNA"], "s3cmd main: idna has no 'replace' error handling"],
  ["a name Python reads with a dot", ["encoding=utf..8"], "encodings.search_function skips module names with '.'"],
  ["a negative socket timeout", ["socket_timeout=-1"], "s3cmd main: socket.setdefaulttimeout raises ValueError"],
  [
    "a socket timeout past Python's clock",
    ["socket_timeout=9223372037"],
    "s3cmd main: socket.setdefaulttimeout raises OverflowError",
  ],
  ["encryption without a passphrase", ["encrypt=true"], "s3cmd main: Encryption requested but no passphrase set"],
];

/**
 * [what, --set arguments, upstream rule]: s3cmd starts, then fails every request (each checked once by
 * hand with the real s3cmd's `ls` on a local endpoint: a connection error or a crash, never a reply;
 * with retries that takes a minute per case, so the test runs kitcfg's side only).
 */
const FAILS_AT_REQUEST: [string, string[], string][] = [
  ["a zero socket timeout", ["socket_timeout=0"], "s3cmd main: setdefaulttimeout(0) makes connect non-blocking"],
  ["an empty secret_key beside an access_key", ["secret_key="], "S3/Config.py __init__: no variable read; signed"],
  ["a port that is no number", ["host_base=minio.lab:abc"], "S3/ConnMan.py http_connection: urlparse().port"],
  ["a port past 65535", ["host_base=minio.lab:70000"], "S3/ConnMan.py http_connection: urlparse().port"],
  ["an empty host_base", ["host_base="], "S3/ConnMan.py http_connection: urlparse().hostname is None"],
  ["a [ without its ]", ["host_base=[::1:9000"], "urllib.parse.urlsplit: Invalid IPv6 URL"],
  ["[] around no IPv6 address", ["host_base=[minio]:9000"], "urllib.parse.urlsplit: _check_bracketed_host"],
  ["an IPv6 host_base without a port", ["host_base=[::1]"], "http.client _get_hostport reads '::1' as ':' port 1"],
  ["a blank in host_base", ["host_base=minio lab"], "http.client _validate_host: URL can't contain control characters"],
  [
    "%(location)s in host_bucket",
    ["host_bucket=%(bucket)s.s3-%(location)s.amazonaws.com"],
    "S3/Utils.py getHostnameFromBucket: host_bucket % {'bucket': …} raises KeyError",
  ],
  ["a lone % in host_bucket", ["host_bucket=%(bucket)s.minio%"], "S3/Utils.py getHostnameFromBucket: TypeError"],
  ["a bad port in host_bucket", ["host_bucket=%(bucket)s.minio.lab:9x"], "S3/ConnMan.py http_connection: port"],
  ["a proxy_host with a scheme", ["proxy_host=http://proxy.lab"], "S3/ConnMan.py: HTTPConnection(proxy_host, port)"],
  ["a proxy_host with a port", ["proxy_host=proxy.lab:8080"], "S3/ConnMan.py: HTTPConnection(proxy_host, port)"],
  ["an IPv6 proxy_host in []", ["proxy_host=[::1]"], "http.client _get_hostport keeps [] when given a port"],
];

describe("s3cmd's load-time rules", () => {
  for (const [what, sets, rule] of REFUSED) {
    test(`refused: ${what} (${rule})`, () => {
      writeFileSync(file, KEYS, { mode: 0o600 });
      const before = readFileSync(file);
      const ran = kitcfg(["update", "s3", ...sets.flatMap((set) => ["--set", set])], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain("s3");
      expect(readFileSync(file)).toEqual(before);

      const lines = sets.map((set) => set.replace("=", " = ").replace(/^(\w+) = (true)$/, "$1 = True"));
      writeFileSync(file, `${KEYS}${lines.join("\n")}\n`, { mode: 0o600 });
      expect(kitcfg(["validate", "s3"], { root }).code).toBe(1);
      if (!S3CMD) return;
      const real = s3cmd(file);
      expect({ what, code: real.code === 0 ? 0 : "refused" }).toEqual({ what, code: "refused" });
    });
  }

  for (const [what, sets, rule] of FAILS_AT_REQUEST) {
    test(`refused: ${what}, which fails every request (${rule})`, () => {
      writeFileSync(file, KEYS, { mode: 0o600 });
      const before = readFileSync(file);
      const ran = kitcfg(["update", "s3", ...sets.flatMap((set) => ["--set", set])], { root });
      expect(ran.code).toBe(1);
      expect(readFileSync(file)).toEqual(before);
      const key = sets[0]!.slice(0, sets[0]!.indexOf("="));
      expect(ran.stderr).toContain(`"${key}" for s3`);
      writeFileSync(file, `${KEYS}${sets.map((set) => set.replace("=", " = ")).join("\n")}\n`, { mode: 0o600 });
      const validated = kitcfg(["validate", "s3"], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain(`"${key}"`);
    });
  }

  test("accepted: hosts, timeouts and the options of s3cmd 2.4.0 and later, as s3cmd reads them", () => {
    writeFileSync(file, KEYS, { mode: 0o600 });
    const sets = [
      "host_base=[::1]:9000",
      "host_bucket=%(bucket)s.minio.lab:9000/x",
      "proxy_host=::1",
      "socket_timeout=9223372036",
      "encrypt=true",
      "gpg_passphrase=kitcfgpass",
      "max_retries=3",
      "keep_dirs=true",
      "skip_destination_validation=false",
      "sts_endpoint=sts.example.com",
    ];
    const ran = kitcfg(["update", "s3", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "s3"], { root }).code).toBe(0);
    if (S3CMD) expect(s3cmd(file).code).toBe(0);
  });

  test("accepted: acl_public, which read_config_file reads apart from the options it lists (S3/Config.py)", () => {
    writeFileSync(file, KEYS, { mode: 0o600 });
    for (const [set, line, dumped] of [
      ["acl_public=true", "acl_public = True", "True"],
      ["acl_public=off", "acl_public = False", "False"],
    ] as const) {
      const ran = kitcfg(["update", "s3", "--set", set], { root });
      expect(ran.stderr).toBe("");
      expect(ran.code).toBe(0);
      expect(readFileSync(file, "utf8")).toContain(`\n${line}\n`);
      expect(kitcfg(["validate", "s3"], { root }).code).toBe(0);
      if (S3CMD) expect(s3cmd(file).dump.get("acl_public")).toBe(dumped);
    }
    // A text is_bool does not read stays text: s3cmd starts, and uploads test it as true.
    writeFileSync(file, `${KEYS}acl_public = maybe\n`, { mode: 0o600 });
    const validated = kitcfg(["validate", "s3"], { root });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('"acl_public": "maybe" is not yes or no');
    if (S3CMD) expect(s3cmd(file).dump.get("acl_public")).toBe("maybe");
  });

  test("refused: a value s3cmd 2.4.0 refuses in an option it added (S3/Config.py update_option)", () => {
    for (const [line, key] of [
      ["max_retries = abc", "max_retries"],
      ["keep_dirs = maybe", "keep_dirs"],
    ]) {
      writeFileSync(file, `${KEYS}${line}\n`, { mode: 0o600 });
      const validated = kitcfg(["validate", "s3"], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain(`"${key}"`);
    }
  });

  test(
    "refused: a line break, which s3cmd cannot read back " +
      "(S3/Config.py ConfigParser.parse_file reads line by line)",
    () => {
      writeFileSync(file, KEYS, { mode: 0o600 });
      const before = readFileSync(file);
      const ran = kitcfg(["update", "s3", "--set", "host_base=minio.lab\nuse_https = False"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('Cannot set "host_base" for s3: holds a line break');
      expect(readFileSync(file)).toEqual(before);
    },
  );

  test(
    "refused: blanks at a value's ends, which s3cmd strips " +
      "(S3/Config.py read_config_file .strip()): never stored differently",
    () => {
      writeFileSync(file, KEYS, { mode: 0o600 });
      const before = readFileSync(file);
      const ran = kitcfg(["update", "s3", "--set", "host_base= minio.lab:9000 "], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('it would read "minio.lab:9000"');
      expect(readFileSync(file)).toEqual(before);
      // Written by hand, the blanks are read away by kitcfg as by s3cmd: both see the same value.
      writeFileSync(file, `${KEYS}host_base =   minio.lab:9000   \n`, { mode: 0o600 });
      expect(kitcfg(["get", "s3", "host_base"], { root }).stdout).toBe("minio.lab:9000\n");
      if (S3CMD) expect(s3cmd(file).dump.get("host_base")).toBe("minio.lab:9000");
    },
  );

  test("refused: a byte that is not UTF-8, in a value or a comment (S3/Config.py ConfigParser.parse_file)", () => {
    for (const line of ["host_base = caf\xe9.example\n", "# caf\xe9\n"]) {
      writeFileSync(file, Buffer.concat([Buffer.from(KEYS), Buffer.from(line, "latin1")]), { mode: 0o600 });
      const validated = kitcfg(["validate", "s3"], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain("holds the byte 0xE9 on line 4, which is not UTF-8");
      // An update over such a file is refused, and leaves its bytes as they are.
      const before = readFileSync(file);
      expect(kitcfg(["update", "s3", "--set", "use_https=false"], { root }).code).toBe(1);
      expect(readFileSync(file)).toEqual(before);
      if (!S3CMD) continue;
      const real = s3cmd(file);
      expect(real.code).not.toBe(0);
      expect(real.stderr).toContain("codec can't decode byte 0xe9");
    }
  });

  test("warned: a value that is $NAME, which s3cmd reads from the environment (S3/Config.py update_option)", () => {
    writeFileSync(file, KEYS, { mode: 0o600 });
    const ran = kitcfg(["update", "s3", "--set", "host_base=$S3_HOST"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"host_base": starts with "$": s3cmd reads the environment variable "S3_HOST"');
    const validated = kitcfg(["validate", "s3"], { root });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('environment variable "S3_HOST"');
    // What s3cmd does with it: the variable's value, or the default when it is unset.
    if (!S3CMD) return;
    expect(s3cmd(file, { S3_HOST: "minio.lab:9000" }).dump.get("host_base")).toBe("minio.lab:9000");
    expect(s3cmd(file).dump.get("host_base")).toBe("s3.amazonaws.com");
  });

  test("warned: empty access_key and secret_key name both keys and the fix; s3cmd then fails offline", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    const validated = kitcfg(["validate", "s3"], { root });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('"access_key": is empty, and so is secret_key');
    expect(validated.stderr).toContain("instance-metadata service");
    expect(validated.stderr).toContain("Configuration file not available");
    expect(validated.stderr).toContain("--set access_key=KEY --set-env secret_key=VARIABLE");
    if (S3CMD) {
      const real = s3cmd(file);
      expect(real.code).not.toBe(0);
      expect(real.stderr).toContain("Configuration file not available");
    }
    expect(
      kitcfg(["update", "s3", "--set", "access_key=AKIAKITCFGTEST", "--set", "secret_key=kitcfgsecret"], { root })
        .stderr,
    ).not.toContain("access_key");
  });

  test("accepted: the options of [default] that s3cmd reads, as s3cmd reads them", () => {
    writeFileSync(file, KEYS, { mode: 0o600 });
    const sets = {
      host_base: "minio.lab:9000",
      host_bucket: "minio.lab:9000/%(bucket)s",
      use_https: "off",
      limitrate: "10k",
      verbosity: "DEBUG",
      multipart_chunk_size_mb: "5120",
      add_headers: "x-amz-meta-a:1,Cache-Control:max-age=60",
      socket_timeout: "+30",
      kms_key: "alias/kitcfg",
      bucket_location: "eu-west-1",
    };
    const ran = kitcfg(["update", "s3", ...Object.entries(sets).flatMap(([k, val]) => ["--set", `${k}=${val}`])], {
      root,
    });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "s3"], { root }).code).toBe(0);
    if (!S3CMD) return;
    const real = s3cmd(file);
    expect(real.code).toBe(0);
    expect(real.dump.get("host_base")).toBe("minio.lab:9000");
    expect(real.dump.get("use_https")).toBe("False");
    expect(real.dump.get("limitrate")).toBe(String(10 << 10));
    expect(real.dump.get("verbosity")).toBe("DEBUG");
    expect(real.dump.get("multipart_chunk_size_mb")).toBe("5120");
    expect(real.dump.get("socket_timeout")).toBe("30");
    expect(real.dump.get("kms_key")).toBe("alias/kitcfg");
  });

  test("accepted: what Python's int() and codec lookup read, written by hand (S3/Config.py update_option)", () => {
    const lines = {
      socket_timeout: "1_000",
      multipart_max_chunks: "\u0663", // ARABIC-INDIC DIGIT THREE: int() reads any script's digits
      throttle_max: "\uff14\uff12", // FULLWIDTH 4 2
      verbosity: "+10",
      limitrate: "-1k",
      encoding: "Latin 1",
      proxy_port: "65536", // read as it is; used only with a proxy_host
    };
    writeFileSync(
      file,
      `${KEYS}${Object.entries(lines)
        .map(([k, val]) => `${k} = ${val}\n`)
        .join("")}`,
      {
        mode: 0o600,
      },
    );
    const ran = kitcfg(["validate", "s3"], { root });
    expect(ran.stderr).not.toContain("✖");
    expect(ran.code).toBe(0);
    expect(kitcfg(["get", "s3", "multipart_max_chunks"], { root }).stdout).toBe("3\n");
    if (S3CMD) {
      const real = s3cmd(file);
      expect(real.code).toBe(0);
      expect(real.dump.get("socket_timeout")).toBe("1000");
      expect(real.dump.get("multipart_max_chunks")).toBe("3");
      expect(real.dump.get("throttle_max")).toBe("42");
      expect(real.dump.get("limitrate")).toBe("-1024");
    }
    // Once proxy_host is set, the port is used to connect: it must be a TCP port.
    writeFileSync(file, `${readFileSync(file, "utf8")}proxy_host = proxy.lab\n`, { mode: 0o600 });
    const proxied = kitcfg(["validate", "s3"], { root });
    expect(proxied.code).toBe(1);
    expect(proxied.stderr).toContain('"proxy_port": 65536 is not a TCP port (1 to 65535)');
  });
});

// How s3cmd reads the lines of its file (S3/Config.py ConfigParser.parse_file, then
// read_config_file's strip()), found by running the real s3cmd on random layouts:
// [what, the lines after KEYS, the option, what s3cmd reads (its default: the line is not read), whether the
// file is valid].
const LAYOUTS: [string, string, string, string | { default: string }, "valid" | "invalid"][] = [
  [
    "quotes with blanks after them keep the closing one",
    'host_base = "s3.example.com"  \n',
    "host_base",
    's3.example.com"',
    "valid",
  ],
  [
    "quotes, then blanks inside them stripped",
    'host_base = " s3.example.com "\n',
    "host_base",
    "s3.example.com",
    "valid",
  ],
  ["a boolean in quotes with a blank after them", 'use_https = "True" \n', "use_https", "", "invalid"],
  [
    "a line that is not key = value is skipped",
    "not a setting\nhost_base = after.example\n",
    "host_base",
    "after.example",
    "valid",
  ],
  // s3cmd takes only # for a comment (r_comment): a ; line is one it skips with its warning.
  ["a ; line is no comment", "; not a comment\nhost_base = semi.example\n", "host_base", "semi.example", "valid"],
  [
    "a header with words after it",
    "[default] trailing words\nhost_base = h.example\n",
    "host_base",
    "h.example",
    "valid",
  ],
  ["an indented header is skipped", "  [other]\nhost_base = i.example\n", "host_base", "i.example", "valid"],
  [
    "form feed and U+001C around a key and a value",
    "\fhost_base\f=\x1ch.example\x1c\n",
    "host_base",
    "h.example",
    "valid",
  ],
  ["a lone CR ends a line", "bucket_location = EU\rhost_base = cr.example\n", "host_base", "cr.example", "valid"],
  ["a key with a dot is no option", "host_base.x = d.example\n", "host_base", { default: "s3.amazonaws.com" }, "valid"],
  // Every section is read (S3/Config.py ConfigParser.parse_file, `sections` empty): the key's last line wins.
  [
    "a key's last line wins, though its section came back",
    "socket_timeout = 10\n[other]\nsocket_timeout = x\n[default]\nsocket_timeout = 20\n",
    "socket_timeout",
    "20",
    "valid",
  ],
  [
    "a key's last line is read, in a section that came back",
    "socket_timeout = 10\n[other]\nsocket_timeout = 20\n[default]\nsocket_timeout = x\n",
    "socket_timeout",
    "",
    "invalid",
  ],
  [
    "U+FEFF before = is no blank",
    "host_base\ufeff= f.example\n",
    "host_base",
    { default: "s3.amazonaws.com" },
    "valid",
  ],
];

describe("s3cmd's reading of lines", () => {
  test("read: a key above any header, and a section named like it (S3/Config.py ConfigParser.parse_file)", () => {
    for (const text of [`host_base = a.example\n[host_base]\n${KEYS}`, `default = 1\n${KEYS}host_base = a.example\n`]) {
      writeFileSync(file, text, { mode: 0o600 });
      const validated = kitcfg(["validate", "s3"], { root });
      expect({ text, code: validated.code }).toEqual({ text, code: 0 });
      expect(kitcfg(["get", "s3", "host_base"], { root }).stdout).toBe("a.example\n");
      const set = kitcfg(["update", "s3", "--set", "host_base=b.example"], { root });
      expect(set.code).toBe(0);
      expect(readFileSync(file, "utf8")).toBe(text.replace("a.example", "b.example"));
      if (S3CMD) expect(s3cmd(file).dump.get("host_base")).toBe("b.example");
    }
  });

  test("unset: every line of a key goes, in any section, so no earlier copy is read instead", () => {
    writeFileSync(file, `host_base = a.example\n${KEYS}host_base = b.example\n[other]\nhost_base = c.example\n`, {
      mode: 0o600,
    });
    expect(kitcfg(["update", "s3", "--unset", "host_base"], { root }).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(`${KEYS}[other]\n`);
    if (S3CMD) expect(s3cmd(file).dump.get("host_base")).toBe("s3.amazonaws.com");
  });

  for (const [what, lines, option, reads, verdict] of LAYOUTS) {
    test(`${verdict === "valid" ? "read" : "refused"}: ${what}`, () => {
      writeFileSync(file, `${KEYS}${lines}`, { mode: 0o600 });
      const validated = kitcfg(["validate", "s3"], { root });
      expect({ what, code: validated.code }).toEqual({ what, code: verdict === "valid" ? 0 : 1 });
      const skipped =
        lines.includes("not a setting") ||
        lines.includes("  [other]") ||
        lines.includes(".x =") ||
        lines.startsWith(";");
      expect(validated.stderr.includes("is skipped")).toBe(skipped || lines.includes("\ufeff"));
      const got = kitcfg(["get", "s3", option], { root });
      if (typeof reads !== "string") expect(got.code).toBe(1);
      else if (verdict === "valid") expect(got.stdout).toBe(`${reads}\n`);
      if (!S3CMD) return;
      const real = s3cmd(file);
      expect({ what, code: real.code === 0 ? 0 : 1 }).toEqual({ what, code: verdict === "valid" ? 0 : 1 });
      if (verdict === "valid") expect(real.dump.get(option)).toBe(typeof reads === "string" ? reads : reads.default);
      // s3cmd warns about each line it skips, as kitcfg does.
      if (verdict === "valid")
        expect(real.stderr.includes("Ignoring invalid line")).toBe(validated.stderr.includes("is skipped"));
    });
  }
});
