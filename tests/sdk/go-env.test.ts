import { describe, expect, test } from "bun:test";
import { goEnvVariable, parseGoInteger, readGoEnv, readGoText } from "../../sdk/go-env.ts";
import type { GoEnvField, GoEnvType } from "../../sdk/go-env.ts";

// kelseyhightower/envconfig v1.4.0 envconfig.go (gatherInfo, Process, processField) and the
// strconv functions it calls: ParseBool, ParseInt/ParseUint(s, 0, bits), time.ParseDuration.

const ok = (type: GoEnvType, text: string) => {
  const read = readGoText(type, text);
  if ("problem" in read) throw new Error(`${JSON.stringify(text)} refused: ${read.problem}`);
  return read.value;
};
const refused = (type: GoEnvType, text: string) => "problem" in readGoText(type, text);

describe("goEnvVariable names a field as envconfig's gatherInfo does", () => {
  test("the prefix, each struct's name and the field's, upper-cased and joined with _", () => {
    expect(goEnvVariable("LOTUS", ["API", "ListenAddress"])).toBe("LOTUS_API_LISTENADDRESS");
    expect(goEnvVariable("LOTUS", ["Chainstore", "Splitstore", "ColdStoreType"])).toBe(
      "LOTUS_CHAINSTORE_SPLITSTORE_COLDSTORETYPE",
    );
    expect(goEnvVariable("", ["Port"])).toBe("PORT");
  });

  test("split_words cuts CamelCase, an acronym before its last capital; envconfig replaces the name", () => {
    const split = { split_words: true };
    expect(goEnvVariable("APP", [{ name: "MultiWordVar", tags: split }])).toBe("APP_MULTI_WORD_VAR");
    expect(goEnvVariable("APP", [{ name: "APIKey", tags: split }])).toBe("APP_API_KEY");
    expect(goEnvVariable("APP", [{ name: "AutoSplitURL", tags: split }])).toBe("APP_AUTO_SPLIT_URL");
    expect(goEnvVariable("APP", [{ name: "Sub", tags: { envconfig: "inner" } }, "Port"])).toBe("APP_INNER_PORT");
  });

  test("upper-cases rune by rune as Go does: a rune with no one-rune capital stays", () => {
    expect(goEnvVariable("app", ["straße"])).toBe("APP_STRAßE");
  });
});

describe("readGoText reads a variable's text as processField does", () => {
  test("bool: strconv.ParseBool's twelve spellings, nothing else (not yes, not empty)", () => {
    for (const text of ["1", "t", "T", "TRUE", "true", "True"]) expect(ok("bool", text)).toBe(true);
    for (const text of ["0", "f", "F", "FALSE", "false", "False"]) expect(ok("bool", text)).toBe(false);
    for (const text of ["yes", "on", "tRUE", "", " true"]) expect(refused("bool", text)).toBe(true);
  });

  test("ints: base 0 (0x, 0o, 0b, a leading 0 octal), _ between digits, the type's range", () => {
    expect(ok("int", "42")).toBe(42);
    expect(ok("int", "-0x10")).toBe(-16);
    expect(ok("int", "+0b101")).toBe(5);
    expect(ok("int", "010")).toBe(8);
    expect(ok("int", "0o17")).toBe(15);
    expect(ok("int", "1_000")).toBe(1000);
    expect(ok("int", "0x_ff")).toBe(255);
    expect(ok("int64", "-9223372036854775808")).toBe(-(2n ** 63n));
    expect(ok("int8", "-128")).toBe(-128);
    for (const text of ["", " 1", "1.0", "1e3", "08", "0x", "_1", "1_", "1__0", "+", "9223372036854775808"])
      expect(refused("int", text)).toBe(true);
    expect(refused("int8", "128")).toBe(true);
  });

  test("uints: no sign at all, up to 2^bits-1", () => {
    expect(ok("uint64", "18446744073709551615")).toBe(2n ** 64n - 1n);
    expect(ok("uint", "0")).toBe(0);
    for (const text of ["-1", "+1", "-0", "18446744073709551616", ""]) expect(refused("uint", text)).toBe(true);
    expect(refused("uint16", "65536")).toBe(true);
  });

  test("parseGoInteger gives bigints, as strconv reads them", () => {
    expect(parseGoInteger("0XFF", 64, false)).toBe(255n);
    expect(parseGoInteger("0B1", 64, true)).toBe(1n);
    expect(parseGoInteger("9", 64, false)).toBe(9n);
    expect(parseGoInteger("09", 64, false)).toBeUndefined();
  });

  test("time.Duration: time.ParseDuration (a unit needed, but for 0; empty refused)", () => {
    expect(ok("duration", "1h30m")).toBe("1h30m");
    expect(ok("duration", "0")).toBe("0");
    for (const text of ["", "30", "30 s", "3000000h"]) expect(refused("duration", text)).toBe(true);
  });

  test("floats: strconv.ParseFloat, hex floats and Inf/NaN too; past the type's range refused", () => {
    expect(ok("float64", "1.5e3")).toBe(1500);
    expect(ok("float64", "0x1p-2")).toBe(0.25);
    expect(ok("float64", "-Infinity")).toBe(-Infinity);
    expect(Number.isNaN(ok("float64", "nan"))).toBe(true);
    for (const text of ["", "1e400", "+nan", "1,5", "0x1.8"]) expect(refused("float64", text)).toBe(true);
    expect(refused("float32", "1e39")).toBe(true);
    // A zero hex mantissa is 0 whatever its exponent (Go's own ParseFloat, bench/go-differential.ts).
    expect(ok("float32", "0x0p+725136")).toBe(0);
    expect(Object.is(ok("float64", "-0x_0p437_6_02"), -0)).toBe(true);
  });

  test("slices split on commas without trimming; a blank text is an empty list", () => {
    expect(ok({ slice: "string" }, "a, b")).toEqual(["a", " b"]);
    expect(ok({ slice: "string" }, "  ")).toEqual([]);
    expect(ok({ slice: "string" }, "a,")).toEqual(["a", ""]);
    expect(ok({ slice: "int" }, "1,0x2")).toEqual([1, 2]);
    expect(readGoText({ slice: "int" }, "1,x")).toEqual({ problem: expect.stringContaining("item 1") });
    expect(ok({ slice: "uint8" }, " raw ")).toBe(" raw ");
  });

  test("maps: key:value pairs, exactly one colon each; a blank text is an empty map", () => {
    const levels: GoEnvType = { map: { key: "string", value: "string" } };
    expect(ok(levels, "rpc:debug,chain:warn")).toEqual({ rpc: "debug", chain: "warn" });
    expect(ok(levels, "")).toEqual({});
    expect(ok(levels, "a: b")).toEqual({ a: " b" });
    expect(ok(levels, ":")).toEqual({ "": "" });
    for (const text of ["rpc", "rpc:debug:x", "a:b,"]) expect(refused(levels, text)).toBe(true);
    expect(refused({ map: { key: "string", value: "int" } }, "a:x")).toBe(true);
  });

  test("a type with its own reader gets the whole text; its reason is passed on", () => {
    const fil: GoEnvType = { text: (text) => (/^\d+ FIL$/.test(text) ? undefined : "not a FIL amount") };
    expect(ok(fil, "1 FIL")).toBe("1 FIL");
    expect(readGoText(fil, "")).toEqual({ problem: "not a FIL amount" });
    expect(readGoText({ slice: fil }, "1 FIL,x")).toEqual({ problem: expect.stringContaining("not a FIL amount") });
  });

  test("no reason quotes the text: a secret variable's value never reaches a message", () => {
    const secret = "hunter2:x:y";
    const types: GoEnvType[] = ["int", "uint", "bool", "duration", "float64", { slice: "int" }];
    for (const type of [...types, { map: { key: "string", value: "string" } } as GoEnvType]) {
      const read = readGoText(type, secret);
      expect("problem" in read && read.problem.includes("hunter2")).toBe(false);
    }
  });
});

