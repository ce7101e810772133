// The TLS 1.3 client handshake (RFC 8446 §2, §4), one state per expected message:
//
//   start -> ClientHello
//   ExpectServerHello --HRR--> (ClientHello 2) ExpectServerHello
//   ExpectServerHello -> ExpectEncryptedExtensions -> ExpectCertificateOrCertificateRequest
//     -> [ExpectCertificate] -> ExpectCertificateVerify -> ExpectFinished
//     -> ([Certificate, CertificateVerify], Finished) -> Traffic13
//   Traffic13: CertificateRequest -> (Certificate, [CertificateVerify], Finished), when we offered
//     post_handshake_auth (RFC 8446 §4.6.2)
//   (a PSK handshake goes from ExpectEncryptedExtensions straight to ExpectFinished)
import type { Certificate, ClientCertificateStore } from '@tls-kit/certs';
import type { HashAlgorithm, KeyExchangeInitiator, NamedGroupName } from '@tls-kit/crypto';
import { bytesEqual } from '@tls-kit/crypto/bytes';
import {
  Certificate13,
  CertificateRequest13,
  type CertificateRequest13Message,
  CertificateVerify,
  ClientHello,
  ContentType,
  DOWNGRADE_TLS11,
  DOWNGRADE_TLS12,
  EncryptedExtensions,
  ExtensionType,
  findExtension,
  HandshakeType,
  ProtocolVersion,
  PskKeyExchangeMode,
  ServerHello,
  type ServerHelloExtension,
  type ServerHelloMessage,
} from '@tls-kit/messages';
import { GROUP_CODES, groupName } from '../algorithms.js';
import { ClientCertificateAnswer, type LocalChain } from '../certs-bridge.js';
import type { HandshakeState } from '../core.js';
import { refuse } from '../errors.js';
import {
  ALLOWED_EXTENSIONS,
  checkFinished,
  checkResponseExtensions,
  chooseSignatureScheme,
  enterHandshakeKeys,
  type HandshakeKeys13,
  sendCertificate,
  sendCertificateVerify,
  verifyCertificateVerify,
} from '../handshake/common13.js';
import type { HandshakeContext } from '../handshake/context.js';
import { expectMessage } from '../handshake/expect.js';
import { decode, frameHandshake, type HandshakeMessage } from '../handshake/messages.js';
import { acceptStapledResponse, checkStapledStatus } from '../handshake/ocsp.js';
import { parsePeerCertificates, validatePeerChain } from '../handshake/peer-certificates.js';
import { acceptRecordLimits, maxFragmentLengthCode } from '../handshake/record-limits.js';
import { sharedSchemes } from '../handshake/shared-lists.js';
import { type PostHandshakeAuth, type TicketReceiver, Traffic13 } from '../handshake/traffic13.js';
import { EarlySecret, finishedVerifyData } from '../keyschedule/key-schedule.js';
import type { CipherSuite } from '../suites.js';
import { Transcript } from '../transcript/transcript.js';
import type { Client12 } from './handshake12.js';
import { helloExtensions } from './hello-extensions.js';
import type { ClientSettings } from './settings.js';
import type { StoredTicket } from './tickets.js';

/** The settings plus our TLS 1.2 offer, which is the TLS 1.2 handshake itself rather than a setting. */
export interface ClientSettings13 extends ClientSettings {
  /** Our TLS 1.2 offer, when 1.2 is enabled too (client/handshake12.ts). */
  readonly tls12?: Client12;
}

/** The PSK of our ClientHello: a resumption ticket or the external PSK. */
interface OfferedPsk {
  readonly identity: Uint8Array;
  readonly key: Uint8Array;
  readonly hash: HashAlgorithm;
  readonly ticket: StoredTicket | undefined;
}

/** What a HelloRetryRequest asked of the second ClientHello (RFC 8446 §4.1.4). */
interface Retry {
  readonly suite: CipherSuite;
  readonly cookie: Uint8Array | undefined;
}

