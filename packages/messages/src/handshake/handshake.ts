import { BaseCodec, type Codec, EncodeError, type Reader, WireError, type Writer } from '@tls-kit/wire';
import { describe } from '../codecs/describe.js';
import { HandshakeType as H } from '../registry/handshake-type.js';
import { ProtocolVersion } from '../registry/protocol-version.js';
import {
  Certificate12,
  type Certificate12Message,
  Certificate13,
  type Certificate13Message,
  CertificateRequest12,
  type CertificateRequest12Message,
  CertificateRequest13,
  type CertificateRequest13Message,
} from './certificate.js';
import { ClientHello, type ClientHelloMessage } from './client-hello.js';
import {
  ClientKeyExchangeDHE,
  type ClientKeyExchangeDHEMessage,
  ClientKeyExchangeECDHE,
  type ClientKeyExchangeECDHEMessage,
  ClientKeyExchangeRSA,
  type ClientKeyExchangeRSAMessage,
  ServerKeyExchangeDHE,
  type ServerKeyExchangeDHEMessage,
  ServerKeyExchangeECDHE,
  type ServerKeyExchangeECDHEMessage,
} from './key-exchange.js';
import { ServerHello, type ServerHelloMessage } from './server-hello.js';
import {
  CertificateStatusMessage,
  type CertificateStatusMessageValue,
  CertificateVerify,
  type CertificateVerifyMessage,
  type EmptyMessage,
  EncryptedExtensions,
  type EncryptedExtensionsMessage,
  EndOfEarlyData,
  Finished,
  type FinishedMessage,
  HelloRequest,
  KeyUpdate,
  type KeyUpdateMessage,
  MessageHash,
  type MessageHashMessage,
  NewSessionTicket12,
  type NewSessionTicket12Message,
  NewSessionTicket13,
  type NewSessionTicket13Message,
  ServerHelloDone,
} from './simple.js';

/**
 * What a handshake body depends on beyond its type: the negotiated version (Certificate,
 * CertificateRequest, NewSessionTicket differ between TLS 1.2 and 1.3) and, in TLS 1.2, the key
 * exchange of the cipher suite (ServerKeyExchange, ClientKeyExchange). A body whose context is
 * not given is kept as raw bytes (`unknown: true`) rather than guessed.
 */
export interface HandshakeContext {
  /** ProtocolVersion.TLS1_2 or TLS1_3 once negotiated. */
  readonly version?: number;
  /** TLS 1.2 key exchange of the negotiated suite. */
  readonly keyExchange?: 'ECDHE' | 'DHE' | 'RSA';
  /** Largest body accepted (default 2^24-1, the u24 limit); a larger length is a DecodeError. */
  readonly maxLength?: number;
}

/** The decoded body type of each handshake message type (unions where the context decides). */
export interface HandshakeBodies {
  [H.hello_request]: EmptyMessage;
  [H.client_hello]: ClientHelloMessage;
  [H.server_hello]: ServerHelloMessage;
  [H.new_session_ticket]: NewSessionTicket12Message | NewSessionTicket13Message;
  [H.end_of_early_data]: EmptyMessage;
  [H.encrypted_extensions]: EncryptedExtensionsMessage;
  [H.certificate]: Certificate12Message | Certificate13Message;
  [H.server_key_exchange]: ServerKeyExchangeECDHEMessage | ServerKeyExchangeDHEMessage;
  [H.certificate_request]: CertificateRequest12Message | CertificateRequest13Message;
  [H.server_hello_done]: EmptyMessage;
  [H.certificate_verify]: CertificateVerifyMessage;
  [H.client_key_exchange]:
    | ClientKeyExchangeECDHEMessage
    | ClientKeyExchangeDHEMessage
    | ClientKeyExchangeRSAMessage;
  [H.finished]: FinishedMessage;
  [H.certificate_status]: CertificateStatusMessageValue;
  [H.key_update]: KeyUpdateMessage;
  [H.message_hash]: MessageHashMessage;
}

/** `struct { HandshakeType msg_type; uint24 length; <body> } Handshake` (RFC 8446 §4). */
export type HandshakeMessage =
  | {
      [K in keyof HandshakeBodies]: { msgType: K; body: HandshakeBodies[K]; unknown?: undefined };
    }[keyof HandshakeBodies]
  | { msgType: number; body: Uint8Array; unknown: true };

