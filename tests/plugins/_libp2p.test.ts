import { describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatGoDuration, goDurationMs, goTrimSpace, isByteSize, isGoDuration } from "../../sdk/go.ts";
import {
  checkIdentity,
  decodeBase58,
  decodesAsPeerId,
  encodeBase58,
  generateIdentity,
  isPeerId,
  peerIdOf,
} from "../../sdk/libp2p.ts";
import {
  allowlistProblem,
  dialArgs,
  dialNetwork,
  isAddressMask,
  isListenable,
  isMultiaddr,
  multiaddrProblem,
  multiaddrProblemByParts,
  multiaddrProtocols,
  tcpEndpoint,
} from "../../sdk/multiaddr.ts";
import { tomlFloats } from "../../sdk/toml.ts";
import { seededRandom } from "../_safety.ts";
import { FIXTURES } from "../helpers.ts";

/** Real identities: kubo repos (Identity.PeerID / PrivKey) and cluster identity files (id / private_key). */
function fixtureIdentities(): { name: string; id: string; key: string }[] {
  const kubo = ["v15", "v16"].map((v) => {
    const { Identity } = JSON.parse(readFileSync(join(FIXTURES, `ipfs/${v}-repo/config`), "utf8"));
    return { name: `kubo ${v} (Ed25519)`, id: Identity.PeerID as string, key: Identity.PrivKey as string };
  });
  const cluster = [
    ["cluster (Ed25519)", "ipfs-cluster-service/identity.json"],
    ["cluster basic_auth (RSA-2048)", "ipfs-cluster-service/basic_auth/identity.json"],
  ].map(([name, file]) => {
    const identity = JSON.parse(readFileSync(join(FIXTURES, file!), "utf8"));
    return { name: name!, id: identity.id as string, key: identity.private_key as string };
  });
  return [...kubo, ...cluster];
}

