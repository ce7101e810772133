// The TLS 1.3 server handshake (RFC 8446 §2, §4), one state per expected message:
//
//   ExpectClientHello --no usable share--> (HelloRetryRequest) ExpectSecondClientHello
//   ExpectClientHello -> [certificate callback, maybe asynchronous]
//     -> (ServerHello, EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify, Finished)
//     -> (NewSessionTicket*, in the same write, unless we asked for a client certificate)
//     -> [ExpectClientCertificate -> [ExpectClientCertificateVerify]] -> ExpectClientFinished
//     -> (NewSessionTicket*, when they waited for the client's certificate) -> Traffic13
//   (a PSK handshake skips the certificates)
import type { Certificate, ServerCertificates } from '@tls-kit/certs';
import type { HashAlgorithm, NamedGroupName, SignatureSchemeName } from '@tls-kit/crypto';
import { bytesEqual } from '@tls-kit/crypto/bytes';
import {
  Certificate13,
  CertificateRequest13,
  CertificateVerify,
  ClientHello,
  type ClientHelloMessage,
  ContentType,
  type EncryptedExtension,
  EncryptedExtensions,
  ExtensionType,
  findExtension,
  HandshakeType,
  HELLO_RETRY_REQUEST_RANDOM,
  type HelloRetryRequestExtension,
  type KeyShareEntryValue,
  NewSessionTicket13,
  ProtocolVersion,
  PskKeyExchangeMode,
  ServerHello,
  type ServerHelloExtension,
} from '@tls-kit/messages';
import { GROUP_CODES } from '../algorithms.js';
import { askServerCertificates, type ChainAnswer, type LocalChain } from '../certs-bridge.js';
import type { HandshakeState } from '../core.js';
import { refuse } from '../errors.js';
import { checkPskKey } from '../external-psk.js';
import {
  checkVerifyData,
  chooseSignatureScheme,
  enterHandshakeKeys,
  sendCertificate,
  sendCertificateVerify,
  verifyCertificateVerify,
} from '../handshake/common13.js';
import type { HandshakeContext } from '../handshake/context.js';
import { expectMessage } from '../handshake/expect.js';
import { decode, frameHandshake, type HandshakeMessage, latin1 } from '../handshake/messages.js';
import { withStapledResponse } from '../handshake/ocsp.js';
import { parsePeerCertificates, validatePeerChain } from '../handshake/peer-certificates.js';
import { answerRecordLimits } from '../handshake/record-limits.js';
import { sharedSchemes, sharedServerName } from '../handshake/shared-lists.js';
import { Traffic13 } from '../handshake/traffic13.js';
import {
  EarlySecret,
  finishedVerifyData,
  type MasterSecret,
  resumptionPsk,
} from '../keyschedule/key-schedule.js';
import { type CipherSuite, suiteById } from '../suites.js';
import { Transcript } from '../transcript/transcript.js';
import { chooseAlpn } from './alpn.js';
import { clientHello12 } from './handshake12.js';
import { certificateRequestExtensions, certificateRequester } from './post-handshake-auth.js';
import { forServedChain, type ServerSettings, suitesByPreference } from './settings.js';
import { expired, splitTime } from './stored-time.js';
import type { TicketKeys } from './ticket-keys.js';
import { type TicketState, TicketStateCodec } from './ticket-state.js';

interface Retry {
  readonly suite: CipherSuite;
  /** The group the HelloRetryRequest asked a share for; undefined for a cookie-only retry. */
  readonly group: NamedGroupName | undefined;
  readonly cookie: Uint8Array;
  readonly sessionId: Uint8Array;
  /** message_hash(ClientHello1) and the HelloRetryRequest (RFC 8446 §4.4.1). */
  readonly transcript: Transcript;
}

/** What every state of one server handshake reads. */
class ServerContext {
  constructor(
    readonly conn: HandshakeContext,
    /** After our chain is chosen, forServedChain's (a new context). */
    readonly settings: ServerSettings,
  ) {}
  get config() {
    return this.conn.config;
  }
}

export function startServer13(conn: HandshakeContext, settings: ServerSettings): HandshakeState {
  return new ExpectClientHello(new ServerContext(conn, settings), undefined);
}

