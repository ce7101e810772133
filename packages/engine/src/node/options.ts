// node:tls option names -> engine options. Only the options that have a meaning for this engine
// are accepted; each is translated here once, for the client and the server alike.
import { readFileSync } from 'node:fs';
import {
  Certificate,
  CertificateRevocationList,
  certificateDersFromPem,
  encodePem,
  loadCertificateChainPem,
  loadCertificatesPem,
  loadPrivateKeyDer,
  NoLeafCertificateError,
  PrivateKeyMismatchError,
  type Profile,
  readPkcs12,
  ServerCertificateChain,
  TrustStore,
} from '@tls-kit/certs';
import type { CryptoProvider, NamedGroupName, SignatureSchemeName } from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import type { CommonOptions, TLSVersion } from '../config.js';
import { TLSUsageError } from '../errors.js';
import { suite12ByName, suiteByName } from '../suites.js';
import { invalidArgType, nodeError } from './errors.js';

const suiteKnown = (name: string) => suiteByName(name) !== undefined || suite12ByName(name) !== undefined;

/** PEM text as node:tls takes it: a string, a Buffer (any ArrayBufferView, or an ArrayBuffer), or a list of them. */
export type PemInput = PemPiece | readonly PemPiece[];
type PemPiece = string | ArrayBufferView | ArrayBuffer;

/** node:tls' `key` entry with its own passphrase. */
export interface KeyEntry {
  readonly pem: PemPiece;
  readonly passphrase?: string | Uint8Array;
}

/** The node:tls SecureContext options that map onto the engine. */
export interface SecureContextOptions {
  /** Trusted CA certificates (PEM, or parsed Certificates / a TrustStore). Default: Node's bundled roots. */
  readonly ca?: PemInput | readonly Certificate[] | TrustStore;
  /**
   * CRLs, PEM or DER, one or many (node:tls' `crl`). As in node:tls, once given, every
   * certificate of the peer's chain but the root needs a CRL of its issuer (CRL_CHECK_ALL).
   */
  readonly crl?: PemInput;
  /**
   * Path validation profile (not a node:tls option). Default 'rfc5280', what node:tls (OpenSSL)
   * accepts from private PKIs (leaves without EKU, for example); 'webpki' adds the CA/B Forum
   * Baseline Requirements.
   */
  readonly profile?: Profile;
  /** Our certificate chain, leaf first, as PEM (the whole chain is sent). */
  readonly cert?: PemInput;
  /**
   * The private key of `cert`'s leaf: PKCS#8, PKCS#1 or SEC1 PEM, plain or encrypted (see
   * `passphrase`), or node's `[{ pem, passphrase }]` (one key).
   */
  readonly key?: PemInput | readonly KeyEntry[];
  /** A PKCS#12 (RFC 7292) file holding the key and chain, decrypted with `passphrase`. */
  readonly pfx?: PemPiece | readonly (PemPiece | { buf: PemPiece; passphrase?: string })[];
  /**
   * Decrypts an encrypted `key` ("ENCRYPTED PRIVATE KEY" PBES2, or legacy OpenSSL PEM with DEK-Info);
   * a string is its UTF-8 bytes, as in node:tls. Ignored when the key is not encrypted.
   */
  readonly passphrase?: string | Uint8Array;
  /** ALPN protocol names, in preference order. */
  readonly ALPNProtocols?: readonly string[];
  /** 'TLSv1.2' / 'TLSv1.3'; 'TLSv1' and 'TLSv1.1' mean "the lowest we have" (TLS 1.2). */
  readonly minVersion?: string;
  readonly maxVersion?: string;
  /**
   * OpenSSL-style list separated by ':'. IANA suite names (TLS_AES_128_GCM_SHA256) and the OpenSSL
   * names of TLS 1.2 AEAD suites are used; OpenSSL keywords (DEFAULT, HIGH, !aNULL, ...) are ignored.
   */
  readonly ciphers?: string;
  /** Groups separated by ':' (X25519, X448, P-256, P-384, P-521, X25519MLKEM768, prime256v1, ...), or 'auto'. */
  readonly ecdhCurve?: string;
  /**
   * Signature schemes separated by ':': IANA names (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256)
   * or OpenSSL's (ECDSA+SHA256, RSA-PSS+SHA256, RSA+SHA256, ed25519).
   */
  readonly sigalgs?: string;
  /** Crypto backend (not a node:tls option). Default: @tls-kit/crypto/default. */
  readonly provider?: CryptoProvider;
  /**
   * node:net's allowHalfOpen: the writable side stays open after the peer's close_notify (TLS 1.3
   * half-close) until end() is called. Default false: it ends after what was already written.
   */
  readonly allowHalfOpen?: boolean;
}

