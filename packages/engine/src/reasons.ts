// Why a handshake or a record was refused, as rustls' PeerMisbehaved / InvalidMessage /
// PeerIncompatible: one name per condition, each with the alert RFC 8446 §6.2 (or RFC 5246
// §7.2) names for it, so a check cannot pair its condition with another alert. BadTLSDataError
// carries it as `reason`, beside the human message (which may add detail; the reason is the
// stable key). The last group is ours, not the peer's: a configuration or a callback that gave
// nothing usable (internal_error, or the alert the peer is owed).
import { AlertDescription as A } from '@tls-kit/messages';

export const REASON_ALERTS = {
  // The record layer (RFC 8446 §5, RFC 5246 §6).
  /** A record header with an unknown content type (RFC 8446 §5). */
  UnknownRecordType: A.unexpected_message,
  /** A record longer than the protocol allows (RFC 8446 §5.1, §5.2; RFC 5246 §6.2). */
  RecordOverflow: A.record_overflow,
  /** A record header that is not TLS (its version field). */
  BadRecordHeader: A.decode_error,
  /** Input waiting unprocessed past maxBufferedInput. */
  TooMuchBufferedInput: A.internal_error,
  /** A protected record did not authenticate, or was too short to (RFC 8446 §5.2). */
  BadRecordMac: A.bad_record_mac,
  /** An unprotected record of another type than change_cipher_spec after keys changed (RFC 8446 §5). */
  UnprotectedRecordAfterKeyChange: A.unexpected_message,
  /** TLSInnerPlaintext of zeros only (RFC 8446 §5.4), or a protected inner type that is not one. */
  UnknownInnerContentType: A.unexpected_message,
  /** 2^64 records under one key (RFC 8446 §5.3, RFC 5246 §6.1): never reached in practice. */
  SequenceNumberExhausted: A.internal_error,
  /** change_cipher_spec other than the single byte 1 (RFC 8446 §5, RFC 5246 §7.1). */
  MalformedChangeCipherSpec: A.unexpected_message,
  /** change_cipher_spec inside a fragmented handshake message. */
  ChangeCipherSpecInsideHandshakeMessage: A.unexpected_message,
  /**
   * change_cipher_spec where the protocol has none: TLS 1.3 before the first ClientHello or
   * after the handshake (RFC 8446 §5), TLS 1.2 out of its place in the handshake (RFC 5246 §7.1).
   */
  UnexpectedChangeCipherSpec: A.unexpected_message,
  /** A change_cipher_spec inside a protected record (RFC 8446 §5). */
  ProtectedChangeCipherSpec: A.unexpected_message,
  /** Rejected 0-RTT data past max_early_data_size (RFC 8446 §4.2.10). */
  TooMuchRejectedEarlyData: A.bad_record_mac,
  /** Another record type between the fragments of a handshake message (RFC 8446 §5.1). */
  RecordInterleavedWithHandshakeMessage: A.unexpected_message,
  /** A handshake message not finished when the keys changed (RFC 8446 §5.1). */
  HandshakeMessageSplitAcrossKeyChange: A.unexpected_message,
  /** A zero-length handshake record (RFC 8446 §5.1). */
  EmptyHandshakeRecord: A.unexpected_message,
  /** A handshake message header that cannot be read, or one over maxHandshakeMessageSize. */
  BadHandshakeMessageHeader: A.decode_error,
  /** Application data before the handshake completed. */
  ApplicationDataBeforeHandshake: A.unexpected_message,
  /**
   * Input that starts with a plain-text HTTP request ("GET ", "POST ", "HEAD ", "PUT "): a client
   * speaking HTTP to a TLS port. An unknown record type to RFC 8446 §5; OpenSSL's "http request".
   */
  HttpRequest: A.unexpected_message,
  /** Input that starts with an HTTP proxy's "CONNECT": OpenSSL's "https proxy request". */
  HttpsProxyRequest: A.unexpected_message,
  /** Too many records in a row that carry nothing (see record/empty-record-caps.ts). */
  TooManyEmptyRecords: A.unexpected_message,
  TooManyWarningAlerts: A.unexpected_message,
  TooManyKeyUpdates: A.unexpected_message,
  // Alerts (RFC 8446 §6).
  /** An alert record without an alert. */
  EmptyAlertRecord: A.unexpected_message,
  /** An alert whose level is neither warning nor fatal. */
  BadAlertLevel: A.illegal_parameter,

  // Handshake messages in general (RFC 8446 §4, §4.2; RFC 5246 §7.4).
  /** A handshake message of another type than the state expects (RFC 8446 §6.2). */
  UnexpectedHandshakeMessage: A.unexpected_message,
  /**
   * A handshake message after the handshake that its version does not allow (RFC 8446 §4.6, RFC 5246
   * §7.4.1.1).
   */
  UnexpectedPostHandshakeMessage: A.unexpected_message,
  /** More post-handshake CertificateRequests than a client answers per connection (each costs a signature). */
  TooManyPostHandshakeCertificateRequests: A.unexpected_message,
  /** A message body that does not decode (RFC 8446 §6.2 decode_error). */
  InvalidHandshakeMessage: A.decode_error,
  /** Two extensions of one type in a message (RFC 8446 §4.2). */
  DuplicateExtension: A.illegal_parameter,
  /** An extension in a response that we never offered (RFC 8446 §4.2, RFC 5246 §7.4.1.4). */
  UnsolicitedExtension: A.unsupported_extension,
  /** A known extension in a message it does not belong in (RFC 8446 §4.2). */
  ExtensionNotAllowed: A.illegal_parameter,
  /** Finished whose verify_data is not ours (RFC 8446 §4.4.4, RFC 5246 §7.4.9). */
  BadFinished: A.decrypt_error,
  /** Finished whose length is not the hash's (or 12 bytes in TLS 1.2). */
  BadFinishedLength: A.decode_error,
  /** More TLS 1.2 renegotiation attempts than we refuse with a warning (RFC 5746 §4). */
  TooManyRenegotiationAttempts: A.unexpected_message,

  // Versions and downgrades (RFC 8446 §4.1.3, §4.2.1, Appendix D; RFC 7507).
  /** No protocol version in common, seen in the ClientHello or the ServerHello (RFC 8446 §4.2.1). */
  NoSupportedVersion: A.protocol_version,
  /** A ClientHello legacy_version of SSL 3.0 or below (RFC 8446 Appendix D.5). */
  ObsoleteClientVersion: A.protocol_version,
  /** A server that chose a version we did not offer (RFC 8446 §4.2.1). */
  UnofferedVersion: A.illegal_parameter,
  /** A TLS 1.3 ServerHello whose legacy_version is not 0x0303 (RFC 8446 §4.1.3). */
  IllegalLegacyVersion: A.illegal_parameter,
  /** The downgrade sentinel in a TLS 1.2 ServerHello random (RFC 8446 §4.1.3). */
  DowngradeDetected: A.illegal_parameter,
  /** TLS_FALLBACK_SCSV to a server that has a higher version (RFC 7507 §3). */
  InappropriateFallback: A.inappropriate_fallback,

  // Hello negotiation (RFC 8446 §4.1, RFC 5246 §7.4.1).
  /** No cipher suite in common, or in TLS 1.2 none that fits our certificate (RFC 8446 §4.1.1). */
  NoSharedCipherSuite: A.handshake_failure,
  /** A ServerHello with a cipher suite we did not offer (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3). */
  UnofferedCipherSuite: A.illegal_parameter,
  /** A ServerHello with another suite than its HelloRetryRequest's (RFC 8446 §4.1.4). */
  CipherSuiteDiffersFromHelloRetryRequest: A.illegal_parameter,
  /**
   * Compression other than null offered (TLS 1.3) or chosen, or null missing (RFC 8446 §4.1.2, RFC 5246
   * §7.4.1.2).
   */
  IllegalCompression: A.illegal_parameter,
  /** A ServerHello whose legacy_session_id_echo is not our session id (RFC 8446 §4.1.3). */
  SessionIdEchoMismatch: A.illegal_parameter,
  /** server_name that is not one ASCII host name (RFC 6066 §3). */
  BadServerName: A.illegal_parameter,
  /** No ALPN protocol in common (RFC 7301 §3.2). */
  NoApplicationProtocol: A.no_application_protocol,
  /** A server that selected an ALPN protocol we did not offer (RFC 7301 §3.2). */
  UnofferedApplicationProtocol: A.illegal_parameter,
  /** ec_point_formats without uncompressed (RFC 8422 §5.1.2). */
  NoUncompressedPointFormat: A.illegal_parameter,
  /** record_size_limit under 64 (RFC 8449 §4). */
  BadRecordSizeLimit: A.illegal_parameter,
  /** max_fragment_length of an unknown value, or another than the one we sent (RFC 6066 §4). */
  BadMaxFragmentLength: A.illegal_parameter,
  /** record_size_limit and max_fragment_length answered together (RFC 8449 §5). */
  BothRecordLimits: A.illegal_parameter,

  // Key exchange (RFC 8446 §4.1.4, §4.2.7, §4.2.8; RFC 5246 §7.4.3; RFC 8422; RFC 7919).
  /** No (EC)DHE group in common (RFC 8446 §4.1.1). */
  NoSharedGroup: A.handshake_failure,
  /** A ClientHello without supported_groups / key_share, a ServerHello without key_share (RFC 8446 §9.2). */
  MissingKeyShareExtension: A.missing_extension,
  /** Two key shares for one group (RFC 8446 §4.2.8). */
  DuplicateKeyShare: A.illegal_parameter,
  /** A key share for a group the ClientHello's supported_groups does not list (RFC 8446 §4.2.8). */
  KeyShareForUnlistedGroup: A.illegal_parameter,
  /**
   * A group we did not offer: in a ServerHello key_share, a HelloRetryRequest, a TLS 1.2 ServerKeyExchange.
   */
  UnofferedGroup: A.illegal_parameter,
  /** A key share or key exchange value that is no valid point or element (RFC 8446 §4.2.8.1, §4.2.8.2). */
  BadKeyShare: A.illegal_parameter,
  /** A second HelloRetryRequest (RFC 8446 §4.1.4). */
  SecondHelloRetryRequest: A.unexpected_message,
  /** A HelloRetryRequest that would not change the ClientHello (RFC 8446 §4.1.4). */
  HelloRetryRequestChangesNothing: A.illegal_parameter,
  /** A HelloRetryRequest asking for a group we already sent a share for (RFC 8446 §4.2.8). */
  HelloRetryRequestForSentGroup: A.illegal_parameter,
  /** A TLS 1.2 ServerHello after a HelloRetryRequest (RFC 8446 §4.1.4). */
  Tls12AfterHelloRetryRequest: A.illegal_parameter,
  /** A second ClientHello with another cipher suite than the HelloRetryRequest chose (RFC 8446 §4.1.2). */
  SecondClientHelloChangedCipherSuite: A.illegal_parameter,
  /** A second ClientHello with another legacy_session_id (RFC 8446 §4.1.2). */
  SecondClientHelloChangedSessionId: A.illegal_parameter,
  /** A second ClientHello without the cookie we sent (RFC 8446 §4.2.2). */
  SecondClientHelloWithoutCookie: A.illegal_parameter,
  /** A second ClientHello without (only) the key share we asked for (RFC 8446 §4.1.2). */
  SecondClientHelloWrongKeyShare: A.illegal_parameter,
  /** early_data in a ClientHello after a HelloRetryRequest (RFC 8446 §4.2.10). */
  EarlyDataAfterHelloRetryRequest: A.illegal_parameter,
  /** A finite-field group under our minimum size (RFC 7919 §5: insufficient_security). */
  WeakDhGroup: A.insufficient_security,
  /** A finite-field group over our maximum size (a CPU cap). */
  OversizedDhGroup: A.illegal_parameter,
  /** A finite-field prime that is not a safe prime. */
  UnsafeDhPrime: A.illegal_parameter,

  // Pre-shared keys, resumption, post-handshake messages (RFC 8446 §4.2.9, §4.2.11, §4.6;
  // RFC 5246 §7.4.1.2; RFC 7627 §5.3).
  /** pre_shared_key that is not the last ClientHello extension (RFC 8446 §4.2.11). */
  PreSharedKeyNotLast: A.illegal_parameter,
  /** pre_shared_key without psk_key_exchange_modes (RFC 8446 §4.2.9). */
  MissingPskKeyExchangeModes: A.missing_extension,
  /** Not one binder per PSK identity (RFC 8446 §4.2.11). */
  PskBinderCountMismatch: A.illegal_parameter,
  /** A PSK binder that does not verify (RFC 8446 §4.2.11.2). */
  BadPskBinder: A.decrypt_error,
  /** A ServerHello that selects a PSK we did not offer (RFC 8446 §4.2.11). */
  UnofferedPsk: A.illegal_parameter,
  /** A selected PSK whose hash is not the cipher suite's (RFC 8446 §4.2.11). */
  PskHashMismatch: A.illegal_parameter,
  /** A TLS 1.2 server that resumed a session we did not offer (RFC 5246 §7.4.1.3). */
  UnofferedSession: A.illegal_parameter,
  /** A resumed TLS 1.2 session with another cipher suite (RFC 5246 §7.4.1.3). */
  ResumedSessionCipherSuiteMismatch: A.illegal_parameter,
  /** Resumption without extended_master_secret of a session that had it (RFC 7627 §5.3). */
  ResumptionWithoutExtendedMasterSecret: A.handshake_failure,
  /** NewSessionTicket with a lifetime over 7 days (RFC 8446 §4.6.1). */
  TicketLifetimeTooLong: A.illegal_parameter,
  /** KeyUpdate with a request_update other than 0 or 1 (RFC 8446 §4.6.3). */
  BadKeyUpdateRequest: A.illegal_parameter,

  // TLS 1.2 renegotiation (RFC 5746).
  /** renegotiation_info that is not empty in an initial handshake (RFC 5746 §3.4, §3.6). */
  BadRenegotiationInfo: A.handshake_failure,
  /** A server without secure renegotiation when we require it (RFC 5746 §4.1). */
  SecureRenegotiationUnsupported: A.handshake_failure,

  // Certificates and signatures (RFC 8446 §4.3.2, §4.4.2, §4.4.3; RFC 5280; RFC 6066 §8).
  /** A server Certificate without a certificate (RFC 8446 §4.4.2.4). */
  EmptyServerCertificate: A.decode_error,
  /** No client certificate where one is required (RFC 8446 §4.4.2.4). */
  NoClientCertificate: A.certificate_required,
  /** The same in TLS 1.2 (RFC 5246 §7.4.6: handshake_failure). */
  NoClientCertificateTls12: A.handshake_failure,
  /** A certificate_request_context other than the one asked for (RFC 8446 §4.3.2, §4.4.2). */
  BadCertificateRequestContext: A.illegal_parameter,
  /** A ClientHello or CertificateRequest without signature_algorithms (RFC 8446 §4.2.3, §4.3.2). */
  MissingSignatureAlgorithms: A.missing_extension,
  /** A certificate that does not parse as X.509 (RFC 8446 §6.2 bad_certificate). */
  UnparsableCertificate: A.bad_certificate,
  /** A TLS 1.2 server certificate whose key does not fit the chosen suite (RFC 5246 §7.4.2). */
  CertificateKeyDoesNotFitSuite: A.unsupported_certificate,
  /** A chain to no trust anchor: unknown issuer, untrusted self-signed certificate, too deep. */
  UnknownIssuer: A.unknown_ca,
  /** A certificate of the chain expired or not yet valid. */
  CertificateExpired: A.certificate_expired,
  /** A certificate of the chain revoked, by a CRL or by the stapled OCSP response. */
  CertificateRevoked: A.certificate_revoked,
  /** A certificate signed with an algorithm we do not support. */
  UnsupportedCertificateAlgorithm: A.unsupported_certificate,
  /** A certificate not valid for the name we connect to (RFC 9525), or refused by checkServerIdentity. */
  CertificateNameMismatch: A.bad_certificate,
  /** A chain that breaks another rule of RFC 5280 or of the profile (signature, usage, constraints, CRLs). */
  InvalidCertificate: A.bad_certificate,
  /** A stapled status of another type than ocsp (RFC 6066 §8). */
  BadCertificateStatusType: A.illegal_parameter,
  /** A stapled OCSP response that is missing (when required), invalid, stale or "unknown" (RFC 6066 §8). */
  BadCertificateStatus: A.bad_certificate_status_response,
  /** A signature scheme we did not offer (RFC 8446 §4.4.3, RFC 5246 §7.4.1.4.1). */
  UnofferedSignatureScheme: A.illegal_parameter,
  /** A signature scheme that does not fit the certificate's key (RFC 8446 §4.4.3). */
  SignatureSchemeDoesNotFitKey: A.illegal_parameter,
  /** A CertificateVerify or ServerKeyExchange signature that does not verify (RFC 8446 §4.4.3). */
  BadSignature: A.decrypt_error,

  // Ours, not the peer's: the configuration or a callback gave nothing usable.
  /** A handshake message while the state machine waits for a callback (or has not started). */
  MessageWhileWaiting: A.internal_error,
  /** No certificate configured for the server_name the client sent (RFC 6066 §3). */
  NoCertificateForServerName: A.unrecognized_name,
  /** No certificate configured that this handshake can use. */
  NoServerCertificate: A.handshake_failure,
  /** The chain that the configuration or ServerCertificates gave is unusable. */
  UnusableServerCertificate: A.internal_error,
  /** None of our certificate's signature schemes is one the client accepts (RFC 8446 §4.2.3). */
  NoSharedSignatureScheme: A.handshake_failure,
  /** Client certificates requested without a trust store to validate them with. */
  NoClientTrustStore: A.internal_error,
  /** pskCallback returned something that is not a key. */
  BadPskCallbackResult: A.internal_error,
  /** ocspResponse returned something that is not a status to staple. */
  BadOcspResponderResult: A.internal_error,
  /** The alpnCallback chose no protocol the client offered (RFC 7301 §3.2). */
  AlpnCallbackRefused: A.no_application_protocol,
  /** A ClientCertificateStore that did not answer a post-handshake CertificateRequest synchronously. */
  AsyncClientCertificateStore: A.internal_error,
} as const;

/** Why a connection was refused. */
export type Reason = keyof typeof REASON_ALERTS;