/** What the ClientHello decided, carried to the flight we send. */
interface Negotiated {
  readonly ch: ClientHelloMessage;
  readonly chRaw: Uint8Array;
  readonly suite: CipherSuite;
  readonly group: NamedGroupName;
  readonly clientShare: KeyShareEntryValue;
  readonly clientSchemes: readonly number[];
  readonly alpn: string | undefined;
  /** Our answer to record_size_limit or max_fragment_length (RFC 8449 §5: the former wins). */
  readonly limitExtension: EncryptedExtension | undefined;
  readonly psk: ChosenPsk | undefined;
  /** The client offered post_handshake_auth (RFC 8446 §4.2.6). */
  readonly postHandshakeAuth: boolean;
}

/** The PSK we select: a ticket of ours (resumption) or an external PSK (pskCallback). */
interface ChosenPsk {
  readonly index: number;
  readonly key: Uint8Array;
  /** Set for resumption. */
  readonly state: TicketState | undefined;
  /** Set for an external PSK. */
  readonly externalIdentity: Uint8Array | undefined;
}

/** RFC 6066 §3: a host name is ASCII; we compare it in lower case. */
function hostName(name: string): string {
  if (!/^[\x21-\x7e]+$/.test(name)) refuse('BadServerName', 'server_name: not an ASCII host name');
  return sharedServerName(name.toLowerCase());
}

