import { DecodeError, Reader, WireError } from '@tls-kit/wire';
import { HandshakeTypeCodec, ProtocolVersionCodec } from '../codecs/common.js';
import { ContentType } from '../registry/content-type.js';
import { MAX_CIPHERTEXT_LENGTH, RECORD_HEADER_LENGTH, RecordContentType, type TLSRecord } from './record.js';

/** A whole frame cut out of a stream. */
export interface Frame {
  /** Offset of the frame's first byte in the stream. */
  offset: number;
  /**
   * The frame's bytes, header included: from `next()` a copy the caller owns; from
   * `RecordSplitter.nextView()` a view into the splitter's buffer (see there).
   */
  bytes: Uint8Array;
}

/**
 * Cuts length-prefixed frames out of a byte stream that arrives in arbitrary pieces. `push`
 * copies the input into one reused buffer (the caller may reuse its chunk at once). A frame's header is
 * validated as soon as it is complete, so an oversize or malformed length is refused before its
 * body is waited for. The buffer holds only what was pushed and not yet taken: call `next()` until
 * it returns undefined after each `push`.
 */
abstract class FrameSplitter {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** Stream offset of buf[start]. */
  private offset = 0;
  /** While `buf` is a caller's chunk (pushBorrowed), the splitter's own buffer, kept for reuse. */
  private own: Uint8Array | undefined;

  constructor(
    /** Header bytes before the body. */
    readonly headerLength: number,
  ) {}

  /**
   * Validates the complete header at `buf[at]` (throwing a WireError) and returns the body
   * length; `offset` is its position in the stream.
   */
  protected abstract bodyLength(buf: Uint8Array, at: number, offset: number): number;

