// The TLS 1.2 client handshake (RFC 5246 §7.3), as the design document's "client as a state machine"
// table names it:
//
//   Input               Current state  Next state  Output
//   -                   IDLE           WAIT_1      ClientHello
//   ServerHelloDone     WAIT_1         WAIT_2      Certificate*, ClientKeyExchange, CertificateVerify*,
//                                                  [ChangeCipherSpec], Finished
//   Finished (server)   WAIT_1         APP_DATA    [ChangeCipherSpec], Finished      (resumption)
//   Finished (server)   WAIT_2         APP_DATA    -
//   HelloRequest        APP_DATA       APP_DATA    Alert(no_renegotiation)
//
// WAIT_1 takes ServerHello, then either Certificate, ServerKeyExchange, CertificateRequest*,
// ServerHelloDone (full handshake) or [NewSessionTicket], ChangeCipherSpec, Finished (the server
// resumed our session, by ID or ticket). WAIT_2 takes [NewSessionTicket], ChangeCipherSpec, Finished.
//
// A client that also offers TLS 1.3 sends one ClientHello (client/handshake13.ts) carrying our
// offer; when the ServerHello picks TLS 1.2 it is handed to `Client12.serverHello`.
import type { Certificate } from '@tls-kit/certs';
import type { SignatureSchemeName } from '@tls-kit/crypto';
import { bytesEqual, concat } from '@tls-kit/crypto/bytes';
import {
  Certificate12,
  CertificateRequest12,
  type CertificateRequest12Message,
  CertificateStatusMessage,
  CertificateVerify,
  ClientHello,
  type ClientHelloExtension,
  ClientKeyExchangeDHE,
  ClientKeyExchangeECDHE,
  ContentType,
  DOWNGRADE_TLS11,
  DOWNGRADE_TLS12,
  ExtensionType,
  findExtension,
  HandshakeType,
  NewSessionTicket12,
  ProtocolVersion,
  ServerHello,
  ServerHelloDone,
  type ServerHelloMessage,
  ServerKeyExchangeDHE,
  ServerKeyExchangeECDHE,
} from '@tls-kit/messages';
import { groupName, schemeCode, TLS12_ECDHE_GROUPS } from '../algorithms.js';
import { ClientCertificateAnswer, type LocalChain } from '../certs-bridge.js';
import type { HandshakeState } from '../core.js';
import { ProtocolViolation, refuse } from '../errors.js';
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
import { decode, frameHandshake, type HandshakeMessage } from '../handshake/messages.js';
import { acceptStapledResponse, checkStapledStatus } from '../handshake/ocsp.js';
import { parsePeerCertificates, validatePeerChain } from '../handshake/peer-certificates.js';
import { acceptRecordLimits, maxFragmentLengthCode } from '../handshake/record-limits.js';
import { localChains, sharedSchemes } from '../handshake/shared-lists.js';
import { masterSecret12 } from '../keyschedule/tls12.js';
import { MAX_PLAINTEXT } from '../protocol.js';
import type { Tls12CipherSuite } from '../suites.js';
import { Transcript } from '../transcript/transcript.js';
import { checkServerDhGroup } from './dh-group.js';
import { helloExtensions } from './hello-extensions.js';
import type { ClientSession12 } from './session12.js';
import type { Client12Settings } from './settings.js';

/** What the ClientHello carried, as the ServerHello handler needs it. */
export interface SentHello {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly sentExtensions: ReadonlySet<number>;
  /** A HelloRetryRequest came first: the server already chose TLS 1.3. */
  readonly retried: boolean;
  /** The max_fragment_length code we asked for (RFC 6066 §4), if any. */
  readonly maxFragmentLength?: number;
  /** The handshake's transcript, holding the ClientHello(s) and a HelloRetryRequest. */
  readonly transcript: Transcript;
}

/** RFC 5077 §3.3: a lifetime hint of 0 means unspecified; we then keep sessions two hours. */
const DEFAULT_SESSION_LIFETIME_MS = 7200 * 1000;

/** Extensions a TLS 1.2 ServerHello may answer with (RFC 5246 §7.4.1.4 and the extension RFCs). */
const SERVER_HELLO_12 = new Set<number>([
  ExtensionType.server_name,
  ExtensionType.ec_point_formats,
  ExtensionType.application_layer_protocol_negotiation,
  ExtensionType.extended_master_secret,
  ExtensionType.renegotiation_info,
  ExtensionType.session_ticket,
  ExtensionType.record_size_limit,
  ExtensionType.max_fragment_length,
  ExtensionType.status_request,
]);

