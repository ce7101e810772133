// Pieces of the TLS 1.2 handshake (RFC 5246) both roles use: the state base class (a
// ChangeCipherSpec nobody expects is unexpected_message, §7.1), key installation at
// ChangeCipherSpec, Finished (§7.4.9), digitally-signed checks (§4.7, §7.4.3, §7.4.8), the
// APP_DATA state with the design's no_renegotiation answers, and the pre-master secret of DHE.
import type { PrivateKey, PublicKey, SignatureSchemeName } from '@tls-kit/crypto';
import { signatureSchemeInfo, tls12Prf } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { AlertDescription, ContentType, HandshakeType } from '@tls-kit/messages';
import { schemeCode } from '../algorithms.js';
import type { HandshakeState } from '../core.js';
import { refuse, TLSUsageError } from '../errors.js';
import {
  finishedVerifyData12,
  type KeyBlock12,
  keyBlock12,
  VERIFY_DATA_LENGTH,
} from '../keyschedule/tls12.js';
import type { RecordKeys } from '../record/layer.js';
import type { Tls12CipherSuite } from '../suites.js';
import type { Transcript } from '../transcript/transcript.js';
import type { HandshakeContext } from './context.js';
import { type HandshakeMessage, handshakeName } from './messages.js';
import { verifyPeerSignature } from './peer-signature.js';

/**
 * A TLS 1.2 state. `name` is the state of the design's state tables it belongs to;
 * the class name says which message it expects inside that state.
 */
export abstract class State12 implements HandshakeState {
  abstract readonly name: string;
  abstract handle(message: HandshakeMessage): HandshakeState;

  /** RFC 5246 §7.1: ChangeCipherSpec only where the handshake expects it. */
  handleChangeCipherSpec(): HandshakeState {
    return refuse('UnexpectedChangeCipherSpec', `${this.name}: unexpected ChangeCipherSpec`);
  }
}

/** Can `scheme` sign with `key` in TLS 1.2? Unlike 1.3, PKCS#1 is allowed and ECDSA is not bound to a curve. */
export function schemeFitsKey12(scheme: SignatureSchemeName, key: PublicKey | PrivateKey): boolean {
  return signatureSchemeInfo(scheme).keyTypes.includes(key.type);
}

/** Our preferred scheme the peer offered that `key` can make (RFC 5246 §7.4.1.4.1). */
export function chooseScheme12(
  ours: readonly SignatureSchemeName[],
  peerCodes: readonly number[],
  key: PrivateKey,
): SignatureSchemeName | undefined {
  const offered = new Set(peerCodes);
  return ours.find(
    (s) => offered.has(schemeCode(s)) && schemeFitsKey12(s, key) && !signatureSchemeInfo(s).verifyOnly,
  );
}

/** Does the certificate key fit the suite's authentication (RFC 8422 §5.1 puts EdDSA with ECDSA)? */
export function keyFitsSuite(suite: Tls12CipherSuite, key: PublicKey | PrivateKey): boolean {
  return suite.auth === 'ecdsa'
    ? key.type === 'ec' || key.type === 'ed25519'
    : key.type === 'rsa' || key.type === 'rsa-pss';
}

/**
 * Checks a digitally-signed struct (RFC 5246 §4.7): the scheme must be one we offered and fit
 * the key (illegal_parameter), the signature must verify (decrypt_error, §7.2.2).
 */
export function verifySigned12(
  conn: HandshakeContext,
  scheme: number,
  signature: Uint8Array,
  key: PublicKey,
  data: Uint8Array,
  what: string,
): SignatureSchemeName {
  return verifyPeerSignature(conn, scheme, signature, key, data, schemeFitsKey12, what);
}

/** RFC 5246 §8.1.2: the DH pre-master secret is Z with its leading zero bytes stripped. */
export function stripLeadingZeros(secret: Uint8Array): Uint8Array {
  let i = 0;
  while (i < secret.length - 1 && secret[i] === 0) i++;
  return secret.subarray(i);
}

/** What a TLS 1.2 connection keeps after its handshake: the exporter's inputs (RFC 5705 §4). */
export interface Secrets12 {
  readonly suite: Tls12CipherSuite;
  readonly master: Uint8Array;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
}

/**
 * The negotiated keys of one handshake, turned into record protection at each ChangeCipherSpec.
 * The transcript stays with the states that own it and is passed in for Finished.
 */
export class Keys12 implements Secrets12 {
  private readonly block: KeyBlock12;

  constructor(
    private readonly conn: HandshakeContext,
    readonly suite: Tls12CipherSuite,
    readonly master: Uint8Array,
    readonly clientRandom: Uint8Array,
    readonly serverRandom: Uint8Array,
  ) {
    this.block = keyBlock12(conn.config.provider, suite, master, clientRandom, serverRandom);
    // NSS key log format for TLS 1.2: CLIENT_RANDOM <client random> <master secret>.
    conn.keyLog('CLIENT_RANDOM', clientRandom, master);
  }

  /** What APP_DATA keeps: not the key block, which the record layer already holds. */
  secrets(): Secrets12 {
    const { suite, master, clientRandom, serverRandom } = this;
    return { suite, master, clientRandom, serverRandom };
  }

  /** The keys `sender` writes with (RFC 5246 §6.3). */
  private keys(sender: 'client' | 'server'): RecordKeys {
    const key = sender === 'client' ? this.block.clientKey : this.block.serverKey;
    const iv = sender === 'client' ? this.block.clientIv : this.block.serverIv;
    return { version: 'TLSv1.2', suite: this.suite, key, iv };
  }