function bodyCodecs(context: HandshakeContext): Map<number, Codec<unknown>> {
  const v12 = context.version === ProtocolVersion.TLS1_2;
  const v13 = context.version === ProtocolVersion.TLS1_3;
  const kx = context.keyExchange;
  const entries: [number, Codec<unknown> | undefined][] = [
    [H.hello_request, HelloRequest],
    [H.client_hello, ClientHello],
    [H.server_hello, ServerHello],
    [H.new_session_ticket, v13 ? NewSessionTicket13 : v12 ? NewSessionTicket12 : undefined],
    [H.end_of_early_data, EndOfEarlyData],
    [H.encrypted_extensions, EncryptedExtensions],
    [H.certificate, v13 ? Certificate13 : v12 ? Certificate12 : undefined],
    [
      H.server_key_exchange,
      kx === 'ECDHE' ? ServerKeyExchangeECDHE : kx === 'DHE' ? ServerKeyExchangeDHE : undefined,
    ],
    [H.certificate_request, v13 ? CertificateRequest13 : v12 ? CertificateRequest12 : undefined],
    [H.server_hello_done, ServerHelloDone],
    [H.certificate_verify, CertificateVerify],
    [
      H.client_key_exchange,
      kx === 'ECDHE'
        ? ClientKeyExchangeECDHE
        : kx === 'DHE'
          ? ClientKeyExchangeDHE
          : kx === 'RSA'
            ? ClientKeyExchangeRSA
            : undefined,
    ],
    [H.finished, Finished],
    [H.certificate_status, CertificateStatusMessage],
    [H.key_update, KeyUpdate],
    [H.message_hash, MessageHash],
  ];
  return new Map(entries.filter((e): e is [number, Codec<unknown>] => e[1] !== undefined));
}

class HandshakeCodec extends BaseCodec<HandshakeMessage> {
  override name = 'Handshake';
  private readonly bodies: Map<number, Codec<unknown>>;
  private readonly maxLength: number;

  constructor(context: HandshakeContext) {
    super();
    this.bodies = bodyCodecs(context);
    this.maxLength = Math.min(context.maxLength ?? 0xffffff, 0xffffff);
  }

  /** The body codec used for `msgType` in this context, if it is decoded. */
  bodyCodec(msgType: number): Codec<unknown> | undefined {
    return this.bodies.get(msgType);
  }

  read(r: Reader): HandshakeMessage {
    const msgType = r.u8();
    let length: number;
    try {
      length = r.u24();
      if (length > this.maxLength) throw r.error(`length ${length} exceeds ${this.maxLength}`, r.pos - 3);
    } catch (e) {
      if (e instanceof WireError) e.prependPath('length');
      throw e;
    }
    const codec = this.bodies.get(msgType);
    try {
      const saved = r.enter(length);
      const body = codec === undefined ? r.rest() : codec.read(r);
      r.leave(saved);
      return (codec === undefined ? { msgType, body, unknown: true } : { msgType, body }) as HandshakeMessage;
    } catch (e) {
      if (e instanceof WireError) e.prependPath(codec?.name ?? 'body');
      throw e;
    }
  }

  write(w: Writer, v: HandshakeMessage): void {
    if (typeof v !== 'object' || v === null) throw new EncodeError(`expected an object, got ${describe(v)}`);
    const msgType = v.msgType;
    if ((msgType & 0xff) !== msgType)
      throw new EncodeError(`${describe(msgType)} is not a u8`).prependPath('msgType');
    const codec = v.unknown === true ? undefined : this.bodies.get(msgType);
    w.u8(msgType);
    const at = w.reserve(3);
    try {
      if (codec !== undefined) codec.write(w, v.body);
      else if (v.body instanceof Uint8Array) w.bytes(v.body);
      else
        throw new EncodeError(
          `message type ${msgType} has no codec in this context: body must be a Uint8Array`,
        );
      const length = w.pos - at - 3;
      if (length > this.maxLength) throw new EncodeError(`length ${length} exceeds ${this.maxLength}`);
      w.patchUInt(at, 3, length);
    } catch (e) {
      if (e instanceof WireError) e.prependPath(codec?.name ?? 'body');
      throw e;
    }
  }
}

const cache = new Map<string, HandshakeCodec>();

/**
 * The Handshake codec for a context (cached per context). Without a context, every body that does
 * not depend on the version or key exchange is decoded and the others are kept raw.
 *
 * @example Handshake({ version: ProtocolVersion.TLS1_3 }).parse(bytes)
 */
export function Handshake(context: HandshakeContext = {}): BaseCodec<HandshakeMessage> & {
  bodyCodec(msgType: number): Codec<unknown> | undefined;
} {
  const key = `${context.version}|${context.keyExchange}|${context.maxLength}`;
  let codec = cache.get(key);
  if (codec === undefined) {
    codec = new HandshakeCodec(context);
    cache.set(key, codec);
  }
  return codec;
}

/** The TLS 1.2 key exchange named by a cipher suite name (TLS_ECDHE_*, TLS_DHE_*, TLS_RSA_WITH_*). */
export function keyExchangeOfSuiteName(name: string | undefined): HandshakeContext['keyExchange'] {
  if (name === undefined) return undefined;
  if (name.startsWith('TLS_ECDHE_')) return 'ECDHE';
  if (name.startsWith('TLS_DHE_')) return 'DHE';
  if (name.startsWith('TLS_RSA_WITH_')) return 'RSA';
  return undefined;
}
