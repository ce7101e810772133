// Record protection. TLS 1.3 (RFC 8446 §5.2-5.3): AEAD over TLSInnerPlaintext with the record
// header as additional data and nonce = write_iv XOR sequence number. TLS 1.2 adds
// its own implementation of the same interface.
import { type AeadKey, CryptoError, type CryptoProvider } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { ContentType } from '@tls-kit/messages';
import { refuse } from '../errors.js';
import { MAX_CIPHERTEXT_13, MAX_PLAINTEXT } from '../protocol.js';
import type { CipherSuite } from '../suites.js';
import type { RawRecord } from './deframer.js';

export interface OpenedRecord {
  readonly type: number;
  /** May be a view of the record's bytes (unprotected records): valid only as long as they are. */
  readonly fragment: Uint8Array;
}

export interface RecordProtection {
  readonly encrypted: boolean;
  /** Largest plaintext fragment to put in one record. */
  readonly maxFragment: number;
  /** Bytes on the wire, header included, of the record that carries `length` plaintext bytes. */
  recordLength(length: number): number;
  /**
   * Writes that whole record into `record`, exactly `recordLength(fragment.length)` bytes, every
   * one of them (`record` may be uninitialised memory: see sealRecords).
   */
  sealInto(type: number, fragment: Uint8Array, record: Uint8Array): void;
  /** One record in a buffer of its own. */
  seal(type: number, fragment: Uint8Array): Uint8Array;
  /**
   * The record as pieces appended to `out` in wire order (header first), the fragment encrypted
   * where it lies instead of copied next to its content type: for protections whose AEAD can
   * take the plaintext in parts.
   */
  sealParts?(type: number, fragment: Uint8Array, out: Uint8Array[]): void;
  open(record: RawRecord): OpenedRecord;
}

export const HEADER = 5;

export function writeHeader(record: Uint8Array, type: number, version: number, length: number): void {
  record[0] = type;
  record[1] = version >>> 8;
  record[2] = version & 0xff;
  record[3] = length >>> 8;
  record[4] = length & 0xff;
}

/**
 * The records of `data`, cut into fragments of at most `maxFragment` bytes (one empty record for
 * empty data), each sealed straight into its place in one buffer: a record is assembled once,
 * and a call's records are sent as one write without concatenating them afterwards.
 *
 * With a `provider` that has `allocateUninitialized`, the buffer is uninitialised memory: it
 * is cut into records end to end, each exactly `recordLength` bytes, and `sealInto` writes every
 * byte of its record (header, then the sealed inner plaintext: ciphertext and tag of exactly
 * that length, checked by the AEAD's output check or aeadSealInto's), so no old byte remains
 * when it is returned; if a record fails, the buffer is dropped unreturned.
 */
export function sealRecords(
  protection: RecordProtection,
  type: number,
  data: Uint8Array,
  maxFragment: number,
  provider?: Pick<CryptoProvider, 'allocateUninitialized'>,
): Uint8Array {
  const count = Math.max(1, Math.ceil(data.length / maxFragment));
  const full = protection.recordLength(maxFragment);
  const last = protection.recordLength(data.length - (count - 1) * maxFragment);
  const total = (count - 1) * full + last;
  const out = provider?.allocateUninitialized?.(total) ?? new Uint8Array(total);
  for (let i = 0, at = 0, offset = 0; i < count; i++, at += maxFragment) {
    const length = i < count - 1 ? full : last;
    protection.sealInto(
      type,
      data.subarray(at, Math.min(at + maxFragment, data.length)),
      out.subarray(offset, offset + length),
    );
    offset += length;
  }
  return out;
}

export function sealRecord(protection: RecordProtection, type: number, fragment: Uint8Array): Uint8Array {
  const out = new Uint8Array(protection.recordLength(fragment.length));
  protection.sealInto(type, fragment, out);
  return out;
}

