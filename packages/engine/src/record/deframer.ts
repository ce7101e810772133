// Splits the incoming byte stream into records with @tls-kit/messages' RecordSplitter, bounding
// what may wait unprocessed and turning header faults into their alerts (RFC 8446 §5, §5.1).
// Records are views into the splitter's buffer (no copy per record): the connection handles each
// one before it pushes more input, and keeps only what it copied (handshake fragments go into the
// HandshakeJoiner's own buffer; decrypted data is fresh memory).
import { AlertDescription, RecordSplitter } from '@tls-kit/messages';
import { WireError } from '@tls-kit/wire';
import { fail } from '../errors.js';

/** A record as received: `header` and `fragment` are valid only until the next `push`. */
export interface RawRecord {
  readonly type: number;
  readonly version: number;
  /** The 5-byte header: the AEAD additional data of TLS 1.3 (RFC 8446 §5.2). */
  readonly header: Uint8Array;
  readonly fragment: Uint8Array;
}

export class Deframer {
  private readonly splitter = new RecordSplitter();

  /** @param maxBuffered how many unprocessed bytes may wait (e.g. while a callback is pending). */
  constructor(private readonly maxBuffered: number) {}

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    try {
      this.splitter.push(data);
    } catch (error) {
      // The bytes are buffered; the faulty header is reported when next() reaches it, after the
      // records before it (a close_notify there makes the rest irrelevant: RFC 8446 §6.1).
      if (!(error instanceof WireError)) throw error;
    }
    if (this.splitter.buffered > this.maxBuffered) {
      fail(
        AlertDescription.internal_error,
        `more than ${this.maxBuffered} bytes of input waiting to be processed`,
      );
    }
  }

  /** The next record, valid until the next `push` (see RawRecord), or undefined. */
  next(): RawRecord | undefined {
    let split: ReturnType<RecordSplitter['nextView']>;
    try {
      split = this.splitter.nextView();
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      // RFC 8446 §5: an unknown content type is unexpected_message; §5.2: an overlong record is
      // record_overflow; a non-TLS version is not TLS at all (decode_error).
      const field = error.segments[1];
      const alert =
        field === 'type'
          ? AlertDescription.unexpected_message
          : field === 'length'
            ? AlertDescription.record_overflow
            : AlertDescription.decode_error;
      return fail(alert, `bad record header: ${error.message}`);
    }
    if (!split) return undefined;
    const { type, version, fragment } = split.record;
    return { type, version, header: split.bytes.subarray(0, 5), fragment };
  }
}