/** Our TLS 1.2 offer and, once the server picks 1.2, the handshake that follows. */
export class Client12 {
  /** The session we offer to resume, if any. */
  readonly session: ClientSession12 | undefined;
  /** legacy_session_id for resumption: the session's ID, or a fresh one beside a ticket (RFC 5077 §3.4). */
  readonly sessionId: Uint8Array | undefined;

  constructor(
    readonly conn: HandshakeContext,
    readonly settings: Client12Settings,
    /** The ClientHello also offers TLS 1.3 (so a downgrade sentinel is an attack: RFC 8446 §4.1.3). */
    readonly offers13: boolean,
  ) {
    const { config } = conn;
    const session = settings.sessions?.get(settings.hostname);
    const usable =
      session?.extendedMasterSecret &&
      config.clock() - session.createdAt < session.lifetimeMs &&
      config.suites12.some((s) => s.id === session.suite);
    this.session = usable ? session : undefined;
    if (this.session?.ticket) this.sessionId = config.random(32).slice();
    else if (this.session && this.session.sessionId.length > 0) this.sessionId = this.session.sessionId;
  }

  get cipherSuites(): number[] {
    return this.conn.config.suites12.map((s) => s.id);
  }

  /** The TLS 1.2 extensions of our ClientHello, beyond those TLS 1.3 also sends. */
  extensions(): ClientHelloExtension[] {
    const T = ExtensionType;
    const out: ClientHelloExtension[] = [
      // RFC 8422 §5.1.2: uncompressed points only.
      { extensionType: T.ec_point_formats, extensionData: { ecPointFormatList: [0] } },
      { extensionType: T.extended_master_secret, extensionData: {} },
      // RFC 5746 §3.4: an empty renegotiation_info in the initial handshake.
      { extensionType: T.renegotiation_info, extensionData: { renegotiatedConnection: new Uint8Array(0) } },
    ];
    if (this.settings.sessions) {
      out.push({
        extensionType: T.session_ticket,
        extensionData: { ticket: this.session?.ticket ?? new Uint8Array(0) },
      });
    }
    return out;
  }

  /** A ClientHello offering TLS 1.2 only (the design's IDLE -> WAIT_1). */
  sendClientHello(): SentHello {
    const { conn, settings } = this;
    const { config } = conn;
    const random = config.random(32).slice();
    const sessionId = this.sessionId ?? new Uint8Array(0);
    const maxFragmentLength = maxFragmentLengthCode(config, false);
    const extensions = helloExtensions(config, {
      sni: settings.sni,
      groups: config.groups.filter((g) => TLS12_ECDHE_GROUPS.has(g)),
      afterSignatureAlgorithms: [],
      // RFC 8449 §4: a TLS 1.2-only endpoint's limit is at most 2^14.
      recordSizeLimit: Math.min(config.recordSizeLimit, MAX_PLAINTEXT),
      maxFragmentLength,
      requestOCSP: settings.requestOCSP,
    });
    extensions.push(...this.extensions());
    const raw = frameHandshake(
      HandshakeType.client_hello,
      ClientHello.build({
        legacyVersion: ProtocolVersion.TLS1_2,
        random,
        legacySessionId: sessionId,
        cipherSuites: this.cipherSuites,
        legacyCompressionMethods: [0],
        extensions,
      }),
    );
    const transcript = new Transcript(config.provider);
    transcript.add(raw);
    conn.sendRaw(ContentType.handshake, raw);
    conn.records.clientHelloExchanged();
    return {
      random,
      sessionId,
      sentExtensions: new Set(extensions.map((e) => e.extensionType)),
      retried: false,
      maxFragmentLength,
      transcript,
    };
  }