/** What one ClientHello offered; a HelloRetryRequest leads to a second one (RFC 8446 §4.1.4). */
interface Offer {
  readonly shares: ReadonlyMap<number, KeyExchangeInitiator>;
  /** The one PSK we offer (a ticket, else the external PSK), dropped when it cannot be used. */
  readonly psk: OfferedPsk | undefined;
  readonly retry: Retry | undefined;
  /** Every extension type our ClientHellos carried. */
  readonly sentExtensions: ReadonlySet<number>;
}

/** What every state of one client handshake reads: the settings and what the first ClientHello fixed. */
class ClientContext {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  /** The max_fragment_length code we offer (RFC 6066 §4), if any. */
  readonly maxFragmentLength: number | undefined;
  /** The CertificateEntry extensions we solicit (RFC 8446 §4.4.2). */
  readonly entryExtensions: ReadonlySet<number>;

  constructor(
    readonly conn: HandshakeContext,
    readonly settings: ClientSettings13,
  ) {
    const config = conn.config;
    this.random = config.random(32);
    // RFC 8446 §D.4: a non-empty legacy_session_id turns on middlebox compatibility mode.
    // RFC 8446 §4.1.2: a cached TLS 1.2 session ID goes here when we hope to resume it.
    this.sessionId =
      settings.tls12?.sessionId ?? (config.middleboxCompatibility ? config.random(32) : new Uint8Array(0));
    this.maxFragmentLength = maxFragmentLengthCode(config, true);
    this.entryExtensions = new Set(settings.requestOCSP ? [ExtensionType.status_request] : []);
  }

  get config() {
    return this.conn.config;
  }

  /**
   * One PSK, fixed by the first ClientHello (RFC 8446 §4.1.2 lets the second only drop it): a
   * fresh ticket first (it may carry a certificate-authenticated session and is used once), else
   * the external PSK.
   */
  firstPsk(): OfferedPsk | undefined {
    const { config, settings } = this;
    const ticket = settings.ticket;
    const ext = settings.externalPsk;
    if (
      ticket &&
      this.pskSuite(ticket.suite.hash, undefined) &&
      config.clock() - ticket.receivedAt < ticket.lifetimeMs
    ) {
      return { identity: ticket.ticket, key: ticket.psk, hash: ticket.suite.hash, ticket };
    }
    if (ext && this.pskSuite(ext.hash, undefined))
      return { identity: ext.identity, key: ext.key, hash: ext.hash, ticket: undefined };
    return undefined;
  }

  startKeyShare(group: NamedGroupName): [number, KeyExchangeInitiator] {
    const share = this.config.provider.startKeyExchange(group, this.config.keySharePrivateKeys[group]);
    return [GROUP_CODES[group], share];
  }