function bytesOf(input: PemPiece, name: string): Uint8Array {
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw invalidArgType(name, 'of type string or an instance of Buffer, TypedArray, or DataView', input);
}

const textOf = (input: PemPiece, name: string): string =>
  typeof input === 'string' ? input : new TextDecoder().decode(bytesOf(input, name));

function pemText(input: PemInput, name: string): string {
  if (Array.isArray(input)) return (input as readonly PemPiece[]).map((p) => textOf(p, name)).join('\n');
  return textOf(input as PemPiece, name);
}

/**
 * Trust stores loaded from PEM, by the PEM text, most recently used last: connect() builds its
 * engine per connection, and the same roots as the same objects let the engine's verified-issuer
 * cache hit (as node:tls reuses a SecureContext). TrustStore is immutable.
 */
const pemTrustStores = new Map<string, TrustStore>();
const PEM_TRUST_STORES = 16;

/** The trust store of `ca`; without one, NODE_EXTRA_CA_CERTS added to Node's roots, as node:tls does. */
export function trustStoreFrom(ca: SecureContextOptions['ca']): TrustStore | undefined {
  if (ca === undefined) return extraCaStore();
  if (ca instanceof TrustStore) return ca;
  if (Array.isArray(ca) && ca.length > 0 && ca.every((c) => c instanceof Certificate)) {
    return new TrustStore(ca as readonly Certificate[]);
  }
  const pem = pemText(ca as PemInput, 'options.ca');
  const known = pemTrustStores.get(pem);
  pemTrustStores.delete(pem);
  const store = known ?? new TrustStore(loadCertificatesPem(pem));
  pemTrustStores.set(pem, store);
  if (pemTrustStores.size > PEM_TRUST_STORES) pemTrustStores.delete(pemTrustStores.keys().next().value!);
  return store;
}

function crlsFrom(crl: PemInput): CertificateRevocationList[] {
  const list: readonly PemPiece[] = Array.isArray(crl) ? crl : [crl as PemPiece];
  return list.flatMap((item) =>
    CertificateRevocationList.load(typeof item === 'string' ? item : bytesOf(item, 'options.crl')),
  );
}

let extraCa: { file: string; store: TrustStore } | undefined;