describe("libp2p identities", () => {
  test.each(fixtureIdentities())("the $name fixture's peer ID is the one of its private key", ({ id, key }) => {
    expect(checkIdentity(id, key)).toEqual({ ok: true, keyType: key.startsWith("CAAS") ? "RSA" : "Ed25519" });
  });

  test("a peer ID from another key is rejected, naming the key's own ID", () => {
    const [a, b] = fixtureIdentities();
    const check = checkIdentity(a!.id, b!.key);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(`that key's ID is ${b!.id}`);
  });

  test("an RSA key with an Ed25519 peer ID is rejected", () => {
    const [, , ed, rsa] = fixtureIdentities();
    expect(checkIdentity(ed!.id, rsa!.key)).toMatchObject({ ok: false, keyType: "RSA" });
  });

  test("keys that do not decode are rejected with the reason", () => {
    const { id, key } = fixtureIdentities()[0]!;
    const corrupt = Buffer.from(key, "base64");
    corrupt[10]! ^= 0xff; // a seed byte: the stored public half no longer belongs to it
    const cases: [string, string][] = [
      ["not base64!", "does not decode"],
      [Buffer.from([0x08, 0x01, 0x12, 0x04, 1, 2, 3, 4]).toString("base64"), "malformed"],
      [corrupt.toString("base64"), "does not belong to its seed"],
      [Buffer.from([0x08, 0x07, 0x12, 0x01, 0]).toString("base64"), "unknown key type 7"],
    ];
    for (const [bad, reason] of cases) {
      const check = checkIdentity(id, bad);
      expect(check.ok).toBe(false);
      expect(!check.ok && check.reason).toContain(reason);
    }
  });

  test("a private key is read as Go's base64.StdEncoding (kubo, cluster): padded, line breaks skipped", () => {
    for (const { id, key } of fixtureIdentities()) {
      const unpadded = checkIdentity(id, key.replace(/=+$/, ""));
      if (key.endsWith("=")) expect(!unpadded.ok && unpadded.reason).toContain("not standard base64 as Go reads it");
      const wrapped = `${key.slice(0, 40)}\r\n${key.slice(40, 70)}\n${key.slice(70)}\n`;
      expect(checkIdentity(id, wrapped).ok).toBe(true);
      expect(peerIdOf(wrapped)).toBe(peerIdOf(key));
      expect(checkIdentity(id, `${key} `).ok).toBe(false);
    }
  });

  test("a generated identity is an Ed25519 one as `ipfs init` makes, and verifies", () => {
    const identity = generateIdentity();
    expect(identity.id).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(identity.privateKey).toMatch(/^CAESQ[A-Za-z0-9+/]{86}=$/);
    expect(checkIdentity(identity.id, identity.privateKey)).toEqual({ ok: true, keyType: "Ed25519" });
    expect(generateIdentity().id).not.toBe(identity.id);
  });

  test.each([
    ["12D3KooWPeo9gaDV6URwwwyWWjEJsCaMeZ7PBE5vpqvR1KFnPv3B", true],
    ["QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN", true],
    ["QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJ", false],
    ["12D3KooWPeo9gaDV6URwwwyWWjEJsCaMeZ7PBE5vpqvR1KFnPv3", false],
    ["Qm0000", false],
    ["", false],
  ])("isPeerId(%p) is %p", (text, expected) => {
    expect(isPeerId(text)).toBe(expected);
  });

  test("base58btc round-trips bytes, leading zeros included", () => {
    for (const hex of ["", "00", "0000ff", `1220${"ab".repeat(32)}`, "ffffffff"]) {
      const bytes = Buffer.from(hex, "hex");
      expect(Buffer.from(decodeBase58(encodeBase58(bytes))).toString("hex")).toBe(hex);
    }
    expect(encodeBase58(Buffer.from("hello world"))).toBe("StV1DL6CwTryKyV");
    expect(() => decodeBase58("0OIl")).toThrow('"0" is not base58');
  });

  test("a peer ID is a sha2-256 or an identity multihash in base58btc, whatever its length or characters", () => {
    const kind = (text: string): boolean => {
      let bytes: Uint8Array;
      try {
        bytes = decodeBase58(text);
      } catch {
        return false;
      }
      if (bytes[0] === 0) return bytes.length >= 2 && bytes[1] === bytes.length - 2 && bytes.length <= 44;
      return bytes[0] === 0x12 && bytes[1] === 0x20 && bytes.length === 34;
    };
    const next = seededRandom(1206);
    const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const texts = ["", "1", "11", "12", "1z", "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN", "0"];
    for (let n = 0; n < 3000; n++) {
      const body = new Uint8Array(Math.floor(next() * 40));
      for (let i = 0; i < body.length; i++) body[i] = Math.floor(next() * 256);
      const sha = Uint8Array.of(0x12, 0x20, ...Array.from({ length: 32 }, () => Math.floor(next() * 256)));
      texts.push(encodeBase58(Uint8Array.of(0, body.length, ...body)), encodeBase58(sha), encodeBase58(body));
      texts.push(Array.from({ length: Math.floor(next() * 70) }, () => alphabet[Math.floor(next() * 58)]).join(""));
    }
    // Texts about the lowest and highest of the usual two (Qm…, 12D3KooW…), one character changed.
    const bounds = [
      [0x12, 0x20, 34],
      [0x00, 0x24, 38],
    ].flatMap(([a, b, length]) =>
      [0x00, 0xff].map((fill) => encodeBase58(Uint8Array.from([a!, b!, ...new Array<number>(length! - 2).fill(fill)]))),
    );
    for (let n = 0; n < 4000; n++) {
      const bound = bounds[n % 4]!;
      const at = Math.floor(next() * bound.length);
      texts.push(bound.slice(0, at) + alphabet[Math.floor(next() * 58)] + bound.slice(at + 1));
    }
    for (const text of texts) expect({ text, peer: isPeerId(`${text}`) }).toEqual({ text, peer: kind(text) });
    expect(texts.filter((text) => kind(text)).length).toBeGreaterThan(6000);
  });

  test("base58btc decodes as arithmetic on the whole number: 20,000 random texts, some with a stray character", () => {
    const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const reference = (text: string): string => {
      let zeros = 0;
      while (text[zeros] === "1") zeros++;
      let value = 0n;
      for (const char of text) {
        const digit = alphabet.indexOf(char);
        if (digit < 0) return `"${char}" is not base58`;
        value = value * 58n + BigInt(digit);
      }
      const hex = value === 0n ? "" : value.toString(16);
      return "00".repeat(zeros) + (hex.length % 2 ? `0${hex}` : hex);
    };
    const next = seededRandom(58);
    for (let n = 0; n < 20_000; n++) {
      const chars = Array.from({ length: Math.floor(next() * 60) }, () =>
        next() < 0.1 ? "1" : alphabet[Math.floor(next() * 58)]!,
      );
      if (next() < 0.05) chars.splice(Math.floor(next() * chars.length), 0, ["0", "O", "I", "l", "é", "😀"][n % 6]!);
      const text = chars.join("");
      let got: string;
      try {
        got = Buffer.from(decodeBase58(text)).toString("hex");
      } catch (error) {
        got = (error as Error).message;
      }
      expect({ text, got }).toEqual({ text, got: reference(text) });
    }
  });
});