  /**
   * Sends ClientHello (the first, or the second after a HelloRetryRequest, which `retry` and
   * `previous` describe) into `transcript`; returns what it offered.
   */
  sendClientHello(
    transcript: Transcript,
    shares: ReadonlyMap<number, KeyExchangeInitiator>,
    offeredPsk: OfferedPsk | undefined,
    retry: Retry | undefined,
    previous: Offer | undefined,
  ): Offer {
    const config = this.config;
    const T = ExtensionType;
    const extensions = helloExtensions(config, {
      sni: this.settings.sni,
      groups: config.groups,
      afterSignatureAlgorithms: [
        {
          extensionType: T.supported_versions,
          extensionData: {
            versions: this.settings.tls12
              ? [ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_2]
              : [ProtocolVersion.TLS1_3],
          },
        },
        {
          extensionType: T.key_share,
          extensionData: {
            clientShares: [...shares].map(([group, s]) => ({ group, keyExchange: s.publicKey })),
          },
        },
        {
          extensionType: T.psk_key_exchange_modes,
          extensionData: { keModes: [PskKeyExchangeMode.psk_dhe_ke] },
        },
      ],
      recordSizeLimit: config.recordSizeLimit,
      maxFragmentLength: this.maxFragmentLength,
      requestOCSP: this.settings.requestOCSP,
    });
    if (this.settings.postHandshakeAuth)
      extensions.push({ extensionType: T.post_handshake_auth, extensionData: {} });
    if (retry?.cookie) extensions.push({ extensionType: T.cookie, extensionData: { cookie: retry.cookie } });
    if (this.settings.tls12) extensions.push(...this.settings.tls12.extensions());
    // After a HelloRetryRequest the PSK must fit the suite it chose (RFC 8446 §4.1.4).
    const pskSuite = offeredPsk && this.pskSuite(offeredPsk.hash, retry);
    const psk = pskSuite && offeredPsk;
    // RFC 8446 §4.2.11: pre_shared_key comes last; its binder covers the ClientHello truncated
    // before the binders (§4.2.11.2), so build with a placeholder and patch the binder in.
    let binderLength = 0;
    if (psk && pskSuite) {
      const t = psk.ticket;
      // §4.2.11: an external identity's obfuscated_ticket_age SHOULD be 0.
      const age = t ? (Math.max(0, config.clock() - t.receivedAt) + t.ageAdd) >>> 0 : 0;
      binderLength = pskSuite.hashLength;
      extensions.push({
        extensionType: T.pre_shared_key,
        extensionData: {
          identities: [{ identity: psk.identity, obfuscatedTicketAge: age }],
          binders: [new Uint8Array(binderLength)],
        },
      });
    }
    const sentExtensions = new Set(previous?.sentExtensions);
    for (const e of extensions) sentExtensions.add(e.extensionType);
    const raw = frameHandshake(
      HandshakeType.client_hello,
      ClientHello.build({
        legacyVersion: ProtocolVersion.TLS1_2,
        random: this.random,
        legacySessionId: this.sessionId,
        cipherSuites: [...config.suites.map((s) => s.id), ...(this.settings.tls12?.cipherSuites ?? [])],
        legacyCompressionMethods: [0],
        extensions,
      }),
    );
    if (psk && pskSuite) {
      const truncated = raw.subarray(0, raw.length - (2 + 1 + binderLength));
      const early = EarlySecret.create(config.provider, pskSuite, psk.key);
      const binder = finishedVerifyData(
        config.provider,
        pskSuite,
        psk.ticket ? early.resumptionBinderKey() : early.externalBinderKey(),
        transcript.hashWith(psk.hash, truncated),
      );
      raw.set(binder, raw.length - binder.length);
    }
    transcript.add(raw);
    this.conn.sendRaw(ContentType.handshake, raw);
    return { shares, psk, retry, sentExtensions };
  }

  /** A suite we offer with this hash (the one an HRR chose, after one); the binder uses its hash. */
  private pskSuite(hash: HashAlgorithm, retry: Retry | undefined): CipherSuite | undefined {
    if (retry) return retry.suite.hash === hash ? retry.suite : undefined;
    return this.config.suites.find((s) => s.hash === hash);
  }

  /** Checks shared by ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4, §4.2.1). */
  checkHelloBasics(sh: ServerHelloMessage, what: string, retry: Retry | undefined): CipherSuite {
    // (Both extension lists decode supported_versions the same way.)
    const sv = findExtension(
      sh.extensions as ServerHelloExtension[] | undefined,
      ExtensionType.supported_versions,
    );
    if (!sv) {
      // RFC 8446 §4.1.3: a TLS 1.3 client seeing a downgrade sentinel must abort.
      const tail = sh.random.subarray(24);
      if (bytesEqual(tail, DOWNGRADE_TLS12) || bytesEqual(tail, DOWNGRADE_TLS11)) {
        refuse('DowngradeDetected', `${what}: downgrade sentinel in the server random`);
      }
      refuse(
        'NoSupportedVersion',
        `${what}: the server chose TLS ${sh.legacyVersion.toString(16)}, we need 1.3`,
      );
    }
    if (sv.extensionData.selectedVersion !== ProtocolVersion.TLS1_3) {
      refuse('UnofferedVersion', `${what}: supported_versions selects a version we did not offer`);
    }
    if (sh.legacyVersion !== ProtocolVersion.TLS1_2)
      refuse('IllegalLegacyVersion', `${what}: legacy_version`);
    if (!bytesEqual(sh.legacySessionIdEcho, this.sessionId)) {
      refuse('SessionIdEchoMismatch', `${what}: legacy_session_id_echo differs from ours`);
    }
    const suite = this.config.suites.find((s) => s.id === sh.cipherSuite);
    if (!suite)
      refuse('UnofferedCipherSuite', `${what}: cipher suite 0x${sh.cipherSuite.toString(16)} not offered`);
    if (retry && retry.suite !== suite) {
      refuse(
        'CipherSuiteDiffersFromHelloRetryRequest',
        `${what}: cipher suite differs from the HelloRetryRequest's`,
      );
    }
    if (sh.legacyCompressionMethod !== 0) refuse('IllegalCompression', `${what}: compression`);
    return suite;
  }
}

