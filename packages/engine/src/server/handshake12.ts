// The TLS 1.2 server handshake (RFC 5246 §7.3), as the design document's "server as a state machine"
// table names it:
//
//   Input               Current state        Next state     Output
//   ClientHello         IDLE                 CHECK_SESSION_CACHE
//   (id found)          CHECK_SESSION_CACHE  WAIT_RESUME    ServerHello, [ChangeCipherSpec], Finished
//   (id not found)      CHECK_SESSION_CACHE  WAIT           ServerHello, Certificate*, ServerKeyExchange*,
//                                                           CertificateRequest*, ServerHelloDone
//   Finished (client)   WAIT                 APP_DATA       [NewSessionTicket], [ChangeCipherSpec], Finished
//   Finished (client)   WAIT_RESUME          APP_DATA       -
//   ClientHello         APP_DATA             APP_DATA       Alert(no_renegotiation)
//
// WAIT takes, in order: Certificate* (if we asked), ClientKeyExchange, CertificateVerify* (if the
// client sent a certificate), ChangeCipherSpec, Finished; WAIT_RESUME takes ChangeCipherSpec,
// Finished. "id found" covers a session ID in our cache and a session ticket we sealed (RFC 5077).
// CHECK_SESSION_CACHE is also where we wait for ServerCertificates when it answers later.

import type { ServerCertificates, Certificate as X509Certificate } from '@tls-kit/certs';
import type {
  KeyExchangeGroup,
  KeyExchangeInitiator,
  NamedGroupName,
  SignatureSchemeName,
} from '@tls-kit/crypto';
import { FFDHE_PRIMES_HEX } from '@tls-kit/crypto';
import { concat, fromHex } from '@tls-kit/crypto/bytes';
import {
  Certificate12,
  CertificateRequest12,
  CertificateStatusMessage,
  CertificateStatusType,
  CertificateVerify,
  CipherSuite as CipherSuiteCode,
  ClientCertificateType,
  ClientHello,
  type ClientHelloMessage,
  ClientKeyExchangeDHE,
  ClientKeyExchangeECDHE,
  DOWNGRADE_TLS12,
  ECCurveType,
  ExtensionType,
  findExtension,
  HandshakeType,
  NewSessionTicket12,
  ProtocolVersion,
  ServerDHParams,
  ServerECDHParams,
  ServerHello,
  ServerHelloDone,
  type ServerHelloExtension,
  ServerKeyExchangeDHE,
  ServerKeyExchangeECDHE,
  SignatureScheme,
} from '@tls-kit/messages';
import { CURVE_GROUPS, GROUP_CODES, schemeCode, TLS12_ECDHE_GROUPS } from '../algorithms.js';
import { askServerCertificates, type ChainAnswer, type LocalChain } from '../certs-bridge.js';
import type { HandshakeState } from '../core.js';
import { refuse } from '../errors.js';
import {
  AppData12,
  chooseScheme12,
  ExpectChangeCipherSpec12,
  Keys12,
  keyFitsSuite,
  State12,
  stripLeadingZeros,
  tls12Facts,
  verifySigned12,
} from '../handshake/common12.js';
import type { HandshakeContext } from '../handshake/context.js';
import { expectMessage } from '../handshake/expect.js';
import { decode, type HandshakeMessage, latin1 } from '../handshake/messages.js';
import { withStapledResponse } from '../handshake/ocsp.js';
import { parsePeerCertificates, validatePeerChain } from '../handshake/peer-certificates.js';
import { answerRecordLimits } from '../handshake/record-limits.js';
import { localChains, sharedSchemes, sharedServerName } from '../handshake/shared-lists.js';
import { masterSecret12 } from '../keyschedule/tls12.js';
import { suite12ById, type Tls12CipherSuite } from '../suites.js';
import { Transcript } from '../transcript/transcript.js';
import { chooseAlpn } from './alpn.js';
import { SESSION12_TAG, type Session12, Session12Codec } from './session-cache.js';
import {
  type FfdheGroup,
  forServedChain,
  type Server12Settings,
  type ServerSettings,
  suitesByPreference,
} from './settings.js';
import { createdAt, expired, splitTime } from './stored-time.js';

const SESSION_ID_LENGTH = 32;
/**
 * A session renewed by new tickets stays resumable at most this long after its full handshake:
 * resumption reuses the master secret, so the chain must end (7 days, RFC 8446 §4.6.1's bound).
 */
const MAX_SESSION_AGE_SECONDS = 604800;