  /** A ServerHello that selects TLS 1.2 (RFC 5246 §7.4.1.3). */
  serverHello(message: HandshakeMessage, sh: ServerHelloMessage, hello: SentHello): HandshakeState {
    const { conn, offers13 } = this;
    const { config } = conn;
    if (hello.retried || sh.isHelloRetryRequest)
      refuse('Tls12AfterHelloRetryRequest', 'TLS 1.2 ServerHello after a HelloRetryRequest');
    if (sh.legacyVersion !== ProtocolVersion.TLS1_2) {
      refuse('NoSupportedVersion', `the server chose version 0x${sh.legacyVersion.toString(16)}`);
    }
    // RFC 8446 §4.1.3: the server supports 1.3, yet something made it pick 1.2: a downgrade.
    const tail = sh.random.subarray(24);
    if ((offers13 && bytesEqual(tail, DOWNGRADE_TLS12)) || bytesEqual(tail, DOWNGRADE_TLS11)) {
      refuse('DowngradeDetected', 'downgrade sentinel in the ServerHello random');
    }
    const suite = config.suites12.find((s) => s.id === sh.cipherSuite);
    if (!suite) refuse('UnofferedCipherSuite', `cipher suite 0x${sh.cipherSuite.toString(16)} not offered`);
    if (sh.legacyCompressionMethod !== 0) refuse('IllegalCompression', 'compression');
    const extensions = sh.extensions ?? [];
    for (const { extensionType } of extensions) {
      // RFC 5246 §7.4.1.4: only extensions we offered, and only those a TLS 1.2 ServerHello carries.
      if (!hello.sentExtensions.has(extensionType))
        refuse('UnsolicitedExtension', `unsolicited extension ${extensionType}`);
      if (!SERVER_HELLO_12.has(extensionType))
        refuse('ExtensionNotAllowed', `extension ${extensionType} in a TLS 1.2 ServerHello`);
    }
    const T = ExtensionType;
    const renegotiation = findExtension(extensions, T.renegotiation_info)?.extensionData;
    // RFC 5746 §3.4: the initial handshake's renegotiation_info must be empty.
    if (renegotiation && renegotiation.renegotiatedConnection.length !== 0) {
      refuse('BadRenegotiationInfo', 'non-empty renegotiation_info');
    }
    // RFC 5746 §4.1: a server without renegotiation_info does not support secure renegotiation;
    // the client decides whether to go on (ClientOptions.requireSecureRenegotiation).
    if (!renegotiation && this.settings.requireSecureRenegotiation) {
      refuse('SecureRenegotiationUnsupported', 'the server does not support secure renegotiation (RFC 5746)');
    }
    const alpn = findExtension(extensions, T.application_layer_protocol_negotiation)?.extensionData
      .protocolNameList;
    if (alpn) {
      // RFC 7301 §3.1: exactly one protocol, one we offered.
      if (alpn.length !== 1 || !config.alpnProtocols.includes(alpn[0]!)) {
        refuse('UnofferedApplicationProtocol', 'server selected an ALPN protocol we did not offer');
      }
      conn.facts.alpnProtocol = alpn[0];
    }
    const pointFormats = findExtension(extensions, T.ec_point_formats)?.extensionData.ecPointFormatList;
    if (pointFormats && !pointFormats.includes(0))
      refuse('NoUncompressedPointFormat', 'ec_point_formats without uncompressed');
    acceptRecordLimits(conn, extensions, hello.maxFragmentLength, false);
    const ems = findExtension(extensions, T.extended_master_secret) !== undefined;
    const ticketPromised = findExtension(extensions, T.session_ticket) !== undefined;
    // RFC 6066 §8: an (empty) status_request answer allows a CertificateStatus after Certificate.
    const statusPromised = findExtension(extensions, T.status_request) !== undefined;
    const echo = sh.legacySessionIdEcho;
    const echoesOurs = echo.length > 0 && bytesEqual(echo, hello.sessionId);

    const { transcript } = hello;
    transcript.keepMessages();
    transcript.start(suite.hash);
    transcript.add(message.raw);
    tls12Facts(conn, suite);
    conn.facts.sessionId = echo;
    const handshake = new Handshake12(
      this,
      suite,
      hello.random,
      sh.random,
      ems,
      ticketPromised,
      statusPromised,
    );

    if (echoesOurs) {
      // RFC 5246 §7.4.1.3: the same session ID means the server resumes it.
      const session = this.session;
      if (!session) return refuse('UnofferedSession', 'the server resumed a session we did not offer');
      handshake.rememberOnInvalidate(session);
      if (session.suite !== suite.id)
        refuse('ResumedSessionCipherSuiteMismatch', 'resumed session with another cipher suite');
      // RFC 7627 §5.3: the session used extended_master_secret, so the ServerHello must too.
      if (!ems)
        refuse(
          'ResumptionWithoutExtendedMasterSecret',
          'resumption without extended_master_secret (RFC 7627 §5.3)',
        );
      return handshake.resumed(session, transcript);
    }
    // The server did not resume what we offered: forget it (a new session may replace it).
    if (this.session) this.settings.sessions?.remove(this.settings.hostname, this.session);
    return new ExpectServerCertificate(handshake, transcript);
  }
}