class ExpectClientHello implements HandshakeState {
  readonly name: string;
  constructor(
    private readonly ctx: ServerContext,
    private readonly retry: Retry | undefined,
  ) {
    this.name = retry ? 'ExpectSecondClientHello' : 'ExpectClientHello';
  }

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.client_hello, this.name);
    const { ctx, retry } = this;
    const { conn, config, settings } = { conn: ctx.conn, config: ctx.config, settings: ctx.settings };
    const ch = decode(ClientHello, message.body);
    const extensions = ch.extensions ?? [];
    conn.records.clientHelloExchanged();
    // RFC 8446 Appendix D.5: SSL 3.0 and below are refused whatever else the hello offers.
    if (ch.legacyVersion <= ProtocolVersion.SSL3_0)
      refuse('ObsoleteClientVersion', `ClientHello legacy_version 0x${ch.legacyVersion.toString(16)}`);

    // RFC 8446 §4.2.1: without supported_versions the client speaks TLS 1.2 at most.
    if (
      !findExtension(extensions, ExtensionType.supported_versions)?.extensionData?.versions.includes(
        ProtocolVersion.TLS1_3,
      ) ||
      !config.versions.includes('TLSv1.3')
    ) {
      // TLS 1.2: negotiated in server/handshake12.ts, never after a HelloRetryRequest.
      if (settings.tls12 && !retry) return clientHello12(conn, settings, message, ch);
      refuse('NoSupportedVersion', 'the client does not offer TLS 1.3');
    }
    // RFC 8446 §4.1.2: legacy_compression_method is exactly [null].
    if (ch.legacyCompressionMethods.length !== 1 || ch.legacyCompressionMethods[0] !== 0) {
      refuse('IllegalCompression', 'ClientHello compression methods other than null');
    }
    // RFC 8446 §4.2.11: pre_shared_key must be the last extension.
    const pskIndex = extensions.findIndex((e) => e.extensionType === ExtensionType.pre_shared_key);
    if (pskIndex >= 0 && pskIndex !== extensions.length - 1) {
      refuse('PreSharedKeyNotLast', 'pre_shared_key is not the last extension');
    }
    const suite = suitesByPreference(config.suites, ch.cipherSuites, settings.preferClientCipherOrder).find(
      (s) => ch.cipherSuites.includes(s.id),
    );
    if (!suite) refuse('NoSharedCipherSuite', 'no cipher suite in common');

    // RFC 8446 §9.2: key_share and supported_groups go together; we need (EC)DHE.
    const clientGroups = findExtension(extensions, ExtensionType.supported_groups)?.extensionData
      ?.namedGroupList;
    const shares = findExtension(extensions, ExtensionType.key_share)?.extensionData?.clientShares;
    if (!clientGroups || !shares) {
      refuse('MissingKeyShareExtension', 'ClientHello without supported_groups/key_share');
    }
    const seen = new Set<number>();
    for (const s of shares) {
      // RFC 8446 §4.2.8: one share per group, each for a group listed in supported_groups.
      if (seen.has(s.group)) refuse('DuplicateKeyShare', 'two key shares for one group');
      if (!clientGroups.includes(s.group))
        refuse('KeyShareForUnlistedGroup', 'key share for an unlisted group');
      seen.add(s.group);
    }

    if (retry) {
      // RFC 8446 §4.1.2: the second ClientHello repeats the first except for what the HRR asked.
      if (retry.suite !== suite)
        refuse('SecondClientHelloChangedCipherSuite', 'second ClientHello changes the cipher suite');
      if (!bytesEqual(retry.sessionId, ch.legacySessionId)) {
        refuse('SecondClientHelloChangedSessionId', 'second ClientHello changes the session id');
      }
      const cookie = findExtension(extensions, ExtensionType.cookie)?.extensionData?.cookie;
      if (!cookie || !config.provider.timingSafeEqual(cookie, retry.cookie)) {
        refuse('SecondClientHelloWithoutCookie', 'second ClientHello without our cookie');
      }
      if (retry.group && (shares.length !== 1 || shares[0]!.group !== GROUP_CODES[retry.group])) {
        refuse('SecondClientHelloWrongKeyShare', 'second ClientHello without the key share we asked for');
      }
      // RFC 8446 §4.2.10: no early_data after a HelloRetryRequest.
      if (findExtension(extensions, ExtensionType.early_data)?.extensionData)
        refuse('EarlyDataAfterHelloRetryRequest', 'early_data after HRR');
      conn.records.stopSkippingEarlyData();
    }

    // Our most preferred group the client sent a share for; else HelloRetryRequest for our most
    // preferred group it supports.
    const mutual = config.groups.filter((g) => clientGroups.includes(GROUP_CODES[g]));
    if (mutual.length === 0) refuse('NoSharedGroup', 'no key exchange group in common');
    const withShare = mutual.find((g) => shares.some((s) => s.group === GROUP_CODES[g]));
    // The transcript starts with this ClientHello, or goes on after our HelloRetryRequest.
    const transcript = retry?.transcript ?? new Transcript(config.provider);
    if (!retry && (!withShare || settings.forceHelloRetry)) {
      // RFC 8446 §4.1.4: never ask for a share the client already sent; then only a cookie.
      return this.helloRetryRequest(ch, message.raw, suite, withShare ? undefined : mutual[0]!, transcript);
    }
    if (!withShare) refuse('SecondClientHelloWrongKeyShare', 'second ClientHello without a usable key share');
    const clientShare = shares.find((s) => s.group === GROUP_CODES[withShare])!;

    // RFC 8446 §4.2.10: we never accept 0-RTT; skip the early data the client may send.
    if (findExtension(extensions, ExtensionType.early_data)?.extensionData) {
      conn.records.skipRejectedEarlyData(settings.maxSkippedEarlyData);
    }

    const names = findExtension(extensions, ExtensionType.server_name)?.extensionData?.serverNameList;
    if (names) {
      // RFC 6066 §3: at most one name of each type.
      if (names.length !== 1) refuse('BadServerName', 'server_name with several host names');
      conn.facts.serverName = hostName(names[0]!.hostName);
    }

    const limitExtension = answerRecordLimits(conn, extensions, true);

    const sigalgs = findExtension(extensions, ExtensionType.signature_algorithms)?.extensionData
      ?.supportedSignatureAlgorithms;
    conn.facts.peerSignatureSchemes = sharedSchemes(sigalgs ?? []);
    const negotiated: Negotiated = {
      ch,
      chRaw: message.raw,
      suite,
      group: withShare,
      clientShare,
      clientSchemes: sigalgs ?? [],
      alpn: chooseAlpn(
        findExtension(extensions, ExtensionType.application_layer_protocol_negotiation)?.extensionData
          ?.protocolNameList,
        this.ctx.config.alpnProtocols,
        this.ctx.settings.alpnCallback,
        conn.facts.serverName,
      ),
      limitExtension,
      psk: this.choosePsk(ch, message.raw, suite, transcript),
      postHandshakeAuth: findExtension(extensions, ExtensionType.post_handshake_auth) !== undefined,
    };
    if (negotiated.psk) return sendServerFlight(ctx, transcript, negotiated, undefined);
    // RFC 8446 §4.2.3: certificate authentication needs signature_algorithms.
    if (!sigalgs) refuse('MissingSignatureAlgorithms', 'ClientHello without signature_algorithms');
    return chooseCertificate(ctx, transcript, negotiated, [
      settings.certificates,
      ...settings.moreCertificates,
    ]);
  }

  /**
   * RFC 8446 §4.2.11: the first identity that is our valid ticket or an external PSK pskCallback
   * knows, whose hash is the suite's; its binder must verify.
   */
  private choosePsk(
    ch: ClientHelloMessage,
    raw: Uint8Array,
    suite: CipherSuite,
    transcript: Transcript,
  ): Negotiated['psk'] {
    const offered = findExtension(ch.extensions, ExtensionType.pre_shared_key)?.extensionData;
    if (!offered) return undefined;
    const modes = findExtension(ch.extensions, ExtensionType.psk_key_exchange_modes)?.extensionData.keModes;
    // RFC 8446 §4.2.9: a PSK offer without psk_key_exchange_modes is missing_extension.
    if (!modes) refuse('MissingPskKeyExchangeModes', 'pre_shared_key without psk_key_exchange_modes');
    // RFC 8446 §4.2.11: one binder per identity.
    if (offered.binders.length !== offered.identities.length) {
      refuse('PskBinderCountMismatch', 'pre_shared_key: binders do not match identities');
    }
    const { ticketKeys, pskCallback } = this.ctx.settings;
    if ((!ticketKeys && !pskCallback) || !modes.includes(PskKeyExchangeMode.psk_dhe_ke)) return undefined;
    for (let i = 0; i < offered.identities.length; i++) {
      const identity = offered.identities[i]!.identity;
      const chosen = this.ticketPsk(identity, suite, i) ?? this.externalPsk(identity, suite, i);
      if (!chosen) continue;
      const { config } = this.ctx;
      const early = EarlySecret.create(config.provider, suite, chosen.key);
      // The binders list (with its length) ends the ClientHello.
      const bindersLength = offered.binders.reduce((n, b) => n + 1 + b.length, 2);
      const expected = finishedVerifyData(
        config.provider,
        suite,
        chosen.state ? early.resumptionBinderKey() : early.externalBinderKey(),
        transcript.hashWith(suite.hash, raw.subarray(0, raw.length - bindersLength)),
      );
      const binder = offered.binders[i]!;
      // RFC 8446 §4.2.11.2: a binder that does not verify is decrypt_error.
      if (binder.length !== expected.length || !config.provider.timingSafeEqual(binder, expected)) {
        refuse('BadPskBinder', 'PSK binder does not verify');
      }
      return chosen;
    }
    return undefined;
  }

  /** Our ticket, still valid, for this suite's hash and the same server name. */
  private ticketPsk(identity: Uint8Array, suite: CipherSuite, index: number): ChosenPsk | undefined {
    const { conn, config, settings } = this.ctx;
    const sealed = settings.ticketKeys?.open(identity);
    let state: TicketState | undefined;
    try {
      state = sealed && TicketStateCodec.parse(sealed);
    } catch {
      state = undefined;
    }
    const ticketSuite = state && suiteById(state.suite);
    if (!state || ticketSuite?.hash !== suite.hash) return undefined;
    if (expired(state, config.clock())) return undefined;
    if (latin1(state.serverName) !== (conn.facts.serverName ?? '')) return undefined;
    return { index, key: state.psk, state, externalIdentity: undefined };
  }

  /** pskCallback's key for this identity; one for another hash is skipped (RFC 8446 §4.2.11). */
  private externalPsk(identity: Uint8Array, suite: CipherSuite, index: number): ChosenPsk | undefined {
    const callback = this.ctx.settings.pskCallback;
    const answer = callback?.(identity.slice());
    if (answer === undefined) return undefined;
    let psk: { key: Uint8Array; hash: HashAlgorithm };
    try {
      psk = checkPskKey(answer, 'pskCallback()');
    } catch (error) {
      return refuse('BadPskCallbackResult', (error as Error).message);
    }
    if (psk.hash !== suite.hash) return undefined;
    return { index, key: psk.key, state: undefined, externalIdentity: identity.slice() };
  }

  private helloRetryRequest(
    ch: ClientHelloMessage,
    raw: Uint8Array,
    suite: CipherSuite,
    group: NamedGroupName | undefined,
    transcript: Transcript,
  ): HandshakeState {
    const { conn, config } = this.ctx;
    const cookie = config.random(32);
    transcript.start(suite.hash);
    transcript.add(raw);
    transcript.replaceWithMessageHash(suite.hash);
    const extensions: HelloRetryRequestExtension[] = [];
    if (group)
      extensions.push({
        extensionType: ExtensionType.key_share,
        extensionData: { selectedGroup: GROUP_CODES[group] },
      });
    extensions.push(
      {
        extensionType: ExtensionType.supported_versions,
        extensionData: { selectedVersion: ProtocolVersion.TLS1_3 },
      },
      { extensionType: ExtensionType.cookie, extensionData: { cookie } },
    );
    conn.sendHandshake(
      HandshakeType.server_hello,
      ServerHello.build({
        legacyVersion: ProtocolVersion.TLS1_2,
        random: HELLO_RETRY_REQUEST_RANDOM,
        legacySessionIdEcho: ch.legacySessionId,
        cipherSuite: suite.id,
        legacyCompressionMethod: 0,
        isHelloRetryRequest: true,
        extensions,
      }),
      transcript,
    );
    // RFC 8446 §D.4: the dummy change_cipher_spec follows our first handshake message.
    if (ch.legacySessionId.length > 0) conn.records.sendChangeCipherSpecOnce();
    if (findExtension(ch.extensions, ExtensionType.early_data)) {
      conn.records.skipRejectedEarlyData(this.ctx.settings.maxSkippedEarlyData);
    }
    return new ExpectClientHello(this.ctx, {
      suite,
      group,
      cookie,
      sessionId: ch.legacySessionId,
      transcript,
    });
  }
}