/** RFC 7919 §4: supported_groups codes 256..511 are FFDHE groups, known to us or not. */
const isFfdheCode = (code: number) => code >= 256 && code <= 511;

/** A server configured for TLS 1.2 only starts here (the design's IDLE). */
export function startServer12(conn: HandshakeContext, settings: ServerSettings): HandshakeState {
  return new Idle(conn, settings);
}

class Idle extends State12 {
  readonly name = 'IDLE';
  constructor(
    private readonly conn: HandshakeContext,
    private readonly settings: ServerSettings,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.client_hello, this.name);
    const ch = decode(ClientHello, message.body);
    this.conn.records.clientHelloExchanged();
    return clientHello12(this.conn, this.settings, message, ch);
  }
}

/** What the ClientHello asked for, as far as TLS 1.2 cares. */
interface Offer {
  readonly ch: ClientHelloMessage;
  readonly secureRenegotiation: boolean;
  readonly extendedMasterSecret: boolean;
  /** The session_ticket extension's content (empty: the client wants a ticket), if sent. */
  readonly ticket: Uint8Array | undefined;
  readonly alpn: string | undefined;
  readonly groups: readonly number[] | undefined;
  readonly schemes: readonly number[];
  readonly pointFormats: boolean;
  /** Our answer to record_size_limit or max_fragment_length (RFC 8449 §5: the former wins). */
  readonly limitExtension: ServerHelloExtension | undefined;
}

/**
 * A ClientHello for which we negotiate TLS 1.2: from IDLE, or handed over by the TLS 1.3
 * server when the client does not offer 1.3 (or we do not enable it).
 */
export function clientHello12(
  conn: HandshakeContext,
  settings: ServerSettings,
  message: HandshakeMessage,
  ch: ClientHelloMessage,
): HandshakeState {
  const { config } = conn;
  const tls12 = settings.tls12;
  if (!tls12) return refuse('NoSupportedVersion', 'TLS 1.2 is not enabled');
  const extensions = ch.extensions ?? [];
  const T = ExtensionType;
  // RFC 8446 §4.2.1 / RFC 5246 §7.4.1.2: the client's versions must include 1.2.
  const versions = findExtension(extensions, T.supported_versions)?.extensionData.versions;
  if (versions ? !versions.includes(ProtocolVersion.TLS1_2) : ch.legacyVersion < ProtocolVersion.TLS1_2) {
    refuse('NoSupportedVersion', 'the client does not offer TLS 1.2 or 1.3');
  }
  // RFC 7507 §3: a fallback connection to a server that knows a higher version.
  if (ch.cipherSuites.includes(CipherSuiteCode.TLS_FALLBACK_SCSV) && config.versions.includes('TLSv1.3')) {
    refuse('InappropriateFallback', 'TLS_FALLBACK_SCSV while we support TLS 1.3');
  }
  // RFC 5246 §7.4.1.2: the list must include null compression, which is what we use.
  if (!ch.legacyCompressionMethods.includes(0)) refuse('IllegalCompression', 'no null compression');

  // RFC 5746 §3.6: an initial ClientHello's renegotiation_info is empty; SCSV means the same.
  const renegotiation = findExtension(extensions, T.renegotiation_info)?.extensionData;
  if (renegotiation && renegotiation.renegotiatedConnection.length !== 0) {
    refuse('BadRenegotiationInfo', 'non-empty renegotiation_info in an initial handshake');
  }
  const names = findExtension(extensions, T.server_name)?.extensionData.serverNameList;
  if (names) {
    // RFC 6066 §3: one host name, ASCII.
    const name = names[0]!.hostName;
    if (names.length !== 1 || !/^[\x21-\x7e]+$/.test(name)) {
      refuse('BadServerName', 'server_name: not a single ASCII host name');
    }
    conn.facts.serverName = sharedServerName(name.toLowerCase());
  }
  const pointFormats = findExtension(extensions, T.ec_point_formats)?.extensionData.ecPointFormatList;
  // RFC 8422 §5.1.2: uncompressed points are the only format; a list without it is unusable.
  if (pointFormats && !pointFormats.includes(0))
    refuse('NoUncompressedPointFormat', 'ec_point_formats without uncompressed');

  const limitExtension = answerRecordLimits(conn, extensions, false);

  const offered = findExtension(extensions, T.application_layer_protocol_negotiation)?.extensionData
    .protocolNameList;
  const alpn = chooseAlpn(offered, config.alpnProtocols, settings.alpnCallback, conn.facts.serverName);

  const offer: Offer = {
    ch,
    secureRenegotiation:
      renegotiation !== undefined ||
      ch.cipherSuites.includes(CipherSuiteCode.TLS_EMPTY_RENEGOTIATION_INFO_SCSV),
    extendedMasterSecret: findExtension(extensions, T.extended_master_secret) !== undefined,
    ticket: findExtension(extensions, T.session_ticket)?.extensionData.ticket,
    alpn,
    groups: findExtension(extensions, T.supported_groups)?.extensionData.namedGroupList,
    // RFC 5246 §7.4.1.4.1: no signature_algorithms means {sha1,rsa} and {sha1,ecdsa}, which we never sign with.
    schemes: findExtension(extensions, T.signature_algorithms)?.extensionData
      .supportedSignatureAlgorithms ?? [SignatureScheme.rsa_pkcs1_sha1, SignatureScheme.ecdsa_sha1],
    pointFormats: pointFormats !== undefined,
    limitExtension,
  };
  conn.facts.peerSignatureSchemes = sharedSchemes(offer.schemes);
  const server = new Server12(conn, settings, tls12, offer);
  // The handshake's transcript starts here (a TLS 1.3 server hands over before any HelloRetryRequest).
  const transcript = new Transcript(config.provider);
  if (settings.clientAuth !== 'none') transcript.keepMessages();
  transcript.add(message.raw);
  return server.checkSessionCache(transcript);
}