/** A NewSessionTicket's ticket (RFC 5077 §3.3), as the session keeps it. */
interface ReceivedTicket {
  readonly ticket: Uint8Array;
  readonly lifetimeMs: number;
}

/** What the ServerHello settled for one TLS 1.2 client handshake; read-only. */
class Handshake12 {
  readonly conn: HandshakeContext;

  constructor(
    readonly client: Client12,
    readonly suite: Tls12CipherSuite,
    readonly clientRandom: Uint8Array,
    readonly serverRandom: Uint8Array,
    readonly extendedMasterSecret: boolean,
    readonly ticketPromised: boolean,
    readonly statusPromised: boolean,
  ) {
    this.conn = client.conn;
  }

  /** The server resumed `session`: WAIT_1 takes [NewSessionTicket], ChangeCipherSpec, Finished. */
  resumed(session: ClientSession12, transcript: Transcript): HandshakeState {
    const { conn } = this;
    transcript.releaseMessages();
    conn.facts.resumed = true;
    conn.facts.peerCertificates = session.peerCertificates;
    const keys = new Keys12(conn, this.suite, session.masterSecret, this.clientRandom, this.serverRandom);
    return this.expectServerFinished(transcript, keys, session);
  }

  /**
   * [NewSessionTicket], ChangeCipherSpec and the server's Finished: in WAIT_1 when resuming
   * `resumed`, else in WAIT_2 after our flight.
   */
  expectServerFinished(
    transcript: Transcript,
    keys: Keys12,
    resumed: ClientSession12 | undefined,
  ): HandshakeState {
    const name = resumed ? 'WAIT_1' : 'WAIT_2';
    const ccs = (ticket: ReceivedTicket | undefined) =>
      new ExpectChangeCipherSpec12(
        name,
        keys,
        () => new ExpectServerFinished(this, transcript, keys, resumed, ticket),
      );
    return this.ticketPromised ? new ExpectNewSessionTicket(transcript, name, ccs) : ccs(undefined);
  }

  /** RFC 5246 §7.2.2: a fatal alert ends the session. */
  rememberOnInvalidate(session: ClientSession12): void {
    const { sessions, hostname } = this.client.settings;
    this.conn.onInvalidate = () => sessions?.remove(hostname, session);
  }

  /** After our Finished or the server's: keep the session if it can be resumed. */
  keepSession(keys: Keys12, previous: ClientSession12 | undefined, ticket: ReceivedTicket | undefined): void {
    const { conn } = this;
    const { sessions, hostname } = this.client.settings;
    if (!sessions || !this.extendedMasterSecret) return;
    const sessionId = conn.facts.sessionId ?? new Uint8Array(0);
    if (previous && !ticket) return;
    if (sessionId.length === 0 && !ticket) return;
    const session: ClientSession12 = {
      sessionId: previous ? previous.sessionId : sessionId,
      ticket: ticket?.ticket ?? previous?.ticket,
      masterSecret: keys.master,
      suite: this.suite.id,
      extendedMasterSecret: true,
      peerCertificates: conn.facts.peerCertificates,
      createdAt: ticket || !previous ? conn.config.clock() : previous.createdAt,
      lifetimeMs: ticket?.lifetimeMs ?? previous?.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS,
    };
    sessions.put(hostname, session);
    this.rememberOnInvalidate(session);
  }
}

/** Client states: a HelloRequest during the handshake is ignored (RFC 5246 §7.4.1.1). */
abstract class ClientState12 extends State12 {
  abstract override readonly name: string;
  protected abstract receive(message: HandshakeMessage): HandshakeState;

  override handle(message: HandshakeMessage): HandshakeState {
    if (message.type === HandshakeType.hello_request && message.body.length === 0) return this;
    return this.receive(message);
  }
}