/**
 * Asks each certificate source in turn (the design's callback may answer later) until one gives a
 * chain whose key can sign a scheme the client offered: this is how an RSA and an ECDSA chain for the
 * same name are chosen between (RFC 8446 §4.4.2.2). The last answer is used as it is.
 */
function chooseCertificate(
  ctx: ServerContext,
  transcript: Transcript,
  n: Negotiated,
  sources: readonly ServerCertificates[],
): HandshakeState {
  const { conn, config } = ctx;
  const [source, ...rest] = sources;
  return conn.waitFor<ChainAnswer>(
    (answer) => askServerCertificates(source!, conn.facts.serverName, answer),
    (chain) => {
      if (chain instanceof Error)
        return refuse('UnusableServerCertificate', `unusable server chain: ${chain.message}`);
      const fits = chain && chooseSignatureScheme(config.signatureSchemes, n.clientSchemes, chain.privateKey);
      if (!fits && rest.length > 0) return chooseCertificate(ctx, transcript, n, rest);
      return withStapledResponse(
        conn,
        n.ch.extensions ?? [],
        ctx.settings.ocspResponse,
        chain?.certificates,
        (ocsp) => sendServerFlight(ctx, transcript, n, chain, ocsp),
      );
    },
    'ServerCertificates',
  );
}

