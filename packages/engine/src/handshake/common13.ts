// Pieces of the TLS 1.3 handshake both roles use: extension permission checks (RFC 8446 §4.2),
// CertificateVerify (§4.4.3), Finished (§4.4.4), peer certificate validation, and signature
// scheme choice.
import {
  type Certificate,
  type CertificateCache,
  type TrustStore,
  VerifyFailureReason,
  verifyChain,
} from '@tls-kit/certs';
import type { PrivateKey, PublicKey, SignatureSchemeName } from '@tls-kit/crypto';
import { schemeCode, schemeName, tls13SchemeFitsKey } from '../algorithms.js';
import {
  AlertDescription,
  Certificate13,
  CertificateStatusType,
  CertificateVerify,
  ExtensionType,
  HandshakeType,
} from '@tls-kit/messages';
import { concat } from '../bytes.js';
import type { ConnectionCore, PeerVerification } from '../core.js';
import { UserCallbackError } from '../core.js';
import { fail } from '../errors.js';
import { EarlySecret, finishedVerifyData, type HandshakeSecret } from '../keyschedule/key-schedule.js';
import type { CipherSuite } from '../suites.js';
import type { Transcript } from '../transcript/transcript.js';
import { extensionName, type HandshakeMessage, handshakeName } from './messages.js';

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
    if (!sent.has(type))
      fail(AlertDescription.unsupported_extension, `${message}: unsolicited extension ${name}`);
    if (!allowed.has(type))
      fail(AlertDescription.illegal_parameter, `${message}: extension ${name} not allowed here`);
  }
}

