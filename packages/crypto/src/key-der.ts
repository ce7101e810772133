// Key containers in DER, for the pure-JS provider: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7),
// PKCS#8 (RFC 5208/5958), PKCS#1 RSAPublicKey/RSAPrivateKey (RFC 8017 A.1), SEC1 ECPrivateKey
// (RFC 5915), Ed25519 (RFC 8410). Parsing is strict; writing produces canonical DER.
import { bytesToBigInt, leftPad } from './bytes.js';
import { contextTag, DerReader, derError, Tag } from './der.js';
import { bitString, explicit, nullValue, octetString, oid, sequence, unsignedInteger } from './der-writer.js';
import { DerError, UnsupportedAlgorithmError } from './errors.js';
import type { KeyType } from './provider.js';

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
} as const;

export const EC_CURVES = {
  'P-256': { oid: '1.2.840.10045.3.1.7', scalarLength: 32 },
  'P-384': { oid: '1.3.132.0.34', scalarLength: 48 },
  'P-521': { oid: '1.3.132.0.35', scalarLength: 66 },
} as const;
export type EcCurveName = keyof typeof EC_CURVES;

export interface RsaPublicComponents {
  readonly n: bigint;
  readonly e: bigint;
}
export interface RsaPrivateComponents extends RsaPublicComponents {
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qinv: bigint;
}

export type ParsedPublicKey =
  | { readonly type: 'rsa' | 'rsa-pss'; readonly rsa: RsaPublicComponents }
  | { readonly type: 'ec'; readonly curve: EcCurveName; readonly point: Uint8Array }
  | { readonly type: 'ed25519'; readonly raw: Uint8Array };

export type ParsedPrivateKey =
  | { readonly type: 'rsa' | 'rsa-pss'; readonly rsa: RsaPrivateComponents }
  | {
      readonly type: 'ec';
      readonly curve: EcCurveName;
      readonly scalar: Uint8Array;
      readonly point?: Uint8Array;
    }
  | { readonly type: 'ed25519'; readonly seed: Uint8Array };

function curveFromOid(oid: string): EcCurveName {
  for (const [name, curve] of Object.entries(EC_CURVES)) if (curve.oid === oid) return name as EcCurveName;
  throw new UnsupportedAlgorithmError(`EC curve ${oid} is not supported`);
}

interface AlgorithmId {
  readonly type: KeyType;
  readonly curve?: EcCurveName;
}

/** The reader inside the one SEQUENCE that must make up all of `bytes`. */
export function readSequence(bytes: Uint8Array, what: string): DerReader {
  const outer = new DerReader(bytes, derError);
  const seq = outer.enter(Tag.SEQUENCE, what);
  outer.finish(what);
  return seq;
}

/** A non-negative INTEGER (key components never are negative). */
function unsigned(reader: DerReader): bigint {
  return bytesToBigInt(reader.unsignedIntegerBytes());
}

function readAlgorithmIdentifier(reader: DerReader): AlgorithmId {
  const seq = reader.enter(Tag.SEQUENCE, 'AlgorithmIdentifier');
  const algorithm = seq.oid('algorithm');
  let id: AlgorithmId;
  switch (algorithm) {
    case OID.rsaEncryption:
      // RFC 3279 §2.3.1: parameters NULL (some encoders omit them).
      if (!seq.done) seq.null('parameters');
      id = { type: 'rsa' };
      break;
    case OID.rsassaPss:
      // RSASSA-PSS-params (RFC 4055 §3.1) may restrict the hash; TLS fixes hash and salt per scheme.
      if (!seq.done) seq.expect(Tag.SEQUENCE, 'RSASSA-PSS-params');
      id = { type: 'rsa-pss' };
      break;
    case OID.ecPublicKey:
      id = { type: 'ec', curve: curveFromOid(seq.oid('namedCurve')) };
      break;
    case OID.ed25519:
      id = { type: 'ed25519' }; // RFC 8410 §3: parameters absent
      break;
    default:
      throw new UnsupportedAlgorithmError(`key algorithm ${algorithm} is not supported`);
  }
  seq.finish('AlgorithmIdentifier');
  return id;
}

function algorithmIdentifier(type: KeyType, curve?: EcCurveName): Uint8Array {
  switch (type) {
    case 'rsa':
      return sequence(oid(OID.rsaEncryption), nullValue());
    case 'rsa-pss':
      return sequence(oid(OID.rsassaPss));
    case 'ec':
      return sequence(oid(OID.ecPublicKey), oid(EC_CURVES[curve as EcCurveName].oid));
    case 'ed25519':
      return sequence(oid(OID.ed25519));
  }
}

function parseRsaPublicKey(bytes: Uint8Array): RsaPublicComponents {
  const seq = readSequence(bytes, 'RSAPublicKey');
  const n = unsigned(seq);
  const e = unsigned(seq);
  seq.finish('RSAPublicKey');
  return { n, e };
}

export function parseSpki(spki: Uint8Array): ParsedPublicKey {
  const seq = readSequence(spki, 'SubjectPublicKeyInfo');
  const algorithm = readAlgorithmIdentifier(seq);
  const key = seq.octetAlignedBitString('subjectPublicKey');
  seq.finish('SubjectPublicKeyInfo');
  switch (algorithm.type) {
    case 'rsa':
    case 'rsa-pss':
      return { type: algorithm.type, rsa: parseRsaPublicKey(key) };
    case 'ec':
      return { type: 'ec', curve: algorithm.curve as EcCurveName, point: key };
    case 'ed25519':
      if (key.length !== 32) throw new DerError('Ed25519 public key must be 32 bytes');
      return { type: 'ed25519', raw: key };
  }
}