/** ServerHello through server Finished, as one flight (RFC 8446 §2). */
function sendServerFlight(
  chosen: ServerContext,
  transcript: Transcript,
  n: Negotiated,
  chain: LocalChain | null | undefined,
  /** The OCSP response to staple (withStapledResponse). */
  ocsp?: Uint8Array,
): HandshakeState {
  const ctx = chain
    ? new ServerContext(chosen.conn, forServedChain(chosen.settings, chain.certificates))
    : chosen;
  const { conn, config, settings } = ctx;
  const { suite } = n;
  let scheme: SignatureSchemeName | undefined;
  if (!n.psk) {
    if (!chain) {
      refuse(
        conn.facts.serverName ? 'NoCertificateForServerName' : 'NoServerCertificate',
        `no certificate for "${conn.facts.serverName ?? ''}"`,
      );
    }
    scheme = chooseSignatureScheme(config.signatureSchemes, n.clientSchemes, chain.privateKey);
    if (!scheme) refuse('NoSharedSignatureScheme', 'no signature scheme in common for our certificate');
  }

  // Key exchange: respond to the client's share (fixed private keys are a test hook for KATs).
  let ourShare: Uint8Array;
  let shared: Uint8Array;
  try {
    const fixed = config.keySharePrivateKeys[n.group];
    if (fixed && n.group !== 'x25519mlkem768') {
      const initiator = config.provider.startKeyExchange(n.group, fixed);
      ourShare = initiator.publicKey;
      shared = initiator.complete(n.clientShare.keyExchange);
    } else {
      const response = config.provider.respondKeyExchange(n.group, n.clientShare.keyExchange);
      ourShare = response.publicKey;
      shared = response.sharedSecret;
    }
  } catch (error) {
    return refuse('BadKeyShare', `bad client key share: ${(error as Error).message}`);
  }

  transcript.start(suite.hash);
  transcript.add(n.chRaw);
  const shExtensions: ServerHelloExtension[] = [
    {
      extensionType: ExtensionType.key_share,
      extensionData: { serverShare: { group: GROUP_CODES[n.group], keyExchange: ourShare } },
    },
    {
      extensionType: ExtensionType.supported_versions,
      extensionData: { selectedVersion: ProtocolVersion.TLS1_3 },
    },
  ];
  if (n.psk) {
    shExtensions.push({
      extensionType: ExtensionType.pre_shared_key,
      extensionData: { selectedIdentity: n.psk.index },
    });
  }
  conn.sendHandshake(
    HandshakeType.server_hello,
    ServerHello.build({
      legacyVersion: ProtocolVersion.TLS1_2,
      random: config.random(32),
      legacySessionIdEcho: n.ch.legacySessionId,
      cipherSuite: suite.id,
      legacyCompressionMethod: 0,
      isHelloRetryRequest: false,
      extensions: shExtensions,
    }),
    transcript,
  );
  if (n.ch.legacySessionId.length > 0) conn.records.sendChangeCipherSpecOnce();

  const { hs, clientSecret, serverSecret } = enterHandshakeKeys(
    conn,
    transcript,
    n.ch.random,
    suite,
    n.psk?.key,
    shared,
    'server',
  );
  Object.assign(conn.facts, {
    namedGroup: n.group,
    // A copy: a view would keep the whole ClientHello alive with the connection.
    sessionId: n.ch.legacySessionId.slice(),
    alpnProtocol: n.alpn,
    resumed: n.psk?.state !== undefined,
    pskIdentity: n.psk?.externalIdentity,
  });

  const ee: EncryptedExtension[] = [];
  // RFC 6066 §3: an empty server_name tells the client we used its name.
  if (conn.facts.serverName !== undefined && !n.psk)
    ee.push({ extensionType: ExtensionType.server_name, extensionData: {} });
  if (n.alpn) {
    ee.push({
      extensionType: ExtensionType.application_layer_protocol_negotiation,
      extensionData: { protocolNameList: [n.alpn] },
    });
  }
  if (n.limitExtension) ee.push(n.limitExtension);
  conn.sendHandshake(
    HandshakeType.encrypted_extensions,
    EncryptedExtensions.build({ extensions: ee }),
    transcript,
  );

  const requestContext = new Uint8Array(0);
  const requestClientCertificate = settings.clientAuth !== 'none' && !n.psk;
  if (requestClientCertificate) {
    conn.sendHandshake(
      HandshakeType.certificate_request,
      CertificateRequest13.build({
        certificateRequestContext: requestContext,
        extensions: certificateRequestExtensions(conn, settings),
      }),
      transcript,
    );
  }
  if (chain && scheme) {
    sendCertificate(conn, transcript, new Uint8Array(0), chain.certificates, ocsp);
    sendCertificateVerify(conn, transcript, scheme, chain.privateKey, 'server');
    conn.facts.signatureScheme = scheme;
  }
  if (n.psk?.state) {
    conn.facts.peerCertificates = parsePeerCertificates(
      conn.config.certificateCache,
      n.psk.state.clientCertificates.map((certData) => ({ certData })),
    );
  }
  conn.sendHandshake(
    HandshakeType.finished,
    finishedVerifyData(config.provider, suite, serverSecret, transcript.current()),
    transcript,
  );
  const master = hs.master();
  const thServerFinished = transcript.current();
  const keys: ServerKeys = {
    suite,
    master,
    clientSecret,
    clientApp: master.clientTrafficSecret(thServerFinished),
    serverApp: master.serverTrafficSecret(thServerFinished),
    exporter: master.exporterSecret(thServerFinished),
  };
  conn.keyLog('CLIENT_TRAFFIC_SECRET_0', n.ch.random, keys.clientApp);
  conn.keyLog('SERVER_TRAFFIC_SECRET_0', n.ch.random, keys.serverApp);
  conn.keyLog('EXPORTER_SECRET', n.ch.random, keys.exporter);
  conn.installKeys('write', { version: 'TLSv1.3', suite, secret: keys.serverApp });
  if (requestClientCertificate) {
    const finished = new ExpectClientFinished(ctx, transcript, keys, n.postHandshakeAuth, undefined);
    return new ExpectClientCertificate(ctx, transcript, requestContext, finished);
  }
  // RFC 8446 §4.6.1: a server that authenticates no client and accepts no 0-RTT (we never do,
  // §4.2.10) knows the client's Finished now, so its tickets go out with our Finished (one write
  // fewer; Go's crypto/tls does the same). The Finished that arrives is checked against this one.
  const clientFinished = finishedVerifyData(config.provider, suite, clientSecret, thServerFinished);
  const ticketKeys = issuingTicketKeys(ctx);
  if (ticketKeys) {
    const raw = frameHandshake(HandshakeType.finished, clientFinished);
    sendTickets(ctx, suite, ticketKeys, master.resumptionSecret(transcript.hashWith(suite.hash, raw)));
  }
  return new ExpectClientFinished(ctx, transcript, keys, n.postHandshakeAuth, clientFinished);
}

