// TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3):
//   additional_data = seq_num(8) + type(1) + version(2) + length(2), length of the plaintext;
//   AES-GCM (RFC 5288 §3): nonce = salt(4, from the key block) + explicit nonce(8, sent in the
//     record before the ciphertext; we send the sequence number, which never repeats);
//   ChaCha20-Poly1305 (RFC 7905 §2): nonce = IV(12) XOR the padded sequence number, no explicit part.
import type { AeadKey, CryptoProvider } from '@tls-kit/crypto';
import { ContentType, MAX_CIPHERTEXT_LENGTH } from '@tls-kit/messages';
import { refuse } from '../errors.js';
import { MAX_PLAINTEXT } from '../protocol.js';
import type { Tls12CipherSuite } from '../suites.js';
import type { RawRecord } from './deframer.js';
import {
  aeadSealInto,
  HEADER,
  type OpenedRecord,
  PlaintextProtection,
  type RecordProtection,
  sealRecord,
  writeHeader,
} from './protection.js';

const TAG = 16;
const VERSION = 0x0303;

/** Big-endian 64-bit sequence number; refused past 2^53 rather than wrapped (RFC 5246 §6.1). */
function seqBytes(seq: number): Uint8Array {
  const out = new Uint8Array(8);
  const hi = Math.floor(seq / 0x100000000);
  new DataView(out.buffer).setUint32(0, hi);
  new DataView(out.buffer).setUint32(4, seq >>> 0);
  return out;
}

export class Tls12Protection implements RecordProtection {
  readonly encrypted = true;
  private seq = 0;
  private readonly aead: AeadKey;

  /**
   * @param limit largest plaintext fragment: for writing, the peer's record_size_limit or
   *   max_fragment_length; for reading, ours (RFC 8449 §4 counts plaintext only in TLS 1.2).
   */
  constructor(
    provider: CryptoProvider,
    private readonly suite: Tls12CipherSuite,
    key: Uint8Array,
    private readonly iv: Uint8Array,
    private readonly limit = MAX_PLAINTEXT,
  ) {
    this.aead = provider.importAeadKey(suite.aead, key);
  }

  get maxFragment(): number {
    return Math.min(MAX_PLAINTEXT, this.limit);
  }

  /** Records protected (or tried) with this key so far: its sequence number. */
  get records(): number {
    return this.seq;
  }

  private nextSeq(): Uint8Array {
    if (this.seq >= Number.MAX_SAFE_INTEGER)
      refuse('SequenceNumberExhausted', 'record sequence number exhausted');
    return seqBytes(this.seq++);
  }

  /** The AEAD nonce for this record and the explicit part to put on the wire. */
  private nonce(seq: Uint8Array, explicit: Uint8Array | undefined): Uint8Array {
    const nonce = new Uint8Array(12);
    if (this.suite.explicitNonceLength > 0) {
      nonce.set(this.iv);
      nonce.set(explicit ?? seq, 4);
      return nonce;
    }
    nonce.set(this.iv);
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seq[i]!;
    return nonce;
  }

  private static aad(seq: Uint8Array, type: number, length: number): Uint8Array {
    const aad = new Uint8Array(13);
    aad.set(seq);
    aad[8] = type;
    aad[9] = VERSION >>> 8;
    aad[10] = VERSION & 0xff;
    aad[11] = length >>> 8;
    aad[12] = length & 0xff;
    return aad;
  }

  recordLength(length: number): number {
    return HEADER + this.suite.explicitNonceLength + length + TAG;
  }

  sealInto(type: number, fragment: Uint8Array, record: Uint8Array): void {
    const seq = this.nextSeq();
    const explicitLength = this.suite.explicitNonceLength;
    writeHeader(record, type, VERSION, explicitLength + fragment.length + TAG);
    if (explicitLength > 0) record.set(seq, HEADER);
    aeadSealInto(
      this.aead,
      this.nonce(seq, undefined),
      fragment,
      Tls12Protection.aad(seq, type, fragment.length),
      record.subarray(HEADER + explicitLength),
    );
  }

  seal(type: number, fragment: Uint8Array): Uint8Array {
    return sealRecord(this, type, fragment);
  }

  open(record: RawRecord): OpenedRecord {
    const { type, fragment } = record;
    // RFC 5246 §6.2.3: TLSCiphertext.length over 2^14 + 2048 is record_overflow.
    if (fragment.length > MAX_CIPHERTEXT_LENGTH)
      refuse('RecordOverflow', `record of ${fragment.length} bytes`);
    if (
      type !== ContentType.handshake &&
      type !== ContentType.alert &&
      type !== ContentType.application_data
    ) {
      refuse('UnprotectedRecordAfterKeyChange', `protected record of content type ${type}`);
    }
    const explicitLength = this.suite.explicitNonceLength;
    if (fragment.length < explicitLength + TAG) refuse('BadRecordMac', 'protected record too short');
    const seq = this.nextSeq();
    const explicit = explicitLength > 0 ? fragment.subarray(0, explicitLength) : undefined;
    const body = fragment.subarray(explicitLength);
    const plaintextLength = body.length - TAG;
    let plaintext: Uint8Array;
    try {
      plaintext = this.aead.open(
        this.nonce(seq, explicit),
        body,
        Tls12Protection.aad(seq, type, plaintextLength),
      );
    } catch {
      // RFC 5246 §7.2.2: failed AEAD decryption is bad_record_mac.
      return refuse('BadRecordMac', 'record authentication failed');
    }
    // RFC 5246 §6.2.1 and RFC 8449 §4: a plaintext over the limit is record_overflow.
    if (plaintext.length > this.maxFragment) {
      refuse('RecordOverflow', `plaintext of ${plaintext.length} bytes over the limit ${this.maxFragment}`);
    }
    return { type, fragment: plaintext };
  }
}

/**
 * Unprotected records under a negotiated max_fragment_length: RFC 6066 §4 limits every record
 * after the hellos, the handshake's plaintext ones included (RFC 8449 limits only protected ones).
 */
export class LimitedPlaintextProtection implements RecordProtection {
  readonly encrypted = false;
  private readonly plain = new PlaintextProtection(VERSION);

  constructor(readonly maxFragment: number) {}

  recordLength(length: number): number {
    return this.plain.recordLength(length);
  }

  sealInto(type: number, fragment: Uint8Array, record: Uint8Array): void {
    this.plain.sealInto(type, fragment, record);
  }

  seal(type: number, fragment: Uint8Array): Uint8Array {
    return this.plain.seal(type, fragment);
  }

  open(record: RawRecord): OpenedRecord {
    return this.plain.open(record);
  }
}