interface Resumable {
  readonly session: Session12;
  readonly suite: Tls12CipherSuite;
  /** The session came from the client's ticket (not from our cache). */
  readonly fromTicket: boolean;
}

/** What our ServerHello settles beyond the suite. */
interface Hello12 {
  /** The session ID we answer with: the client's when resuming, ours for a resumable session. */
  readonly sessionId: Uint8Array;
  /** A NewSessionTicket follows (RFC 5077 §3.3). */
  readonly issueTicket: boolean;
}

/** What a full handshake's ServerHello settled, for the WAIT states after it. */
interface Settled12 extends Hello12 {
  readonly server: Server12;
  /** forServedChain's settings (the client trust store for our chain). */
  readonly settings: ServerSettings;
}

/** One server handshake up to its ServerHello: what the ClientHello offered and our settings. */
class Server12 {
  readonly serverRandom: Uint8Array;

  constructor(
    readonly conn: HandshakeContext,
    /** Before our chain is chosen (see Settled12). */
    readonly settings: ServerSettings,
    readonly tls12: Server12Settings,
    readonly offer: Offer,
  ) {
    this.serverRandom = conn.config.random(32).slice();
    // RFC 8446 §4.1.3: a TLS 1.3 server negotiating TLS 1.2 says so in the last 8 random bytes.
    if (conn.config.versions.includes('TLSv1.3')) this.serverRandom.set(DOWNGRADE_TLS12, 24);
  }

  /** CHECK_SESSION_CACHE (the design's session resumption and server state machine). */
  checkSessionCache(transcript: Transcript): HandshakeState {
    const { settings } = this;
    const found = this.findSession();
    if (found) return this.resume(found, transcript);
    // id_not_found_somehow: full handshake, once ServerCertificates has answered.
    return this.chooseChain([settings.certificates, ...settings.moreCertificates], transcript);
  }

  /**
   * Asks each certificate source in turn until one gives a chain some suite the client offers can
   * use with its key and the client's schemes (an RSA and an ECDSA chain for one name); the last
   * answer is used as it is.
   */
  private chooseChain(sources: readonly ServerCertificates[], transcript: Transcript): HandshakeState {
    const { conn } = this;
    const [source, ...rest] = sources;
    return conn.waitFor<ChainAnswer>(
      (answer) => askServerCertificates(source!, conn.facts.serverName, answer),
      (chain) => {
        if (chain instanceof Error)
          return refuse('UnusableServerCertificate', `unusable server chain: ${chain.message}`);
        if (rest.length > 0 && (!chain || !this.findNegotiation(chain)))
          return this.chooseChain(rest, transcript);
        const extensions = this.offer.ch.extensions ?? [];
        return withStapledResponse(
          conn,
          extensions,
          this.settings.ocspResponse,
          chain?.certificates,
          (ocsp) => this.fullHandshake(chain, ocsp, transcript),
        );
      },
      'CHECK_SESSION_CACHE',
    );
  }

