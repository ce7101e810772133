// Turns the bytes of TLS connections into a transcript of records and messages, tracking just
// enough state (negotiated version, key exchange, ChangeCipherSpec seen) to decode each message
// with the right context and to tell encrypted records from plaintext ones.
import { IncompleteDataError, WireError } from '@tls-kit/wire';
import { findExtension } from '../extensions/list.js';
import {
  Handshake,
  type HandshakeContext,
  type HandshakeMessage,
  keyExchangeOfSuiteName,
} from '../handshake/handshake.js';
import { Alert, type AlertMessage, ChangeCipherSpec } from '../record/alert.js';
import { RECORD_HEADER_LENGTH, type TLSRecord } from '../record/record.js';
import { HandshakeSplitter, RecordSplitter } from '../record/splitter.js';
import { CipherSuite } from '../registry/cipher-suite.js';
import { ContentType } from '../registry/content-type.js';
import { ExtensionType } from '../registry/extension-type.js';
import { HandshakeType } from '../registry/handshake-type.js';
import { isGrease } from '../registry/names.js';
import { ProtocolVersion } from '../registry/protocol-version.js';

export type Direction = 'client' | 'server';

/** Where an event happened. */
export interface Location {
  connection: number;
  /** Who sent the bytes. */
  from: Direction;
  /** Offset in that direction's byte stream. */
  offset: number;
  /** Capture packet that carried the bytes, when reading a capture. */
  packet?: number;
}

export type DissectEvent =
  | (Location & {
      kind: 'record';
      record: TLSRecord;
      encrypted: boolean;
      /** Set when the decryptor opened the record: its inner content type and plaintext. */
      decrypted?: { type: number; content: Uint8Array };
    })
  | (Location & {
      kind: 'handshake';
      message: HandshakeMessage;
      /** Body length; `bytes` is the whole message as sent (what the transcript hash covers). */
      length: number;
      bytes: Uint8Array;
    })
  | (Location & { kind: 'alert'; alert: AlertMessage })
  | (Location & { kind: 'change_cipher_spec' })
  | (Location & { kind: 'error'; error: WireError });

/**
 * Hook for decrypting records from an NSS key log (no crypto here: the caller brings it): given an
 * encrypted record and what the connection's hellos said, return the inner content type and
 * plaintext, or undefined to show the record as encrypted.
 */
export type RecordDecryptor = (record: TLSRecord, info: RecordDecryptorInfo) => undefined | DecryptedContent;

export interface DecryptedContent {
  type: number;
  content: Uint8Array;
}

export interface RecordDecryptorInfo {
  from: Direction;
  /** ClientHello.random: how key log lines name the connection. */
  clientRandom?: Uint8Array;
  /** ServerHello.random (not a HelloRetryRequest's): TLS 1.2 key derivation needs it (RFC 5246 §6.3). */
  serverRandom?: Uint8Array;
  /** The ServerHello's cipher suite. */
  cipherSuite?: number;
}

interface Side {
  records: RecordSplitter;
  handshake: HandshakeSplitter;
  changeCipherSpecSeen: boolean;
  /** Set after a fault: the stream cannot be resynchronised. */
  failed: boolean;
  /** Where the handshake fragments not yet fully consumed sit in the byte stream. */
  fragments: { handshakeOffset: number; streamOffset: number; length: number }[];
}

/** The byte-stream offset of a handshake-stream offset (fragments skip the record headers). */
function streamOffsetOf(me: Side, handshakeOffset: number): number {
  for (const f of me.fragments) {
    if (handshakeOffset < f.handshakeOffset + f.length)
      return f.streamOffset + Math.max(0, handshakeOffset - f.handshakeOffset);
  }
  const last = me.fragments.at(-1);
  return last === undefined ? me.records.position : last.streamOffset + last.length;
}

interface ConnectionState {
  context: HandshakeContext;
  clientRandom?: Uint8Array;
  serverHello?: { serverRandom: Uint8Array; cipherSuite: number };
  client: Side;
  server: Side;
}

function side(): Side {
  return {
    records: new RecordSplitter(),
    handshake: new HandshakeSplitter({ maxMessageLength: 0xffffff }),
    changeCipherSpecSeen: false,
    failed: false,
    fragments: [],
  };
}

/** The version and key exchange a ServerHello settles (RFC 8446 §4.2.1: supported_versions wins). */
function contextFromServerHello(message: HandshakeMessage): HandshakeContext | undefined {
  if (message.unknown || message.msgType !== HandshakeType.server_hello) return undefined;
  const sh = message.body;
  // A HelloRetryRequest already fixes the version (RFC 8446 §4.1.4).
  const selected = findExtension(sh.extensions, ExtensionType.supported_versions);
  const version = selected?.extensionData.selectedVersion ?? sh.legacyVersion;
  return { version, keyExchange: keyExchangeOfSuiteName(CipherSuite[sh.cipherSuite]) };
}

/**
 * What a ClientHello alone settles: a client offering only TLS 1.3 (or later) will speak TLS 1.3,
 * which matters when only its side of the connection is seen (its ChangeCipherSpec is then a
 * compatibility no-op, RFC 8446 §D.4, and a second ClientHello after it is plaintext).
 */
function contextFromClientHello(
  message: HandshakeMessage,
  context: HandshakeContext,
): HandshakeContext | undefined {
  if (message.unknown || message.msgType !== HandshakeType.client_hello || context.version !== undefined)
    return undefined;
  const offered = findExtension(message.body.extensions, ExtensionType.supported_versions)?.extensionData
    .versions;
  const real = offered?.filter((v) => !isGrease(v)) ?? [];
  return real.length > 0 && real.every((v) => v >= ProtocolVersion.TLS1_3)
    ? { version: ProtocolVersion.TLS1_3 }
    : undefined;
}

