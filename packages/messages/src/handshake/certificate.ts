import { type Infer, PrefixedBytes, Struct, TLSPrefixedArray, UBInt8, UBInt16, UBInt24 } from '@tls-kit/wire';
import { DistinguishedName, OpenEnum, SignatureSchemeList } from '../codecs/common.js';
import { CertificateEntryExtensionList, CertificateRequestExtensionList } from '../extensions/contexts.js';
import { ClientCertificateType } from '../registry/misc.js';

/** `opaque ASN.1Cert<1..2^24-1>` (RFC 5246 §7.4.2). */
export const ASN1Cert = PrefixedBytes(UBInt24, { min: 1 });

/** TLS 1.2 Certificate: `ASN.1Cert certificate_list<0..2^24-1>`, leaf first (RFC 5246 §7.4.2). */
export const Certificate12 = Struct({ certificateList: TLSPrefixedArray(ASN1Cert, UBInt24) }, 'Certificate');

/**
 * TLS 1.3 CertificateEntry (RFC 8446 §4.4.2): `cert_data` (X.509) and `ASN1_subjectPublicKeyInfo`
 * (RawPublicKey, RFC 7250) are the same `opaque<1..2^24-1>` on the wire: both land in `certData`.
 */
export const CertificateEntry = Struct({
  certData: PrefixedBytes(UBInt24, { min: 1 }),
  extensions: CertificateEntryExtensionList,
});

/** TLS 1.3 Certificate (RFC 8446 §4.4.2). */
export const Certificate13 = Struct(
  {
    certificateRequestContext: PrefixedBytes(UBInt8),
    certificateList: TLSPrefixedArray(CertificateEntry, UBInt24),
  },
  'Certificate',
);

/** TLS 1.2 CertificateRequest (RFC 5246 §7.4.4, RFC 8422 §5.5). */
export const CertificateRequest12 = Struct(
  {
    certificateTypes: TLSPrefixedArray(OpenEnum(UBInt8, ClientCertificateType), UBInt8, { min: 1 }),
    supportedSignatureAlgorithms: SignatureSchemeList,
    certificateAuthorities: TLSPrefixedArray(DistinguishedName, UBInt16),
  },
  'CertificateRequest',
);

/** TLS 1.3 CertificateRequest (RFC 8446 §4.3.2). */
export const CertificateRequest13 = Struct(
  {
    certificateRequestContext: PrefixedBytes(UBInt8),
    extensions: CertificateRequestExtensionList,
  },
  'CertificateRequest',
);

export type Certificate12Message = Infer<typeof Certificate12>;
export type Certificate13Message = Infer<typeof Certificate13>;
export type CertificateEntryValue = Infer<typeof CertificateEntry>;
export type CertificateRequest12Message = Infer<typeof CertificateRequest12>;
export type CertificateRequest13Message = Infer<typeof CertificateRequest13>;