  /** A session from our ticket, else from the cache, that we are willing to resume (RFC 5246 §7.4.1.2). */
  private findSession(): Resumable | undefined {
    const { offer, settings, tls12 } = this;
    const id = offer.ch.legacySessionId;
    // RFC 5077 §3.4: the client's session ID is how we tell it we resumed.
    if (offer.ticket && offer.ticket.length > 0 && settings.ticketKeys && id.length > 0) {
      const sealed = settings.ticketKeys.open(offer.ticket);
      let session: Session12 | undefined;
      try {
        session = sealed && Session12Codec.parse(sealed);
      } catch {
        session = undefined;
      }
      const usable = session && this.usable(session);
      if (usable) return Object.assign({}, usable, { fromTicket: true });
    }
    if (tls12.sessionCache && id.length > 0) {
      const session = tls12.sessionCache.get(id);
      const usable = session && this.usable(session);
      if (usable) return Object.assign({}, usable, { fromTicket: false });
      // Only expiry evicts here: session IDs travel in clear, so a ClientHello must not be able
      // to delete someone else's session by naming it with another server name.
      if (session && expired(session, this.conn.config.clock())) tls12.sessionCache.remove(id);
    }
    return undefined;
  }

  private usable(session: Session12): Omit<Resumable, 'fromTicket'> | undefined {
    const { conn, offer } = this;
    const suite = suite12ById(session.suite);
    if (session.tag !== SESSION12_TAG || !suite || !conn.config.suites12.includes(suite)) return undefined;
    // RFC 5246 §7.4.1.2: the ClientHello must still offer the session's suite.
    if (!offer.ch.cipherSuites.includes(suite.id)) return undefined;
    if (expired(session, this.conn.config.clock())) return undefined;
    // A session made without a client certificate does not satisfy clientAuth 'require'.
    if (this.settings.clientAuth === 'require' && session.clientCertificates.length === 0) return undefined;
    // RFC 6066 §3: resume only for the same server name.
    if (latin1(session.serverName) !== (conn.facts.serverName ?? '')) return undefined;
    // RFC 7627 §5.3: we only keep extended-master-secret sessions; a ClientHello without the
    // extension resuming one is aborted.
    if (session.extendedMasterSecret !== 1) return undefined;
    if (!offer.extendedMasterSecret) {
      refuse(
        'ResumptionWithoutExtendedMasterSecret',
        'resumption without extended_master_secret (RFC 7627 §5.3)',
      );
    }
    return { session, suite };
  }

  private serverHelloExtensions(
    hello: Hello12,
    full: boolean,
    ecc: boolean,
    stapling = false,
  ): ServerHelloExtension[] {
    const { conn, offer } = this;
    const T = ExtensionType;
    const out: ServerHelloExtension[] = [];
    // RFC 6066 §3: an empty server_name acknowledges the name; not when resuming.
    if (full && conn.facts.serverName !== undefined)
      out.push({ extensionType: T.server_name, extensionData: {} });
    if (offer.secureRenegotiation) {
      out.push({
        extensionType: T.renegotiation_info,
        extensionData: { renegotiatedConnection: new Uint8Array(0) },
      });
    }
    if (offer.extendedMasterSecret) out.push({ extensionType: T.extended_master_secret, extensionData: {} });
    if (hello.issueTicket) out.push({ extensionType: T.session_ticket, extensionData: {} });
    if (offer.alpn) {
      out.push({
        extensionType: T.application_layer_protocol_negotiation,
        extensionData: { protocolNameList: [offer.alpn] },
      });
    }
    // RFC 8422 §5.2: answer ec_point_formats when an ECC suite was chosen.
    if (ecc && offer.pointFormats)
      out.push({ extensionType: T.ec_point_formats, extensionData: { ecPointFormatList: [0] } });
    if (offer.limitExtension) out.push(offer.limitExtension);
    // RFC 6066 §8: an empty status_request, only when a CertificateStatus follows.
    if (stapling) out.push({ extensionType: T.status_request, extensionData: {} });
    return out;
  }

  private sendServerHello(
    suite: Tls12CipherSuite,
    hello: Hello12,
    extensions: ServerHelloExtension[],
    transcript: Transcript,
  ): void {
    const { conn, offer } = this;
    transcript.start(suite.hash);
    conn.sendHandshake(
      HandshakeType.server_hello,
      ServerHello.build({
        legacyVersion: ProtocolVersion.TLS1_2,
        random: this.serverRandom,
        legacySessionIdEcho: hello.sessionId,
        cipherSuite: suite.id,
        legacyCompressionMethod: 0,
        isHelloRetryRequest: false,
        extensions,
      }),
      transcript,
    );
    tls12Facts(conn, suite);
    conn.facts.sessionId = hello.sessionId;
    conn.facts.alpnProtocol = offer.alpn;
  }