export function startClient13(conn: HandshakeContext, settings: ClientSettings13): HandshakeState {
  const ctx = new ClientContext(conn, settings);
  const [first, second] = conn.config.groups;
  // A share for our preferred group; when that is the X25519MLKEM768 hybrid, one for the next
  // (classical) group too, so servers without ML-KEM need no HelloRetryRequest. For X25519 that is
  // the hybrid's own X25519 key (draft-ietf-tls-hybrid-design §3.2; Go's crypto/tls does the same)
  // unless a known-answer test fixes X25519's private key.
  const shares = new Map([ctx.startKeyShare(first!)]);
  if (second && first === 'x25519mlkem768') {
    const classical = shares.get(GROUP_CODES.x25519mlkem768)!.classical;
    if (second === 'x25519' && classical && !conn.config.keySharePrivateKeys.x25519)
      shares.set(GROUP_CODES.x25519, classical);
    else shares.set(...ctx.startKeyShare(second));
  }
  const transcript = new Transcript(conn.config.provider);
  const offer = ctx.sendClientHello(transcript, shares, ctx.firstPsk(), undefined, undefined);
  conn.facts.sessionId = ctx.sessionId;
  conn.facts.serverName = settings.sni;
  conn.records.clientHelloExchanged();
  return new ExpectServerHello(ctx, transcript, offer);
}

class ExpectServerHello implements HandshakeState {
  readonly name = 'ExpectServerHello';
  constructor(
    private readonly ctx: ClientContext,
    private readonly transcript: Transcript,
    private readonly offer: Offer,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.server_hello, this.name);
    const sh = decode(ServerHello, message.body);
    if (sh.isHelloRetryRequest) return this.helloRetryRequest(sh, message);
    const { ctx, transcript, offer } = this;
    // TLS 1.2: without supported_versions the server picked 1.2 or older.
    if (ctx.settings.tls12 && !findExtension(sh.extensions, ExtensionType.supported_versions)) {
      return ctx.settings.tls12.serverHello(message, sh, {
        random: ctx.random,
        sessionId: ctx.sessionId,
        sentExtensions: offer.sentExtensions,
        retried: offer.retry !== undefined,
        maxFragmentLength: ctx.maxFragmentLength,
        transcript,
      });
    }
    const { conn } = ctx;
    const suite = ctx.checkHelloBasics(sh, 'ServerHello', offer.retry);
    checkResponseExtensions(
      sh.extensions,
      offer.sentExtensions,
      ALLOWED_EXTENSIONS.serverHello,
      'ServerHello',
    );

    // RFC 8446 §4.2.11: the server picks one of our identities (we offer one) with a matching hash.
    let psk: Uint8Array | undefined;
    const selected = findExtension(sh.extensions, ExtensionType.pre_shared_key);
    if (selected) {
      const offered = offer.psk;
      if (!offered || selected.extensionData.selectedIdentity !== 0) {
        refuse('UnofferedPsk', 'ServerHello selects a PSK we did not offer');
      }
      if (offered.hash !== suite.hash) refuse('PskHashMismatch', 'PSK hash differs from the suite hash');
      psk = offered.key;
      const ticket = offered.ticket;
      if (ticket) {
        conn.facts.resumed = true;
        conn.facts.peerCertificates = ticket.peerCertificates;
        conn.facts.alpnProtocol = ticket.alpn;
      } else {
        // An external PSK authenticates the server by itself: no certificate follows (§2.2).
        conn.facts.pskIdentity = offered.identity;
      }
    }