  /** Sends ChangeCipherSpec and switches our writes to the pending keys (RFC 5246 §7.1). */
  sendChangeCipherSpec(): void {
    const { conn } = this;
    conn.sendRaw(ContentType.change_cipher_spec, new Uint8Array([1]));
    conn.installKeys('write', this.keys(conn.role));
  }

  /** The peer's ChangeCipherSpec: its records are protected from now on. */
  receiveChangeCipherSpec(): void {
    const { conn } = this;
    conn.installKeys('read', this.keys(conn.role === 'client' ? 'server' : 'client'));
  }

  private verifyData(sender: 'client' | 'server', transcript: Transcript): Uint8Array {
    return finishedVerifyData12(
      this.conn.config.provider,
      this.suite,
      this.master,
      sender,
      transcript.current(),
    );
  }

  sendFinished(transcript: Transcript): void {
    this.conn.sendHandshake(HandshakeType.finished, this.verifyData(this.conn.role, transcript), transcript);
  }

  /** RFC 5246 §7.4.9: the peer's Finished, compared in constant time (decrypt_error). */
  checkFinished(message: HandshakeMessage, transcript: Transcript): void {
    if (message.body.length !== VERIFY_DATA_LENGTH)
      refuse('BadFinishedLength', 'Finished of the wrong length');
    const expected = this.verifyData(this.conn.role === 'client' ? 'server' : 'client', transcript);
    if (!this.conn.config.provider.timingSafeEqual(expected, message.body)) {
      refuse('BadFinished', 'bad Finished verify_data');
    }
    this.conn.facts.peerFinished = message.body.slice();
    transcript.add(message.raw);
  }
}

/** Waits for the peer's ChangeCipherSpec inside `name` (WAIT_1, WAIT_2, WAIT or WAIT_RESUME). */
export class ExpectChangeCipherSpec12 extends State12 {
  constructor(
    readonly name: string,
    private readonly keys: Keys12,
    private readonly next: () => HandshakeState,
  ) {
    super();
  }

  handle(message: HandshakeMessage): HandshakeState {
    return refuse(
      'UnexpectedHandshakeMessage',
      `${this.name}: got ${handshakeName(message.type)}, expected ChangeCipherSpec`,
    );
  }

  override handleChangeCipherSpec(): HandshakeState {
    this.keys.receiveChangeCipherSpec();
    return this.next();
  }
}

/** Renegotiation attempts a connection refuses with a warning before it ends with unexpected_message. */
export const MAX_RENEGOTIATION_REFUSALS = 4;

const RESERVED_EXPORTER_LABELS = new Set([
  'client finished',
  'server finished',
  'master secret',
  'extended master secret',
  'key expansion',
]);

/**
 * APP_DATA (the design's state tables): application data flows; a renegotiation attempt (ClientHello
 * to a server, HelloRequest to a client) gets Alert(no_renegotiation) as a warning and the
 * connection stays in APP_DATA. Any other handshake message is unexpected_message.
 */
export class AppData12 extends State12 {
  readonly name = 'APP_DATA';
  /** Renegotiation attempts refused so far (see MAX_RENEGOTIATION_REFUSALS). */
  private refusals = 0;

  constructor(
    private readonly conn: HandshakeContext,
    private readonly keys: Secrets12,
  ) {
    super();
  }

  /**
   * RFC 5705 §4: PRF(master_secret, label, client_random + server_random + context_length +
   * context). A context is always given (possibly empty), as in TLS 1.3.
   */
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    // RFC 5705 §4: labels the key schedule itself uses are refused.
    if (RESERVED_EXPORTER_LABELS.has(label)) throw new TLSUsageError(`exporter label "${label}" is reserved`);
    if (context.length > 0xffff) throw new TLSUsageError('exporter context over 65535 bytes');
    const { keys } = this;
    const seed = concat([
      keys.clientRandom,
      keys.serverRandom,
      new Uint8Array([context.length >> 8, context.length & 0xff]),
      context,
    ]);
    return tls12Prf(this.conn.config.provider, keys.suite.hash, keys.master, label, seed, length);
  }

  handle(message: HandshakeMessage): HandshakeState {
    const renegotiation =
      this.conn.role === 'server' ? HandshakeType.client_hello : HandshakeType.hello_request;
    if (message.type === renegotiation) {
      // A peer that insists (or packs thousands of hellos in one record) is not answered each time:
      // as OpenSSL and BoringSSL, the connection ends.
      if (++this.refusals > MAX_RENEGOTIATION_REFUSALS)
        refuse(
          'TooManyRenegotiationAttempts',
          `more than ${MAX_RENEGOTIATION_REFUSALS} renegotiation attempts`,
        );
      // RFC 5246 §7.2.2, RFC 5746 §4.2/§4.4: refuse with a warning; the peer decides whether to go on.
      this.conn.sendWarningAlert(AlertDescription.no_renegotiation);
      return this;
    }
    return refuse('UnexpectedPostHandshakeMessage', `${handshakeName(message.type)} after the handshake`);
  }
}

/** The facts every finished TLS 1.2 handshake reports. */
export function tls12Facts(conn: HandshakeContext, suite: Tls12CipherSuite): void {
  conn.facts.tlsVersion = 'TLSv1.2';
  conn.facts.cipherSuite = suite.name;
}
