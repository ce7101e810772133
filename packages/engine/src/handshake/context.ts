// What a handshake state sees of its connection: the configuration and role, the facts it
// establishes, sending handshake messages, installing keys, pausing for a user callback, key
// logging, and the record layer's handshake controls. The connection's driver (core.ts) provides
// it; states never see the input loop, output batching or close handling. The transcript and the
// key schedule are not here: each state owns them and hands them to the next state's constructor,
// so an open connection keeps only its traffic secrets.
import type { ResolvedConfig } from '../config.js';
import type { ConnectionEvents, ConnectionFacts, ConnectionState, HandshakeState } from '../core.js';
import type { Direction, RecordKeys, RecordLayer } from '../record/layer.js';
import type { Transcript } from '../transcript/transcript.js';

/** The record layer's controls a handshake uses (RFC 8446 §5, RFC 8449, RFC 6066 §4). */
export type HandshakeRecords = Pick<
  RecordLayer,
  | 'countKeyUpdate'
  | 'clientHelloExchanged'
  | 'sendChangeCipherSpecOnce'
  | 'setLimits'
  | 'limitPlaintextWrites'
  | 'recordReadLimit'
  | 'skipRejectedEarlyData'
  | 'stopSkippingEarlyData'
>;

export interface HandshakeContext {
  readonly config: ResolvedConfig;
  readonly role: 'client' | 'server';
  /** What the handshake established, as `Connection` reports it. */
  readonly facts: ConnectionFacts;
  readonly records: HandshakeRecords;
  readonly events: ConnectionEvents;
  readonly status: ConnectionState;
  /** The connection object handed to user callbacks (verifyCallback). */
  readonly publicConnection: unknown;
  /** Called once when the connection is invalidated (TLS 1.2 drops its session: RFC 5246 §7.2.2). */
  onInvalidate: (() => void) | undefined;

  /**
   * Frames, hashes into `transcript` (the sending state's own) and sends a handshake message; the
   * messages of a flight share records (RecordLayer.send).
   */
  sendHandshake(type: number, body: Uint8Array, transcript: Transcript): Uint8Array;
  /** Sends already framed data without touching the transcript. */
  sendRaw(type: number, data: Uint8Array): void;
  /** A warning alert that leaves the connection usable (RFC 5246 §7.2.2). */
  sendWarningAlert(code: number): void;
  installKeys(direction: Direction, keys: RecordKeys): void;
  /** One NSS key log line for `secret`, of the handshake with this ClientHello.random. */
  keyLog(label: string, clientRandom: Uint8Array, secret: Uint8Array): void;
  /** Pauses for a user callback that may answer now or later (see ConnectionCore.waitFor). */
  waitFor<T>(
    register: (answer: (value: T) => void) => void,
    then: (value: T) => HandshakeState,
    name: string,
  ): HandshakeState;
  handshakeComplete(): void;
  /** The peer asked for a KeyUpdate (RFC 8446 §4.6.3). */
  owePeerKeyUpdate(): void;
  /** Runs an action after the handshake as an API call: output flushed, failures handled. */
  perform(fn: () => void): void;
}