    // RFC 8446 §4.2.8, §9.2: we offer only psk_dhe_ke, so key_share is mandatory.
    const shareExtension = findExtension(sh.extensions, ExtensionType.key_share);
    if (!shareExtension) refuse('MissingKeyShareExtension', 'ServerHello without key_share');
    const share = shareExtension.extensionData.serverShare;
    const initiator = offer.shares.get(share.group);
    if (!initiator)
      refuse('UnofferedGroup', `ServerHello key_share for group ${share.group} we did not send`);
    let shared: Uint8Array;
    try {
      shared = initiator.complete(share.keyExchange);
    } catch (error) {
      return refuse('BadKeyShare', `bad server key share: ${(error as Error).message}`);
    }

    transcript.start(suite.hash);
    transcript.add(message.raw);
    const keys = enterHandshakeKeys(conn, transcript, ctx.random, suite, psk, shared, 'client');
    conn.facts.namedGroup = groupName(share.group);
    // The server selected our PSK: no Certificate/CertificateVerify follow (RFC 8446 §2.2).
    return new ExpectEncryptedExtensions(
      ctx,
      transcript,
      { suite, ...keys },
      offer.sentExtensions,
      psk !== undefined,
    );
  }

  private helloRetryRequest(
    hrr: Extract<ServerHelloMessage, { isHelloRetryRequest: true }>,
    message: HandshakeMessage,
  ): HandshakeState {
    const { ctx, transcript, offer } = this;
    const { conn, config } = ctx;
    // RFC 8446 §4.1.4: a second HelloRetryRequest is unexpected_message.
    if (offer.retry) refuse('SecondHelloRetryRequest', 'second HelloRetryRequest');
    const suite = ctx.checkHelloBasics(hrr, 'HelloRetryRequest', undefined);
    const allowedSent = new Set([...offer.sentExtensions, ExtensionType.cookie]);
    checkResponseExtensions(
      hrr.extensions,
      allowedSent,
      ALLOWED_EXTENSIONS.helloRetryRequest,
      'HelloRetryRequest',
    );
    const selectedGroup = findExtension(hrr.extensions, ExtensionType.key_share)?.extensionData.selectedGroup;
    const cookie = findExtension(hrr.extensions, ExtensionType.cookie)?.extensionData.cookie;
    if (selectedGroup === undefined && !cookie)
      refuse('HelloRetryRequestChangesNothing', 'HelloRetryRequest that would change nothing');
    transcript.replaceWithMessageHash(suite.hash);
    transcript.add(message.raw);
    let shares = offer.shares;
    if (selectedGroup !== undefined) {
      const code = selectedGroup;
      const name = groupName(code);
      // RFC 8446 §4.2.8: the group must be one we support and not one we already sent a share for.
      if (!name || !config.groups.includes(name)) refuse('UnofferedGroup', `HRR asks for group ${code}`);
      if (shares.has(code)) refuse('HelloRetryRequestForSentGroup', 'HRR asks for a group we already sent');
      shares = new Map([ctx.startKeyShare(name)]);
    }
    conn.records.sendChangeCipherSpecOnce();
    const retry = { suite, cookie };
    return new ExpectServerHello(
      ctx,
      transcript,
      ctx.sendClientHello(transcript, shares, offer.psk, retry, offer),
    );
  }
}

interface HandshakeKeys extends HandshakeKeys13 {
  readonly suite: CipherSuite;
}

