// The extension_data of each extension we decode, per RFC. Which body applies depends on the
// message carrying the extension (see contexts.ts): e.g. key_share holds a list in a ClientHello,
// one entry in a ServerHello and a bare group in a HelloRetryRequest (RFC 8446 §4.2.8).
import {
  type Infer,
  PrefixedBytes,
  Remaining,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
  UBInt32,
} from '@tls-kit/wire';
import {
  ByteString,
  DistinguishedName,
  NamedGroupCodec,
  OnlyValue,
  OpenEnum,
  ProtocolVersionCodec,
  SignatureSchemeList,
} from '../codecs/common.js';
import {
  CertificateStatusType,
  ECPointFormat,
  MaxFragmentLength,
  NameType,
  PskKeyExchangeMode,
} from '../registry/misc.js';

// --- server_name (RFC 6066 §3) -----------------------------------------------------------------

/**
 * `struct { NameType name_type; select (name_type) { case host_name: HostName; } name; } ServerName`.
 * Only host_name is defined; another type has no length, so it cannot be skipped (RFC 6066 §3).
 */
export const ServerName = Struct({
  nameType: OnlyValue(UBInt8, NameType, NameType.host_name),
  hostName: ByteString(UBInt16, { min: 1 }),
});
/** `ServerName server_name_list<1..2^16-1>` (ClientHello); the server's reply is empty. */
export const ServerNameList = Struct({ serverNameList: TLSPrefixedArray(ServerName, UBInt16, { min: 1 }) });

// --- max_fragment_length (RFC 6066 §4), record_size_limit (RFC 8449 §4) ------------------------

export const MaxFragmentLengthBody = Struct({ maxFragmentLength: OpenEnum(UBInt8, MaxFragmentLength) });
export const RecordSizeLimit = Struct({ recordSizeLimit: UBInt16 });

// --- status_request (RFC 6066 §8; RFC 8446 §4.4.2.1) --------------------------------------------

/**
 * `struct { CertificateStatusType status_type; select (status_type) { case ocsp: OCSPStatusRequest; } }`
 * with `OCSPStatusRequest { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions; }`.
 */
export const CertificateStatusRequest = Struct({
  statusType: OnlyValue(UBInt8, CertificateStatusType, CertificateStatusType.ocsp),
  responderIdList: TLSPrefixedArray(PrefixedBytes(UBInt16, { min: 1 }), UBInt16),
  requestExtensions: PrefixedBytes(UBInt16),
});

/** `struct { CertificateStatusType status_type; opaque OCSPResponse<1..2^24-1>; } CertificateStatus`. */
export const CertificateStatus = Struct({
  statusType: OpenEnum(UBInt8, CertificateStatusType),
  ocspResponse: PrefixedBytes(UBInt24, { min: 1 }),
});

// --- supported_groups (RFC 8446 §4.2.7), ec_point_formats (RFC 8422 §5.1.2) ------------------

export const NamedGroupList = Struct({
  namedGroupList: TLSPrefixedArray(NamedGroupCodec, UBInt16, { min: 2 }),
});
export const ECPointFormatList = Struct({
  ecPointFormatList: TLSPrefixedArray(OpenEnum(UBInt8, ECPointFormat), UBInt8, { min: 1 }),
});

// --- signature_algorithms(_cert) (RFC 8446 §4.2.3) ---------------------------------------------

export const SignatureSchemeListBody = Struct({ supportedSignatureAlgorithms: SignatureSchemeList });

// --- ALPN (RFC 7301 §3.1) ----------------------------------------------------------------------

/** `opaque ProtocolName<1..2^8-1>; ProtocolName protocol_name_list<2..2^16-1>`. */
export const ProtocolNameList = Struct({
  protocolNameList: TLSPrefixedArray(ByteString(UBInt8, { min: 1 }), UBInt16, { min: 2 }),
});

// --- signed_certificate_timestamp (RFC 6962 §3.3) ---------------------------------------------