/** AeadKey.sealInto, or seal and a copy for a provider without it. `plaintext` may start `output`. */
export function aeadSealInto(
  aead: AeadKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  additionalData: Uint8Array,
  output: Uint8Array,
): void {
  if (aead.sealInto) {
    aead.sealInto(nonce, plaintext, additionalData, output);
    return;
  }
  const sealed = aead.seal(nonce, plaintext, additionalData);
  // Every byte of `output` is written (it may be uninitialised memory, see sealRecords).
  if (sealed.length !== output.length) throw new CryptoError('AEAD produced an unexpected length');
  output.set(sealed);
}

/** AeadKey.sealParts, or seal of the joined parts for a provider without it. */
export function aeadSealParts(
  aead: AeadKey,
  nonce: Uint8Array,
  parts: readonly Uint8Array[],
  additionalData: Uint8Array,
): Uint8Array[] {
  if (aead.sealParts) return aead.sealParts(nonce, parts, additionalData);
  return [aead.seal(nonce, concat(parts), additionalData)];
}

/** The null protection before keys exist (TLSPlaintext, RFC 8446 §5.1). */
export class PlaintextProtection implements RecordProtection {
  readonly encrypted = false;
  readonly maxFragment = MAX_PLAINTEXT;

  /** @param version legacy_record_version: 0x0301 for the first ClientHello, 0x0303 otherwise. */
  constructor(private readonly version = 0x0303) {}

  recordLength(length: number): number {
    return HEADER + length;
  }

  sealInto(type: number, fragment: Uint8Array, record: Uint8Array): void {
    writeHeader(record, type, this.version, fragment.length);
    record.set(fragment, HEADER);
  }

  seal(type: number, fragment: Uint8Array): Uint8Array {
    return sealRecord(this, type, fragment);
  }

  open(record: RawRecord): OpenedRecord {
    if (record.fragment.length > MAX_PLAINTEXT) {
      refuse('RecordOverflow', `plaintext record of ${record.fragment.length} bytes`);
    }
    return { type: record.type, fragment: record.fragment };
  }
}

function readI32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}

const TAG = 16;

/** One-byte plaintexts of the content types, made once: AEAD input only, never written to. */
const CONTENT_TYPE_BYTES: Uint8Array[] = [];

function contentTypeByte(type: number): Uint8Array {
  let byte = CONTENT_TYPE_BYTES[type];
  if (byte === undefined) {
    byte = Uint8Array.of(type);
    CONTENT_TYPE_BYTES[type] = byte;
  }
  return byte;
}

export class Tls13Protection implements RecordProtection {
  private seq = 0;
  private readonly aead: AeadKey;
  /**
   * The 12-byte IV as three big-endian words, signed so that they are small integers: no buffer
   * and no boxed number kept per key (idle connections).
   */
  private readonly iv0: number;
  private readonly iv1: number;
  private readonly iv2: number;

  /**
   * @param limit for writing: the peer's record_size_limit; for reading: ours (RFC 8449 §4, the
   *   limit counts TLSInnerPlaintext's content type and padding).
   */
  constructor(
    provider: CryptoProvider,
    suite: CipherSuite,
    key: Uint8Array,
    iv: Uint8Array,
    private readonly limit = MAX_PLAINTEXT + 1,
    private readonly padTo = 0,
  ) {
    this.aead = provider.importAeadKey(suite.aead, key);
    this.iv0 = readI32(iv, 0);
    this.iv1 = readI32(iv, 4);
    this.iv2 = readI32(iv, 8);
  }

  /** On the prototype: each open connection keeps two protections. */
  get encrypted(): boolean {
    return true;
  }

  get maxFragment(): number {
    return Math.min(MAX_PLAINTEXT, this.limit - 1);
  }

  /** Records protected (or opened) with this key so far: its sequence number. */
  get records(): number {
    return this.seq;
  }