  /**
   * id_found_somehow -> WAIT_RESUME: ServerHello, [NewSessionTicket], ChangeCipherSpec, Finished
   * (the design's server state machine; the ticket as RFC 5077 §3.1 allows, see renewed).
   */
  private resume({ session, suite, fromTicket }: Resumable, transcript: Transcript): HandshakeState {
    const { conn, offer, tls12 } = this;
    const renewal = fromTicket ? this.renewed(session) : undefined;
    const hello: Hello12 = { sessionId: offer.ch.legacySessionId, issueTicket: renewal !== undefined };
    this.sendServerHello(
      suite,
      hello,
      this.serverHelloExtensions(hello, false, suite.kx === 'ecdhe'),
      transcript,
    );
    if (renewal) this.sendTicket(renewal, true, transcript);
    conn.facts.resumed = true;
    conn.facts.peerCertificates = parsePeerCertificates(
      conn.config.certificateCache,
      session.clientCertificates.map((certData) => ({ certData })),
    );
    const id = hello.sessionId;
    if (tls12.sessionCache) conn.onInvalidate = () => tls12.sessionCache?.remove(id);
    transcript.releaseMessages();
    const keys = new Keys12(conn, suite, session.masterSecret, offer.ch.random, this.serverRandom);
    keys.sendChangeCipherSpec();
    keys.sendFinished(transcript);
    return new ExpectChangeCipherSpec12(
      'WAIT_RESUME',
      keys,
      () => new ExpectClientFinishedResumed(conn, transcript, keys),
    );
  }

  /**
   * The preferred suite (ours, or the client's: suitesByPreference) the client offers that our
   * key, its groups and its schemes allow; undefined when there is none.
   */
  private findNegotiation(
    chain: LocalChain,
  ): { suite: Tls12CipherSuite; group: KeyExchangeGroup; scheme: SignatureSchemeName } | undefined {
    const { conn, offer, tls12 } = this;
    const { config } = conn;
    const key = chain.privateKey;
    const scheme = chooseScheme12(config.signatureSchemes, offer.schemes, key);
    const clientGroups = offer.groups;
    const ecdhe = config.groups.find(
      (g) =>
        TLS12_ECDHE_GROUPS.has(g) && (clientGroups === undefined || clientGroups.includes(GROUP_CODES[g])),
    );
    // RFC 7919 §4: a client listing any FFDHE group gets our first one it lists, or no DHE at
    // all; otherwise our dhParams, else our first RFC 7919 group.
    // RFC 8422 §5.3: an ECDSA certificate's curve must be one the client lists, if it lists any.
    const curve = key.type === 'ec' && key.curve !== undefined ? CURVE_GROUPS[key.curve] : undefined;
    const curveOk = !curve || !clientGroups || clientGroups.includes(GROUP_CODES[curve]);
    const dhe: KeyExchangeGroup | undefined = clientGroups?.some(isFfdheCode)
      ? tls12.ffdheGroups.find((g) => clientGroups.includes(GROUP_CODES[g]))
      : tls12.dhParams
        ? { custom: tls12.dhParams }
        : tls12.ffdheGroups[0];
    for (const suite of suitesByPreference(
      config.suites12,
      offer.ch.cipherSuites,
      this.settings.preferClientCipherOrder,
    )) {
      if (!offer.ch.cipherSuites.includes(suite.id) || !keyFitsSuite(suite, key) || !scheme || !curveOk)
        continue;
      const group = suite.kx === 'ecdhe' ? ecdhe : dhe;
      if (group !== undefined) return { suite, group, scheme };
    }
    return undefined;
  }