/** WAIT_1 of a 1.2-only client: the ServerHello. */
export class ExpectServerHello12 extends ClientState12 {
  readonly name = 'WAIT_1';
  constructor(
    private readonly client: Client12,
    private readonly hello: SentHello,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.server_hello, 'WAIT_1 (ServerHello)');
    const sh = decode(ServerHello, message.body);
    // We did not offer TLS 1.3: supported_versions in the answer is unsolicited (RFC 8446 §4.2.1).
    return this.client.serverHello(message, sh, this.hello);
  }
}

/** The design's IDLE -> WAIT_1 for a client configured for TLS 1.2 only. */
export function startClient12(conn: HandshakeContext, settings: Client12Settings): HandshakeState {
  const client = new Client12(conn, settings, false);
  const hello = client.sendClientHello();
  conn.facts.serverName = settings.sni;
  return new ExpectServerHello12(client, hello);
}

/** WAIT_1, the server's Certificate (RFC 5246 §7.4.2). */
class ExpectServerCertificate extends ClientState12 {
  readonly name = 'WAIT_1';
  constructor(
    private readonly hs: Handshake12,
    private readonly transcript: Transcript,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate, 'WAIT_1 (Certificate)');
    const { conn, client, suite } = this.hs;
    const { certificateList } = decode(Certificate12, message.body);
    if (certificateList.length === 0) refuse('EmptyServerCertificate', 'empty server Certificate');
    const chain = parsePeerCertificates(
      conn.config.certificateCache,
      certificateList.map((certData) => ({ certData })),
    );
    const { transcript } = this;
    transcript.add(message.raw);
    const { settings } = client;
    validatePeerChain(conn, chain, 'server', settings.trustStore, settings.hostname, settings.verifyCallback);
    const leaf = chain[0]!;
    if (!keyFitsSuite(suite, leaf.publicKey)) {
      refuse('CertificateKeyDoesNotFitSuite', `a ${leaf.publicKey.type} certificate for ${suite.name}`);
    }
    const keyExchange = new ExpectServerKeyExchange(this.hs, transcript, leaf);
    return this.hs.statusPromised
      ? new ExpectCertificateStatus(this.hs, transcript, keyExchange)
      : keyExchange;
  }
}

/**
 * WAIT_1, CertificateStatus (RFC 6066 §8), after a ServerHello that answered status_request. The
 * message is optional: "a server MAY also choose not to send a CertificateStatus message, even if
 * [it] has sent a status_request extension in the server hello message". Without that answer,
 * a CertificateStatus is out of order for ExpectServerKeyExchange (unexpected_message): "a server
 * MUST NOT send the CertificateStatus message unless it [...] sent a status_request extension in
 * the server hello message".
 */
class ExpectCertificateStatus extends ClientState12 {
  readonly name = 'WAIT_1';
  constructor(
    private readonly hs: Handshake12,
    private readonly transcript: Transcript,
    private readonly next: ExpectServerKeyExchange,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    if (message.type !== HandshakeType.certificate_status) return this.next.handle(message);
    acceptStapledResponse(this.hs.conn, decode(CertificateStatusMessage, message.body));
    this.transcript.add(message.raw);
    return this.next;
  }
}

interface ClientShare {
  readonly publicKey: Uint8Array;
  readonly preMasterSecret: Uint8Array;
}