/** Node's roots plus the file named by NODE_EXTRA_CA_CERTS (read once), or undefined without it. */
function extraCaStore(): TrustStore | undefined {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  if (extraCa?.file !== file) {
    let store = TrustStore.system();
    try {
      // Parsed when a verification reaches them, as the bundled roots are (start-up time).
      store = store.withDer(certificateDersFromPem(readFileSync(file, 'utf8')));
    } catch (error) {
      // As node: a warning, and the bundled roots alone.
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(error as Error).message}`);
    }
    extraCa = { file, store };
  }
  return extraCa.store;
}

type KeyText = { text: string; passphrase?: string | Uint8Array };

/**
 * The keys of `key` with their passphrases: one PEM (string or bytes), or node's list of keys,
 * each a PEM or a `{ pem, passphrase }` entry.
 */
function keysFrom(options: SecureContextOptions): KeyText[] {
  const key = options.key!;
  const entries = Array.isArray(key) ? (key as readonly unknown[]) : [key];
  return entries.map((e) => {
    const entry = typeof e === 'object' && e !== null && 'pem' in e ? (e as KeyEntry) : undefined;
    const text = textOf(entry ? entry.pem : (e as PemPiece), 'options.key');
    const passphrase = entry?.passphrase ?? options.passphrase;
    return passphrase !== undefined ? { text, passphrase } : { text };
  });
}

/**
 * node's `pfx`: one PKCS#12 file (or a list with one entry, `{ buf, passphrase }` allowed), read
 * by @tls-kit/certs' readPkcs12 (our own DER: OpenSSL 3's PBES2 files; the MAC is checked).
 */
function chainFromPfx(options: SecureContextOptions): Certificate[] {
  const list = Array.isArray(options.pfx) ? options.pfx : [options.pfx];
  if (list.length !== 1) throw new TLSUsageError('pfx: one PKCS#12 file is supported');
  const entry = list[0] as PemPiece | { buf: PemPiece; passphrase?: string };
  const isEntry = typeof entry === 'object' && entry !== null && 'buf' in entry;
  const file = isEntry ? entry.buf : entry;
  const passphrase = (isEntry ? entry.passphrase : undefined) ?? options.passphrase ?? '';
  const bytes =
    typeof file === 'string' ? new Uint8Array(Buffer.from(file, 'latin1')) : bytesOf(file, 'options.pfx');
  const { certificates, privateKeys } = readPkcs12(bytes, passphrase);
  if (privateKeys.length !== 1)
    throw new TLSUsageError(`pfx: ${privateKeys.length} private keys where one belongs`);
  const provider = options.provider ?? defaultProvider;
  return loadCertificateChainPem(certificates.map((der) => encodePem('CERTIFICATE', der)).join(''), {
    key: loadPrivateKeyDer(privateKeys[0]!, provider),
    provider,
  });
}

/** `cert` + `key` (or `pfx`) -> the chain with its leaf's key, or undefined when none is given. */
export function chainFrom(options: SecureContextOptions): Certificate[] | undefined {
  const chains = chainsFrom(options);
  if (chains && chains.length > 1)
    throw new TLSUsageError('key: one private key is supported here, not several');
  return chains?.[0];
}

/**
 * `cert` + `key` (or `pfx`) -> a chain per key, or undefined when none is given. Several keys
 * (node's `key: [rsaKey, ecKey]`, `cert: [rsaCert, ecCert]`) each get the `cert` entry whose leaf
 * they match, as OpenSSL pairs them by key, not by position.
 */
export function chainsFrom(options: SecureContextOptions): Certificate[][] | undefined {
  if (options.pfx !== undefined) return [chainFromPfx(options)];
  if (options.cert === undefined && options.key === undefined) return undefined;
  if (options.cert === undefined || options.key === undefined) {
    throw new TLSUsageError('cert and key must be given together');
  }
  const provider = options.provider ? { provider: options.provider } : {};
  const keys = keysFrom(options);
  const load = (certText: string, key: KeyText) =>
    loadCertificateChainPem(certText, {
      key: key.text,
      ...(key.passphrase !== undefined ? { passphrase: key.passphrase } : {}),
      ...provider,
    });
  const certText = pemText(options.cert, 'options.cert');
  if (keys.length === 1) return [load(certText, keys[0]!)];
  const certs = Array.isArray(options.cert)
    ? (options.cert as readonly PemPiece[]).map((p) => textOf(p, 'options.cert'))
    : [certText];
  return keys.map((key, index) => {
    let mismatch: unknown;
    for (const text of certs) {
      try {
        return load(text, key);
      } catch (error) {
        // Not this key's certificate: its leaf has another key (or, CA:TRUE alone, none matches).
        if (!(error instanceof PrivateKeyMismatchError || error instanceof NoLeafCertificateError))
          throw error;
        mismatch = error;
      }
    }
    throw mismatch ?? new TLSUsageError(`key ${index}: no cert entry for it`);
  });
}

/**
 * node:tls' SecureContext: what createSecureContext loaded once, for the `secureContext` option,
 * SNICallback answers and addContext. `chain` is null for a context without cert and key.
 */
export interface SecureContext {
  readonly chain: readonly Certificate[] | null;
  /** A chain per key (node's `key`/`cert` lists), `chain` first; empty without cert and key. */
  readonly chains: readonly (readonly Certificate[])[];
  /** The trust store of its `ca`, when one was given (client certificates for SNI contexts). */
  readonly ca: TrustStore | undefined;
  /** The options it was made from (versions, ciphers...), applied with it. */
  readonly options: SecureContextOptions;
  /** node:tls exposes the native context here; this one is the context itself. */
  readonly context: SecureContext;
}

/** node:tls createSecureContext: `cert`/`key` (or `pfx`) and `ca` loaded once; every part is optional. */
export function createSecureContext(options: SecureContextOptions = {}): SecureContext {
  const chains = (chainsFrom(options) ?? []).map((chain) => new ServerCertificateChain(chain).chain);
  const context: { -readonly [K in keyof SecureContext]: SecureContext[K] } = {
    chain: chains[0] ?? null,
    chains,
    ca: options.ca === undefined ? undefined : trustStoreFrom(options.ca),
    options,
    context: undefined as unknown as SecureContext,
  };
  context.context = context;
  commonOptionsFrom(options); // bad versions, ciphers or groups fail here, as in node:tls
  return context;
}

/** `options` with a `secureContext`'s own options in place of the connection's, as node:tls uses it. */
export function withSecureContext<T extends SecureContextOptions & { secureContext?: SecureContext }>(
  options: T,
): T {
  const context = options.secureContext;
  if (context === undefined) return options;
  if (typeof context !== 'object' || context === null || !('options' in context)) {
    throw invalidArgType('options.secureContext', 'an instance of SecureContext', context);
  }
  const { cert: _c, key: _k, pfx: _p, ca: _a, passphrase: _s, ...rest } = options;
  return { ...rest, ...context.options } as T;
}

const VERSION_ORDER: readonly TLSVersion[] = ['TLSv1.3', 'TLSv1.2'];

/** node's version names; the ones below TLS 1.2 are accepted as minimums meaning "the lowest we have". */
function versionOf(v: string | undefined, which: 'minimum' | 'maximum'): TLSVersion | undefined {
  if (v === undefined) return undefined;
  if (v === 'TLSv1.3' || v === 'TLSv1.2') return v;
  if (v === 'TLSv1' || v === 'TLSv1.1') {
    if (which === 'minimum') return 'TLSv1.2';
    throw new TLSUsageError(`maxVersion ${v}: versions below TLS 1.2 are not implemented`);
  }
  throw nodeError(
    'ERR_TLS_INVALID_PROTOCOL_VERSION',
    `${String(v)} is not a valid ${which} TLS protocol version`,
    undefined,
    TypeError,
  );
}

function versionsFrom(minName: string | undefined, maxName: string | undefined): TLSVersion[] | undefined {
  const min = versionOf(minName, 'minimum');
  const max = versionOf(maxName, 'maximum');
  if (min === undefined && max === undefined) return undefined;
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

/** OpenSSL cipher-string keywords that select suites we have (others select none of ours). */
const OPENSSL_KEYWORDS = new Set(
  'DEFAULT ALL HIGH MEDIUM COMPLEMENTOFDEFAULT COMPLEMENTOFALL ECDHE EECDH ECDH DHE EDH kECDHE kEECDH kDHE kEDH aRSA aECDSA ECDSA RSA AES AES128 AES256 AESGCM CHACHA20 SHA256 SHA384 TLSv1.2 TLSv1.3 SUITEB128 SUITEB192'.split(
    ' ',
  ),
);

/**
 * A ':' (or ',') separated list of suite names -> IANA names; undefined for "the defaults".
 * As OpenSSL, names it does not know are skipped; a list that selects nothing at all is node's
 * ERR_SSL_NO_CIPHER_MATCH.
 */
function cipherSuitesFrom(ciphers: string | undefined): string[] | undefined {
  if (ciphers === undefined) return undefined;
  if (typeof ciphers !== 'string') throw invalidArgType('options.ciphers', 'of type string', ciphers);
  const names: string[] = [];
  let keywords = 0;
  for (const token of ciphers.split(/[:,\s]+/)) {
    if (token === '' || /^[!\-@]/.test(token)) continue;
    const bare = token.replace(/^\+/, '');
    if (bare.split('+').every((k) => OPENSSL_KEYWORDS.has(k))) {
      keywords++;
      continue;
    }
    const name = bare.startsWith('TLS_') ? bare : OPENSSL_SUITE_NAMES[bare];
    if (name && suiteKnown(name)) names.push(name);
  }
  if (names.length === 0 && keywords === 0) {
    throw nodeError('ERR_SSL_NO_CIPHER_MATCH', 'error:0A0000B9:SSL routines::no cipher match', {
      library: 'SSL routines',
      reason: 'no cipher match',
    });
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

/** OpenSSL's signature algorithm names (SSL_CONF "SignatureAlgorithms") -> IANA names. */
const OPENSSL_SIGALGS: Record<string, SignatureSchemeName> = {
  'RSA-PSS+SHA256': 'rsa_pss_rsae_sha256',
  'RSA-PSS+SHA384': 'rsa_pss_rsae_sha384',
  'RSA-PSS+SHA512': 'rsa_pss_rsae_sha512',
  'PSS+SHA256': 'rsa_pss_rsae_sha256',
  'PSS+SHA384': 'rsa_pss_rsae_sha384',
  'PSS+SHA512': 'rsa_pss_rsae_sha512',
  'RSA+SHA256': 'rsa_pkcs1_sha256',
  'RSA+SHA384': 'rsa_pkcs1_sha384',
  'RSA+SHA512': 'rsa_pkcs1_sha512',
  'RSA+SHA1': 'rsa_pkcs1_sha1',
  'ECDSA+SHA256': 'ecdsa_secp256r1_sha256',
  'ECDSA+SHA384': 'ecdsa_secp384r1_sha384',
  'ECDSA+SHA512': 'ecdsa_secp521r1_sha512',
  'ECDSA+SHA1': 'ecdsa_sha1',
  ED25519: 'ed25519',
};

/**
 * A scheme as node:tls' getSharedSigalgs() writes it, OpenSSL's "signature+hash" (SSL_get_shared_sigalgs):
 * "RSA-PSS+SHA256" for both RSA-PSS kinds, "ECDSA+SHA384", "RSA+SHA256", "Ed25519+UNDEF" (no hash).
 */
export function opensslSigalgName(scheme: SignatureSchemeName): string {
  const hash = /_(sha\d+)$/.exec(scheme)?.[1]?.toUpperCase() ?? 'UNDEF';
  if (scheme.startsWith('rsa_pss_')) return `RSA-PSS+${hash}`;
  if (scheme.startsWith('rsa_pkcs1_')) return `RSA+${hash}`;
  if (scheme.startsWith('ecdsa_')) return `ECDSA+${hash}`;
  return scheme === 'ed25519' ? 'Ed25519+UNDEF' : scheme;
}

function sigalgsFrom(list: string | undefined): SignatureSchemeName[] | undefined {
  if (list === undefined) return undefined;
  return list
    .split(/[:,\s]+/)
    .filter((t) => t !== '')
    .map((t) => OPENSSL_SIGALGS[t.toUpperCase()] ?? (t as SignatureSchemeName));
}

/** node:tls options documented there that this adapter does not implement: refused, not ignored. */
const NOT_IMPLEMENTED: Record<string, string> = {
  privateKeyEngine: 'OpenSSL engines are not supported',
  privateKeyIdentifier: 'OpenSSL engines are not supported',
  clientCertEngine: 'OpenSSL engines are not supported',
  dhparam: 'dhparam: the ffdhe groups of RFC 7919 are used (ecdhCurve "ffdhe2048:ffdhe3072")',
  secureProtocol: 'secureProtocol is not implemented: use minVersion / maxVersion',
};

function refuseNotImplemented(options: object): void {
  for (const [name, why] of Object.entries(NOT_IMPLEMENTED)) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined && value !== false) throw new TLSUsageError(why);
  }
}

/** node:tls' verification when no profile or CRL is given: shared by the connections. */
const DEFAULT_VERIFICATION = Object.freeze({ profile: 'rfc5280' as const });

/** The engine options common to both roles. */
export function commonOptionsFrom(options: SecureContextOptions): CommonOptions {
  refuseNotImplemented(options);
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
    verification:
      options.profile === undefined && options.crl === undefined
        ? DEFAULT_VERIFICATION
        : {
            profile: options.profile ?? 'rfc5280',
            ...(options.crl === undefined ? {} : { crls: crlsFrom(options.crl), crlCheck: 'chain' as const }),
          },
  };
}