  /** id_not_found_somehow -> WAIT: ServerHello, Certificate, ServerKeyExchange, CertificateRequest*, ServerHelloDone. */
  private fullHandshake(
    chain: LocalChain | null,
    ocsp: Uint8Array | undefined,
    transcript: Transcript,
  ): HandshakeState {
    const { conn, offer, tls12 } = this;
    const { config } = conn;
    if (!chain) {
      refuse(
        conn.facts.serverName ? 'NoCertificateForServerName' : 'NoServerCertificate',
        `no certificate for "${conn.facts.serverName ?? ''}"`,
      );
    }
    const settings = forServedChain(this.settings, chain.certificates);
    const negotiated = this.findNegotiation(chain);
    if (!negotiated) refuse('NoSharedCipherSuite', 'no cipher suite in common for our certificate');
    const { suite, group, scheme } = negotiated;
    // Sessions are resumable only with extended_master_secret (RFC 7627 §5.3).
    const issueTicket =
      offer.ticket !== undefined && settings.ticketKeys !== undefined && offer.extendedMasterSecret;
    const sessionId =
      offer.extendedMasterSecret && (tls12.sessionCache || issueTicket)
        ? config.random(SESSION_ID_LENGTH).slice()
        : new Uint8Array(0);
    const settled: Settled12 = { server: this, settings, sessionId, issueTicket };
    this.sendServerHello(
      suite,
      settled,
      this.serverHelloExtensions(settled, true, suite.kx === 'ecdhe', ocsp !== undefined),
      transcript,
    );
    conn.facts.localCertificates = localChains.shared(chain.certificates);
    conn.sendHandshake(
      HandshakeType.certificate,
      Certificate12.build({ certificateList: chain.certificates.map((c) => c.getAsn1Bytes()) }),
      transcript,
    );
    // RFC 6066 §8: CertificateStatus right after Certificate, before ServerKeyExchange.
    if (ocsp) {
      conn.sendHandshake(
        HandshakeType.certificate_status,
        CertificateStatusMessage.build({ statusType: CertificateStatusType.ocsp, ocspResponse: ocsp }),
        transcript,
      );
    }
    const kx = this.sendServerKeyExchange(suite, group, scheme, chain, transcript);
    const requested = settings.clientAuth !== 'none';
    if (requested) {
      conn.sendHandshake(
        HandshakeType.certificate_request,
        CertificateRequest12.build({
          certificateTypes: [ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign],
          supportedSignatureAlgorithms: config.signatureSchemes.map(schemeCode),
          certificateAuthorities: [...settings.certificateAuthorities],
        }),
        transcript,
      );
    }
    conn.sendHandshake(HandshakeType.server_hello_done, ServerHelloDone.build({}), transcript);
    conn.facts.signatureScheme = scheme;
    return requested
      ? new ExpectClientCertificate(settled, transcript, suite, kx)
      : new ExpectClientKeyExchange(settled, transcript, suite, kx, undefined);
  }

  /** RFC 8422 §5.4 / RFC 5246 §7.4.3: our (EC)DH share, signed with client_random + server_random. */
  private sendServerKeyExchange(
    suite: Tls12CipherSuite,
    group: KeyExchangeGroup,
    scheme: SignatureSchemeName,
    chain: LocalChain,
    transcript: Transcript,
  ): KeyExchangeInitiator {
    const { conn, offer } = this;
    const { provider } = conn.config;
    const kx = provider.startKeyExchange(group);
    const sign = (params: Uint8Array) => ({
      algorithm: schemeCode(scheme),
      signature: provider.sign(
        scheme,
        chain.privateKey,
        concat([offer.ch.random, this.serverRandom, params]),
      ),
    });
    if (suite.kx === 'ecdhe') {
      const name = group as NamedGroupName;
      const params = {
        curveParams: { curveType: ECCurveType.named_curve, namedCurve: GROUP_CODES[name] },
        public: kx.publicKey,
      };
      conn.sendHandshake(
        HandshakeType.server_key_exchange,
        ServerKeyExchangeECDHE.build({ params, signedParams: sign(ServerECDHParams.build(params)) }),
        transcript,
      );
      conn.facts.namedGroup = name;
    } else {
      const custom = typeof group === 'object' ? group.custom : undefined;
      const named = typeof group === 'string' ? (group as FfdheGroup) : undefined;
      const params = {
        dhP: custom ? custom.p : fromHex(FFDHE_PRIMES_HEX[named!]),
        dhG: custom ? custom.g : new Uint8Array([2]),
        dhYs: kx.publicKey,
      };
      conn.sendHandshake(
        HandshakeType.server_key_exchange,
        ServerKeyExchangeDHE.build({ params, signedParams: sign(ServerDHParams.build(params)) }),
        transcript,
      );
      conn.facts.namedGroup = named ?? `dh${stripLeadingZeros(params.dhP).length * 8}`;
    }
    return kx;
  }

  /** Seconds a new session (or ticket) stays resumable: ticketLifetime, within the ticket keys' reach. */
  private lifetimeSeconds(): number {
    const { settings } = this;
    return settings.ticketKeys
      ? Math.min(settings.ticketLifetimeSeconds, settings.ticketKeys.maxLifetimeSeconds)
      : settings.ticketLifetimeSeconds;
  }