/** The key schedule after our Finished: the master secret stage and the secrets taken from it. */
interface ServerKeys {
  readonly suite: CipherSuite;
  readonly master: MasterSecret;
  readonly clientSecret: Uint8Array;
  readonly clientApp: Uint8Array;
  readonly serverApp: Uint8Array;
  readonly exporter: Uint8Array;
}

class ExpectClientCertificate implements HandshakeState {
  readonly name = 'ExpectClientCertificate';
  constructor(
    private readonly ctx: ServerContext,
    private readonly transcript: Transcript,
    private readonly requestContext: Uint8Array,
    private readonly finished: ExpectClientFinished,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate, this.name);
    const { conn, settings } = this.ctx;
    const certificate = decode(Certificate13, message.body);
    if (!bytesEqual(certificate.certificateRequestContext, this.requestContext)) {
      refuse('BadCertificateRequestContext', 'client Certificate with the wrong context');
    }
    this.transcript.add(message.raw);
    if (certificate.certificateList.length === 0) {
      // RFC 8446 §4.4.2.4: no certificate when we require one is certificate_required.
      if (settings.clientAuth === 'require') refuse('NoClientCertificate', 'the client sent no certificate');
      return this.finished;
    }
    const chain = parsePeerCertificates(conn.config.certificateCache, certificate.certificateList);
    if (!settings.clientTrustStore) refuse('NoClientTrustStore', 'no trust store for client certificates');
    validatePeerChain(conn, chain, 'client', settings.clientTrustStore, undefined, settings.verifyCallback);
    return new ExpectClientCertificateVerify(conn, this.transcript, chain[0]!, this.finished);
  }
}

