// CertificateBuilder: CA, intermediate and leaf certificates with fresh or given keys, signed
// through the crypto provider, so that tests and the demo need no outside tool.

import type { CryptoProvider, KeyGenerationSpec, PrivateKey, SignatureSchemeName } from '@tls-kit/crypto';
import { fromHex } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import { DerReader } from '@tls-kit/crypto/der';
import {
  asciiBytes,
  bitString,
  boolean,
  explicit,
  ia5String,
  nullValue,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from '@tls-kit/crypto/der-writer';
import { readSubjectPublicKeyInfo } from './algorithms.js';
import { Certificate } from './certificate.js';
import { CertificateError, certificateDerError } from './errors.js';
import { type KeyUsageName, keyUsageBits } from './extensions.js';
import { parseIpAddress } from './hostname.js';
import { Name } from './name.js';
import { attributeTypesByName, extendedKeyUsageNames, Oid } from './oids.js';

export interface CertificateOptions {
  /** RFC 4514 string, most specific first: 'CN=example.com,O=Example,C=US'. */
  readonly subject: string;
  /** A key to certify, or the kind of key to generate. Default: ECDSA P-256. */
  readonly key?: KeyGenerationSpec | PrivateKey;
  /** The issuing certificate, with its private key. Absent: self-signed. */
  readonly issuer?: Certificate;
  /** basicConstraints cA (with an optional pathLenConstraint). */
  readonly ca?: boolean | { readonly pathLength?: number };
  /** Default: keyCertSign + cRLSign for CAs, digitalSignature for leaves. Empty: no extension. */
  readonly keyUsage?: readonly KeyUsageName[];
  /** Names of extendedKeyUsageNames or OIDs. Default for leaves: serverAuth + clientAuth; none for CAs. */
  readonly extendedKeyUsage?: readonly string[];
  /**
   * 'DNS:example.com', 'IP:127.0.0.1', 'email:a@b.example', 'URI:https://x.example/'. Default
   * for leaves: the subject CN when it is a host name or an IP address; none for CAs.
   */
  readonly subjectAltNames?: readonly string[];
  /** 'DNS:example.com', 'IP:10.0.0.0/8' (address/prefix length). */
  readonly nameConstraints?: {
    readonly permitted?: readonly string[];
    readonly excluded?: readonly string[];
  };
  /** Default: one hour ago. */
  readonly notBefore?: Date;
  /** Default: notBefore + 365 days. */
  readonly notAfter?: Date;
  /** Unsigned magnitude; default 16 random bytes. */
  readonly serialNumber?: Uint8Array;
  /**
   * Additional raw extensions (e.g. an unknown critical one, for tests). One with the OID of an
   * extension the builder adds replaces it.
   */
  readonly extensions?: readonly {
    readonly oid: string;
    readonly critical: boolean;
    readonly value: Uint8Array;
  }[];
  /** OIDs of extensions the builder would add that are left out (e.g. to test a missing SKI). */
  readonly omitExtensions?: readonly string[];
  /** Default: by the issuer's key (rsa_pkcs1_sha256, ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ed25519). */
  readonly signatureScheme?: SignatureSchemeName;
}

export class CertificateBuilder {
  private readonly provider: CryptoProvider;

  constructor(options: { readonly provider?: CryptoProvider } = {}) {
    this.provider = options.provider ?? defaultProvider;
  }

  /** A self-signed root CA. */
  root(options: Omit<CertificateOptions, 'issuer' | 'ca'> & { readonly pathLength?: number }): Certificate {
    return this.certificate({ ...options, ca: { pathLength: options.pathLength } });
  }

  /** A CA certificate issued by `issuer`. */
  intermediate(
    issuer: Certificate,
    options: Omit<CertificateOptions, 'issuer' | 'ca'> & { readonly pathLength?: number },
  ): Certificate {
    return this.certificate({ ...options, issuer, ca: { pathLength: options.pathLength } });
  }

  /** An end-entity certificate issued by `issuer`. */
  leaf(issuer: Certificate, options: Omit<CertificateOptions, 'issuer' | 'ca'>): Certificate {
    return this.certificate({ ...options, issuer, ca: false });
  }

  /** The general form; returns the certificate with its private key. */
  certificate(options: CertificateOptions): Certificate {
    const p = this.provider;
    const key =
      options.key && 'pkcs8' in options.key
        ? options.key
        : p.generateKeyPair(options.key ?? { type: 'ec', curve: 'P-256' });
    const issuerKey = options.issuer ? options.issuer.privateKey : key;
    if (!issuerKey) throw new CertificateError('the issuer certificate has no private key');
    const scheme = options.signatureScheme ?? defaultScheme(issuerKey);
    const algorithm = signatureAlgorithmIdentifier(scheme);
    const subject = encodeName(options.subject);
    const issuerName = options.issuer ? options.issuer.subject.der : subject;
    const isCA = options.ca !== undefined && options.ca !== false;
    const notBefore = options.notBefore ?? new Date(Date.now() - 3600_000);
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 86400_000);
    const serial = options.serialNumber ?? randomSerial(p);
    const spki = key.publicKey.spki;
    const keyBits = readSubjectPublicKeyInfo(new DerReader(spki, certificateDerError)).keyBytes;
    const ski = p.hash('sha256', keyBits).subarray(0, 20); // RFC 7093 §2 method 1

    const extensions: Uint8Array[] = [];
    const raw = options.extensions ?? [];
    const replaced = new Set([...raw.map((e) => e.oid), ...(options.omitExtensions ?? [])]);
    const encode = (id: string, critical: boolean, value: Uint8Array) =>
      extensions.push(sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value)));
    const add = (id: string, critical: boolean, value: Uint8Array) => {
      if (!replaced.has(id)) encode(id, critical, value);
    };
    const pathLength = typeof options.ca === 'object' ? options.ca.pathLength : undefined;
    add(
      Oid.basicConstraints,
      true,
      sequence(
        ...(isCA ? [boolean(true)] : []),
        ...(isCA && pathLength !== undefined ? [smallInteger(pathLength)] : []),
      ),
    );
    const keyUsage = options.keyUsage ?? (isCA ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']);
    if (keyUsage.length > 0) add(Oid.keyUsage, true, encodeKeyUsage(keyUsage));
    const eku = options.extendedKeyUsage ?? (isCA ? [] : ['serverAuth', 'clientAuth']);
    if (eku.length > 0) {
      add(
        Oid.extKeyUsage,
        false,
        sequence(
          ...eku.map((name) =>
            oid(extendedKeyUsageNames[name as keyof typeof extendedKeyUsageNames] ?? name),
          ),
        ),
      );
    }
    const subjectAltNames = options.subjectAltNames ?? (isCA ? [] : sanFromCommonName(subject));
    if (subjectAltNames.length > 0) {
      add(Oid.subjectAltName, false, sequence(...subjectAltNames.map((n) => encodeGeneralName(n, false))));
    }
    const nc = options.nameConstraints;
    if (nc) {
      const subtrees = (tag: number, names: readonly string[] | undefined) =>
        names?.length ? [tlv(tag, ...names.map((n) => sequence(encodeGeneralName(n, true))))] : [];
      add(
        Oid.nameConstraints,
        true,
        sequence(...subtrees(0xa0, nc.permitted), ...subtrees(0xa1, nc.excluded)),
      );
    }
    add(Oid.subjectKeyIdentifier, false, octetString(ski));
    const authorityKeyId = options.issuer ? options.issuer.subjectKeyIdentifier : undefined;
    if (options.issuer && authorityKeyId)
      add(Oid.authorityKeyIdentifier, false, sequence(tlv(0x80, fromHex(authorityKeyId))));
    for (const e of raw) encode(e.oid, e.critical, e.value);

    const tbs = sequence(
      explicit(0, smallInteger(2)),
      unsignedInteger(serial),
      algorithm,
      issuerName,
      sequence(time(notBefore), time(notAfter)),
      subject,
      spki,
      explicit(3, sequence(...extensions)),
    );
    const signature = p.sign(scheme, issuerKey, tbs);
    const der = sequence(tbs, algorithm, bitString(signature));
    return Certificate.fromDer(der).withPrivateKey(key);
  }
}

