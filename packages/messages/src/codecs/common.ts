// Codecs shared by many messages: the enum fields, TLS names held as strings, empty bodies.
import {
  type BaseCodec,
  Bytes,
  DecodeError,
  EncodeError,
  EnumClass,
  type EnumObject,
  type EnumValue,
  Mapped,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  type UIntCodec,
} from '@tls-kit/wire';
import { CipherSuite } from '../registry/cipher-suite.js';
import { ExtensionType } from '../registry/extension-type.js';
import { HandshakeType } from '../registry/handshake-type.js';
import { NamedGroup } from '../registry/named-group.js';
import { ProtocolVersion } from '../registry/protocol-version.js';
import { SignatureScheme } from '../registry/signature-scheme.js';

/**
 * An open enum field: unknown and GREASE codes parse as plain numbers (RFC 8701 §3 requires
 * tolerating them), so the value type admits any number while still naming the enum
 * (`CipherSuite | (number & {})` keeps editor completion of the members).
 */
export function OpenEnum<E extends EnumObject>(
  field: UIntCodec,
  enumObject: E,
): BaseCodec<EnumValue<E> | (number & {})> {
  return EnumClass(field, enumObject);
}

/**
 * An enum field where only `value` can be handled: the other selections carry data of no
 * announced length, so they cannot be skipped (e.g. ServerName's name_type, RFC 6066 §3).
 * Anything else is a DecodeError, and an EncodeError when building.
 */
export function OnlyValue<E extends EnumObject, V extends EnumValue<E>>(
  field: UIntCodec,
  enumObject: E,
  value: V,
): BaseCodec<V> {
  const check = (code: number, ErrorClass: typeof DecodeError | typeof EncodeError) => {
    if (code !== value) throw new ErrorClass(`${code} is not supported here (only ${enumObject[value]} is)`);
    return value;
  };
  return Mapped(
    EnumClass(field, enumObject),
    (code) => check(code, DecodeError),
    (code) => check(code, EncodeError),
  );
}

export const ProtocolVersionCodec = OpenEnum(UBInt16, ProtocolVersion);
/** CipherSuite is a uint8[2] on the wire, i.e. a u16 (RFC 8446 §B.4). */
export const CipherSuiteCodec = OpenEnum(UBInt16, CipherSuite);
export const NamedGroupCodec = OpenEnum(UBInt16, NamedGroup);
export const SignatureSchemeCodec = OpenEnum(UBInt16, SignatureScheme);
export const ExtensionTypeCodec = OpenEnum(UBInt16, ExtensionType);
export const HandshakeTypeCodec = OpenEnum(UBInt8, HandshakeType);

/** `struct {} Empty;` — a body that must hold no bytes (e.g. extended_master_secret). */
export const Empty = Struct({});

/**
 * Bytes shown as a string, one character per byte (latin1), so that any bytes round-trip
 * exactly: host names (RFC 6066 §3) and ALPN protocol names (RFC 7301 §3.1) are ASCII in practice,
 * but a peer's odd bytes must still rebuild identically.
 */
export function ByteString(
  lengthField: UIntCodec,
  bounds: { min?: number; max?: number },
): BaseCodec<string> {
  return Mapped(
    PrefixedBytes(lengthField, bounds),
    (bytes) => {
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return s;
    },
    (s) => {
      if (typeof s !== 'string') throw new EncodeError(`expected a string, got ${typeof s}`);
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0xff) throw new EncodeError(`character ${i} (U+${c.toString(16)}) does not fit a byte`);
        out[i] = c;
      }
      return out;
    },
  );
}

/** `SignatureScheme supported_signature_algorithms<2..2^16-2>` (RFC 8446 §4.2.3). */
export const SignatureSchemeList = TLSPrefixedArray(SignatureSchemeCodec, UBInt16, { min: 2, max: 0xfffe });

/** `opaque DistinguishedName<1..2^16-1>` (RFC 8446 §4.2.4, RFC 5246 §7.4.4). */
export const DistinguishedName = PrefixedBytes(UBInt16, { min: 1 });

/** `opaque Random[32]` (RFC 8446 §4.1.2). */
export const RandomCodec = Bytes(32);