class ExpectClientCertificateVerify implements HandshakeState {
  readonly name = 'ExpectClientCertificateVerify';
  constructor(
    private readonly conn: HandshakeContext,
    private readonly transcript: Transcript,
    private readonly leaf: Certificate,
    private readonly finished: ExpectClientFinished,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.certificate_verify, this.name);
    const { transcript } = this;
    const cv = decode(CertificateVerify, message.body);
    verifyCertificateVerify(
      this.conn,
      cv.algorithm,
      cv.signature,
      this.leaf.publicKey,
      'client',
      transcript.current(),
    );
    transcript.add(message.raw);
    return this.finished;
  }
}

class ExpectClientFinished implements HandshakeState {
  readonly name = 'ExpectClientFinished';
  constructor(
    private readonly ctx: ServerContext,
    private readonly transcript: Transcript,
    private readonly keys: ServerKeys,
    /** The client offered post_handshake_auth (RFC 8446 §4.2.6). */
    private readonly clientOffersPostHandshakeAuth: boolean,
    /** The client's Finished, when computed with our flight (our tickets went with it). */
    private readonly expected: Uint8Array | undefined,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    expectMessage(message, HandshakeType.finished, this.name);
    const { conn, config, settings } = this.ctx;
    const { keys, transcript, expected } = this;
    const { suite } = keys;
    if (message.body.length !== suite.hashLength) refuse('BadFinishedLength', 'Finished of the wrong length');
    checkVerifyData(
      conn,
      expected ?? finishedVerifyData(config.provider, suite, keys.clientSecret, transcript.current()),
      message.body,
    );
    transcript.add(message.raw);
    conn.installKeys('read', { version: 'TLSv1.3', suite, secret: keys.clientApp });
    const ticketKeys = expected ? undefined : issuingTicketKeys(this.ctx);
    if (ticketKeys)
      sendTickets(this.ctx, suite, ticketKeys, keys.master.resumptionSecret(transcript.current()));
    // RFC 8446 §4.6.2: only a client that offered post_handshake_auth may be asked later; only
    // then is a copy of the transcript kept.
    const postHandshakeAuth = this.clientOffersPostHandshakeAuth
      ? certificateRequester(conn, suite, transcript.fork(), settings, () =>
          conn.events.onClientAuthenticated?.(),
        )
      : undefined;
    const traffic = new Traffic13(
      conn,
      suite,
      keys.clientApp,
      keys.serverApp,
      keys.exporter,
      undefined,
      postHandshakeAuth,
    );
    conn.handshakeComplete();
    return traffic;
  }
}

