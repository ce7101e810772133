// node:tls option names -> engine options. Only the options that have a meaning for this engine
// are accepted; each is translated here once, for the client and the server alike.
import {
  type Certificate,
  loadCertificateChainPem,
  loadCertificatesPem,
  ServerCertificateChain,
  TrustStore,
} from '@tls-kit/certs';
import type { CryptoProvider, NamedGroupName, SignatureSchemeName } from '@tls-kit/crypto';
import type { CommonOptions, TLSVersion } from '../config.js';
import { TLSUsageError } from '../errors.js';

/** PEM text as node:tls takes it: a string, a Buffer, or a list of them. */
export type PemInput = string | Uint8Array | readonly (string | Uint8Array)[];

/** The node:tls SecureContext options that map onto the engine. */
export interface SecureContextOptions {
  /** Trusted CA certificates (PEM, or parsed Certificates / a TrustStore). Default: Node's bundled roots. */
  readonly ca?: PemInput | readonly Certificate[] | TrustStore;
  /** Our certificate chain, leaf first, as PEM (the whole chain is sent). */
  readonly cert?: PemInput;
  /** The private key of `cert`'s leaf: PKCS#8, PKCS#1 or SEC1 PEM, plain or encrypted (see `passphrase`). */
  readonly key?: PemInput;
  /**
   * Decrypts an encrypted `key` ("ENCRYPTED PRIVATE KEY" PBES2, or legacy OpenSSL PEM with DEK-Info);
   * a string is its UTF-8 bytes, as in node:tls. Ignored when the key is not encrypted.
   */
  readonly passphrase?: string | Uint8Array;
  /** ALPN protocol names, in preference order. */
  readonly ALPNProtocols?: readonly string[];
  readonly minVersion?: TLSVersion;
  readonly maxVersion?: TLSVersion;
  /**
   * OpenSSL-style list separated by ':'. IANA suite names (TLS_AES_128_GCM_SHA256) and the OpenSSL
   * names of TLS 1.2 AEAD suites are used; OpenSSL keywords (DEFAULT, HIGH, !aNULL, ...) are ignored.
   */
  readonly ciphers?: string;
  /** Groups separated by ':' (X25519, X448, P-256, P-384, P-521, X25519MLKEM768, prime256v1, ...), or 'auto'. */
  readonly ecdhCurve?: string;
  /** Signature schemes separated by ':' (IANA names such as ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256). */
  readonly sigalgs?: string;
  /** Crypto backend (not a node:tls option). Default: @tls-kit/crypto/default. */
  readonly provider?: CryptoProvider;
  /**
   * node:net's allowHalfOpen: the writable side stays open after the peer's close_notify (TLS 1.3
   * half-close) until end() is called. Default false: it ends after what was already written.
   */
  readonly allowHalfOpen?: boolean;
}

const textOf = (input: string | Uint8Array): string =>
  typeof input === 'string' ? input : new TextDecoder().decode(input);

function pemText(input: PemInput): string {
  if (typeof input === 'string' || input instanceof Uint8Array) return textOf(input);
  return input.map(textOf).join('\n');
}

/**
 * Trust stores loaded from PEM, by the PEM text, most recently used last: connect() builds its
 * engine per connection, and the same roots as the same objects let the engine's verified-issuer
 * cache hit (as node:tls reuses a SecureContext). TrustStore is immutable.
 */
const pemTrustStores = new Map<string, TrustStore>();
const PEM_TRUST_STORES = 16;

export function trustStoreFrom(ca: SecureContextOptions['ca']): TrustStore | undefined {
  if (ca === undefined) return undefined;
  if (ca instanceof TrustStore) return ca;
  if (Array.isArray(ca) && ca.length > 0 && typeof ca[0] === 'object' && !(ca[0] instanceof Uint8Array)) {
    return new TrustStore(ca as readonly Certificate[]);
  }
  const pem = pemText(ca as PemInput);
  const known = pemTrustStores.get(pem);
  pemTrustStores.delete(pem);
  const store = known ?? new TrustStore(loadCertificatesPem(pem));
  pemTrustStores.set(pem, store);
  if (pemTrustStores.size > PEM_TRUST_STORES) pemTrustStores.delete(pemTrustStores.keys().next().value!);
  return store;
}

/** `cert` + `key` -> the chain with its leaf's key, or undefined when neither is given. */
export function chainFrom(options: SecureContextOptions): Certificate[] | undefined {
  if (options.cert === undefined && options.key === undefined) return undefined;
  if (options.cert === undefined || options.key === undefined) {
    throw new TLSUsageError('cert and key must be given together');
  }
  return loadCertificateChainPem(pemText(options.cert), {
    key: pemText(options.key),
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  });
}

/** A certificate set for one server name, as SNICallback answers it (node: a SecureContext). */
export interface SecureContext {
  readonly chain: readonly Certificate[];
}

/** node:tls createSecureContext, for SNICallback answers: `cert` and `key` (and `passphrase`) loaded once. */
export function createSecureContext(
  options: Pick<SecureContextOptions, 'cert' | 'key' | 'passphrase' | 'provider'>,
): SecureContext {
  const chain = chainFrom(options);
  if (!chain) throw new TLSUsageError('createSecureContext needs cert and key');
  return { chain: new ServerCertificateChain(chain).chain };
}