  /** Appends bytes from the stream; throws a DecodeError if the next frame's header is invalid. */
  push(data: Uint8Array): void {
    this.detach();
    if (this.end + data.length > this.buf.length) {
      const pending = this.end - this.start;
      if (pending + data.length > this.buf.length) {
        const grown = new Uint8Array(Math.max(pending + data.length, 2 * this.buf.length));
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      } else {
        // Reuses the room of frames already taken: views from nextView() end here.
        this.buf.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(data, this.end);
    this.end += data.length;
    this.needed();
  }

  /**
   * `push` without the copy when nothing is buffered: frames are then read straight from `data`,
   * which must not change until `detach()` (or the next push), where what was not taken yet is
   * copied into the splitter's own buffer. With bytes already buffered it is `push`. Views from
   * `nextView()` point into `data` and are valid as long as `data` is unchanged.
   */
  pushBorrowed(data: Uint8Array): void {
    if (this.end > this.start) {
      this.push(data);
      return;
    }
    this.detach();
    this.own = this.buf;
    this.buf = data;
    this.start = 0;
    this.end = data.length;
    this.needed();
  }

  /** Ends a pushBorrowed: the bytes not taken yet are copied out of the caller's chunk. */
  detach(): void {
    const own = this.own;
    if (own === undefined) return;
    this.own = undefined;
    const pending = this.buf.subarray(this.start, this.end);
    // Nothing left: the own buffer is dropped too, so an idle stream holds no memory.
    if (pending.length === 0) this.buf = new Uint8Array(0);
    else this.buf = own.length >= pending.length ? own : new Uint8Array(pending.length);
    this.buf.set(pending);
    this.start = 0;
    this.end = pending.length;
  }

  /**
   * Frees the buffer when nothing is buffered, so an idle stream holds no memory (the next push
   * allocates again). Views already returned keep their own memory alive and stay valid.
   */
  release(): void {
    if (this.end === this.start && this.own === undefined) {
      this.buf = new Uint8Array(0);
      this.start = 0;
      this.end = 0;
    }
  }

  /** Bytes buffered and not yet returned as frames. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Up to `length` of the bytes not yet returned, as a view valid until the next push or detach. */
  peek(length: number): Uint8Array {
    return this.buf.subarray(this.start, Math.min(this.end, this.start + length));
  }

  /** Stream offset of the next byte not yet returned. */
  get position(): number {
    return this.offset;
  }

  /** How many more bytes the next frame needs (0 when `next()` will return one). */
  needed(): number {
    const available = this.end - this.start;
    if (available < this.headerLength) return this.headerLength - available;
    return Math.max(0, this.frameLength() - available);
  }

  /** Header and body of the next frame, whose header is complete. */
  private frameLength(): number {
    return this.headerLength + this.bodyLength(this.buf, this.start, this.offset);
  }

  /** The next whole frame (a copy, or a view into the buffer), or undefined until more bytes are pushed. */
  protected nextFrame(view: boolean): Frame | undefined {
    if (this.end - this.start < this.headerLength) return undefined;
    const length = this.frameLength();
    if (length > this.end - this.start) return undefined;
    const end = this.start + length;
    const frame = {
      offset: this.offset,
      bytes: view ? this.buf.subarray(this.start, end) : this.buf.slice(this.start, end),
    };
    this.start = end;
    this.offset += length;
    return frame;
  }
}

/** A record cut out of a stream, with where it was. */
export interface SplitRecord extends Frame {
  record: TLSRecord;
}

/**
 * Pulls whole TLS records out of a byte stream (RFC 8446 §5.1): `push` bytes as they arrive, then
 * call `next()` (or `nextView()`) until it returns undefined; `needed()` says how many more bytes
 * the next record needs. The content type and the length (at most `maxFragmentLength`, by default
 * 2^14+2048, the largest any version allows) are checked on the header alone.
 */
export class RecordSplitter extends FrameSplitter {
  readonly maxFragmentLength: number;

  constructor(options: { maxFragmentLength?: number } = {}) {
    super(RECORD_HEADER_LENGTH);
    this.maxFragmentLength = options.maxFragmentLength ?? MAX_CIPHERTEXT_LENGTH;
  }

  protected bodyLength(buf: Uint8Array, at: number, offset: number): number {
    // Called for every record (several times while it arrives): a well-formed header is read
    // directly; anything else goes through the codecs, which name the fault.
    const type = buf[at]!;
    const length = (buf[at + 3]! << 8) | buf[at + 4]!;
    if (type >= ContentType.change_cipher_spec && type <= ContentType.ack && buf[at + 1] === 3) {
      if (length <= this.maxFragmentLength) return length;
    }
    const r = new Reader(buf.subarray(at, at + RECORD_HEADER_LENGTH));
    let field = 'type';
    try {
      RecordContentType.read(r);
      field = 'version';
      const version = ProtocolVersionCodec.read(r);
      // Every TLS version has major 3 (RFC 5246 §E.1); anything else is not a TLS stream.
      if (version >> 8 !== 3) throw new DecodeError(`record version 0x${version.toString(16)} is not TLS`);
      field = 'length';
      const length = r.u16();
      if (length > this.maxFragmentLength)
        throw new DecodeError(`length ${length} exceeds ${this.maxFragmentLength}`);
      return length;
    } catch (e) {
      if (e instanceof WireError) {
        // Locate the fault in the stream, not in the 5-byte header.
        e.offset = offset + { type: 0, version: 1, length: 3 }[field]!;
        e.prependPath(field).prependPath('TLSRecord');
      }
      throw e;
    }
  }

  /** The next record, in bytes of its own (a copy), or undefined until more bytes are pushed. */
  next(): SplitRecord | undefined {
    return this.split(this.nextFrame(false));
  }

  /**
   * `next()` without the copy: `bytes` and `record.fragment` are views into the splitter's buffer
   * (or into the chunk given to `pushBorrowed`), valid until the next `push`, `pushBorrowed` or
   * `detach` (even one that throws), which may reuse their memory; taking more records does not
   * disturb them. Decrypting in place through a view is fine; `slice()` what must
   * outlive the next push, and never transfer or detach `.buffer` (the splitter's own).
   */
  nextView(): SplitRecord | undefined {
    return this.split(this.nextFrame(true));
  }

  private split(frame: Frame | undefined): SplitRecord | undefined {
    if (frame === undefined) return undefined;
    const b = frame.bytes;
    return {
      offset: frame.offset,
      bytes: b,
      record: { type: b[0]!, version: (b[1]! << 8) | b[2]!, fragment: b.subarray(RECORD_HEADER_LENGTH) },
    };
  }
}

/** A handshake message cut out of the handshake stream. */
export interface SplitHandshake extends Frame {
  msgType: number;
  /** The body, without the 4-byte header. */
  body: Uint8Array;
}

/**
 * Reassembles handshake messages from the fragments of consecutive handshake records: a message
 * may span records and a record may hold several (RFC 8446 §5.1). `bytes` of each message is what
 * the transcript hash covers. Lengths above `maxMessageLength` (default 2^18) are refused on the
 * header, before the body is buffered.
 */
export class HandshakeSplitter extends FrameSplitter {
  readonly maxMessageLength: number;

  constructor(options: { maxMessageLength?: number } = {}) {
    super(4);
    this.maxMessageLength = options.maxMessageLength ?? 2 ** 18;
  }

  protected bodyLength(buf: Uint8Array, at: number, offset: number): number {
    const r = new Reader(buf.subarray(at, at + this.headerLength));
    HandshakeTypeCodec.read(r);
    const length = r.u24();
    if (length > this.maxMessageLength) {
      throw new DecodeError(`length ${length} exceeds ${this.maxMessageLength}`, { offset: offset + 1 })
        .prependPath('length')
        .prependPath('Handshake');
    }
    return length;
  }

  /** The next message, in bytes of its own (a copy), or undefined until more bytes are pushed. */
  next(): SplitHandshake | undefined {
    const frame = this.nextFrame(false);
    if (frame === undefined) return undefined;
    // Listed, not spread: see CONTRIBUTING.md, "Hot paths".
    return {
      offset: frame.offset,
      bytes: frame.bytes,
      msgType: frame.bytes[0]!,
      body: frame.bytes.subarray(4),
    };
  }
}