class ExpectEncryptedExtensions implements HandshakeState {
  readonly name = 'ExpectEncryptedExtensions';
  constructor(
    private readonly ctx: ClientContext,
    private readonly transcript: Transcript,
    private readonly keys: HandshakeKeys,
    private readonly sentExtensions: ReadonlySet<number>,
    private readonly pskAccepted: boolean,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.encrypted_extensions, this.name);
    const { ctx, transcript, keys } = this;
    const { conn, config } = ctx;
    const ee = decode(EncryptedExtensions, message.body).extensions;
    checkResponseExtensions(
      ee,
      this.sentExtensions,
      ALLOWED_EXTENSIONS.encryptedExtensions,
      'EncryptedExtensions',
    );
    const alpn = findExtension(ee, ExtensionType.application_layer_protocol_negotiation);
    if (alpn) {
      // RFC 7301 §3.1: exactly one protocol, one we offered.
      const list = alpn.extensionData.protocolNameList;
      const chosen = list[0]!;
      if (list.length !== 1 || !config.alpnProtocols.includes(chosen)) {
        refuse('UnofferedApplicationProtocol', 'server selected an ALPN protocol we did not offer');
      }
      conn.facts.alpnProtocol = chosen;
    } else if (conn.facts.resumed) {
      conn.facts.alpnProtocol = undefined;
    }
    acceptRecordLimits(conn, ee, ctx.maxFragmentLength, true);
    transcript.add(message.raw);
    if (this.pskAccepted) return new ExpectFinished(ctx, transcript, keys, undefined);
    return new ExpectCertificateOrCertificateRequest(ctx, transcript, keys);
  }
}

class ExpectCertificateOrCertificateRequest implements HandshakeState {
  readonly name = 'ExpectCertificateOrCertificateRequest';
  constructor(
    private readonly ctx: ClientContext,
    private readonly transcript: Transcript,
    private readonly keys: HandshakeKeys,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    const { ctx, transcript, keys } = this;
    if (message.type !== HandshakeType.certificate_request) {
      return new ExpectCertificate(ctx, transcript, keys, undefined).handle(message);
    }
    const answer = certificateRequestAnswer(message, false, ctx.settings.clientCertificateStore);
    transcript.add(message.raw);
    return new ExpectCertificate(ctx, transcript, keys, answer);
  }
}

/**
 * Checks a CertificateRequest (RFC 8446 §4.3.2) and asks the store for a chain. The context is
 * empty in the handshake and non-empty after it (§4.3.2, §4.6.2).
 */
function certificateRequestAnswer(
  message: HandshakeMessage,
  postHandshake: boolean,
  store: ClientCertificateStore | undefined,
): ClientCertificateAnswer<CertificateRequest13Message> {
  const request = decode(CertificateRequest13, message.body);
  if (postHandshake !== request.certificateRequestContext.length > 0) {
    refuse(
      'BadCertificateRequestContext',
      postHandshake
        ? 'post-handshake CertificateRequest without a context'
        : 'CertificateRequest with a context',
    );
  }
  // Unknown extensions are ignored (§4.3.2); known ones must belong in CertificateRequest.
  for (const { extensionType } of request.extensions) {
    if (extensionType in ExtensionType && !ALLOWED_EXTENSIONS.certificateRequest.has(extensionType)) {
      refuse('ExtensionNotAllowed', `CertificateRequest with extension ${extensionType}`);
    }
  }
  if (!findExtension(request.extensions, ExtensionType.signature_algorithms)) {
    refuse('MissingSignatureAlgorithms', 'CertificateRequest without signature_algorithms');
  }
  const authorities = findExtension(request.extensions, ExtensionType.certificate_authorities);
  return new ClientCertificateAnswer(request, store, authorities?.extensionData.authorities);
}

/** Post-handshake CertificateRequests a client answers per connection. */
export const MAX_POST_HANDSHAKE_CERTIFICATE_REQUESTS = 16;

/**
 * RFC 8446 §4.4, §4.6.2: answers a post-handshake CertificateRequest with Certificate,
 * CertificateVerify (with a chain) and Finished over "ClientHello ... client Finished +
 * CertificateRequest" (`handshake`: the transcript up to client Finished, forked anew for each
 * request), the Finished keyed by our current application traffic secret. Built outside the
 * handshake states so an open connection keeps only the transcript copy, the store and suite.
 * The store must answer synchronously here: an open connection cannot pause its input.
 */