/**
 * The keys to seal this connection's tickets with, if it gets any: none for a client chain that
 * did not verify (rejectUnauthorized: false), as resuming would hide it; nor after an external
 * PSK, as a resumption would lose its identity (Connection.pskIdentity).
 */
function issuingTicketKeys(ctx: ServerContext): TicketKeys | undefined {
  const { facts } = ctx.conn;
  if (facts.peerVerification?.ok === false || facts.pskIdentity !== undefined) return undefined;
  return ctx.settings.ticketKeys;
}

/** Our NewSessionTickets (RFC 8446 §4.6.1), `ticketCount` of them, under the application key. */
function sendTickets(
  ctx: ServerContext,
  suite: CipherSuite,
  ticketKeys: TicketKeys,
  resumption: Uint8Array,
): void {
  for (let i = 0; i < ctx.settings.ticketCount; i++) sendTicket(ctx, suite, ticketKeys, resumption, i);
}

function sendTicket(
  ctx: ServerContext,
  suite: CipherSuite,
  ticketKeys: TicketKeys,
  resumption: Uint8Array,
  index: number,
): void {
  const { conn, config, settings } = ctx;
  const ticketNonce = new Uint8Array([index]);
  const a = config.provider.randomBytes(4);
  const ticketAgeAdd = ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0;
  const ticketLifetime = Math.min(settings.ticketLifetimeSeconds, ticketKeys.maxLifetimeSeconds);
  const encoder = new TextEncoder();
  const ticket = ticketKeys.seal(
    TicketStateCodec.build({
      suite: suite.id,
      ...splitTime(config.clock()),
      ageAdd: ticketAgeAdd,
      lifetimeSeconds: ticketLifetime,
      psk: resumptionPsk(config.provider, suite, resumption, ticketNonce),
      serverName: encoder.encode(conn.facts.serverName ?? ''),
      alpn: encoder.encode(conn.facts.alpnProtocol ?? ''),
      clientCertificates: conn.facts.peerCertificates.map((c) => c.getAsn1Bytes()),
    }),
  );
  conn.sendRaw(
    ContentType.handshake,
    frameHandshake(
      HandshakeType.new_session_ticket,
      NewSessionTicket13.build({ ticketLifetime, ticketAgeAdd, ticketNonce, ticket, extensions: [] }),
    ),
  );
}
