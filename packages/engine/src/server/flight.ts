// The encrypted part of a TLS 1.3 server flight (EncryptedExtensions through Finished) sent as one
// record, as RFC 8448 §3 shows it: RFC 8446 §5.1 lets handshake messages share a record as long as
// none spans a key change, and one record is one AEAD seal instead of four.
import { concat } from '@tls-kit/crypto/bytes';
import { ContentType } from '@tls-kit/messages';
import type { HandshakeContext } from '../handshake/context.js';
import type { Transcript } from '../transcript/transcript.js';

export class EncryptedFlight {
  private readonly messages: Uint8Array[] = [];

  constructor(private readonly conn: HandshakeContext) {}

  get config(): HandshakeContext['config'] {
    return this.conn.config;
  }

  get facts(): HandshakeContext['facts'] {
    return this.conn.facts;
  }

  /** As HandshakeContext.sendHandshake, but the message waits for send(). */
  sendHandshake(type: number, body: Uint8Array, transcript: Transcript): Uint8Array {
    const raw = this.conn.frameIntoTranscript(type, body, transcript);
    this.messages.push(raw);
    return raw;
  }

  /** The messages so far, under the current write key; call before the key changes. */
  send(): void {
    if (this.messages.length === 0) return;
    this.conn.sendRaw(ContentType.handshake, concat(this.messages));
    this.messages.length = 0;
  }
}
