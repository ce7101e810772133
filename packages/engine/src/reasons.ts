// Why the peer's data was refused, as rustls' PeerMisbehaved / InvalidMessage: one name per
// reason, each with the alert RFC 8446 §6.2 (or RFC 5246 §7.2) names for it. BadTLSDataError
// carries it as `reason`, beside the human message.
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
  /** TLS 1.3 change_cipher_spec before the first ClientHello or after the handshake (RFC 8446 §5). */
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
  /** Too many records in a row that carry nothing (see record/empty-record-caps.ts). */
  TooManyEmptyRecords: A.unexpected_message,
  TooManyWarningAlerts: A.unexpected_message,
  TooManyKeyUpdates: A.unexpected_message,
  // Alerts (RFC 8446 §6).
  /** An alert record without an alert. */
  EmptyAlertRecord: A.unexpected_message,
  /** An alert whose level is neither warning nor fatal. */
  BadAlertLevel: A.illegal_parameter,
} as const;

/** Why the peer's data was refused. */
export type Reason = keyof typeof REASON_ALERTS;