/** WAIT_1, ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3): checked signature, then our share. */
class ExpectServerKeyExchange extends ClientState12 {
  readonly name = 'WAIT_1';
  constructor(
    private readonly hs: Handshake12,
    private readonly transcript: Transcript,
    private readonly leaf: Certificate,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.server_key_exchange, 'WAIT_1 (ServerKeyExchange)');
    const { hs } = this;
    const { conn, suite } = hs;
    // RFC 6066 §8: CertificateStatus, when sent, comes right after Certificate; by the
    // ServerKeyExchange (always sent: our suites are (EC)DHE) the stapled status is final.
    checkStapledStatus(conn, hs.client.settings.ocspVerification);
    const ske =
      suite.kx === 'ecdhe'
        ? decode(ServerKeyExchangeECDHE, message.body)
        : decode(ServerKeyExchangeDHE, message.body);
    const { algorithm, signature } = ske.signedParams;
    // The signed params are the message up to the digitally-signed struct (2 + 2 + signature).
    const params = message.body.subarray(0, message.body.length - 4 - signature.length);
    conn.facts.signatureScheme = verifySigned12(
      conn,
      algorithm,
      signature,
      this.leaf.publicKey,
      concat([hs.clientRandom, hs.serverRandom, params]),
      'ServerKeyExchange',
    );
    let share: ClientShare;
    try {
      share = 'curveParams' in ske.params ? this.ecdhe(ske.params) : this.dhe(ske.params);
    } catch (error) {
      if (error instanceof ProtocolViolation || !(error instanceof Error)) throw error;
      // RFC 8422 §5.10, RFC 7919 §3: invalid points and DH values (0, 1, p-1, >= p).
      return refuse('BadKeyShare', `bad server key exchange value: ${error.message}`);
    }
    this.transcript.add(message.raw);
    return new ExpectCertificateRequestOrDone(hs, this.transcript, share);
  }

  private ecdhe(params: { curveParams: { namedCurve: number }; public: Uint8Array }): ClientShare {
    const { conn } = this.hs;
    const name = groupName(params.curveParams.namedCurve);
    if (!name || !TLS12_ECDHE_GROUPS.has(name) || !conn.config.groups.includes(name)) {
      refuse(
        'UnofferedGroup',
        `ServerKeyExchange with curve ${params.curveParams.namedCurve} we did not offer`,
      );
    }
    const response = conn.config.provider.respondKeyExchange(name, params.public);
    conn.facts.namedGroup = name;
    return { publicKey: response.publicKey, preMasterSecret: response.sharedSecret };
  }

  private dhe(params: { dhP: Uint8Array; dhG: Uint8Array; dhYs: Uint8Array }): ClientShare {
    const { conn } = this.hs;
    const group = checkServerDhGroup(params.dhP, conn.config.provider);
    const response = conn.config.provider.respondKeyExchange(
      { custom: { p: params.dhP, g: params.dhG } },
      params.dhYs,
    );
    conn.facts.namedGroup = group;
    // RFC 5246 §8.1.2: leading zero bytes of Z are stripped.
    return { publicKey: response.publicKey, preMasterSecret: stripLeadingZeros(response.sharedSecret) };
  }
}

/** WAIT_1, CertificateRequest* (RFC 5246 §7.4.4) or ServerHelloDone. */
class ExpectCertificateRequestOrDone extends ClientState12 {
  readonly name = 'WAIT_1';
  constructor(
    private readonly hs: Handshake12,
    private readonly transcript: Transcript,
    private readonly share: ClientShare,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    const { hs, transcript, share } = this;
    if (message.type !== HandshakeType.certificate_request) {
      return new ExpectServerHelloDone(hs, transcript, share, undefined).handle(message);
    }
    const request = decode(CertificateRequest12, message.body);
    transcript.add(message.raw);
    const authorities = request.certificateAuthorities;
    const answer = new ClientCertificateAnswer(
      request,
      this.hs.client.settings.clientCertificateStore,
      authorities.length > 0 ? authorities : undefined,
    );
    return new ExpectServerHelloDone(hs, transcript, share, answer);
  }
}

