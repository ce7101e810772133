// TLS 1.2 key exchange messages: ServerKeyExchange (RFC 8422 §5.4 ECDHE, RFC 5246 §7.4.3 DHE) and
// ClientKeyExchange (RFC 8422 §5.7, RFC 5246 §7.4.7). Which form applies depends on the
// negotiated cipher suite, so each is its own codec.
import { Bytes, type Infer, PrefixedBytes, Struct, UBInt8, UBInt16 } from '@tls-kit/wire';
import { NamedGroupCodec, OnlyValue, ProtocolVersionCodec, SignatureSchemeCodec } from '../codecs/common.js';
import { ECCurveType } from '../registry/misc.js';

/** `struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; } digitally-signed` (RFC 5246 §4.7). */
export const DigitallySigned = Struct({
  algorithm: SignatureSchemeCodec,
  signature: PrefixedBytes(UBInt16),
});

/**
 * `ECParameters`: only named curves; explicit curves were removed by RFC 8422 §5.4, and their
 * encoding has no length we could skip, so they are a DecodeError.
 */
export const ECParameters = Struct({
  curveType: OnlyValue(UBInt8, ECCurveType, ECCurveType.named_curve),
  namedCurve: NamedGroupCodec,
});

/** `struct { ECParameters curve_params; ECPoint public; } ServerECDHParams`, `opaque point<1..2^8-1>`. */
export const ServerECDHParams = Struct({
  curveParams: ECParameters,
  public: PrefixedBytes(UBInt8, { min: 1 }),
});

/** `struct { opaque dh_p<1..2^16-1>; opaque dh_g<1..2^16-1>; opaque dh_Ys<1..2^16-1>; } ServerDHParams`. */
export const ServerDHParams = Struct(
  {
    dhP: PrefixedBytes(UBInt16, { min: 1 }),
    dhG: PrefixedBytes(UBInt16, { min: 1 }),
    dhYs: PrefixedBytes(UBInt16, { min: 1 }),
  },
  'ServerDHParams',
);

/** ServerKeyExchange for ECDHE_ECDSA / ECDHE_RSA suites. */
export const ServerKeyExchangeECDHE = Struct(
  { params: ServerECDHParams, signedParams: DigitallySigned },
  'ServerKeyExchange',
);
/** ServerKeyExchange for DHE_RSA / DHE_DSS suites. */
export const ServerKeyExchangeDHE = Struct(
  { params: ServerDHParams, signedParams: DigitallySigned },
  'ServerKeyExchange',
);

/** `ClientECDiffieHellmanPublic`: `ECPoint ecdh_Yc` (RFC 8422 §5.7). */
export const ClientKeyExchangeECDHE = Struct(
  { ecdhYc: PrefixedBytes(UBInt8, { min: 1 }) },
  'ClientKeyExchange',
);
/** `ClientDiffieHellmanPublic`, explicit form: `opaque dh_Yc<1..2^16-1>` (RFC 5246 §7.4.7.2). */
export const ClientKeyExchangeDHE = Struct({ dhYc: PrefixedBytes(UBInt16, { min: 1 }) }, 'ClientKeyExchange');
/** `EncryptedPreMasterSecret`: the RSA-encrypted PreMasterSecret (RFC 5246 §7.4.7.1). */
export const ClientKeyExchangeRSA = Struct(
  { encryptedPreMasterSecret: PrefixedBytes(UBInt16) },
  'ClientKeyExchange',
);

/** `struct { ProtocolVersion client_version; opaque random[46]; } PreMasterSecret` (RFC 5246 §7.4.7.1). */
export const PreMasterSecret = Struct(
  { clientVersion: ProtocolVersionCodec, random: Bytes(46) },
  'PreMasterSecret',
);

export type DigitallySignedValue = Infer<typeof DigitallySigned>;
export type ServerECDHParamsValue = Infer<typeof ServerECDHParams>;
export type ServerDHParamsValue = Infer<typeof ServerDHParams>;
export type ServerKeyExchangeECDHEMessage = Infer<typeof ServerKeyExchangeECDHE>;
export type ServerKeyExchangeDHEMessage = Infer<typeof ServerKeyExchangeDHE>;
export type ClientKeyExchangeECDHEMessage = Infer<typeof ClientKeyExchangeECDHE>;
export type ClientKeyExchangeDHEMessage = Infer<typeof ClientKeyExchangeDHE>;
export type ClientKeyExchangeRSAMessage = Infer<typeof ClientKeyExchangeRSA>;
export type PreMasterSecretValue = Infer<typeof PreMasterSecret>;