  /**
   * RFC 5077 §3.1: the server may send a new ticket when it resumes one. We renew a ticket with
   * less than half its lifetime left (the client offered it, so it wants tickets): the same
   * session, resumable `lifetimeSeconds()` from now, but never past MAX_SESSION_AGE_SECONDS after
   * its full handshake; its creation time stays, its lifetime grows.
   */
  private renewed(session: Session12): Session12 | undefined {
    if (!this.settings.ticketKeys || !this.offer.extendedMasterSecret) return undefined;
    const ageSeconds = Math.floor((this.conn.config.clock() - createdAt(session)) / 1000);
    const lifetime = this.lifetimeSeconds();
    if ((session.lifetimeSeconds - ageSeconds) * 2 >= lifetime) return undefined;
    const lifetimeSeconds = Math.min(ageSeconds + lifetime, MAX_SESSION_AGE_SECONDS);
    return lifetimeSeconds > session.lifetimeSeconds ? { ...session, lifetimeSeconds } : undefined;
  }

  /**
   * NewSessionTicket (RFC 5077 §3.3): before our ChangeCipherSpec, part of the transcript. The
   * hint is the time the session has left. Not `resumable` (a client chain that did not verify
   * with rejectUnauthorized: false): an empty ticket, since we promised one.
   */
  sendTicket(session: Session12, resumable: boolean, transcript: Transcript): void {
    const { conn, settings } = this;
    if (!settings.ticketKeys) return;
    const ageSeconds = Math.floor((conn.config.clock() - createdAt(session)) / 1000);
    conn.sendHandshake(
      HandshakeType.new_session_ticket,
      NewSessionTicket12.build({
        ticketLifetimeHint: resumable ? Math.max(session.lifetimeSeconds - ageSeconds, 0) : 0,
        ticket: resumable ? settings.ticketKeys.seal(Session12Codec.build(session)) : new Uint8Array(0),
      }),
      transcript,
    );
  }

  /** The session this full handshake made, for the cache and for tickets. */
  session(suite: Tls12CipherSuite, master: Uint8Array): Session12 {
    const { conn } = this;
    return {
      tag: SESSION12_TAG,
      suite: suite.id,
      ...splitTime(conn.config.clock()),
      lifetimeSeconds: this.lifetimeSeconds(),
      masterSecret: master,
      extendedMasterSecret: this.offer.extendedMasterSecret ? 1 : 0,
      serverName: new TextEncoder().encode(conn.facts.serverName ?? ''),
      clientCertificates: conn.facts.peerCertificates.map((c) => c.getAsn1Bytes()),
    };
  }
}

/** WAIT, Certificate* from the client (RFC 5246 §7.4.6). */
class ExpectClientCertificate extends State12 {
  readonly name = 'WAIT';
  constructor(
    private readonly settled: Settled12,
    private readonly transcript: Transcript,
    private readonly suite: Tls12CipherSuite,
    private readonly kx: KeyExchangeInitiator,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate, 'WAIT (client Certificate)');
    const { settled, transcript, suite, kx } = this;
    const { settings } = settled;
    const { conn } = settled.server;
    const { certificateList } = decode(Certificate12, message.body);
    transcript.add(message.raw);
    if (certificateList.length === 0) {
      // RFC 5246 §7.4.6: a server that requires a certificate answers handshake_failure.
      if (settings.clientAuth === 'require')
        refuse('NoClientCertificateTls12', 'the client sent no certificate');
      transcript.releaseMessages();
      return new ExpectClientKeyExchange(settled, transcript, suite, kx, undefined);
    }
    const chain = parsePeerCertificates(
      conn.config.certificateCache,
      certificateList.map((certData) => ({ certData })),
    );
    if (!settings.clientTrustStore) refuse('NoClientTrustStore', 'no trust store for client certificates');
    validatePeerChain(conn, chain, 'client', settings.clientTrustStore, undefined, settings.verifyCallback);
    return new ExpectClientKeyExchange(settled, transcript, suite, kx, chain[0]);
  }
}

/** WAIT, ClientKeyExchange (RFC 8422 §5.7, RFC 5246 §7.4.7.2). */
class ExpectClientKeyExchange extends State12 {
  readonly name = 'WAIT';

