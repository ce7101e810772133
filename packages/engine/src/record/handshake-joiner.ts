// Reassembles handshake messages from record fragments with @tls-kit/messages' HandshakeSplitter
// (RFC 8446 §5.1), bounded by the largest message we accept.
import { HandshakeSplitter } from '@tls-kit/messages';
import { WireError } from '@tls-kit/wire';
import { refuse } from '../errors.js';

/** Runs a splitter step; its WireErrors (bad or oversized headers) are decode_error. */
function decoding<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    return refuse('BadHandshakeMessageHeader', `handshake message: ${error.message}`);
  }
}

/** One handshake message (RFC 8446 §4). */
export interface HandshakeMessage {
  readonly type: number;
  readonly body: Uint8Array;
  /** Header and body, as hashed into the transcript. */
  readonly raw: Uint8Array;
}

export class HandshakeJoiner {
  private readonly splitter: HandshakeSplitter;

  constructor(maxMessage: number) {
    this.splitter = new HandshakeSplitter({ maxMessageLength: maxMessage });
  }

  get empty(): boolean {
    return this.splitter.buffered === 0;
  }

  push(fragment: Uint8Array): void {
    // RFC 8446 §5.1: zero-length handshake fragments are forbidden.
    if (fragment.length === 0) refuse('EmptyHandshakeRecord', 'empty handshake record');
    decoding(() => this.splitter.push(fragment));
  }

  /** Frees the reassembly buffer when no message is partly received (idle connections). */
  release(): void {
    this.splitter.release();
  }

  next(): HandshakeMessage | undefined {
    // A header read here may announce a message over our limit, as in push().
    const message = decoding(() => this.splitter.next());
    return message && { type: message.msgType, body: message.body, raw: message.bytes };
  }
}