/** `opaque SerializedSCT<1..2^16-1>; SerializedSCT sct_list<1..2^16-1>`. */
export const SignedCertificateTimestampList = Struct({
  sctList: TLSPrefixedArray(PrefixedBytes(UBInt16, { min: 1 }), UBInt16, { min: 1 }),
});

// --- session_ticket (RFC 5077 §3.2) -----------------------------------------------------------

/** The ClientHello form: the whole extension_data is the ticket (empty to ask for one). */
export const SessionTicketBody = Struct({ ticket: Remaining });

// --- pre_shared_key (RFC 8446 §4.2.11) ---------------------------------------------------------

/** A PSK binder is an HMAC: at least 32 bytes (RFC 8446 §4.2.11). */
export const PskBinderEntry = PrefixedBytes(UBInt8, { min: 32 });
export const PskIdentity = Struct({
  identity: PrefixedBytes(UBInt16, { min: 1 }),
  obfuscatedTicketAge: UBInt32,
});
/** `struct { PskIdentity identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>; } OfferedPsks`. */
export const OfferedPsks = Struct({
  identities: TLSPrefixedArray(PskIdentity, UBInt16, { min: 7 }),
  binders: TLSPrefixedArray(PskBinderEntry, UBInt16, { min: 33 }),
});
export const PreSharedKeyServerHello = Struct({ selectedIdentity: UBInt16 });

// --- early_data (RFC 8446 §4.2.10) -------------------------------------------------------------

/** The NewSessionTicket form; in ClientHello and EncryptedExtensions the body is empty. */
export const EarlyDataIndication = Struct({ maxEarlyDataSize: UBInt32 });

// --- supported_versions (RFC 8446 §4.2.1) ------------------------------------------------------

export const SupportedVersionsClientHello = Struct({
  versions: TLSPrefixedArray(ProtocolVersionCodec, UBInt8, { min: 2, max: 254 }),
});
export const SupportedVersionsServerHello = Struct({ selectedVersion: ProtocolVersionCodec });

// --- cookie (RFC 8446 §4.2.2), psk_key_exchange_modes (§4.2.9), certificate_authorities (§4.2.4)

export const Cookie = Struct({ cookie: PrefixedBytes(UBInt16, { min: 1 }) });
export const PskKeyExchangeModes = Struct({
  keModes: TLSPrefixedArray(OpenEnum(UBInt8, PskKeyExchangeMode), UBInt8, { min: 1 }),
});
export const CertificateAuthorities = Struct({
  authorities: TLSPrefixedArray(DistinguishedName, UBInt16, { min: 3 }),
});

// --- key_share (RFC 8446 §4.2.8) ---------------------------------------------------------------

/**
 * `struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry`. An empty
 * key_exchange is parsed: it is a bad public value, which the key exchange refuses with
 * illegal_parameter (RFC 8446 §4.2.8.2, as OpenSSL), not a framing error.
 */
export const KeyShareEntry = Struct({
  group: NamedGroupCodec,
  keyExchange: PrefixedBytes(UBInt16),
});
/** `KeyShareEntry client_shares<0..2^16-1>` (empty asks the server for an HRR). */
export const KeyShareClientHello = Struct({ clientShares: TLSPrefixedArray(KeyShareEntry, UBInt16) });
export const KeyShareServerHello = Struct({ serverShare: KeyShareEntry });
export const KeyShareHelloRetryRequest = Struct({ selectedGroup: NamedGroupCodec });

// --- renegotiation_info (RFC 5746 §3.2) --------------------------------------------------------

export const RenegotiationInfo = Struct({ renegotiatedConnection: PrefixedBytes(UBInt8) });

export type ServerNameValue = Infer<typeof ServerName>;
export type KeyShareEntryValue = Infer<typeof KeyShareEntry>;
export type PskIdentityValue = Infer<typeof PskIdentity>;
