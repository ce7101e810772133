// Record protection. TLS 1.3 (RFC 8446 §5.2-5.3): AEAD over TLSInnerPlaintext with the record
// header as additional data and nonce = write_iv XOR sequence number. TLS 1.2 (issue 7) adds
// its own implementation of the same interface.
import type { AeadKey, CryptoProvider } from '@tls-kit/crypto';
import { fail } from '../errors.js';
import { AlertDescription, ContentType, TLSInnerPlaintext } from '@tls-kit/messages';
import { MAX_CIPHERTEXT_13, MAX_PLAINTEXT } from '../protocol.js';
import type { CipherSuite } from '../suites.js';
import type { RawRecord } from './deframer.js';

export interface OpenedRecord {
  readonly type: number;
  readonly fragment: Uint8Array;
}

export interface RecordProtection {
  readonly encrypted: boolean;
  /** Largest plaintext fragment to put in one record. */
  readonly maxFragment: number;
  seal(type: number, fragment: Uint8Array): Uint8Array;
  open(record: RawRecord): OpenedRecord;
}

function header(type: number, version: number, length: number): Uint8Array {
  return new Uint8Array([type, version >>> 8, version & 0xff, length >>> 8, length & 0xff]);
}

/** The null protection before keys exist (TLSPlaintext, RFC 8446 §5.1). */
export class PlaintextProtection implements RecordProtection {
  readonly encrypted = false;
  readonly maxFragment = MAX_PLAINTEXT;

  /** @param version legacy_record_version: 0x0301 for the first ClientHello, 0x0303 otherwise. */
  constructor(private readonly version = 0x0303) {}

  seal(type: number, fragment: Uint8Array): Uint8Array {
    const out = new Uint8Array(5 + fragment.length);
    out.set(header(type, this.version, fragment.length));
    out.set(fragment, 5);
    return out;
  }

  open(record: RawRecord): OpenedRecord {
    if (record.fragment.length > MAX_PLAINTEXT) {
      fail(AlertDescription.record_overflow, `plaintext record of ${record.fragment.length} bytes`);
    }
    return { type: record.type, fragment: record.fragment };
  }
}

/** Sequence numbers are 64-bit; past 2^53 we refuse rather than wrap (RFC 8446 §5.3). */
function nonceFor(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = iv.slice();
  const hi = Math.floor(seq / 0x100000000);
  const lo = seq >>> 0;
  nonce[4]! ^= hi >>> 24;
  nonce[5]! ^= (hi >>> 16) & 0xff;
  nonce[6]! ^= (hi >>> 8) & 0xff;
  nonce[7]! ^= hi & 0xff;
  nonce[8]! ^= lo >>> 24;
  nonce[9]! ^= (lo >>> 16) & 0xff;
  nonce[10]! ^= (lo >>> 8) & 0xff;
  nonce[11]! ^= lo & 0xff;
  return nonce;
}

const TAG = 16;

export class Tls13Protection implements RecordProtection {
  readonly encrypted = true;
  private seq = 0;
  private readonly aead: AeadKey;

  /**
   * @param limit for writing: the peer's record_size_limit; for reading: ours (RFC 8449 §4, the
   *   limit counts TLSInnerPlaintext's content type and padding).
   */
  constructor(
    provider: CryptoProvider,
    suite: CipherSuite,
    key: Uint8Array,
    private readonly iv: Uint8Array,
    private readonly limit = MAX_PLAINTEXT + 1,
    private readonly padTo = 0,
  ) {
    this.aead = provider.importAeadKey(suite.aead, key);
  }

  get maxFragment(): number {
    return Math.min(MAX_PLAINTEXT, this.limit - 1);
  }

  /** Records protected (or opened) with this key so far: its sequence number. */
  get records(): number {
    return this.seq;
  }

  private nextNonce(): Uint8Array {
    if (this.seq >= Number.MAX_SAFE_INTEGER)
      fail(AlertDescription.internal_error, 'record sequence number exhausted');
    return nonceFor(this.iv, this.seq++);
  }

  seal(type: number, fragment: Uint8Array): Uint8Array {
    // TLSInnerPlaintext = content || type || zeros (RFC 8446 §5.2, §5.4 padding).
    let innerLength = fragment.length + 1;
    if (this.padTo > 0) innerLength = Math.min(Math.ceil(innerLength / this.padTo) * this.padTo, this.limit);
    const zeros = Math.max(0, innerLength - fragment.length - 1);
    const inner = TLSInnerPlaintext.build({ content: fragment, type, zeros });
    const aad = header(ContentType.application_data, 0x0303, inner.length + TAG);
    const sealed = this.aead.seal(this.nextNonce(), inner, aad);
    const out = new Uint8Array(5 + sealed.length);
    out.set(aad);
    out.set(sealed, 5);
    return out;
  }

  open(record: RawRecord): OpenedRecord {
    if (record.type !== ContentType.application_data) {
      // RFC 8446 §5: once protected, only application_data records (and the CCS the connection
      // filters out before us) may arrive.
      fail(
        AlertDescription.unexpected_message,
        `unprotected record of type ${record.type} after keys changed`,
      );
    }
    // RFC 8446 §5.2: a TLSCiphertext over 2^14 + 256 bytes is record_overflow.
    if (record.fragment.length > MAX_CIPHERTEXT_13) {
      fail(AlertDescription.record_overflow, `protected record of ${record.fragment.length} bytes`);
    }
    if (record.fragment.length < TAG + 1) fail(AlertDescription.bad_record_mac, 'protected record too short');
    let inner: Uint8Array;
    try {
      inner = this.aead.open(this.nextNonce(), record.fragment, record.header);
    } catch {
      // RFC 8446 §5.2: deprotection failure is bad_record_mac.
      fail(AlertDescription.bad_record_mac, 'record authentication failed');
    }
    if (inner.length > this.limit)
      fail(AlertDescription.record_overflow, `inner plaintext of ${inner.length} bytes`);
    // The content type is the last non-zero byte; all zeros is unexpected_message (§5.4).
    let end = inner.length - 1;
    while (end >= 0 && inner[end] === 0) end--;
    if (end < 0) fail(AlertDescription.unexpected_message, 'protected record without a content type');
    return { type: inner[end]!, fragment: inner.subarray(0, end) };
  }
}
