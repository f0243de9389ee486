/**
 * Multibase texts, read as go-multibase v0.2.0 `Decode` reads them (the version go-cid and
 * go-libp2p use; multibase.go): the first character names the base, the rest is the data.
 * Each base refuses what Go's decoder refuses: a character outside the alphabet, a length no
 * encoder makes, wrong padding. Like Go's, the decoders ignore bits left over at the end.
 * Not read: identity (0x00) and base256emoji, which nobody writes in a configuration file,
 * and the line breaks Go's base32 and base64 decoders skip.
 */

/** The bytes `text` encodes, or undefined where go-multibase refuses it. */
export function decodeMultibase(text: string): Uint8Array | undefined {
  const body = text.slice(1);
  switch (text[0]) {
    case "0":
      return /^(?:[01]{8})*$/.test(body)
        ? Uint8Array.from(body.match(/.{8}/g) ?? [], (b) => Number.parseInt(b, 2))
        : undefined;
    case "f":
    case "F":
      return /^(?:[0-9a-fA-F]{2})*$/.test(body) ? Uint8Array.from(Buffer.from(body, "hex")) : undefined;
    case "b":
    case "B":
      return decodeBase32(body, BASE32, false);
    case "c":
    case "C":
      return decodeBase32(body, BASE32, true);
    case "v":
    case "V":
      return decodeBase32(body, BASE32_HEX, false);
    case "t":
    case "T":
      return decodeBase32(body, BASE32_HEX, true);
    case "k":
    case "K":
      return decodeRadix(body.toLowerCase(), BASE36);
    case "z":
      return decodeRadix(body, BASE58_BTC);
    case "Z":
      return decodeRadix(body, BASE58_FLICKR);
    case "m":
      return decodeBase64(body, /^[A-Za-z0-9+/]*$/, false);
    case "u":
      return decodeBase64(body, /^[A-Za-z0-9_-]*$/, false);
    case "M":
      return decodeBase64(body, /^[A-Za-z0-9+/]*$/, true);
    case "U":
      return decodeBase64(body, /^[A-Za-z0-9_-]*$/, true);
    default:
      return undefined;
  }
}

// --- internal ---

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const BASE32_HEX = "0123456789abcdefghijklmnopqrstuv";
const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const BASE58_BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE58_FLICKR = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/**
 * Base32 of RFC 4648 in either case (go-base32's `NewEncodingCI`). The last group of 8
 * characters may hold 2, 4, 5 or 7 of them (RFC 4648 §6): 1, 3 and 6 are refused. Padded,
 * the text comes in whole groups, filled with "=".
 */
function decodeBase32(text: string, alphabet: string, padded: boolean): Uint8Array | undefined {
  let data = text.toLowerCase();
  if (padded) {
    if (data.length % 8 !== 0) return undefined;
    const pad = data.length - data.replace(/(?<!=)=+$/, "").length;
    if (![0, 1, 3, 4, 6].includes(pad)) return undefined;
    data = data.slice(0, data.length - pad);
  }
  if ([1, 3, 6].includes(data.length % 8)) return undefined;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of data) {
    const digit = alphabet.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * Base64, standard or URL-safe (Go's encoding/base64, not strict). Unpadded, a length of 1
 * more than a multiple of 4 is refused; padded, the text comes in whole groups of 4.
 */
function decodeBase64(text: string, alphabet: RegExp, padded: boolean): Uint8Array | undefined {
  let data = text;
  if (padded) {
    if (data.length % 4 !== 0) return undefined;
    data = data.replace(/={1,2}$/, "");
  }
  if (data.length % 4 === 1 || !alphabet.test(data)) return undefined;
  return Uint8Array.from(Buffer.from(data.replaceAll("-", "+").replaceAll("_", "/"), "base64"));
}

/**
 * A number in base 36 or 58 as its bytes, big-endian, each leading zero digit a zero byte
 * (go-base36, mr-tron/base58).
 */
function decodeRadix(text: string, alphabet: string): Uint8Array | undefined {
  if (text.length === 0) return undefined;
  let zeros = 0;
  while (zeros < text.length && text[zeros] === alphabet[0]) zeros++;
  const radix = BigInt(alphabet.length);
  let value = 0n;
  for (const char of text) {
    const digit = alphabet.indexOf(char);
    if (digit < 0) return undefined;
    value = value * radix + BigInt(digit);
  }
  const hex = value === 0n ? "" : value.toString(16);
  return Uint8Array.from([...new Uint8Array(zeros), ...Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex")]);
}