const VERSION_ORDER: readonly TLSVersion[] = ['TLSv1.3', 'TLSv1.2'];

function versionsFrom(min: TLSVersion | undefined, max: TLSVersion | undefined): TLSVersion[] | undefined {
  if (min === undefined && max === undefined) return undefined;
  for (const v of [min, max]) {
    if (v !== undefined && !VERSION_ORDER.includes(v))
      throw new TLSUsageError(`unsupported TLS version ${v}`);
  }
  const rank = (v: TLSVersion) => VERSION_ORDER.length - VERSION_ORDER.indexOf(v);
  const list = VERSION_ORDER.filter(
    (v) => (min === undefined || rank(v) >= rank(min)) && (max === undefined || rank(v) <= rank(max)),
  );
  if (list.length === 0) throw new TLSUsageError(`minVersion ${min} is above maxVersion ${max}`);
  return list;
}

/** OpenSSL's names for the TLS 1.2 AEAD suites (the TLS 1.3 suites use their IANA names there too). */
const OPENSSL_SUITE_NAMES: Record<string, string> = {
  'ECDHE-ECDSA-AES128-GCM-SHA256': 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384': 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305': 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305': 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'DHE-RSA-AES128-GCM-SHA256': 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'DHE-RSA-AES256-GCM-SHA384': 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
};

/** OpenSSL keywords and operators ("DEFAULT", "HIGH", "!aNULL", "@SECLEVEL=2"): not suite names. */
const OPENSSL_KEYWORD = /^[!+\-@]|^[A-Za-z0-9]+$/;

/** A ':' (or ',') separated list of suite names -> IANA names; undefined for "the defaults". */
function cipherSuitesFrom(ciphers: string | undefined): string[] | undefined {
  if (ciphers === undefined) return undefined;
  const names: string[] = [];
  for (const token of ciphers.split(/[:,\s]+/)) {
    if (token === '' || OPENSSL_KEYWORD.test(token)) continue;
    const name = token.startsWith('TLS_') ? token : OPENSSL_SUITE_NAMES[token];
    if (!name) throw new TLSUsageError(`unsupported cipher suite "${token}"`);
    names.push(name);
  }
  // Only keywords: the engine's defaults are already the AEAD, forward-secret suites.
  return names.length === 0 ? undefined : names;
}

const GROUP_ALIASES: Record<string, NamedGroupName> = {
  x25519: 'x25519',
  x448: 'x448',
  'p-256': 'secp256r1',
  prime256v1: 'secp256r1',
  secp256r1: 'secp256r1',
  'p-384': 'secp384r1',
  secp384r1: 'secp384r1',
  'p-521': 'secp521r1',
  secp521r1: 'secp521r1',
  x25519mlkem768: 'x25519mlkem768',
  ffdhe2048: 'ffdhe2048',
  ffdhe3072: 'ffdhe3072',
};

/** "X25519:P-256" -> ['x25519', 'secp256r1']; 'auto' and undefined -> the engine's defaults. */
function groupsFrom(list: string | undefined): NamedGroupName[] | undefined {
  if (list === undefined || list.toLowerCase() === 'auto') return undefined;
  return list
    .split(/[:,\s]+/)
    .filter((t) => t !== '')
    .map((t) => {
      const alias = t.toLowerCase();
      const group = Object.hasOwn(GROUP_ALIASES, alias) ? GROUP_ALIASES[alias] : undefined;
      if (!group) {
        throw new TLSUsageError(
          `unknown group "${t}" (known: X25519, X448, P-256, P-384, P-521, X25519MLKEM768, ffdhe2048, ffdhe3072)`,
        );
      }
      return group;
    });
}

/** The display name of an engine group name, as OpenSSL prints it. */
export function groupDisplayName(group: string | undefined): string | undefined {
  const names: Record<string, string> = {
    x25519: 'X25519',
    x448: 'X448',
    secp256r1: 'P-256',
    secp384r1: 'P-384',
    secp521r1: 'P-521',
    x25519mlkem768: 'X25519MLKEM768',
  };
  return group === undefined ? undefined : (names[group] ?? group);
}

function sigalgsFrom(list: string | undefined): SignatureSchemeName[] | undefined {
  if (list === undefined) return undefined;
  return list.split(/[:,\s]+/).filter((t) => t !== '') as SignatureSchemeName[];
}

/** The engine options common to both roles. */
export function commonOptionsFrom(options: SecureContextOptions): CommonOptions {
  const versions = versionsFrom(options.minVersion, options.maxVersion);
  const cipherSuites = cipherSuitesFrom(options.ciphers);
  const groups = groupsFrom(options.ecdhCurve);
  const signatureSchemes = sigalgsFrom(options.sigalgs);
  return {
    ...(options.provider ? { provider: options.provider } : {}),
    ...(versions ? { versions } : {}),
    ...(cipherSuites ? { cipherSuites } : {}),
    ...(groups ? { groups } : {}),
    ...(signatureSchemes ? { signatureSchemes } : {}),
    ...(options.ALPNProtocols ? { alpnProtocols: [...options.ALPNProtocols] } : {}),
    // The peer's close_notify ends only our readable side (RFC 8446 §6.1), as in node:tls.
    halfClose: true,
  };
}
