// Splits the incoming byte stream into records with @tls-kit/messages' RecordSplitter, bounding
// what may wait unprocessed and turning header faults into their alerts (RFC 8446 §5, §5.1).
// Records are views (no copy per record), into the caller's input when they arrive whole (feed) or
// into the splitter's buffer: the connection handles each one before it feeds more input, and
// keeps only what it copied (handshake fragments go into the HandshakeJoiner's own buffer;
// decrypted data is fresh memory); before dataFromWire returns, detach() copies what is left of
// the caller's input (a partial record, or records waiting for a callback).
import { RecordSplitter } from '@tls-kit/messages';
import { WireError } from '@tls-kit/wire';
import { refuse } from '../errors.js';
import type { Reason } from '../reasons.js';

/** A record as received: `header` and `fragment` are valid only until the next push/feed/detach. */
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

  /** Copies `data` in: records then stay valid until the next push (no detach needed). */
  push(data: Uint8Array): void {
    this.take(data, false);
  }

  /**
   * Takes up to `limit` bytes of `data` and returns how many it took; take all records out with
   * next() before feeding more. Whole records are read in place from `data` (no copy), which must
   * stay unchanged until `detach()`; only a record split across calls is copied, by feeding first
   * just the bytes it lacks.
   */
  feed(data: Uint8Array, limit: number): number {
    let length = Math.min(data.length, limit);
    if (this.splitter.buffered === 0) {
      this.take(data.subarray(0, length), true);
      return length;
    }
    let missing = 0;
    try {
      missing = this.splitter.needed();
    } catch (error) {
      // A faulty header is reported by next(), after the records before it.
      if (!(error instanceof WireError)) throw error;
    }
    // Whole records still waiting (a callback is pending) take everything, copied and bounded.
    if (missing > 0) length = Math.min(length, missing);
    this.take(data.subarray(0, length), false);
    return length;
  }

  /** Bytes received and not yet taken as records. */
  get buffered(): number {
    return this.splitter.buffered;
  }

  /** Copies what is left of the bytes fed in place, before the caller may change them. */
  detach(): void {
    this.splitter.detach();
  }

  private take(data: Uint8Array, borrowed: boolean): void {
    if (data.length === 0) return;
    try {
      if (borrowed) this.splitter.pushBorrowed(data);
      else this.splitter.push(data);
    } catch (error) {
      // The bytes are buffered; the faulty header is reported when next() reaches it, after the
      // records before it (a close_notify there makes the rest irrelevant: RFC 8446 §6.1).
      if (!(error instanceof WireError)) throw error;
    }
    if (this.splitter.buffered > this.maxBuffered) {
      refuse('TooMuchBufferedInput', `more than ${this.maxBuffered} bytes of input waiting to be processed`);
    }
  }

  /** The next record, valid until the next push, feed or detach (see RawRecord), or undefined. */
  next(): RawRecord | undefined {
    let split: ReturnType<RecordSplitter['nextView']>;
    try {
      split = this.splitter.nextView();
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      // RFC 8446 §5: an unknown content type is unexpected_message; §5.2: an overlong record is
      // record_overflow; a non-TLS version is not TLS at all (decode_error).
      const field = error.segments[1];
      const reason =
        (this.splitter.position === 0 && plainHttp(this.splitter.peek(5))) ||
        (field === 'type' ? 'UnknownRecordType' : field === 'length' ? 'RecordOverflow' : 'BadRecordHeader');
      return refuse(reason, `bad record header: ${error.message}`);
    }
    if (!split) return undefined;
    const { type, version, fragment } = split.record;
    return { type, version, header: split.bytes.subarray(0, 5), fragment };
  }
}

/** The HTTP request lines OpenSSL recognizes at the start of a TLS stream (its ssl3_get_record). */
const HTTP_REQUESTS = ['GET ', 'POST ', 'HEAD ', 'PUT '];

/** Why the stream's first bytes, which are no record header, look like HTTP, if they do. */
function plainHttp(first: Uint8Array): Reason | undefined {
  const text = String.fromCharCode(...first);
  if (HTTP_REQUESTS.some((method) => text.startsWith(method))) return 'HttpRequest';
  return text.startsWith('CONNE') ? 'HttpsProxyRequest' : undefined;
}
