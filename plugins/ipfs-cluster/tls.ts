import type * as NodeCrypto from "node:crypto";

// What Go's tls.LoadX509KeyPair needs of the REST API's TLS files, which ipfs-cluster loads
// when it reads the section (api/common/config.go tlsOptions -> newTLSConfig): the certificate
// file holds a PEM "CERTIFICATE" block, the key file a PEM block whose type is "PRIVATE KEY"
// or ends in " PRIVATE KEY" (PKCS#1, PKCS#8 or EC, not encrypted), and the key is the
// certificate's. DER files, swapped files and a key from another pair fail the load.

/** Why the pair does not load, per file; empty when it loads. */
export interface TlsPairProblems {
  cert?: string;
  key?: string;
}

/** Check a certificate and key file's text as the daemon loads them. */
export function tlsPairProblems(certText: string, keyText: string): TlsPairProblems {
  const certBlock = pemBlocks(certText).find((block) => block.type === "CERTIFICATE");
  const keyBlock = pemBlocks(keyText).find((block) => block.type === "PRIVATE KEY" || / PRIVATE KEY$/.test(block.type));
  const problems: TlsPairProblems = {};
  if (!certBlock) problems.cert = "holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
  if (!keyBlock) problems.key = "holds no PEM private key (-----BEGIN PRIVATE KEY----- or ...RSA/EC PRIVATE KEY-----)";
  if (!certBlock || !keyBlock) return problems;
  const crypto = nodeCrypto();
  let cert: NodeCrypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(certBlock.text);
  } catch (error) {
    return { cert: `holds a certificate that does not parse: ${describe(error)}` };
  }
  let key: NodeCrypto.KeyObject;
  try {
    key = crypto.createPrivateKey(keyBlock.text);
  } catch (error) {
    return { key: `holds a private key that does not parse (an encrypted key cannot be used): ${describe(error)}` };
  }
  if (!cert.checkPrivateKey(key)) return { key: "is not the private key of the certificate in ssl_cert_file" };
  return {};
}

// --- internal ---

/** PEM blocks as encoding/pem finds them: BEGIN and END lines of the same type. */
function pemBlocks(text: string): { type: string; text: string }[] {
  return [...text.matchAll(/-----BEGIN ([^\n-]*)-----\r?\n[\s\S]*?-----END \1-----/g)].map((match) => ({
    type: match[1]!,
    text: match[0],
  }));
}

/** The library's reason, without key material (node:crypto's messages hold none). */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** node:crypto, loaded only when a config names TLS files (it costs start-up time). */
function nodeCrypto(): typeof NodeCrypto {
  return require("node:crypto") as typeof NodeCrypto;
}