export function expectMessage(message: HandshakeMessage, type: number, state: string): void {
  if (message.type !== type) {
    fail(
      AlertDescription.unexpected_message,
      `${state}: got ${handshakeName(message.type)}, expected ${handshakeName(type)}`,
    );
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
  core: ConnectionCore,
  scheme: number,
  signature: Uint8Array,
  key: PublicKey,
  signer: 'client' | 'server',
  transcriptHash: Uint8Array,
): SignatureSchemeName {
  const name = schemeName(scheme);
  // RFC 8446 §4.4.3: the scheme must be one we offered and fit the key (illegal_parameter).
  if (!name || !core.config.signatureSchemes.includes(name)) {
    fail(
      AlertDescription.illegal_parameter,
      `CertificateVerify with a scheme we did not offer (0x${scheme.toString(16)})`,
    );
  }
  if (!tls13SchemeFitsKey(name, key)) {
    fail(
      AlertDescription.illegal_parameter,
      `CertificateVerify scheme ${name} does not fit the ${key.type} key`,
    );
  }
  let ok: boolean;
  try {
    ok = core.config.provider.verify(name, key, certificateVerifyContent(signer, transcriptHash), signature);
  } catch {
    ok = false;
  }
  if (!ok) fail(AlertDescription.decrypt_error, `bad ${signer} CertificateVerify signature`);
  return name;
}

/**
 * Our Certificate message, with the chain leaf first (RFC 8446 §4.4.2); a stapled OCSP response
 * goes in the leaf's entry (§4.4.2.1).
 */
export function sendCertificate(
  core: ConnectionCore,
  context: Uint8Array,
  chain: readonly Certificate[],
  ocspResponse?: Uint8Array,
  transcript: Transcript = core.transcript,
): void {
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
  core.sendHandshake(
    HandshakeType.certificate,
    Certificate13.build({ certificateRequestContext: context, certificateList }),
    transcript,
  );
}

/** Our CertificateVerify over the transcript so far (RFC 8446 §4.4.3). */
export function sendCertificateVerify(
  core: ConnectionCore,
  scheme: SignatureSchemeName,
  key: PrivateKey,
  signer: 'client' | 'server',
  transcript: Transcript = core.transcript,
): void {
  const signature = core.config.provider.sign(
    scheme,
    key,
    certificateVerifyContent(signer, transcript.current()),
  );
  core.sendHandshake(
    HandshakeType.certificate_verify,
    CertificateVerify.build({ algorithm: schemeCode(scheme), signature }),
    transcript,
  );
}

/** Checks the peer's Finished in constant time (RFC 8446 §4.4.4: decrypt_error). */
export function checkFinished(
  core: ConnectionCore,
  suite: CipherSuite,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
  verifyData: Uint8Array,
): void {
  const expected = finishedVerifyData(core.config.provider, suite, baseKey, transcriptHash);
  if (verifyData.length !== expected.length || !core.config.provider.timingSafeEqual(expected, verifyData)) {
    fail(AlertDescription.decrypt_error, 'bad Finished verify_data');
  }
}

const NONE: ReadonlySet<number> = new Set();

/**
 * Parses the peer's certificate_list through the cache of its ClientTLS / ServerTLS; an
 * unparsable certificate is bad_certificate. `solicited`: the CertificateEntry extensions we
 * asked for (status_request when we requested OCSP).
 */
export function parsePeerCertificates(
  cache: CertificateCache,
  entries: readonly {
    readonly certData: Uint8Array;
    readonly extensions?: readonly { extensionType: number }[];
  }[],
  solicited: ReadonlySet<number> = NONE,
): Certificate[] {
  return entries.map((entry, i) => {
    // RFC 8446 §4.4.2: CertificateEntry extensions answer ones from the ClientHello or the
    // CertificateRequest; any other is unsolicited (§4.2: unsupported_extension).
    const unsolicited = entry.extensions?.find((e) => !solicited.has(e.extensionType));
    if (unsolicited) {
      fail(
        AlertDescription.unsupported_extension,
        `CertificateEntry extension ${extensionName(unsolicited.extensionType)}`,
      );
    }
    try {
      return cache.parse(entry.certData);
    } catch (error) {
      return fail(
        AlertDescription.bad_certificate,
        `certificate ${i} does not parse: ${(error as Error).message}`,
      );
    }
  });
}

/** The alert for each way a chain can fail validation (RFC 8446 §6.2). */
function alertForReason(reason: string): number {
  switch (reason) {
    case VerifyFailureReason.Expired:
    case VerifyFailureReason.NotYetValid:
      return AlertDescription.certificate_expired;
    case VerifyFailureReason.UnknownIssuer:
    case VerifyFailureReason.DepthExceeded:
      return AlertDescription.unknown_ca;
    case VerifyFailureReason.UnsupportedAlgorithm:
      return AlertDescription.unsupported_certificate;
    default:
      return AlertDescription.bad_certificate;
  }
}

/** One verdict object shared by every verified connection (it is immutable). */
const VERIFIED: PeerVerification = Object.freeze({ ok: true });

/**
 * The verified chains handed out, one frozen array per leaf (certificates come from the
 * CertificateCache and the trust store, so the same chain has the same objects): every
 * connection that verified the same path shares one array instead of keeping its own.
 */
const verifiedChains = new WeakMap<Certificate, readonly Certificate[]>();

function sharedChain(chain: readonly Certificate[]): readonly Certificate[] {
  const leaf = chain[0]!;
  const known = verifiedChains.get(leaf);
  if (known && known.length === chain.length && known.every((c, i) => c === chain[i])) return known;
  const frozen = Object.freeze(chain.slice());
  verifiedChains.set(leaf, frozen);
  return frozen;
}

/**
 * Validates the peer's chain with packages/certs (path, validity, usage, and hostname for
 * servers, or the user's checkServerIdentity instead of the built-in hostname rule), then runs
 * the user's verifyCallback, whose exceptions invalidate without an alert. With
 * `rejectUnauthorized: false` a failure is recorded in `facts.peerVerification` instead of
 * aborting; the caller still checks CertificateVerify against the leaf. `checkStatus` (the
 * stapled OCSP check) runs once the path is known and before verifyCallback.
 */
export function validatePeerChain(
  core: ConnectionCore,
  certificates: readonly Certificate[],
  purpose: 'server' | 'client',
  trustStore: TrustStore,
  hostname: string | undefined,
  verifyCallback: ((certificates: Certificate[], connection: unknown) => void) | undefined,
  checkStatus?: () => void,
): void {
  const [leaf, ...intermediates] = certificates;
  if (!leaf) fail(AlertDescription.internal_error, 'no certificate to validate');
  core.facts.receivedCertificates = certificates;
  const { checkServerIdentity, rejectUnauthorized } = core.config;
  const customIdentity = hostname !== undefined && checkServerIdentity !== undefined;
  let result = verifyChain({
    leaf,
    intermediates,
    trustStore,
    time: new Date(core.config.clock()),
    purpose,
    ...(hostname === undefined || customIdentity ? {} : { hostname }),
    provider: core.config.provider,
  });
  if (result.ok && customIdentity) {
    let refusal: Error | undefined;
    try {
      refusal = checkServerIdentity(hostname, result.chain);
    } catch (error) {
      throw new UserCallbackError(error);
    }
    if (refusal)
      result = { ok: false, reason: VerifyFailureReason.HostnameMismatch, message: refusal.message };
  }
  if (!result.ok) {
    if (rejectUnauthorized)
      fail(alertForReason(result.reason), `${purpose} certificate rejected: ${result.message}`);
    core.facts.peerVerification = { ok: false, reason: result.reason, message: result.message };
  } else {
    core.facts.peerVerification = VERIFIED;
  }
  // Unverified: the chain as received.
  core.facts.peerCertificates = result.ok ? sharedChain(result.chain) : certificates;
  // The stapled status (TLS 1.3: already in the leaf's entry), before the user's callback.
  checkStatus?.();
  if (verifyCallback) {
    try {
      verifyCallback([...core.facts.peerCertificates], core.publicConnection);
    } catch (error) {
      throw new UserCallbackError(error);
    }
  }
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
  core: ConnectionCore,
  suite: CipherSuite,
  psk: Uint8Array | undefined,
  shared: Uint8Array,
  role: 'client' | 'server',
): HandshakeKeys13 {
  const hs = EarlySecret.create(core.config.provider, suite, psk).handshake(shared);
  const th = core.transcript.current();
  const clientSecret = hs.clientTrafficSecret(th);
  const serverSecret = hs.serverTrafficSecret(th);
  core.keyLog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientSecret);
  core.keyLog('SERVER_HANDSHAKE_TRAFFIC_SECRET', serverSecret);
  const [read, write] = role === 'client' ? [serverSecret, clientSecret] : [clientSecret, serverSecret];
  core.setReadSecret(suite, read);
  core.setWriteSecret(suite, write);
  core.facts.tlsVersion = 'TLSv1.3';
  core.facts.cipherSuite = suite.name;
  return { hs, clientSecret, serverSecret };
}
