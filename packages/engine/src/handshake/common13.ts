// Pieces of the TLS 1.3 handshake both roles use: extension permission checks (RFC 8446 §4.2),
// CertificateVerify (§4.4.3), Finished (§4.4.4), signature scheme choice and the handshake keys.
// What TLS 1.2 shares lives beside it: expect.ts, peer-certificates.ts.
import type { Certificate } from '@tls-kit/certs';
import type { PrivateKey, PublicKey, SignatureSchemeName } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import {
  Certificate13,
  CertificateStatusType,
  CertificateVerify,
  ExtensionType,
  HandshakeType,
} from '@tls-kit/messages';
import { schemeCode, tls13SchemeFitsKey } from '../algorithms.js';
import { refuse } from '../errors.js';
import { EarlySecret, finishedVerifyData, type HandshakeSecret } from '../keyschedule/key-schedule.js';
import type { CipherSuite } from '../suites.js';
import type { Transcript } from '../transcript/transcript.js';
import type { HandshakeContext } from './context.js';
import { extensionName } from './messages.js';
import { verifyPeerSignature } from './peer-signature.js';
import { localChains } from './shared-lists.js';

const E = ExtensionType;

/** RFC 8446 §4.2 table: which extensions may appear in which message (plus RFC 8449 in EE). */
export const ALLOWED_EXTENSIONS = {
  serverHello: new Set<number>([E.key_share, E.pre_shared_key, E.supported_versions]),
  helloRetryRequest: new Set<number>([E.key_share, E.cookie, E.supported_versions]),
  encryptedExtensions: new Set<number>([
    E.server_name,
    E.max_fragment_length,
    E.supported_groups,
    E.application_layer_protocol_negotiation,
    E.early_data,
    E.record_size_limit,
  ]),
  certificateRequest: new Set<number>([
    E.status_request,
    E.signature_algorithms,
    E.signed_certificate_timestamp,
    E.certificate_authorities,
    E.signature_algorithms_cert,
    E.oid_filters,
  ]),
};

/**
 * Extensions in a server message must answer ones we sent (else unsupported_extension) and be
 * allowed in that message (else illegal_parameter), RFC 8446 §4.2.
 */
export function checkResponseExtensions(
  extensions: readonly { readonly extensionType: number }[] | undefined,
  sent: ReadonlySet<number>,
  allowed: ReadonlySet<number>,
  message: string,
): void {
  for (const { extensionType: type } of extensions ?? []) {
    const name = extensionName(type);
    if (!sent.has(type)) refuse('UnsolicitedExtension', `${message}: unsolicited extension ${name}`);
    if (!allowed.has(type)) refuse('ExtensionNotAllowed', `${message}: extension ${name} not allowed here`);
  }
}

const SPACES = new Uint8Array(64).fill(0x20);
const SERVER_CONTEXT = new TextEncoder().encode('TLS 1.3, server CertificateVerify\0');
const CLIENT_CONTEXT = new TextEncoder().encode('TLS 1.3, client CertificateVerify\0');

/** The signed content of CertificateVerify (RFC 8446 §4.4.3). */
export function certificateVerifyContent(
  signer: 'client' | 'server',
  transcriptHash: Uint8Array,
): Uint8Array {
  return concat([SPACES, signer === 'server' ? SERVER_CONTEXT : CLIENT_CONTEXT, transcriptHash]);
}

/** Our preferred scheme that the peer offered and `key` can make; undefined if none. */
export function chooseSignatureScheme(
  ours: readonly SignatureSchemeName[],
  peerCodes: readonly number[],
  key: PrivateKey,
): SignatureSchemeName | undefined {
  const offered = new Set(peerCodes);
  return ours.find((s) => offered.has(schemeCode(s)) && tls13SchemeFitsKey(s, key));
}

/** Checks a peer's CertificateVerify (RFC 8446 §4.4.3); returns the scheme name. */
export function verifyCertificateVerify(
  conn: HandshakeContext,
  scheme: number,
  signature: Uint8Array,
  key: PublicKey,
  signer: 'client' | 'server',
  transcriptHash: Uint8Array,
): SignatureSchemeName {
  const signed = certificateVerifyContent(signer, transcriptHash);
  return verifyPeerSignature(
    conn,
    scheme,
    signature,
    key,
    signed,
    tls13SchemeFitsKey,
    `${signer} CertificateVerify`,
  );
}