export function encodeSpki(key: ParsedPublicKey): Uint8Array {
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss':
      return sequence(
        algorithmIdentifier(key.type),
        bitString(sequence(unsignedInteger(key.rsa.n), unsignedInteger(key.rsa.e))),
      );
    case 'ec':
      return sequence(algorithmIdentifier('ec', key.curve), bitString(key.point));
    case 'ed25519':
      return sequence(algorithmIdentifier('ed25519'), bitString(key.raw));
  }
}

/** RSAPrivateKey (RFC 8017 A.1.2), two-prime only. */
export function parsePkcs1PrivateKey(bytes: Uint8Array, type: 'rsa' | 'rsa-pss' = 'rsa'): ParsedPrivateKey {
  const seq = readSequence(bytes, 'RSAPrivateKey');
  if (seq.smallInteger('version') !== 0) {
    throw new UnsupportedAlgorithmError('multi-prime RSA keys are not supported');
  }
  const [n, e, d, p, q, dp, dq, qinv] = Array.from({ length: 8 }, () => unsigned(seq)) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  seq.finish('RSAPrivateKey');
  if (p * q !== n) throw new DerError('RSA private key: p * q != n');
  return { type, rsa: { n, e, d, p, q, dp, dq, qinv } };
}

/** ECPrivateKey (RFC 5915 §3); `curve` comes from the PKCS#8 wrapper when there is one. */
export function parseSec1PrivateKey(bytes: Uint8Array, outerCurve?: EcCurveName): ParsedPrivateKey {
  const seq = readSequence(bytes, 'ECPrivateKey');
  if (seq.smallInteger('version') !== 1) throw new DerError('ECPrivateKey version must be 1');
  const scalar = seq.octetString('privateKey');
  const params = seq.optional(contextTag(0, true));
  let curve = outerCurve;
  if (params) {
    const inner = DerReader.inside(params);
    const named = curveFromOid(inner.oid('namedCurve'));
    inner.finish('parameters');
    if (curve && curve !== named)
      throw new DerError('ECPrivateKey curve does not match its AlgorithmIdentifier');
    curve = named;
  }
  if (!curve) throw new DerError('ECPrivateKey without a curve');
  const publicKeyField = seq.optional(contextTag(1, true));
  let point: Uint8Array | undefined;
  if (publicKeyField) {
    const inner = DerReader.inside(publicKeyField);
    point = inner.octetAlignedBitString('publicKey');
    inner.finish('publicKey');
  }
  seq.finish('ECPrivateKey');
  const length = EC_CURVES[curve].scalarLength;
  if (scalar.length > length) throw new DerError('EC private key too long');
  return point
    ? { type: 'ec', curve, scalar: leftPad(scalar, length), point }
    : { type: 'ec', curve, scalar: leftPad(scalar, length) };
}

export function parsePkcs8(bytes: Uint8Array): ParsedPrivateKey {
  const seq = readSequence(bytes, 'PrivateKeyInfo');
  const version = seq.smallInteger('version');
  if (version !== 0 && version !== 1) throw new DerError(`PKCS#8 version ${version}`);
  const algorithm = readAlgorithmIdentifier(seq);
  const privateKey = seq.octetString('privateKey');
  seq.optional(contextTag(0, true)); // attributes
  if (version === 1) seq.optional(contextTag(1, false)); // OneAsymmetricKey publicKey
  seq.finish('PrivateKeyInfo');
  switch (algorithm.type) {
    case 'rsa':
    case 'rsa-pss':
      return parsePkcs1PrivateKey(privateKey, algorithm.type);
    case 'ec':
      return parseSec1PrivateKey(privateKey, algorithm.curve);
    case 'ed25519': {
      // RFC 8410 §7: CurvePrivateKey ::= OCTET STRING
      const inner = new DerReader(privateKey, derError);
      const seed = inner.octetString('CurvePrivateKey');
      inner.finish('CurvePrivateKey');
      if (seed.length !== 32) throw new DerError('Ed25519 private key must be 32 bytes');
      return { type: 'ed25519', seed };
    }
  }
}

export function encodePkcs8(key: ParsedPrivateKey, publicPoint?: Uint8Array): Uint8Array {
  let inner: Uint8Array;
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss': {
      const { n, e, d, p, q, dp, dq, qinv } = key.rsa;
      inner = sequence(...[0n, n, e, d, p, q, dp, dq, qinv].map((value) => unsignedInteger(value)));
      break;
    }
    case 'ec': {
      const point = key.point ?? publicPoint;
      inner = sequence(
        unsignedInteger(1n),
        octetString(key.scalar),
        ...(point ? [explicit(1, bitString(point))] : []),
      );
      break;
    }
    case 'ed25519':
      inner = octetString(key.seed);
      break;
  }
  return sequence(
    unsignedInteger(0n),
    algorithmIdentifier(key.type, key.type === 'ec' ? key.curve : undefined),
    octetString(inner),
  );
}

export function rsaBits(n: bigint): number {
  return n.toString(2).length;
}
