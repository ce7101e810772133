// Small registries used inside handshake messages and extensions.

/** RFC 5246 §7.4.1.2; TLS 1.3 requires exactly [null] (RFC 8446 §4.1.2). */
export enum CompressionMethod {
  null = 0,
  deflate = 1,
}

/** RFC 8422 §5.1.2. */
export enum ECPointFormat {
  uncompressed = 0,
  ansiX962_compressed_prime = 1,
  ansiX962_compressed_char2 = 2,
}

/** RFC 8422 §5.4. */
export enum ECCurveType {
  explicit_prime = 1,
  explicit_char2 = 2,
  named_curve = 3,
}

/** RFC 8446 §4.2.9. */
export enum PskKeyExchangeMode {
  psk_ke = 0,
  psk_dhe_ke = 1,
}

/** RFC 8446 §4.6.3. */
export enum KeyUpdateRequest {
  update_not_requested = 0,
  update_requested = 1,
}

/** RFC 6066 §3. */
export enum NameType {
  host_name = 0,
}

/** RFC 6066 §4: 2^9, 2^10, 2^11, 2^12. */
export enum MaxFragmentLength {
  '2^9' = 1,
  '2^10' = 2,
  '2^11' = 3,
  '2^12' = 4,
}

/** RFC 6066 §8, RFC 6961. */
export enum CertificateStatusType {
  ocsp = 1,
  ocsp_multi = 2,
}

/** TLS 1.2 CertificateRequest certificate_types (RFC 5246 §7.4.4, RFC 8422 §5.5). */
export enum ClientCertificateType {
  rsa_sign = 1,
  dss_sign = 2,
  rsa_fixed_dh = 3,
  dss_fixed_dh = 4,
  rsa_ephemeral_dh = 5,
  dss_ephemeral_dh = 6,
  fortezza_dms = 20,
  ecdsa_sign = 64,
  rsa_fixed_ecdh = 65,
  ecdsa_fixed_ecdh = 66,
  gost_sign256 = 67,
  gost_sign512 = 68,
}

/** RFC 6520. */
export enum HeartbeatMode {
  peer_allowed_to_send = 1,
  peer_not_allowed_to_send = 2,
}
