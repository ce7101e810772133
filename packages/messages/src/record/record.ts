import {
  BaseCodec,
  DecodeError,
  EncodeError,
  EnumClass,
  type Infer,
  Mapped,
  PrefixedBytes,
  type Reader,
  Struct,
  UBInt8,
  UBInt16,
  type Writer,
} from '@tls-kit/wire';
import { ProtocolVersionCodec } from '../codecs/common.js';
import { describe } from '../codecs/describe.js';
import { ContentType } from '../registry/content-type.js';

/** Record length limits (RFC 5246 §6.2, RFC 8446 §5.1-5.2). */
export const MAX_PLAINTEXT_LENGTH = 2 ** 14;
export const MAX_COMPRESSED_LENGTH = 2 ** 14 + 1024;
export const MAX_CIPHERTEXT_LENGTH = 2 ** 14 + 2048;
export const MAX_TLS13_CIPHERTEXT_LENGTH = 2 ** 14 + 256;
/** type(1) + version(2) + length(2). */
export const RECORD_HEADER_LENGTH = 5;

/**
 * A record's content type: a defined ContentType, never 0 ("invalid", RFC 8446 §5.1). Records of
 * an unknown type are refused (RFC 5246 §6: unexpected_message), unlike handshake-level enums.
 */
export const RecordContentType = Mapped(
  EnumClass(UBInt8, ContentType, { strict: true }),
  (type) => {
    if (type === ContentType.invalid) throw new DecodeError('content type 0 is invalid');
    return type;
  },
  (type) => type,
);

function recordCodec(name: string, maxLength: number) {
  return Struct(
    {
      type: RecordContentType,
      version: ProtocolVersionCodec,
      fragment: PrefixedBytes(UBInt16, { max: maxLength }),
    },
    name,
  );
}

/**
 * Every record has this shape: `{ type, version, fragment }` (RFC 5246 §6.2 names; RFC 8446 calls
 * them type/opaque_type, legacy_record_version and fragment/encrypted_record). The codecs differ
 * only in the length they accept, checked before the fragment is read.
 */
export const TLSPlaintext = recordCodec('TLSPlaintext', MAX_PLAINTEXT_LENGTH);
export const TLSCompressed = recordCodec('TLSCompressed', MAX_COMPRESSED_LENGTH);
/** TLS 1.2 ciphertext (RFC 5246 §6.2.3): up to 2^14+2048 bytes. */
export const TLSCiphertext = recordCodec('TLSCiphertext', MAX_CIPHERTEXT_LENGTH);
/** TLS 1.3 ciphertext (RFC 8446 §5.2): up to 2^14+256 bytes. */
export const TLS13Ciphertext = recordCodec('TLSCiphertext', MAX_TLS13_CIPHERTEXT_LENGTH);

export type TLSRecord = Infer<typeof TLSPlaintext>;

/**
 * `struct { opaque content[length]; ContentType type; uint8 zeros[length_of_padding]; }
 * TLSInnerPlaintext` (RFC 8446 §5.2): the decrypted body of a TLS 1.3 record. The type is the last
 * non-zero byte; a body of only zeros is a DecodeError (§5.4: unexpected_message).
 */
export interface TLSInnerPlaintextValue {
  content: Uint8Array;
  type: ContentType | number;
  /** Number of padding zeros after the type byte. */
  zeros: number;
}

class TLSInnerPlaintextCodec extends BaseCodec<TLSInnerPlaintextValue> {
  override name = 'TLSInnerPlaintext';
  read(r: Reader): TLSInnerPlaintextValue {
    const bytes = r.rest();
    let i = bytes.length - 1;
    while (i >= 0 && bytes[i] === 0) i--;
    if (i < 0) throw r.error('no non-zero content type byte', r.pos - bytes.length);
    return { content: bytes.subarray(0, i), type: bytes[i]!, zeros: bytes.length - 1 - i };
  }
  write(w: Writer, v: TLSInnerPlaintextValue): void {
    if (typeof v !== 'object' || v === null) throw new EncodeError(`expected an object, got ${describe(v)}`);
    if (!(v.content instanceof Uint8Array))
      throw new EncodeError('content must be a Uint8Array').prependPath('content');
    if (v.type === 0 || (v.type & 0xff) !== v.type)
      throw new EncodeError(`${describe(v.type)} is not a non-zero u8`).prependPath('type');
    if (!Number.isSafeInteger(v.zeros) || v.zeros < 0)
      throw new EncodeError(`${describe(v.zeros)} is not a padding length`).prependPath('zeros');
    w.bytes(v.content);
    w.u8(v.type);
    w.bytes(new Uint8Array(v.zeros));
  }
}

export const TLSInnerPlaintext: BaseCodec<TLSInnerPlaintextValue> = new TLSInnerPlaintextCodec();
