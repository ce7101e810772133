/** ProtocolVersion values as they appear on the wire (RFC 8446 §4.1.2, RFC 5246 §6.2.1). */
export enum ProtocolVersion {
  SSL3_0 = 0x0300,
  TLS1_0 = 0x0301,
  TLS1_1 = 0x0302,
  TLS1_2 = 0x0303,
  TLS1_3 = 0x0304,
}
