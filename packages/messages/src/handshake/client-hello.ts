import {
  type Infer,
  Optional,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
} from '@tls-kit/wire';
import { CipherSuiteCodec, OpenEnum, ProtocolVersionCodec, RandomCodec } from '../codecs/common.js';
import { ClientHelloExtensionList } from '../extensions/contexts.js';
import { CompressionMethod } from '../registry/misc.js';

/**
 * RFC 8446 §4.1.2 (TLS 1.2's client_version, session_id and compression_methods, RFC 5246
 * §7.4.1.2, are the same bytes under their TLS 1.3 "legacy_" names). The extensions block may be
 * absent in TLS 1.2 (`extensions` undefined), which rebuilds to the same bytes as an absent block.
 */
export const ClientHello = Struct(
  {
    legacyVersion: ProtocolVersionCodec,
    random: RandomCodec,
    legacySessionId: PrefixedBytes(UBInt8, { max: 32 }),
    cipherSuites: TLSPrefixedArray(CipherSuiteCodec, UBInt16, { min: 2, max: 0xfffe }),
    legacyCompressionMethods: TLSPrefixedArray(OpenEnum(UBInt8, CompressionMethod), UBInt8, { min: 1 }),
    extensions: Optional(ClientHelloExtensionList),
  },
  'ClientHello',
);

export type ClientHelloMessage = Infer<typeof ClientHello>;
