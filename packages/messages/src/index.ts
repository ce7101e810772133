// @tls-kit/messages: typed codecs for TLS 1.2/1.3 records, handshake messages, extensions and
// alerts, the IANA registries, a record/handshake splitter, and a capture dissector.

export { decodeTcp, type TcpSegment } from './capture/packet.js';
export {
  type CapturedPacket,
  type CaptureReadResult,
  detectCaptureFormat,
  readCapture,
} from './capture/pcap.js';
export { type StreamDelivery, type TcpConnection, TcpReassembler } from './capture/tcp.js';
export {
  ByteString,
  CipherSuiteCodec,
  DistinguishedName,
  Empty,
  ExtensionTypeCodec,
  HandshakeTypeCodec,
  NamedGroupCodec,
  OnlyValue,
  OpenEnum,
  ProtocolVersionCodec,
  RandomCodec,
  SignatureSchemeCodec,
  SignatureSchemeList,
} from './codecs/common.js';
export * from './dissect/index.js';
export * from './extensions/bodies.js';
export * from './extensions/contexts.js';
export {
  DuplicateExtensionEncodeError,
  DuplicateExtensionError,
  type Extension,
  type ExtensionBodies,
  ExtensionListCodec,
  findExtension,
  type KnownExtension,
  type RawExtension,
} from './extensions/list.js';
export * from './handshake/certificate.js';
export * from './handshake/client-hello.js';
export * from './handshake/handshake.js';
export * from './handshake/key-exchange.js';
export * from './handshake/server-hello.js';
export * from './handshake/simple.js';
export * from './record/alert.js';
export * from './record/record.js';
export * from './record/splitter.js';
export * from './registry/index.js';
