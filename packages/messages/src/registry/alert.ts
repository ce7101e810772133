import { ProtocolVersion } from './protocol-version.js';

/** RFC 5246 §7.2; in TLS 1.3 the level is a legacy field (RFC 8446 §6). */
export enum AlertLevel {
  warning = 1,
  fatal = 2,
}

/** IANA "TLS Alerts" (RFC 8446 §6, RFC 5246 §7.2, RFC 6066, RFC 7301, RFC 7507, RFC 8879). */
export enum AlertDescription {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  decryption_failed = 21,
  record_overflow = 22,
  decompression_failure = 30,
  handshake_failure = 40,
  no_certificate = 41,
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  too_many_cids_requested = 52,
  export_restriction = 60,
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,
  user_canceled = 90,
  no_renegotiation = 100,
  missing_extension = 109,
  unsupported_extension = 110,
  certificate_unobtainable = 111,
  unrecognized_name = 112,
  bad_certificate_status_response = 113,
  bad_certificate_hash_value = 114,
  unknown_psk_identity = 115,
  certificate_required = 116,
  general_error = 117,
  no_application_protocol = 120,
  ech_required = 121,
}

export type AlertLevelRule = 'fatal' | 'warning' | 'either';

/**
 * The level an alert must be sent with.
 *
 * TLS 1.3 (RFC 8446 §6): the closure alerts close_notify and user_canceled are warnings, every
 * error alert (§6.2) MUST be fatal.
 * TLS 1.2 (RFC 5246 §7.2.2): no_renegotiation is always a warning; the certificate complaints
 * and unrecognized_name (RFC 6066 §3) carry no mandated level, so the caller must choose; every
 * other error alert is fatal. Alerts that must never be sent (decryption_failed, no_certificate,
 * export_restriction) and unknown codes are reported as fatal so that nobody sends them as warnings.
 */
export function alertLevelRule(
  description: AlertDescription | number,
  version: ProtocolVersion | number = ProtocolVersion.TLS1_3,
): AlertLevelRule {
  switch (description) {
    case AlertDescription.close_notify:
    case AlertDescription.user_canceled:
      return 'warning';
  }
  if (version >= ProtocolVersion.TLS1_3) return 'fatal';
  switch (description) {
    case AlertDescription.no_renegotiation:
      return 'warning';
    case AlertDescription.bad_certificate:
    case AlertDescription.unsupported_certificate:
    case AlertDescription.certificate_revoked:
    case AlertDescription.certificate_expired:
    case AlertDescription.certificate_unknown:
    case AlertDescription.unrecognized_name:
      return 'either';
    default:
      return 'fatal';
  }
}