describe("readGoEnv runs envconfig's Process over a struct", () => {
  const FIELDS: GoEnvField[] = [
    { path: ["API", "ListenAddress"], type: "string" },
    { path: ["API", "Timeout"], type: "duration" },
    { path: ["Libp2p", "ConnMgrLow"], type: "uint" },
    { path: ["Libp2p", "ListenAddresses"], type: { slice: "string" } },
    { path: ["Hidden"], type: "string" },
  ];

  test("a variable that is set, even empty, gives its field; an unset one or another name does nothing", () => {
    const env = { LOTUS_API_LISTENADDRESS: "", LOTUS_LIBP2P_LISTENADDRESSES: "", LOTUS_API_NOSUCHFIELD: "x" };
    expect(readGoEnv("LOTUS", FIELDS, env)).toEqual({
      values: [
        { variable: "LOTUS_API_LISTENADDRESS", path: ["API", "ListenAddress"], value: "" },
        { variable: "LOTUS_LIBP2P_LISTENADDRESSES", path: ["Libp2p", "ListenAddresses"], value: [] },
      ],
      refusals: [],
    });
  });

  test("names are case-sensitive: only the upper-case variable is read", () => {
    expect(readGoEnv("LOTUS", FIELDS, { lotus_api_listenaddress: "x", LOTUS_Api_ListenAddress: "y" }).values).toEqual(
      [],
    );
  });

  test("each variable the field's type refuses, in struct order, with its text apart from the reason", () => {
    const reading = readGoEnv("LOTUS", FIELDS, { LOTUS_LIBP2P_CONNMGRLOW: "-5", LOTUS_API_TIMEOUT: "" });
    expect(reading.values).toEqual([]);
    expect(reading.refusals.map(({ variable, text }) => [variable, text])).toEqual([
      ["LOTUS_API_TIMEOUT", ""],
      ["LOTUS_LIBP2P_CONNMGRLOW", "-5"],
    ]);
    expect(reading.refusals[1]!.problem).toContain("expected an integer from 0 to 18446744073709551615");
  });

  test("tags: ignored skips, envconfig's name is also read alone, default stands in, required fails", () => {
    const fields: GoEnvField[] = [
      { path: [{ name: "Skip", tags: { ignored: true } }], type: "string" },
      { path: [{ name: "Port", tags: { envconfig: "listen_port" } }], type: "int" },
      { path: [{ name: "Mode", tags: { default: "fast" } }], type: "string" },
      { path: [{ name: "Token", tags: { required: true } }], type: "string" },
    ];
    const reading = readGoEnv("APP", fields, { APP_SKIP: "x", LISTEN_PORT: "80" });
    expect(reading.values).toEqual([
      { variable: "LISTEN_PORT", path: ["Port"], value: 80 },
      { variable: "APP_MODE", path: ["Mode"], value: "fast" },
    ]);
    expect(reading.refusals).toEqual([
      { variable: "APP_TOKEN", path: ["Token"], text: undefined, problem: "is required, and unset" },
    ]);
    expect(readGoEnv("APP", fields, { APP_LISTEN_PORT: "81", LISTEN_PORT: "80", APP_TOKEN: "" }).values[0]).toEqual({
      variable: "APP_LISTEN_PORT",
      path: ["Port"],
      value: 81,
    });
  });
});