  /**
   * RFC 8446 §5.3: the IV XOR the 64-bit sequence number, left-padded. Sequence numbers past
   * 2^53 are refused rather than wrapped.
   */
  private nonce(): Uint8Array {
    if (this.seq >= Number.MAX_SAFE_INTEGER)
      refuse('SequenceNumberExhausted', 'record sequence number exhausted');
    const seq = this.seq;
    const nonce = new Uint8Array(12);
    writeU32(nonce, 0, this.iv0);
    writeU32(nonce, 4, this.iv1 ^ Math.floor(seq / 0x100000000));
    writeU32(nonce, 8, this.iv2 ^ (seq >>> 0));
    return nonce;
  }

  /** TLSInnerPlaintext = content || type || zeros (RFC 8446 §5.2, §5.4 padding). */
  private innerLength(length: number): number {
    const inner = length + 1;
    if (this.padTo === 0) return inner;
    return Math.max(inner, Math.min(Math.ceil(inner / this.padTo) * this.padTo, this.limit));
  }

  recordLength(length: number): number {
    return HEADER + this.innerLength(length) + TAG;
  }

  sealInto(type: number, fragment: Uint8Array, record: Uint8Array): void {
    const innerLength = this.innerLength(fragment.length);
    writeHeader(record, ContentType.application_data, 0x0303, innerLength + TAG);
    // The inner plaintext is laid out where its ciphertext goes and sealed in place.
    const inner = record.subarray(HEADER, HEADER + innerLength);
    inner.set(fragment);
    inner[fragment.length] = type;
    inner.fill(0, fragment.length + 1);
    aeadSealInto(this.aead, this.nonce(), inner, record.subarray(0, HEADER), record.subarray(HEADER));
    this.seq++;
  }

  seal(type: number, fragment: Uint8Array): Uint8Array {
    return sealRecord(this, type, fragment);
  }

  sealParts(type: number, fragment: Uint8Array, out: Uint8Array[]): void {
    const innerLength = this.innerLength(fragment.length);
    const header = new Uint8Array(HEADER);
    writeHeader(header, ContentType.application_data, 0x0303, innerLength + TAG);
    // TLSInnerPlaintext's tail: the content type, then the padding's zeros (RFC 8446 §5.2, §5.4).
    const tailLength = innerLength - fragment.length;
    let tail: Uint8Array;
    if (tailLength === 1) tail = contentTypeByte(type);
    else {
      tail = new Uint8Array(tailLength);
      tail[0] = type;
    }
    out.push(header);
    const pieces = aeadSealParts(this.aead, this.nonce(), [fragment, tail], header);
    for (let i = 0; i < pieces.length; i++) out.push(pieces[i]!);
    this.seq++;
  }

  open(record: RawRecord): OpenedRecord {
    if (record.type !== ContentType.application_data) {
      // RFC 8446 §5: once protected, only application_data records (and the CCS the connection
      // filters out before us) may arrive.
      refuse(
        'UnprotectedRecordAfterKeyChange',
        `unprotected record of type ${record.type} after keys changed`,
      );
    }
    // RFC 8446 §5.2: a TLSCiphertext over 2^14 + 256 bytes is record_overflow.
    if (record.fragment.length > MAX_CIPHERTEXT_13) {
      refuse('RecordOverflow', `protected record of ${record.fragment.length} bytes`);
    }
    if (record.fragment.length < TAG + 1) refuse('BadRecordMac', 'protected record too short');
    let inner: Uint8Array;
    try {
      inner = this.aead.open(this.nonce(), record.fragment, record.header);
    } catch {
      // The sequence number moves only for records that opened: a server skipping rejected
      // early data tries the next record with the same one (RFC 8446 §4.2.10, §5.3).
      // RFC 8446 §5.2: deprotection failure is bad_record_mac.
      refuse('BadRecordMac', 'record authentication failed');
    }
    this.seq++;
    if (inner.length > this.limit) refuse('RecordOverflow', `inner plaintext of ${inner.length} bytes`);
    // The content type is the last non-zero byte; all zeros is unexpected_message (§5.4).
    let end = inner.length - 1;
    while (end >= 0 && inner[end] === 0) end--;
    if (end < 0) refuse('UnknownInnerContentType', 'protected record without a content type');
    return { type: inner[end]!, fragment: inner.subarray(0, end) };
  }
}
