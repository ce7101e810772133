// The benchmark's common shape: what all four decoders can express. A TLSPlaintext record
// header, a handshake header and a ClientHello whose extensions are kept as { type, data }
// (restructure has no default branch for unknown tags, so typed bodies are benchmarked
// separately, wire against a hand-written reader only).
import {
  Bytes,
  EnumClass,
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
import { ContentType, ExtensionType, HandshakeRecord, HandshakeType, hex } from './shapes.js';

export const RawExtension = Struct({ type: UBInt16, data: PrefixedBytes(UBInt16) });

export const RawClientHello = Struct({
  legacy_version: UBInt16,
  random: Bytes(32),
  legacy_session_id: PrefixedBytes(UBInt8, { max: 32 }),
  cipher_suites: TLSPrefixedArray(UBInt16, UBInt16, { min: 2, max: 0xfffe }),
  legacy_compression_methods: PrefixedBytes(UBInt8, { min: 1 }),
  extensions: Optional(TLSPrefixedArray(RawExtension, UBInt16)),
});

export const RawRecord = Struct({
  type: EnumClass(UBInt8, ContentType),
  version: UBInt16,
  fragment: Opaque(Struct({ msg_type: UBInt8, body: Opaque(RawClientHello, UBInt24) }), UBInt16, {
    max: 2 ** 14,
  }),
});
export type RawRecord = Infer<typeof RawRecord>;

const fill = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/**
 * A browser-like ClientHello (Chrome 13x shape: GREASE, 16 suites, 18 extensions, an
 * X25519MLKEM768 + X25519 key share, an ECH GREASE extension), 1,725 bytes on the wire.
 */
export const BROWSER_CLIENT_HELLO_RECORD: Uint8Array = HandshakeRecord.build({
  type: ContentType.handshake,
  legacy_record_version: 0x0301,
  fragment: {
    type: HandshakeType.client_hello,
    value: {
      legacy_version: 0x0303,
      random: fill(32, 1),
      legacy_session_id: fill(32, 2),
      cipher_suites: [
        0x8a8a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
        0x009c, 0x009d, 0x002f, 0x0035,
      ],
      legacy_compression_methods: Uint8Array.of(0),
      extensions: [
        { type: 0x3a3a, value: new Uint8Array(0), unknown: true },
        {
          type: ExtensionType.server_name,
          value: [{ name_type: 0, host_name: new TextEncoder().encode('www.example.com') }],
        },
        { type: 23, value: new Uint8Array(0), unknown: true },
        { type: 0xff01, value: Uint8Array.of(0), unknown: true },
        { type: ExtensionType.supported_groups, value: [0x4a4a, 0x11ec, 0x001d, 0x0017, 0x0018] },
        { type: 11, value: Uint8Array.of(1, 0), unknown: true },
        { type: 35, value: new Uint8Array(0), unknown: true },
        { type: 16, value: hex('000c02683208687474702f312e31'), unknown: true },
        { type: 5, value: hex('0100000000'), unknown: true },
        {
          type: ExtensionType.signature_algorithms,
          value: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
        },
        { type: 18, value: new Uint8Array(0), unknown: true },
        {
          type: ExtensionType.key_share,
          value: [
            { group: 0x4a4a, key_exchange: Uint8Array.of(0) },
            { group: 0x11ec, key_exchange: fill(1216, 3) },
            { group: 0x001d, key_exchange: fill(32, 4) },
          ],
        },
        { type: 45, value: Uint8Array.of(1, 1), unknown: true },
        { type: ExtensionType.supported_versions, value: [0x6a6a, 0x0304, 0x0303] },
        { type: 27, value: Uint8Array.of(2, 0, 2), unknown: true },
        { type: 17513, value: hex('0003026832'), unknown: true },
        { type: 0xfe0d, value: fill(186, 5), unknown: true },
        { type: 0x1a1a, value: Uint8Array.of(0), unknown: true },
      ],
    },
  },
});

/** An encodable value of the common shape, produced by wire itself. */
export const BROWSER_RAW_VALUE: RawRecord = RawRecord.parse(BROWSER_CLIENT_HELLO_RECORD);
