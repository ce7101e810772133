// Which extensions each message decodes, and with which body (RFC 8446 §4.2's table, plus the
// TLS 1.2 extensions of RFC 5246/6066/7301/7627/7366/5746/5077/8422/8449/6962). Any other type in a
// message is kept raw (RawExtension), so nothing is lost and the engine decides whether to reject it.
import { Empty } from '../codecs/common.js';
import { ExtensionType as T } from '../registry/extension-type.js';
import {
  CertificateAuthorities,
  CertificateStatus,
  CertificateStatusRequest,
  Cookie,
  EarlyDataIndication,
  ECPointFormatList,
  KeyShareClientHello,
  KeyShareHelloRetryRequest,
  KeyShareServerHello,
  MaxFragmentLengthBody,
  NamedGroupList,
  OfferedPsks,
  PreSharedKeyServerHello,
  ProtocolNameList,
  PskKeyExchangeModes,
  RecordSizeLimit,
  RenegotiationInfo,
  ServerNameList,
  SessionTicketBody,
  SignatureSchemeListBody,
  SignedCertificateTimestampList,
  SupportedVersionsClientHello,
  SupportedVersionsServerHello,
} from './bodies.js';
import { type Extension, ExtensionListCodec } from './list.js';

const clientHelloBodies = {
  [T.server_name]: ServerNameList,
  [T.max_fragment_length]: MaxFragmentLengthBody,
  [T.status_request]: CertificateStatusRequest,
  [T.supported_groups]: NamedGroupList,
  [T.ec_point_formats]: ECPointFormatList,
  [T.signature_algorithms]: SignatureSchemeListBody,
  [T.application_layer_protocol_negotiation]: ProtocolNameList,
  [T.signed_certificate_timestamp]: Empty,
  [T.encrypt_then_mac]: Empty,
  [T.extended_master_secret]: Empty,
  [T.record_size_limit]: RecordSizeLimit,
  [T.session_ticket]: SessionTicketBody,
  [T.pre_shared_key]: OfferedPsks,
  [T.early_data]: Empty,
  [T.supported_versions]: SupportedVersionsClientHello,
  [T.cookie]: Cookie,
  [T.psk_key_exchange_modes]: PskKeyExchangeModes,
  [T.certificate_authorities]: CertificateAuthorities,
  [T.post_handshake_auth]: Empty,
  [T.signature_algorithms_cert]: SignatureSchemeListBody,
  [T.key_share]: KeyShareClientHello,
  [T.renegotiation_info]: RenegotiationInfo,
};

/** ServerHello of TLS 1.3 (§4.2 "SH") and of TLS 1.2 (the server's answers to RFC 5246-era extensions). */
const serverHelloBodies = {
  [T.server_name]: Empty,
  [T.max_fragment_length]: MaxFragmentLengthBody,
  [T.status_request]: Empty,
  [T.ec_point_formats]: ECPointFormatList,
  [T.application_layer_protocol_negotiation]: ProtocolNameList,
  [T.signed_certificate_timestamp]: SignedCertificateTimestampList,
  [T.encrypt_then_mac]: Empty,
  [T.extended_master_secret]: Empty,
  [T.record_size_limit]: RecordSizeLimit,
  [T.session_ticket]: Empty,
  [T.pre_shared_key]: PreSharedKeyServerHello,
  [T.supported_versions]: SupportedVersionsServerHello,
  [T.key_share]: KeyShareServerHello,
  [T.renegotiation_info]: RenegotiationInfo,
};

const helloRetryRequestBodies = {
  [T.supported_versions]: SupportedVersionsServerHello,
  [T.cookie]: Cookie,
  [T.key_share]: KeyShareHelloRetryRequest,
};

const encryptedExtensionsBodies = {
  [T.server_name]: Empty,
  [T.max_fragment_length]: MaxFragmentLengthBody,
  [T.supported_groups]: NamedGroupList,
  [T.application_layer_protocol_negotiation]: ProtocolNameList,
  [T.record_size_limit]: RecordSizeLimit,
  [T.early_data]: Empty,
};

const certificateEntryBodies = {
  [T.status_request]: CertificateStatus,
  [T.signed_certificate_timestamp]: SignedCertificateTimestampList,
};

const certificateRequestBodies = {
  // RFC 8446 §4.4.2.1: a server asks for OCSP with an EMPTY status_request here.
  [T.status_request]: Empty,
  [T.signature_algorithms]: SignatureSchemeListBody,
  [T.signed_certificate_timestamp]: Empty,
  [T.certificate_authorities]: CertificateAuthorities,
  [T.signature_algorithms_cert]: SignatureSchemeListBody,
};

const newSessionTicketBodies = {
  [T.early_data]: EarlyDataIndication,
};

/** ClientHello `extensions<0..2^16-1>` (TLS 1.3 requires at least 8 bytes; 1.2 allows none). */
export const ClientHelloExtensionList = new ExtensionListCodec(clientHelloBodies);
export const ServerHelloExtensionList = new ExtensionListCodec(serverHelloBodies);
export const HelloRetryRequestExtensionList = new ExtensionListCodec(helloRetryRequestBodies);
export const EncryptedExtensionList = new ExtensionListCodec(encryptedExtensionsBodies);
export const CertificateEntryExtensionList = new ExtensionListCodec(certificateEntryBodies);
/** `extensions<2..2^16-1>`: a TLS 1.3 CertificateRequest must carry signature_algorithms (§4.3.2). */
export const CertificateRequestExtensionList = new ExtensionListCodec(certificateRequestBodies, 2);
/** `extensions<0..2^16-2>` (RFC 8446 §4.6.1). */
export const NewSessionTicketExtensionList = new ExtensionListCodec(newSessionTicketBodies, 0, 0xfffe);

export type ClientHelloExtension = Extension<typeof clientHelloBodies>;
export type ServerHelloExtension = Extension<typeof serverHelloBodies>;
export type HelloRetryRequestExtension = Extension<typeof helloRetryRequestBodies>;
export type EncryptedExtension = Extension<typeof encryptedExtensionsBodies>;
export type CertificateEntryExtension = Extension<typeof certificateEntryBodies>;
export type CertificateRequestExtension = Extension<typeof certificateRequestBodies>;
export type NewSessionTicketExtension = Extension<typeof newSessionTicketBodies>;