/**
 * Our Certificate message, with the chain leaf first (RFC 8446 §4.4.2); a stapled OCSP response
 * goes in the leaf's entry (§4.4.2.1).
 */
export function sendCertificate(
  conn: Pick<HandshakeContext, 'facts' | 'sendHandshake'>,
  transcript: Transcript,
  context: Uint8Array,
  chain: readonly Certificate[],
  ocspResponse?: Uint8Array,
): void {
  conn.facts.localCertificates = localChains.shared(chain);
  const certificateList = chain.map((c, i) => ({
    certData: c.getAsn1Bytes(),
    extensions:
      i === 0 && ocspResponse
        ? [
            {
              extensionType: ExtensionType.status_request,
              extensionData: { statusType: CertificateStatusType.ocsp, ocspResponse },
            } as const,
          ]
        : [],
  }));
  conn.sendHandshake(
    HandshakeType.certificate,
    Certificate13.build({ certificateRequestContext: context, certificateList }),
    transcript,
  );
}

/** Our CertificateVerify over the transcript so far (RFC 8446 §4.4.3). */
export function sendCertificateVerify(
  conn: Pick<HandshakeContext, 'config' | 'sendHandshake'>,
  transcript: Transcript,
  scheme: SignatureSchemeName,
  key: PrivateKey,
  signer: 'client' | 'server',
): void {
  const signature = conn.config.provider.sign(
    scheme,
    key,
    certificateVerifyContent(signer, transcript.current()),
  );
  conn.sendHandshake(
    HandshakeType.certificate_verify,
    CertificateVerify.build({ algorithm: schemeCode(scheme), signature }),
    transcript,
  );
}

/** Checks the peer's Finished in constant time (RFC 8446 §4.4.4: decrypt_error). */
export function checkFinished(
  conn: HandshakeContext,
  suite: CipherSuite,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
  verifyData: Uint8Array,
): void {
  checkVerifyData(conn, finishedVerifyData(conn.config.provider, suite, baseKey, transcriptHash), verifyData);
}

/** checkFinished against a verify_data computed earlier (a server that sent tickets with its Finished). */
export function checkVerifyData(conn: HandshakeContext, expected: Uint8Array, verifyData: Uint8Array): void {
  if (verifyData.length !== expected.length || !conn.config.provider.timingSafeEqual(expected, verifyData)) {
    refuse('BadFinished', 'bad Finished verify_data');
  }
  conn.facts.peerFinished = verifyData.slice();
}

/** The handshake secret and both handshake traffic secrets (RFC 8446 §7.1). */
export interface HandshakeKeys13 {
  readonly hs: HandshakeSecret;
  readonly clientSecret: Uint8Array;
  readonly serverSecret: Uint8Array;
}

/**
 * After ServerHello both sides derive the handshake traffic secrets over ClientHello..ServerHello
 * and protect every later record with them (RFC 8446 §7.1, §7.3): an alert sent before our
 * Finished goes under the handshake key too. The connection is TLS 1.3 from here on.
 */
export function enterHandshakeKeys(
  conn: HandshakeContext,
  transcript: Transcript,
  clientRandom: Uint8Array,
  suite: CipherSuite,
  psk: Uint8Array | undefined,
  shared: Uint8Array,
  role: 'client' | 'server',
): HandshakeKeys13 {
  const hs = EarlySecret.create(conn.config.provider, suite, psk).handshake(shared);
  const th = transcript.current();
  const clientSecret = hs.clientTrafficSecret(th);
  const serverSecret = hs.serverTrafficSecret(th);
  conn.keyLog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom, clientSecret);
  conn.keyLog('SERVER_HANDSHAKE_TRAFFIC_SECRET', clientRandom, serverSecret);
  const [read, write] = role === 'client' ? [serverSecret, clientSecret] : [clientSecret, serverSecret];
  // Write keys first: if the read side fails (a message split across the key change), our alert
  // goes out under the keys the peer now reads with.
  conn.installKeys('write', { version: 'TLSv1.3', suite, secret: write });
  conn.installKeys('read', { version: 'TLSv1.3', suite, secret: read });
  conn.facts.tlsVersion = 'TLSv1.3';
  conn.facts.cipherSuite = suite.name;
  return { hs, clientSecret, serverSecret };
}