function certificateRequestResponder(
  conn: HandshakeContext,
  suite: CipherSuite,
  handshake: Transcript,
  store: ClientCertificateStore | undefined,
): PostHandshakeAuth {
  let answered = 0;
  const handle = (message: HandshakeMessage, clientSecret: Uint8Array): boolean => {
    if (message.type !== HandshakeType.certificate_request) return false;
    // Each answer costs a signature and output the peer may never read: a fixed number per
    // connection (RFC 8446 §4.6.2 lets a server ask more than once, never without end).
    if (++answered > MAX_POST_HANDSHAKE_CERTIFICATE_REQUESTS) {
      refuse(
        'TooManyPostHandshakeCertificateRequests',
        `more than ${MAX_POST_HANDSHAKE_CERTIFICATE_REQUESTS} post-handshake CertificateRequests`,
      );
    }
    const answer = certificateRequestAnswer(message, true, store);
    let chain: LocalChain | null | undefined;
    answer.register((c) => {
      chain = c;
    });
    if (chain === undefined) {
      refuse(
        'AsyncClientCertificateStore',
        'post-handshake CertificateRequest: the ClientCertificateStore did not answer synchronously',
      );
    }
    // After our close_notify nothing more is sent (RFC 8446 §6.1).
    if (conn.status === 'closing') return true;
    const transcript = handshake.fork();
    transcript.add(message.raw);
    sendClientCertificate(conn, transcript, answer.request, chain);
    const verifyData = finishedVerifyData(conn.config.provider, suite, clientSecret, transcript.current());
    conn.sendHandshake(HandshakeType.finished, verifyData, transcript);
    return true;
  };
  return { handle };
}

/** RFC 8446 §4.4.2, §4.4.3: our Certificate (maybe empty) and CertificateVerify. */
function sendClientCertificate(
  conn: HandshakeContext,
  transcript: Transcript,
  request: CertificateRequest13Message,
  chain: LocalChain | null,
): void {
  const peerSchemes =
    findExtension(request.extensions, ExtensionType.signature_algorithms)?.extensionData
      .supportedSignatureAlgorithms ?? [];
  conn.facts.peerSignatureSchemes = sharedSchemes(peerSchemes);
  const scheme = chain
    ? chooseSignatureScheme(conn.config.signatureSchemes, peerSchemes, chain.privateKey)
    : undefined;
  const context = request.certificateRequestContext;
  if (!chain || !scheme) {
    sendCertificate(conn, transcript, context, []);
    return;
  }
  sendCertificate(conn, transcript, context, chain.certificates);
  sendCertificateVerify(conn, transcript, scheme, chain.privateKey, 'client');
}

class ExpectCertificate implements HandshakeState {
  readonly name = 'ExpectCertificate';
  constructor(
    private readonly ctx: ClientContext,
    private readonly transcript: Transcript,
    private readonly keys: HandshakeKeys,
    private readonly clientCertificate: ClientCertificateAnswer<CertificateRequest13Message> | undefined,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate, this.name);
    const { ctx } = this;
    const certificate = decode(Certificate13, message.body);
    if (certificate.certificateRequestContext.length !== 0) {
      refuse('BadCertificateRequestContext', 'server Certificate with a context');
    }
    // RFC 8446 §4.4.2.4: an empty server Certificate is decode_error.
    if (certificate.certificateList.length === 0)
      refuse('EmptyServerCertificate', 'empty server Certificate');
    const { certificateList } = certificate;
    const chain = parsePeerCertificates(
      ctx.conn.config.certificateCache,
      certificateList,
      ctx.entryExtensions,
    );
    // RFC 8446 §4.4.2.1: the leaf's OCSP response is in its entry (others' are not kept).
    const status = findExtension(certificateList[0]!.extensions, ExtensionType.status_request);
    if (status) acceptStapledResponse(ctx.conn, status.extensionData);
    this.transcript.add(message.raw);
    const { settings } = ctx;
    validatePeerChain(
      ctx.conn,
      chain,
      'server',
      settings.trustStore,
      settings.hostname,
      settings.verifyCallback,
      // RFC 8446 §4.4.2.1: the status came with the leaf's entry, so it is checked with the chain.
      () => checkStapledStatus(ctx.conn, settings.ocspVerification),
    );
    return new ExpectCertificateVerify(ctx, this.transcript, this.keys, chain[0]!, this.clientCertificate);
  }
}