describe("multiaddrs", () => {
  test.each([
    "/ip4/0.0.0.0/tcp/4001",
    "/ip6/::/udp/4001/quic-v1/webtransport",
    "/ip4/0.0.0.0/udp/4001/webrtc-direct",
    "/ip4/127.0.0.1/tcp/5001",
    "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
    "/ip4/104.131.131.82/udp/4001/quic-v1/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
    "/ip4/10.0.0.0/ipcidr/8",
    "/ip6/2001:db8::/ipcidr/32",
    "/dns4/example.com/tcp/443/wss",
    "/unix/run/ipfs/api.sock",
    "/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWPeo9gaDV6URwwwyWWjEJsCaMeZ7PBE5vpqvR1KFnPv3B/p2p-circuit",
    "/ip6zone/eth0/ip6/fe80::1/tcp/00080",
    "/ip6/::ffff:1.2.3.4/udp/65535/quic-v1",
    // go-multiaddr reads ip4 as net.ParseIP(s).To4() and ip6 as .To16() (transcoders.go).
    "/ip4/::ffff:1.2.3.4/tcp/1",
    "/ip4/0:0:0:0:0:FFFF:102:304/tcp/1",
    "/ip6/1.2.3.4/tcp/1",
    "/ip6/1:2:3:4:5:6:7:8/tcp/0",
    // A name is any text without a slash (transcoders.go dnsVal): AutoTLS's wildcard listener.
    "/ip4/0.0.0.0/tcp/4001/tls/sni/*.libp2p.direct/ws",
    "/dns4/bad_host!/tcp/1",
    // Read without the slashes it ends with (codec.go stringToBytes: strings.TrimRight).
    "/ip4/127.0.0.1/tcp/9094/",
    "/unix/run/ipfs/api.sock//",
  ])("%s parses", (addr) => {
    expect(multiaddrProblem(addr)).toBeUndefined();
    expect(isMultiaddr(addr)).toBe(true);
  });

  test.each([
    ["127.0.0.1:5001", "starts with /"],
    ["/", "empty"],
    ["//", "empty"],
    ["/ip4/1.2.3.4/tcp/", '"tcp" needs a value'],
    ["/ip4/256.0.0.1/tcp/1", 'ip4 "256.0.0.1": not an IPv4 address'],
    // net.ParseIP takes no zone: a multiaddr writes it as /ip6zone/NAME.
    ["/ip6/fe80::1%eth0/tcp/1", 'ip6 "fe80::1%eth0": not an IPv6 address'],
    ["/ip6/::fffe:/tcp/1", "not an IPv6 address"],
    ["/ip4/::1/tcp/1", 'ip4 "::1": not an IPv4 address'],
    ["/ip4/1::ffff:1.2.3.4/tcp/1", "not an IPv4 address"],
    ["/ip4/1.2.3.4/tcp/65536", "not a port number"],
    ["/ip4/1.2.3.4/tcp", '"tcp" needs a value'],
    ["/ip4/1.2.3.4/tpc/1", 'unknown protocol "tpc"'],
    ["/ip4/1.2.3.4/tcp/1/p2p/notapeer", "not a peer ID"],
    ["/ip4/10.0.0.0/ipcidr/129", "not a prefix length"],
    ["/unix", '"unix" needs a path'],
    // Names of Object.prototype are no protocols (a lookup in a plain object once found them).
    ["/constructor/x", 'unknown protocol "constructor"'],
    ["/__proto__/1", 'unknown protocol "__proto__"'],
    ["/ip4/1.2.3.4/toString", 'unknown protocol "toString"'],
    ["/ip6/1::2::3/tcp/1", 'ip6 "1::2::3": not an IPv6 address'],
    ["/ip4/1.2.3.4/udp/0065536", 'udp "0065536": not a port number'],
  ])("%s is refused: %s", (addr, reason) => {
    expect(multiaddrProblem(addr)).toContain(reason);
    expect(isMultiaddr(addr)).toBe(false);
  });

  test("the regex of the usual shapes answers as the part-by-part reading does", () => {
    const hosts = [
      ...["0.0.0.0", "10.1.2.3", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3"].map(
        (ip) => `ip4/${ip}`,
      ),
      ...["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9"]
        .concat([
          "1::2::3",
          "1:::2",
          ":1",
          "1:",
          "12345::",
          "g::1",
          "fd00::1e:2:3",
          "1:2:3:4::5:6:7",
          "1:2::3:4:5:6:7:8",
        ])
        .concat(["::ffff:1.2.3.4", "fe80::1%eth0", "ABCD:ef01::"])
        .map((ip) => `ip6/${ip}`),
      ...["example.com", "a", "a.", "-a", "a-", "a_b", "a..b", "bad!", ""].map((name) => `dns4/${name}`),
      "dnsaddr/bootstrap.libp2p.io",
      "ip4",
    ];
    const ports = ["0", "4001", "65535", "65536", "00080", "0065536", "99999", "", "x1"];
    const tails = ["", "/quic-v1", "/quic-v1/webtransport", "/tls/ws", "/p2p-circuit", "/bogus", "/", "/udp/1"];
    let checked = 0;
    for (const host of hosts)
      for (const transport of ["tcp", "udp", "sctp", "tpc"])
        for (const port of ports)
          for (const tail of tails) {
            const addr = `/${host}/${transport}/${port}${tail}`;
            expect([addr, multiaddrProblem(addr)]).toEqual([addr, multiaddrProblemByParts(addr)]);
            checked++;
          }
    expect(checked).toBeGreaterThan(10000);
  });

  test("tcpEndpoint finds the host and port daemons are compared by", () => {
    expect(tcpEndpoint("/ip4/127.0.0.1/tcp/5001")).toEqual({ host: "127.0.0.1", port: 5001 });
    expect(tcpEndpoint("/dns4/ipfs.local/tcp/5001/http")).toEqual({ host: "ipfs.local", port: 5001 });
    expect(tcpEndpoint("/ip4/127.0.0.1/udp/4001/quic-v1")).toBeUndefined();
  });

  test("decodesAsPeerId takes a peer ID or a libp2p-key CID in any multibase, and no more, as peer.Decode does", () => {
    const { id: peerId } = generateIdentity();
    const cid = cidOf(peerId);
    expect(decodesAsPeerId(peerId)).toBe(true);
    expect(decodesAsPeerId("k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8")).toBe(true);
    for (const text of cidTexts(cid)) expect([text, decodesAsPeerId(text)]).toEqual([text, true]);
    // An RSA peer's CID is base36 `k2k4r8…`, not `k51…`.
    const rsa = fixtureIdentities()[3]!.id;
    expect(cidTexts(cidOf(rsa))[2]).toStartWith("k2k4r8");
    expect(decodesAsPeerId(cidTexts(cidOf(rsa))[2]!)).toBe(true);
    const refused = [
      "bogus",
      "Qmbogus",
      "",
      `${peerId}x`,
      // The digest's length says 0 and bytes follow ("trailing bytes"), or the text is cut short.
      `bafz${"a".repeat(56)}`,
      cidTexts(cid)[0]!.slice(0, -4),
      `b${base32([...cid, 0])}`,
      // Another codec (raw, dag-pb), CID version 0 in a multibase, a varint not minimally encoded.
      `b${base32([0x01, 0x55, ...cid.subarray(2)])}`,
      "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      `b${base32([...decodeBase58(rsa)])}`,
      `b${base32([0x81, 0x00, ...cid.subarray(1)])}`,
      // Not a multibase kitcfg or go-multibase reads; base58 without its "z"; base32 of a length no encoder makes.
      `x${peerId}`,
      `z${peerId}`,
      `b${base32([...cid])}a`,
    ];
    for (const text of refused) expect([text, decodesAsPeerId(text)]).toEqual([text, false]);
  });

  test("checkIdentity takes the peer ID as a CID too, and refuses RSA keys libp2p refuses by size", () => {
    for (const { id, key } of fixtureIdentities())
      for (const text of cidTexts(cidOf(id))) expect(checkIdentity(text, key).ok).toBe(true);
    const other = generateIdentity();
    const [ed] = fixtureIdentities();
    expect(checkIdentity(cidTexts(cidOf(other.id))[0]!, ed!.key)).toMatchObject({ ok: false });
    // go-libp2p core/crypto/rsa_go.go UnmarshalRsaPrivateKey: at least 2048 bits, at most 8192.
    for (const [bits, ok] of [
      [1024, false],
      [2048, true],
    ] as const) {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
      const der = privateKey.export({ format: "der", type: "pkcs1" });
      const key = Buffer.concat([Buffer.from([0x08, 0x00, 0x12]), varint(der.length), der]).toString("base64");
      // The size is refused before any peer ID is compared (peerIdOf itself refuses such a key).
      const check = checkIdentity(ok ? peerIdOf(key) : fixtureIdentities()[3]!.id, key);
      if (!ok) expect(() => peerIdOf(key)).toThrow("has 1024 bits");
      expect(check.ok).toBe(ok);
      if (!ok) expect(check).toMatchObject({ reason: expect.stringContaining("has 1024 bits: libp2p refuses") });
    }
  });

  test("dialNetwork reads the head of an address as manet.DialArgs does; isListenable is TCP or unix", () => {
    expect(dialNetwork("/ip4/127.0.0.1/tcp/5001/http")).toBe("tcp");
    expect(dialNetwork("/ip6zone/eth0/ip6/fe80::1/udp/4001/quic-v1")).toBe("udp");
    expect(dialNetwork("/dns4/example.com")).toBe("ip");
    expect(dialNetwork("/unix/run/ipfs.sock")).toBe("unix");
    for (const failing of ["/dnsaddr/example.com", "/p2p/12D3KooWJ", "/ip6zone/eth0/ip4/1.2.3.4/tcp/1"])
      expect(dialNetwork(failing)).toBeUndefined();
    expect(isListenable("/ip6/::1/tcp/5001")).toBe(true);
    expect(isListenable("/unix/run/ipfs.sock")).toBe(true);
    for (const refused of ["/ip4/127.0.0.1/udp/5001", "/ip4/127.0.0.1", "/dnsaddr/example.com"])
      expect(isListenable(refused)).toBe(false);
  });

  test("dialArgs gives the address manet.DialArgs hands to Go's net package", () => {
    expect(dialArgs("/ip4/127.0.0.1/tcp/5001/http")).toEqual({ network: "tcp", address: "127.0.0.1:5001" });
    expect(dialArgs("/ip6zone/eth0/ip6/fe80::1/udp/4001/quic-v1")).toEqual({
      network: "udp",
      address: "[fe80::1%eth0]:4001",
    });
    expect(dialArgs("/dns4/example.com")).toEqual({ network: "ip", address: "example.com" });
    expect(dialArgs("/unix/run/ipfs.sock/")).toEqual({ network: "unix", address: "/run/ipfs.sock" });
    expect(dialArgs("/p2p/12D3KooWJ")).toBeUndefined();
  });

  test("allowlistProblem takes what go-libp2p rcmgr toIPNet takes: an IP, a fitting /ipcidr, a /p2p", () => {
    const peer = "12D3KooWPqeqYVxdxFESvk6PWUUddNiMD5gDuEkksoVvvEFMfp1R";
    for (const taken of [
      "/ip4/1.2.3.4",
      "/ip4/10.0.0.0/ipcidr/8",
      `/ip4/1.2.3.0/ipcidr/24/p2p/${peer}`,
      "/ip6/fc00::/ipcidr/7",
      "/ip6/::ffff:1.2.3.4/ipcidr/120",
      "/ip4/192.0.2.1/tcp/4001",
      `/p2p/${peer}/ip4/1.2.3.4`,
    ])
      expect(allowlistProblem(taken)).toBeUndefined();
    for (const refused of ["/dns4/example.com/tcp/4001", `/p2p/${peer}`, "/unix/ip4/1.2.3.4"])
      expect(allowlistProblem(refused)).toContain("no /ip4 or /ip6");
    expect(allowlistProblem("/ip4/10.0.0.0/ipcidr/33")).toContain("longer than an IPv4 address");
    expect(allowlistProblem("/ip6/fc00::/ipcidr/200")).toContain("longer than an IPv6 address");
  });

  test("multiaddrProtocols names each protocol in order, values and unix paths skipped", () => {
    expect(multiaddrProtocols("/ip4/1.2.3.4/udp/1/quic-v1/webtransport")).toEqual([
      "ip4",
      "udp",
      "quic-v1",
      "webtransport",
    ]);
    expect(
      multiaddrProtocols(
        "/dns4/example.com/tcp/1/p2p/12D3KooWBF8cpp65hp2u9LK5mh19x67ftAam84z9LsfaquTDSBpt/p2p-circuit",
      ),
    ).toEqual(["dns4", "tcp", "p2p", "p2p-circuit"]);
    expect(multiaddrProtocols("/unix/run/a/b.sock")).toEqual(["unix"]);
    expect(multiaddrProtocols("/ip4/1.2.3.4/tcp/x")).toBeUndefined();
  });

  test("isAddressMask reads /ip4|ip6/<address>/ipcidr/<bits> as multiaddr-filter NewMask does", () => {
    // net.ParseCIDR judges the address and length, whatever the protocol name says.
    for (const mask of ["/ip4/10.0.0.0/ipcidr/8", "/ip6/fc00::/ipcidr/7", "/ip4/::/ipcidr/0", "/ip6/1.2.3.0/ipcidr/24"])
      expect({ mask, ok: isAddressMask(mask) }).toEqual({ mask, ok: true });
    for (const text of [
      "/ip4/10.0.0.0/ipcidr/33",
      "/ip4/10.0.0.0/tcp/8",
      "/ip4/10.0.0.0/ipcidr/8/tcp/1",
      "/ip4/x/ipcidr/8",
    ])
      expect({ text, ok: isAddressMask(text) }).toEqual({ text, ok: false });
  });
});