  constructor(
    private readonly settled: Settled12,
    private readonly transcript: Transcript,
    private readonly suite: Tls12CipherSuite,
    private readonly kx: KeyExchangeInitiator,
    /** The client's certificate, whose CertificateVerify follows. */
    private readonly clientLeaf: X509Certificate | undefined,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.client_key_exchange, 'WAIT (ClientKeyExchange)');
    const { settled, transcript, suite } = this;
    const { server } = settled;
    const { conn, offer } = server;
    const peer =
      suite.kx === 'ecdhe'
        ? decode(ClientKeyExchangeECDHE, message.body).ecdhYc
        : decode(ClientKeyExchangeDHE, message.body).dhYc;
    let shared: Uint8Array;
    try {
      shared = this.kx.complete(peer);
    } catch (error) {
      // RFC 8422 §5.10 / RFC 7919 §3: an invalid point or DH value (0, 1, p-1, >= p).
      return refuse('BadKeyShare', `bad client key exchange value: ${(error as Error).message}`);
    }
    const preMaster = suite.kx === 'dhe' ? stripLeadingZeros(shared) : shared;
    transcript.add(message.raw);
    // RFC 7627 §3: session_hash covers the messages up to and including ClientKeyExchange.
    const sessionHash = offer.extendedMasterSecret ? transcript.current() : undefined;
    const master = masterSecret12(
      conn.config.provider,
      suite,
      preMaster,
      offer.ch.random,
      server.serverRandom,
      sessionHash,
    );
    const keys = new Keys12(conn, suite, master, offer.ch.random, server.serverRandom);
    const next = () => new ExpectClientFinished(settled, transcript, keys);
    if (this.clientLeaf)
      return new ExpectClientCertificateVerify(conn, transcript, this.clientLeaf, keys, next);
    return new ExpectChangeCipherSpec12('WAIT', keys, next);
  }
}

/** WAIT, CertificateVerify* (RFC 5246 §7.4.8): signs all handshake messages so far. */
class ExpectClientCertificateVerify extends State12 {
  readonly name = 'WAIT';
  constructor(
    private readonly conn: HandshakeContext,
    private readonly transcript: Transcript,
    private readonly leaf: X509Certificate,
    private readonly keys: Keys12,
    private readonly next: () => HandshakeState,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate_verify, 'WAIT (CertificateVerify)');
    const { conn, transcript } = this;
    const cv = decode(CertificateVerify, message.body);
    const signed = concat([...transcript.keptMessages()]);
    verifySigned12(conn, cv.algorithm, cv.signature, this.leaf.publicKey, signed, 'client CertificateVerify');
    transcript.releaseMessages();
    transcript.add(message.raw);
    return new ExpectChangeCipherSpec12('WAIT', this.keys, this.next);
  }
}

/** WAIT, client Finished -> APP_DATA with [NewSessionTicket], ChangeCipherSpec, Finished. */
class ExpectClientFinished extends State12 {
  readonly name = 'WAIT';
  constructor(
    private readonly settled: Settled12,
    private readonly transcript: Transcript,
    private readonly keys: Keys12,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.finished, 'WAIT (Finished)');
    const { settled, transcript, keys } = this;
    const { server } = settled;
    const { conn, tls12 } = server;
    keys.checkFinished(message, transcript);
    const session = server.session(keys.suite, keys.master);
    // A client chain that did not verify (rejectUnauthorized: false) is not kept for resumption:
    // an empty ticket (RFC 5077 §3.3) and no cache entry.
    const resumable = conn.facts.peerVerification?.ok !== false;
    if (settled.issueTicket) server.sendTicket(session, resumable, transcript);
    keys.sendChangeCipherSpec();
    keys.sendFinished(transcript);
    const cache = tls12.sessionCache;
    const id = settled.sessionId;
    if (cache && resumable && id.length > 0 && session.extendedMasterSecret === 1) {
      cache.put(id, session);
      // RFC 5246 §7.2.2: a fatal alert invalidates the session.
      conn.onInvalidate = () => cache.remove(id);
    }
    conn.handshakeComplete();
    return new AppData12(conn, keys.secrets());
  }
}

/** WAIT_RESUME, client Finished -> APP_DATA (nothing to send: our Finished went first). */
class ExpectClientFinishedResumed extends State12 {
  readonly name = 'WAIT_RESUME';
  constructor(
    private readonly conn: HandshakeContext,
    private readonly transcript: Transcript,
    private readonly keys: Keys12,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.finished, 'WAIT_RESUME (Finished)');
    this.keys.checkFinished(message, this.transcript);
    this.conn.handshakeComplete();
    return new AppData12(this.conn, this.keys.secrets());
  }
}
