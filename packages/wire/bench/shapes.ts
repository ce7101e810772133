// TLS-shaped codecs built with wire, shared by the benchmark and the tests (which check them
// against RFC 8448's ClientHello record). Deliberately small: the real ones live in @tls-kit/messages.
import {
  Bytes,
  EnumClass,
  EnumSwitch,
  type Infer,
  Opaque,
  Optional,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
} from '../src/index.js';

export enum ContentType {
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
}

export enum HandshakeType {
  client_hello = 1,
  server_hello = 2,
  finished = 20,
}

export enum ExtensionType {
  server_name = 0,
  supported_groups = 10,
  signature_algorithms = 13,
  supported_versions = 43,
  key_share = 51,
}

const ServerName = Struct({ name_type: UBInt8, host_name: PrefixedBytes(UBInt16, { min: 1 }) });
const KeyShareEntry = Struct({ group: UBInt16, key_exchange: PrefixedBytes(UBInt16, { min: 1 }) });

/** Extension: known types decode their extension_data, others keep it as raw bytes. */
export const Extension = EnumSwitch(
  UBInt16,
  ExtensionType,
  {
    [ExtensionType.server_name]: Opaque(TLSPrefixedArray(ServerName, UBInt16, { min: 1 })),
    [ExtensionType.supported_groups]: Opaque(TLSPrefixedArray(UBInt16, UBInt16, { min: 2 })),
    [ExtensionType.signature_algorithms]: Opaque(TLSPrefixedArray(UBInt16, UBInt16, { min: 2 })),
    [ExtensionType.supported_versions]: Opaque(TLSPrefixedArray(UBInt16, UBInt8, { min: 2, max: 254 })),
    [ExtensionType.key_share]: Opaque(TLSPrefixedArray(KeyShareEntry)),
  },
  PrefixedBytes(UBInt16),
);

/** RFC 8446 §4.1.2 ClientHello (extensions optional as in RFC 5246 §7.4.1.2). */
export const ClientHello = Struct(
  {
    legacy_version: UBInt16,
    random: Bytes(32),
    legacy_session_id: PrefixedBytes(UBInt8, { max: 32 }),
    cipher_suites: TLSPrefixedArray(UBInt16, UBInt16, { min: 2, max: 0xfffe }),
    legacy_compression_methods: PrefixedBytes(UBInt8, { min: 1 }),
    extensions: Optional(TLSPrefixedArray(Extension, UBInt16, { min: 8 })),
  },
  'ClientHello',
);
export type ClientHello = Infer<typeof ClientHello>;

/** Handshake header (type + uint24 length) around its body. */
export const Handshake = EnumSwitch(
  UBInt8,
  HandshakeType,
  { [HandshakeType.client_hello]: Opaque(ClientHello, UBInt24) },
  PrefixedBytes(UBInt24),
  { name: 'Handshake' },
);

/** A TLSPlaintext record carrying exactly one handshake message. */
export const HandshakeRecord = Struct(
  {
    type: EnumClass(UBInt8, ContentType),
    legacy_record_version: UBInt16,
    fragment: Opaque(Handshake, UBInt16, { max: 2 ** 14 }),
  },
  'TLSPlaintext',
);
export type HandshakeRecord = Infer<typeof HandshakeRecord>;

/** RFC 8448 §3: the client's first flight, one record holding the ClientHello (197 bytes). */
export const RFC8448_CLIENT_HELLO_RECORD = hex(
  '16030100c0010000bc03036a472236328b83af40386d3a3e1f1ce624fa4ed89ab865a4ff0f4144ce3ae2330000061301130313020100008d0000000b0009000006736572766572ff01000100000a00140012001d00170018001901000101010201030104003300260024001d0020089cc2671f738d9a671e5b2e464981d05b76e361aa22aea91f1d49ca10a7a362002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001',
);

export function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