describe("Go values", () => {
  test.each([
    ["1h", true, 3_600_000],
    ["1h0m0s", true, 3_600_000],
    ["22h0m0s", true, 79_200_000],
    ["1m0s", true, 60_000],
    ["30s", true, 30_000],
    ["1.5h", true, 5_400_000],
    ["500ms", true, 500],
    ["0", true, 0],
    ["-2m", true, -120_000],
    ["", false, undefined],
    ["1 h", false, undefined],
    ["1d", false, undefined],
    ["10", false, undefined],
    // time.ParseDuration: a lone sign before "0" is still zero; a total past int64 nanoseconds fails
    ["-0", true, 0],
    ["+0", true, 0],
    ["+1.5s", true, 1500],
    ["5.s", true, 5000],
    [".5s", true, 500],
    [".s", false, undefined],
    ["1µs", true, 0.001],
    ["1μs", true, 0.001],
    ["1S", false, undefined],
    ["2562047h47m16.854775807s", true, 9_223_372_036_854.775],
    ["-2562047h47m16.854775808s", true, -9_223_372_036_854.775],
    ["2562047h47m16.854775808s", false, undefined],
    ["3000000h", false, undefined],
    ["2562047h1h", false, undefined],
    ["99999999999999999999ns", false, undefined],
  ])("Go duration %p: valid %p, %p ms", (text, valid, ms) => {
    expect(isGoDuration(text)).toBe(valid);
    if (ms === undefined || Math.abs(ms) < 1e12) expect(goDurationMs(text)).toBe(ms);
    else expect(goDurationMs(text)).toBeCloseTo(ms, 0);
  });

  test.each([
    [0, "0s"],
    [30_000, "30s"],
    [60_000, "1m0s"],
    [3_600_000, "1h0m0s"],
    [79_200_000, "22h0m0s"],
    [90_500, "1m30.5s"],
  ])("formatGoDuration(%p) is %p, as time.Duration.String writes it", (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  test.each([
    ["10GB", true],
    ["512MiB", true],
    ["256KiB", true],
    ["1.5 TB", true],
    ["1024", true],
    ["10gb", true],
    ["", false],
    ["lots", false],
    ["10 GB!", false],
    ["-1GB", false],
    // go-humanize ParseBytes: the number starts at the first character; "," groups; below 2^64.
    ["1,000 KiB", true],
    ["10 GB ", true],
    [" 10GB", false],
    ["1.5.3GB", false],
    ["16EiB", false],
    ["15EiB", true],
    // strings.TrimSpace around the unit: Go's blanks (U+0085 among them), not a byte order mark.
    ["10 GB\u0085", true],
    ["10\u3000GB\u00a0", true],
    ["10GB\ufeff", false],
  ])("byte size %p is %p", (text, valid) => {
    expect(isByteSize(text)).toBe(valid);
  });
});

describe("TOML floats", () => {
  test("every float is found by its key path, wherever it is written; no integer, date or string", async () => {
    const text = [
      "top = 1.0",
      "count = 3",
      "when = 1979-05-27T07:32:00Z",
      'label = "2.5"',
      "dotted.key = 1e3",
      "inline = { a = 0.0, b = 0, c = { d = -inf } }",
      "list = [1, 2.5, nan]",
      "[table]",
      "  x = +5e-1",
      "  y = 0x10",
      "[[rows]]",
      "  z = 7.0",
    ].join("\n");
    expect(await tomlFloats(text)).toEqual([
      { path: ["top"], value: 1 },
      { path: ["dotted", "key"], value: 1000 },
      { path: ["inline", "a"], value: 0 },
      { path: ["inline", "c", "d"], value: -Infinity },
      { path: ["list", "1"], value: 2.5 },
      { path: ["list", "2"], value: Number.NaN },
      { path: ["table", "x"], value: 0.5 },
      { path: ["rows", "0", "z"], value: 7 },
    ]);
  });

  test("a document deeper than any kitcfg reads is read no deeper than 100 levels", async () => {
    // The depth guard refuses such a file; walking a key dotted 40,000 times down took seconds.
    const deep = (levels: number, value: string) => `${Array.from({ length: levels }, () => "a").join(".")} = ${value}`;
    expect((await tomlFloats(deep(50, "1.5")))[0]?.path.length).toBe(50);
    expect(await tomlFloats(deep(150, "1.5"))).toEqual([]);
    expect(await tomlFloats(deep(40_000, "1.5"))).toEqual([]);
  });

  test("a text that does not parse has none (its parse error is reported where it is read)", async () => {
    expect(await tomlFloats("x = = 1.0")).toEqual([]);
  });
});

/** The libp2p-key CID (version 1, codec 0x72) of a base58 peer ID. */
function cidOf(peerId: string): Buffer {
  return Buffer.from([0x01, 0x72, ...decodeBase58(peerId)]);
}

/** A CID in the bases people write: base32 (both cases), base36 (both cases), base16, base64, base58btc. */
function cidTexts(cid: Buffer): string[] {
  const b36 = BigInt(`0x${cid.toString("hex")}`).toString(36);
  return [
    `b${base32([...cid])}`,
    `B${base32([...cid]).toUpperCase()}`,
    `k${b36}`,
    `K${b36.toUpperCase()}`,
    `f${cid.toString("hex")}`,
    `m${cid.toString("base64").replace(/=+$/, "")}`,
    `z${encodeBase58(cid)}`,
  ];
}

/** RFC 4648 base32, lower case, unpadded (written apart from the code under test). */
function base32(bytes: number[]): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = "";
  for (const byte of bytes) bits += byte.toString(2).padStart(8, "0");
  return (bits.match(/.{1,5}/g) ?? []).map((group) => alphabet[Number.parseInt(group.padEnd(5, "0"), 2)]).join("");
}

function varint(n: number): Buffer {
  const out: number[] = [];
  for (let value = n; ; value >>>= 7) {
    if (value < 0x80) return Buffer.from([...out, value]);
    out.push((value & 0x7f) | 0x80);
  }
}

test("goTrimSpace trims what Go's strings.TrimSpace does: U+0085 and U+3000, not U+FEFF or U+200B", () => {
  expect(goTrimSpace("\t\n\v\f\r \u0085\u00a0x y\u2028\u2029\u202f\u205f\u3000\u1680\u2000\u200a")).toBe("x y");
  expect(goTrimSpace("\ufeffx\u200b")).toBe("\ufeffx\u200b");
});