/**
 * A leaf's default SAN: its CN when that is a host name or an IP address, so that the
 * certificate meets CA/B BR §7.1.4.3 (the CN repeats a SAN entry) and RFC 9525 matching.
 */
function sanFromCommonName(subject: Uint8Array): string[] {
  const cn = Name.fromDer(subject).commonName;
  if (cn === undefined) return [];
  if (parseIpAddress(cn)) return [`IP:${cn}`];
  return /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(cn) ? [`DNS:${cn}`] : [];
}

function defaultScheme(key: PrivateKey): SignatureSchemeName {
  switch (key.type) {
    case 'rsa':
      return 'rsa_pkcs1_sha256';
    case 'rsa-pss':
      return 'rsa_pss_pss_sha256';
    case 'ed25519':
      return 'ed25519';
    case 'ec':
      if (key.curve === 'P-256') return 'ecdsa_secp256r1_sha256';
      if (key.curve === 'P-384') return 'ecdsa_secp384r1_sha384';
      if (key.curve === 'P-521') return 'ecdsa_secp521r1_sha512';
  }
  throw new CertificateError(`no signature scheme for a ${key.type} ${key.curve ?? ''} key`);
}

const hashOid = { sha256: Oid.sha256, sha384: Oid.sha384, sha512: Oid.sha512 } as const;