class ExpectCertificateVerify implements HandshakeState {
  readonly name = 'ExpectCertificateVerify';
  constructor(
    private readonly ctx: ClientContext,
    private readonly transcript: Transcript,
    private readonly keys: HandshakeKeys,
    private readonly leaf: Certificate,
    private readonly clientCertificate: ClientCertificateAnswer<CertificateRequest13Message> | undefined,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate_verify, this.name);
    const { conn } = this.ctx;
    const { transcript } = this;
    const cv = decode(CertificateVerify, message.body);
    conn.facts.signatureScheme = verifyCertificateVerify(
      conn,
      cv.algorithm,
      cv.signature,
      this.leaf.publicKey,
      'server',
      transcript.current(),
    );
    transcript.add(message.raw);
    return new ExpectFinished(this.ctx, transcript, this.keys, this.clientCertificate);
  }
}

/** Accepts a (valid) NewSessionTicket and keeps nothing: resumption is off. */
const IGNORED_TICKETS: TicketReceiver = { receive: () => {} };

class ExpectFinished implements HandshakeState {
  readonly name = 'ExpectFinished';
  constructor(
    private readonly ctx: ClientContext,
    private readonly transcript: Transcript,
    private readonly keys: HandshakeKeys,
    private readonly clientCertificate: ClientCertificateAnswer<CertificateRequest13Message> | undefined,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.finished, this.name);
    const { ctx, transcript, keys } = this;
    const { conn } = ctx;
    const { suite } = keys;
    if (message.body.length !== suite.hashLength) refuse('BadFinishedLength', 'Finished of the wrong length');
    checkFinished(conn, suite, keys.serverSecret, transcript.current(), message.body);
    transcript.add(message.raw);
    const master = keys.hs.master();
    const th = transcript.current();
    const clientApp = master.clientTrafficSecret(th);
    const serverApp = master.serverTrafficSecret(th);
    const exporter = master.exporterSecret(th);
    conn.keyLog('CLIENT_TRAFFIC_SECRET_0', ctx.random, clientApp);
    conn.keyLog('SERVER_TRAFFIC_SECRET_0', ctx.random, serverApp);
    conn.keyLog('EXPORTER_SECRET', ctx.random, exporter);
    conn.installKeys('read', { version: 'TLSv1.3', suite, secret: serverApp });
    const finish = (chain: LocalChain | null | undefined): HandshakeState => {
      conn.records.sendChangeCipherSpecOnce();
      if (this.clientCertificate)
        sendClientCertificate(conn, transcript, this.clientCertificate.request, chain ?? null);
      const verifyData = finishedVerifyData(
        conn.config.provider,
        suite,
        keys.clientSecret,
        transcript.current(),
      );
      conn.sendHandshake(HandshakeType.finished, verifyData, transcript);
      conn.installKeys('write', { version: 'TLSv1.3', suite, secret: clientApp });
      const { tickets } = ctx.settings;
      const traffic = new Traffic13(
        conn,
        suite,
        serverApp,
        clientApp,
        exporter,
        tickets ?? IGNORED_TICKETS,
        ctx.settings.postHandshakeAuth
          ? certificateRequestResponder(conn, suite, transcript.fork(), ctx.settings.clientCertificateStore)
          : undefined,
        // Without a taker the resumption secret is not made at all.
        tickets ? master.resumptionSecret(transcript.current()) : undefined,
      );
      conn.handshakeComplete();
      return traffic;
    };
    if (!this.clientCertificate) return finish(undefined);
    const answer = this.clientCertificate;
    return conn.waitFor<LocalChain | null>((cb) => answer.register(cb), finish, 'ClientCertificateStore');
  }
}