/** WAIT_1, ServerHelloDone -> WAIT_2 with our flight (the design's client state machine, second row). */
class ExpectServerHelloDone extends ClientState12 {
  readonly name = 'WAIT_1';
  constructor(
    private readonly hs: Handshake12,
    private readonly transcript: Transcript,
    private readonly share: ClientShare,
    private readonly clientCertificate: ClientCertificateAnswer<CertificateRequest12Message> | undefined,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.server_hello_done, 'WAIT_1 (ServerHelloDone)');
    const { conn } = this.hs;
    decode(ServerHelloDone, message.body);
    this.transcript.add(message.raw);
    const answer = this.clientCertificate;
    if (!answer) {
      this.transcript.releaseMessages();
      return this.sendFlight(undefined, null);
    }
    return conn.waitFor<LocalChain | null>(
      (cb) => answer.register(cb),
      (chain) => this.sendFlight(answer.request, chain),
      'WAIT_1',
    );
  }

  /** Certificate*, ClientKeyExchange, CertificateVerify*, ChangeCipherSpec, Finished. */
  private sendFlight(
    request: CertificateRequest12Message | undefined,
    chain: LocalChain | null,
  ): HandshakeState {
    const { hs, transcript, share } = this;
    const { conn, suite } = hs;
    const { config } = conn;
    let signer: { chain: LocalChain; scheme: SignatureSchemeName } | undefined;
    if (request) {
      conn.facts.peerSignatureSchemes = sharedSchemes(request.supportedSignatureAlgorithms);
      const scheme = chain
        ? chooseScheme12(config.signatureSchemes, request.supportedSignatureAlgorithms, chain.privateKey)
        : undefined;
      if (chain && scheme) signer = { chain, scheme };
      // RFC 5246 §7.4.6: without a suitable certificate, an empty Certificate message.
      if (signer) conn.facts.localCertificates = localChains.shared(signer.chain.certificates);
      const certificateList = signer ? signer.chain.certificates.map((c) => c.getAsn1Bytes()) : [];
      conn.sendHandshake(HandshakeType.certificate, Certificate12.build({ certificateList }), transcript);
    }
    conn.sendHandshake(
      HandshakeType.client_key_exchange,
      suite.kx === 'ecdhe'
        ? ClientKeyExchangeECDHE.build({ ecdhYc: share.publicKey })
        : ClientKeyExchangeDHE.build({ dhYc: share.publicKey }),
      transcript,
    );
    // RFC 7627 §3: session_hash covers the messages through ClientKeyExchange.
    const sessionHash = hs.extendedMasterSecret ? transcript.current() : undefined;
    const master = masterSecret12(
      config.provider,
      suite,
      share.preMasterSecret,
      hs.clientRandom,
      hs.serverRandom,
      sessionHash,
    );
    const keys = new Keys12(conn, suite, master, hs.clientRandom, hs.serverRandom);
    if (signer) {
      // RFC 5246 §7.4.8: the signature covers every handshake message so far.
      const signature = config.provider.sign(
        signer.scheme,
        signer.chain.privateKey,
        concat([...transcript.keptMessages()]),
      );
      conn.sendHandshake(
        HandshakeType.certificate_verify,
        CertificateVerify.build({ algorithm: schemeCode(signer.scheme), signature }),
        transcript,
      );
    }
    transcript.releaseMessages();
    keys.sendChangeCipherSpec();
    keys.sendFinished(transcript);
    return hs.expectServerFinished(transcript, keys, undefined);
  }
}

/** WAIT_1 / WAIT_2, NewSessionTicket (RFC 5077 §3.3), promised by the ServerHello's session_ticket. */
class ExpectNewSessionTicket extends ClientState12 {
  constructor(
    private readonly transcript: Transcript,
    readonly name: string,
    private readonly next: (ticket: ReceivedTicket | undefined) => HandshakeState,
  ) {
    super();
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.new_session_ticket, `${this.name} (NewSessionTicket)`);
    const { ticketLifetimeHint, ticket } = decode(NewSessionTicket12, message.body);
    this.transcript.add(message.raw);
    // RFC 5077 §3.3: an empty ticket means "no ticket this time".
    if (ticket.length === 0) return this.next(undefined);
    return this.next({
      ticket: ticket.slice(),
      lifetimeMs: ticketLifetimeHint > 0 ? ticketLifetimeHint * 1000 : DEFAULT_SESSION_LIFETIME_MS,
    });
  }
}

/**
 * The server's Finished: in WAIT_2 after a full handshake (-> APP_DATA, nothing to send), or in
 * WAIT_1 when resuming (-> APP_DATA with our ChangeCipherSpec and Finished).
 */
class ExpectServerFinished extends ClientState12 {
  readonly name: string;
  constructor(
    private readonly hs: Handshake12,
    private readonly transcript: Transcript,
    private readonly keys: Keys12,
    private readonly resumedSession: ClientSession12 | undefined,
    private readonly ticket: ReceivedTicket | undefined,
  ) {
    super();
    this.name = resumedSession ? 'WAIT_1' : 'WAIT_2';
  }

  protected receive(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.finished, `${this.name} (Finished)`);
    const { hs, transcript, keys } = this;
    keys.checkFinished(message, transcript);
    if (this.resumedSession) {
      keys.sendChangeCipherSpec();
      keys.sendFinished(transcript);
    }
    hs.keepSession(keys, this.resumedSession, this.ticket);
    hs.conn.handshakeComplete();
    return new AppData12(hs.conn, keys.secrets());
  }
}