export class TLSDissector {
  private readonly connections = new Map<number, ConnectionState>();

  constructor(readonly decrypt?: RecordDecryptor) {}

  private state(connection: number): ConnectionState {
    let s = this.connections.get(connection);
    if (s === undefined) {
      s = { context: {}, client: side(), server: side() };
      this.connections.set(connection, s);
    }
    return s;
  }

  /** Feeds bytes sent by `from` on `connection`; returns what they completed. */
  push(connection: number, from: Direction, data: Uint8Array, packet?: number): DissectEvent[] {
    const state = this.state(connection);
    const me = state[from];
    const events: DissectEvent[] = [];
    if (me.failed) return events;
    const at = (offset: number): Location =>
      packet === undefined ? { connection, from, offset } : { connection, from, offset, packet };
    const fail = (error: unknown, offset: number) => {
      if (!(error instanceof WireError)) throw error;
      me.failed = true;
      events.push({ ...at(offset), kind: 'error', error });
    };
    // Record splitter faults carry their stream offset.
    const splitterFault = (e: unknown) =>
      fail(e, e instanceof WireError && e.offset !== undefined ? e.offset : me.records.position);
    try {
      me.records.push(data);
    } catch (e) {
      splitterFault(e);
      return events;
    }
    for (;;) {
      let split: ReturnType<RecordSplitter['next']>;
      try {
        split = me.records.next();
      } catch (e) {
        splitterFault(e);
        return events;
      }
      if (split === undefined) break;
      const { record, offset } = split;
      // TLS 1.3 hides everything after the ServerHello in application_data records; TLS 1.2
      // encrypts what follows a ChangeCipherSpec (RFC 8446 §5.2, RFC 5246 §7.1).
      const tls13 = state.context.version === ProtocolVersion.TLS1_3;
      let encrypted =
        record.type === ContentType.application_data ||
        (!tls13 && me.changeCipherSpecSeen && record.type !== ContentType.change_cipher_spec);
      let type = record.type;
      let content = record.fragment;
      let decrypted: DecryptedContent | undefined;
      if (encrypted && this.decrypt !== undefined) {
        decrypted = this.decrypt(record, { from, clientRandom: state.clientRandom, ...state.serverHello });
        if (decrypted !== undefined) {
          encrypted = false;
          type = decrypted.type;
          content = decrypted.content;
        }
      }
      events.push({ ...at(offset), kind: 'record', record, encrypted, ...(decrypted ? { decrypted } : {}) });
      if (encrypted) continue;
      // Maps a fault's offset (in the unit being decoded) to the byte stream.
      let locate = (inner: number) => offset + RECORD_HEADER_LENGTH + inner;
      try {
        if (type === ContentType.change_cipher_spec) {
          ChangeCipherSpec.parse(content);
          me.changeCipherSpecSeen = true;
          events.push({ ...at(offset), kind: 'change_cipher_spec' });
        } else if (type === ContentType.alert) {
          events.push({ ...at(offset), kind: 'alert', alert: Alert.parse(content) });
        } else if (type === ContentType.handshake) {
          const handshakeOffset = me.handshake.position + me.handshake.buffered;
          me.fragments.push({
            handshakeOffset,
            streamOffset: offset + RECORD_HEADER_LENGTH,
            length: content.length,
          });
          // Splitter faults are located in the handshake stream.
          locate = (inner) => streamOffsetOf(me, inner);
          me.handshake.push(content);
          for (let m = me.handshake.next(); m !== undefined; m = me.handshake.next()) {
            const start = m.offset;
            locate = (inner) => streamOffsetOf(me, start + inner);
            const message = Handshake(state.context).parse(m.bytes);
            if (!message.unknown && message.msgType === HandshakeType.client_hello)
              state.clientRandom = message.body.random;
            if (
              !message.unknown &&
              message.msgType === HandshakeType.server_hello &&
              !message.body.isHelloRetryRequest
            )
              state.serverHello = {
                serverRandom: message.body.random,
                cipherSuite: message.body.cipherSuite,
              };
            state.context =
              contextFromServerHello(message) ??
              contextFromClientHello(message, state.context) ??
              state.context;
            events.push({
              ...at(streamOffsetOf(me, m.offset)),
              kind: 'handshake',
              message,
              length: m.body.length,
              bytes: m.bytes,
            });
            while (me.fragments.length > 0) {
              const f = me.fragments[0]!;
              if (f.handshakeOffset + f.length > me.handshake.position) break;
              me.fragments.shift();
            }
          }
        }
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
        fail(e, locate(e.offset ?? 0));
        return events;
      }
    }
    return events;
  }

  /**
   * Call at the end of the input: a record or handshake message still incomplete is reported as
   * an error (the capture or stream was truncated).
   */
  finish(): DissectEvent[] {
    const events: DissectEvent[] = [];
    for (const [connection, state] of this.connections) {
      for (const from of ['client', 'server'] as const) {
        const me = state[from];
        if (me.failed) continue;
        const loc = { connection, from };
        if (me.records.buffered > 0) {
          // The stream ends inside a record.
          const end = me.records.position + me.records.buffered;
          const error = new IncompleteDataError(me.records.needed(), { offset: end });
          error.prependPath('TLSRecord');
          events.push({ ...loc, offset: end, kind: 'error', error });
        } else if (me.handshake.buffered > 0) {
          // The handshake records end inside a message.
          const error = new IncompleteDataError(me.handshake.needed()).prependPath('Handshake');
          events.push({
            ...loc,
            offset: streamOffsetOf(me, me.handshake.position + me.handshake.buffered),
            kind: 'error',
            error,
          });
        }
      }
    }
    return events;
  }
}