function signatureAlgorithmIdentifier(scheme: SignatureSchemeName): Uint8Array {
  const pss = /^rsa_pss_(?:rsae|pss)_(sha256|sha384|sha512)$/.exec(scheme);
  if (pss) {
    const h = pss[1] as keyof typeof hashOid;
    const hashAlg = sequence(oid(hashOid[h]));
    const salt = { sha256: 32, sha384: 48, sha512: 64 }[h];
    return sequence(
      oid(Oid.rsassaPss),
      sequence(
        explicit(0, hashAlg),
        explicit(1, sequence(oid(Oid.mgf1), hashAlg)),
        explicit(2, smallInteger(salt)),
      ),
    );
  }
  const table: Partial<Record<SignatureSchemeName, Uint8Array>> = {
    rsa_pkcs1_sha256: sequence(oid(Oid.sha256WithRSAEncryption), nullValue()),
    rsa_pkcs1_sha384: sequence(oid(Oid.sha384WithRSAEncryption), nullValue()),
    rsa_pkcs1_sha512: sequence(oid(Oid.sha512WithRSAEncryption), nullValue()),
    ecdsa_secp256r1_sha256: sequence(oid(Oid.ecdsaWithSha256)),
    ecdsa_secp384r1_sha384: sequence(oid(Oid.ecdsaWithSha384)),
    ecdsa_secp521r1_sha512: sequence(oid(Oid.ecdsaWithSha512)),
    ed25519: sequence(oid(Oid.ed25519)),
  };
  const alg = table[scheme];
  if (!alg) throw new CertificateError(`cannot sign certificates with ${scheme}`);
  return alg;
}

function randomSerial(p: CryptoProvider): Uint8Array {
  const serial = p.randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and exactly 16 bytes
  return serial;
}

function encodeKeyUsage(usages: readonly KeyUsageName[]): Uint8Array {
  const bits = usages.map((u) => keyUsageBits.indexOf(u));
  const last = Math.max(...bits);
  const bytes = new Uint8Array((last >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  // DER named bit lists drop trailing zero bits (X.690 §11.2.2).
  return bitString(bytes, 7 - (last & 7));
}

/** 'DNS:…', 'IP:…' (with '/prefix' in constraints), 'email:…', 'URI:…'. */
function encodeGeneralName(text: string, constraint: boolean): Uint8Array {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon).toUpperCase();
  const value = text.slice(colon + 1);
  const ia5 = (tag: number) => tlv(tag, asciiBytes(value));
  switch (kind) {
    case 'EMAIL':
      return ia5(0x81);
    case 'DNS':
      return ia5(0x82);
    case 'URI':
      return ia5(0x86);
    case 'IP': {
      const [address, prefix] = value.split('/');
      const bytes = parseIpAddress(address ?? '');
      if (!bytes) throw new CertificateError(`invalid IP address "${value}"`);
      if (!constraint) return tlv(0x87, bytes);
      const bitsLen = prefix === undefined ? bytes.length * 8 : Number(prefix);
      const mask = new Uint8Array(bytes.length);
      for (let i = 0; i < bitsLen; i++) mask[i >> 3]! |= 0x80 >> (i & 7);
      return tlv(0x87, bytes, mask);
    }
    default:
      throw new CertificateError(`unsupported general name "${text}"`);
  }
}

/** Encodes an RFC 4514 string (most specific RDN first) as a DER Name. */
export function encodeName(text: string): Uint8Array {
  const rdns = splitUnescaped(text, ',').filter((s) => s.trim() !== '');
  const encoded = rdns.reverse().map((rdn) =>
    set(
      ...splitUnescaped(rdn, '+').map((atv) => {
        const eq = atv.indexOf('=');
        if (eq < 0) throw new CertificateError(`invalid name component "${atv}"`);
        const type = atv.slice(0, eq).trim();
        const value = unescapeValue(atv.slice(eq + 1).trim());
        const typeOid = /^\d+(\.\d+)+$/.test(type) ? type : attributeTypesByName[type.toUpperCase()];
        if (!typeOid) throw new CertificateError(`unknown attribute type "${type}"`);
        const encodedValue =
          typeOid === '2.5.4.6'
            ? printableString(value)
            : typeOid === attributeTypesByName.DC || typeOid === attributeTypesByName.EMAILADDRESS
              ? ia5String(value)
              : utf8String(value);
        return sequence(oid(typeOid), encodedValue);
      }),
    ),
  );
  return sequence(...encoded);
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i]!;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}
