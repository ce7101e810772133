/** TLS ContentType (RFC 8446 §5.1, RFC 5246 §6.2.1; IANA "TLS ContentType"). */
export enum ContentType {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
  heartbeat = 24,
  tls12_cid = 25,
  ack = 26,
}
