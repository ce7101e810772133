// Options of ClientTLS / ServerTLS beyond the design's parameters, their safe defaults, and the
// resolved configuration the handshakes read.

import {
  type Certificate,
  CertificateCache,
  type CertificateRevocationList,
  type CrlCheck,
  type Profile,
} from '@tls-kit/certs';
import {
  type CryptoProvider,
  type NamedGroupName,
  SIGNATURE_SCHEMES,
  type SignatureSchemeName,
} from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import { GROUP_CODES, TLS13_SIGNATURE_SCHEMES } from './algorithms.js';
import { TLSUsageError } from './errors.js';
import { MAX_PLAINTEXT } from './protocol.js';
import {
  type CipherSuite,
  suite12ByName,
  suiteByName,
  TLS12_SUITES,
  TLS13_SUITES,
  type Tls12CipherSuite,
} from './suites.js';

export type TLSVersion = 'TLSv1.3' | 'TLSv1.2';

/**
 * A hostname check replacing the built-in one (RFC 9525), as node:tls' checkServerIdentity: it
 * gets the name and the validated chain (leaf first) and returns an Error to refuse the chain.
 */
export type CheckServerIdentity = (hostname: string, chain: readonly Certificate[]) => Error | undefined;

/** How the peer's chain is validated (@tls-kit/certs' verifyChain options). */
export interface VerificationOptions {
  /**
   * 'webpki' (RFC 5280 and the CA/B Forum Baseline Requirements) or 'rfc5280' (private PKIs).
   * Default: 'webpki' for a server's chain (ClientTLS), 'rfc5280' for a client's (ServerTLS).
   */
  readonly profile?: Profile;
  /** CRLs to check the chain against (RFC 5280 §6.3); see crlCheck. */
  readonly crls?: readonly CertificateRevocationList[];
  /** 'leaf' / 'chain': a CRL of the issuer is required. Default: checked where one is given. */
  readonly crlCheck?: CrlCheck;
  /** Most intermediates between the peer's leaf and the trust anchor. Default 8. */
  readonly maxChainDepth?: number;
}

/** Options shared by ClientTLS and ServerTLS. */
export interface CommonOptions {
  /** Crypto backend; defaults to @tls-kit/crypto/default (node:crypto under Node). */
  readonly provider?: CryptoProvider;
  /** Protocol versions to negotiate. Default: ['TLSv1.3', 'TLSv1.2']. */
  readonly versions?: readonly TLSVersion[];
  /**
   * Cipher suite names in preference order (the design's cipher_suites), TLS 1.3 and TLS 1.2 names
   * mixed. Default: the three TLS 1.3 suites and TLS12_SUITES.
   */
  readonly cipherSuites?: readonly string[];
  /** supported_groups in preference order. Client default: x25519mlkem768, x25519, secp256r1,
   * secp384r1 (a short offer); server default: those, then every other group the provider supports
   * (x448, secp521r1, ffdhe2048/3072/4096), so that any client finds one. */
  readonly groups?: readonly NamedGroupName[];
  /** Signature schemes we accept from the peer and may use ourselves, in preference order. */
  readonly signatureSchemes?: readonly SignatureSchemeName[];
  /** ALPN protocol names in preference order (RFC 7301). Default: none. */
  readonly alpnProtocols?: readonly string[];
  /** Milliseconds since the epoch; drives certificate validity and ticket ages. Default: Date.now. */
  readonly clock?: () => number;
  /** record_size_limit we advertise (RFC 8449), 64..16385. Default 16385 (no limit beyond TLS's). */
  readonly recordSizeLimit?: number;
  /** Largest plaintext we put in one record (our own send-side limit). Default 16384. */
  readonly maxFragmentSize?: number;
  /** Called with NSS key log lines (SSLKEYLOGFILE format) so tools like Wireshark can decrypt. */
  readonly keyLog?: (line: string) => void;
  /**
   * Records one TLS 1.3 key may protect before we send a KeyUpdate on our own (RFC 8446 §5.5 puts
   * AES-GCM's limit near 2^24.5 full records). Default 2^24.
   */
  readonly keyUpdateAfterRecords?: number;
  /** Pad protected records to a multiple of this many bytes (RFC 8446 §5.4). Default 0: no padding. */
  readonly recordPadding?: number;
  /** Send a dummy change_cipher_spec and a legacy session id (RFC 8446 §D.4). Default true. */
  readonly middleboxCompatibility?: boolean;
  /** Bytes of input that may wait unprocessed while a certificate callback is pending. Default 256 KiB. */
  readonly maxBufferedInput?: number;
  /** Largest handshake message accepted. Default 256 KiB. */
  readonly maxHandshakeMessageSize?: number;
  /** Bytes dataFromApplication may queue before the handshake completes. Default 1 MiB. */
  readonly maxQueuedApplicationData?: number;
  /**
   * Default true: a peer chain that fails validation (path, validity, usage, hostname) aborts the
   * handshake with the matching alert. false ("report" mode): the handshake goes on and
   * `Connection.peerVerification` tells why the chain is not trusted. The CertificateVerify
   * signature and the Finished checks stay mandatory in every mode. Server: client certificates.
   */
  readonly rejectUnauthorized?: boolean;
  /** Validation of the peer's chain: profile, CRLs, depth. */
  readonly verification?: VerificationOptions;
  /**
   * TLS 1.3 half-close (RFC 8446 §6.1). Default false (the design's close semantics: the peer's close_notify is
   * answered at once). true: the peer's close_notify only ends the read side (`ended`, `onEnd`,
   * state 'peerClosed'); we may go on sending until `applicationFinished()` sends our close_notify
   * and calls `wireClose(false)`. TLS 1.2 always answers at once (RFC 5246 §7.2.1).
   */
  readonly halfClose?: boolean;
  /** Test hook: randomness for hello randoms and session ids (e.g. to replay RFC 8448). */
  readonly random?: (length: number) => Uint8Array;
  /** Test hook: fixed key-share private keys per group (e.g. to replay RFC 8448). */
  readonly keySharePrivateKeys?: Partial<Record<NamedGroupName, Uint8Array>>;
}

export interface ResolvedConfig {
  readonly provider: CryptoProvider;
  readonly versions: readonly TLSVersion[];
  readonly suites: readonly CipherSuite[];
  /** The TLS 1.2 suites of `cipherSuites`. */
  readonly suites12: readonly Tls12CipherSuite[];
  readonly groups: readonly NamedGroupName[];
  readonly signatureSchemes: readonly SignatureSchemeName[];
  readonly alpnProtocols: readonly string[];
  readonly clock: () => number;
  readonly recordSizeLimit: number;
  readonly maxFragmentSize: number;
  readonly keyLog: ((line: string) => void) | undefined;
  readonly middleboxCompatibility: boolean;
  readonly recordPadding: number;
  readonly keyUpdateAfterRecords: number;
  readonly maxBufferedInput: number;
  readonly maxHandshakeMessageSize: number;
  readonly maxQueuedApplicationData: number;
  readonly random: (length: number) => Uint8Array;
  readonly keySharePrivateKeys: Partial<Record<NamedGroupName, Uint8Array>>;
  readonly rejectUnauthorized: boolean;
  readonly verification: VerificationOptions;
  readonly halfClose: boolean;
  /** Client only (ClientOptions.checkServerIdentity): replaces the built-in hostname check. */
  readonly checkServerIdentity?: CheckServerIdentity;
  /**
   * Peer certificates parsed earlier, by their exact bytes: a chain seen again reuses its parsed
   * objects and so its verified signatures (PEER_CERTIFICATES).
   */
  readonly certificateCache: CertificateCache;
}

/**
 * Distinct peer certificates kept parsed, one cache for the process: what is kept is a pure
 * function of the bytes (imported keys and signature checks are further keyed by provider), and
 * the Node adapter builds a ClientTLS / ServerTLS per connection, whose own caches would never hit.
 */
const PEER_CERTIFICATES = new CertificateCache(64);

export const DEFAULT_GROUPS: readonly NamedGroupName[] = [
  'x25519mlkem768',
  'x25519',
  'secp256r1',
  'secp384r1',
];

/** The server takes any group we implement, the fast ones first (RFC 8446 §4.2.7: its order). */
export const DEFAULT_SERVER_GROUPS: readonly NamedGroupName[] = [
  ...DEFAULT_GROUPS,
  'x448',
  'secp521r1',
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
];

/** Certificates are also signed with PKCS#1 v1.5, which RFC 8446 §4.2.3 allows in certificates only. */
export const DEFAULT_SIGNATURE_SCHEMES: readonly SignatureSchemeName[] = [
  ...TLS13_SIGNATURE_SCHEMES,
  'rsa_pkcs1_sha256',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha512',
];

/**
 * `value` if it is one of `allowed`, else a TLSUsageError naming the option and the choices: a
 * typo such as clientAuth 'required' must not quietly mean something else.
 */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const choices = allowed.map((a) => `'${a}'`).join(', ');
  throw new TLSUsageError(`${what}: unknown value ${JSON.stringify(value)} (expected one of ${choices})`);
}

const TLS_VERSIONS: readonly TLSVersion[] = ['TLSv1.3', 'TLSv1.2'];
const GROUP_NAMES = Object.keys(GROUP_CODES) as NamedGroupName[];

/** RFC 7301 §3.1: protocol names are 1..255 bytes, the list at most 2^16-1 bytes. */
const NO_ALPN: readonly string[] = Object.freeze([]);

function alpnList(list: readonly string[] | undefined): readonly string[] {
  if (list === undefined) return NO_ALPN;
  let total = 0;
  for (const p of list) {
    // As strings, one character per byte (latin1), so the length is the byte count.
    if (typeof p !== 'string' || [...p].some((c) => c.charCodeAt(0) > 0xff)) {
      throw new TLSUsageError(`alpnProtocols: ${JSON.stringify(p)} is not a string of byte characters`);
    }
    if (p.length < 1 || p.length > 255) {
      throw new TLSUsageError(`alpnProtocols: "${p}" is ${p.length} bytes long (RFC 7301: 1..255)`);
    }
    total += 1 + p.length;
  }
  if (total > 0xffff) throw new TLSUsageError('alpnProtocols: the list is over 65535 bytes (RFC 7301 §3.1)');
  return list;
}

function nonEmpty<T>(list: readonly T[] | undefined, fallback: readonly T[], what: string): readonly T[] {
  if (list === undefined) return fallback;
  if (list.length === 0) throw new TLSUsageError(`${what} must not be empty`);
  return list;
}

function inRange(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  what: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TLSUsageError(`${what} must be an integer in ${min}..${max}`);
  }
  return value;
}

const DEFAULT_SUITE_NAMES = [...TLS13_SUITES, ...TLS12_SUITES].map((s) => s.name);

/** The suites of `names`, per version. */
function suitesNamed(names: readonly string[]): {
  suites: readonly CipherSuite[];
  suites12: readonly Tls12CipherSuite[];
} {
  const suites: CipherSuite[] = [];
  const suites12: Tls12CipherSuite[] = [];
  for (const name of names) {
    const suite = suiteByName(name);
    const suite12 = suite ? undefined : suite12ByName(name);
    if (suite) suites.push(suite);
    else if (suite12) suites12.push(suite12);
    else throw new TLSUsageError(`cipherSuites: unknown or unsupported cipher suite ${JSON.stringify(name)}`);
  }
  return { suites, suites12 };
}

/** The default suites, resolved once: shared by the configurations that do not name suites. */
const DEFAULT_SUITES = suitesNamed(DEFAULT_SUITE_NAMES);

/** No fixed key-share keys: one shared object, not one per connection. */
const NO_KEY_SHARE_KEYS: ResolvedConfig['keySharePrivateKeys'] = Object.freeze({});
const NO_VERIFICATION_OPTIONS: VerificationOptions = Object.freeze({});

/** A provider's randomBytes as a function, made once per provider instead of a closure per configuration. */
const randomOfProvider = new WeakMap<CryptoProvider, (length: number) => Uint8Array>();
function randomOf(provider: CryptoProvider): (length: number) => Uint8Array {
  let random = randomOfProvider.get(provider);
  if (random === undefined) {
    random = (n) => provider.randomBytes(n);
    randomOfProvider.set(provider, random);
  }
  return random;
}

/**
 * Equal configurations as one object. The Node adapter resolves a configuration per connection
 * (node:tls takes options per connect() call), and each connection keeps its own for its whole
 * life: one shared object instead. A configuration is read-only and holds no per-connection
 * state; two are equal when every list has the same names and every other field is the same
 * value or the same object. Entries are weak: a configuration no connection uses is collected.
 */
class ConfigInterner {
  /** Identities of the objects and functions a configuration refers to, for the key. */
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private readonly live = new Map<string, WeakRef<ResolvedConfig>>();
  private readonly collected = new FinalizationRegistry<string>((key) => {
    if (this.live.get(key)?.deref() === undefined) this.live.delete(key);
  });

  intern(config: ResolvedConfig): ResolvedConfig {
    const key = this.keyOf(config);
    const found = this.live.get(key)?.deref();
    if (found !== undefined) return found;
    // Its own frozen lists: a caller changing the arrays it passed must not change others' configurations.
    const own: ResolvedConfig = Object.freeze({
      ...config,
      versions: frozenCopy(config.versions),
      suites: frozenCopy(config.suites),
      suites12: frozenCopy(config.suites12),
      groups: frozenCopy(config.groups),
      signatureSchemes: frozenCopy(config.signatureSchemes),
      alpnProtocols: frozenCopy(config.alpnProtocols),
    });
    this.live.set(key, new WeakRef(own));
    this.collected.register(own, key);
    return own;
  }

  private id(value: object | undefined): number {
    if (value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(value, id);
    }
    return id;
  }

  /**
   * The names joined (none holds a comma or a space), the objects by identity, the numbers and
   * booleans as they are, and the ALPN names as JSON (any byte may be in one).
   */
  private keyOf(c: ResolvedConfig): string {
    return [
      this.id(c.provider),
      this.id(c.certificateCache),
      c.versions.join(),
      c.suites.map((s) => s.name).join(),
      c.suites12.map((s) => s.name).join(),
      c.groups.join(),
      c.signatureSchemes.join(),
      this.id(c.clock),
      c.recordSizeLimit,
      c.maxFragmentSize,
      this.id(c.keyLog),
      c.middleboxCompatibility,
      c.recordPadding,
      c.keyUpdateAfterRecords,
      c.maxBufferedInput,
      c.maxHandshakeMessageSize,
      c.maxQueuedApplicationData,
      this.id(c.random),
      this.id(c.keySharePrivateKeys),
      c.rejectUnauthorized,
      this.id(c.verification),
      c.halfClose,
      this.id(c.checkServerIdentity),
      // Last: the only part that may hold the separator.
      JSON.stringify(c.alpnProtocols),
    ].join(' ');
  }
}

/** A shared list unchanged, any other list copied and frozen. */
function frozenCopy<T>(list: readonly T[]): readonly T[] {
  return Object.isFrozen(list) ? list : Object.freeze([...list]);
}

const CONFIGS = new ConfigInterner();

/**
 * The configuration of `options`. `checkServerIdentity` (client only) is a parameter, not a later
 * spread, so that the result keeps one compact shape: it is kept by every connection.
 */
export function resolveConfig(
  options: CommonOptions,
  role: 'client' | 'server',
  checkServerIdentity?: CheckServerIdentity,
): ResolvedConfig {
  const provider = options.provider ?? defaultProvider;
  const { suites, suites12 } =
    options.cipherSuites === undefined
      ? DEFAULT_SUITES
      : suitesNamed(nonEmpty(options.cipherSuites, DEFAULT_SUITE_NAMES, 'cipherSuites'));
  const requested = nonEmpty<TLSVersion>(options.versions, TLS_VERSIONS, 'versions');
  for (const v of requested) oneOf(v, TLS_VERSIONS, 'versions');
  // A version without any of its suites is not offered.
  const offered = requested.filter((v) => (v === 'TLSv1.3' ? suites.length > 0 : suites12.length > 0));
  // The same list when nothing was dropped: no copy kept per configuration.
  const versions = offered.length === requested.length ? requested : offered;
  if (versions.length === 0) throw new TLSUsageError('no cipher suite for any enabled version');
  const groups = nonEmpty(
    options.groups,
    role === 'client' ? DEFAULT_GROUPS : DEFAULT_SERVER_GROUPS.filter((g) => provider.supportsGroup(g)),
    'groups',
  );
  for (const g of groups) {
    oneOf(g, GROUP_NAMES, 'groups');
    if (!provider.supportsGroup(g))
      throw new TLSUsageError(`provider ${provider.name} does not support ${g}`);
  }
  const alpnProtocols = alpnList(options.alpnProtocols);
  const signatureSchemes = nonEmpty(options.signatureSchemes, DEFAULT_SIGNATURE_SCHEMES, 'signatureSchemes');
  for (const s of signatureSchemes) oneOf(s, SIGNATURE_SCHEMES, 'signatureSchemes');
  return CONFIGS.intern({
    provider,
    certificateCache: PEER_CERTIFICATES,
    versions,
    suites,
    suites12,
    groups,
    signatureSchemes,
    alpnProtocols,
    clock: options.clock ?? Date.now,
    recordSizeLimit: inRange(
      options.recordSizeLimit,
      MAX_PLAINTEXT + 1,
      64,
      MAX_PLAINTEXT + 1,
      'recordSizeLimit',
    ),
    maxFragmentSize: inRange(options.maxFragmentSize, MAX_PLAINTEXT, 64, MAX_PLAINTEXT, 'maxFragmentSize'),
    keyLog: options.keyLog,
    middleboxCompatibility: options.middleboxCompatibility ?? true,
    keyUpdateAfterRecords: inRange(
      options.keyUpdateAfterRecords,
      2 ** 24,
      1,
      2 ** 48,
      'keyUpdateAfterRecords',
    ),
    recordPadding: inRange(options.recordPadding, 0, 0, MAX_PLAINTEXT, 'recordPadding'),
    maxBufferedInput: inRange(options.maxBufferedInput, 256 * 1024, 20 * 1024, 2 ** 30, 'maxBufferedInput'),
    maxHandshakeMessageSize: inRange(
      options.maxHandshakeMessageSize,
      256 * 1024,
      1024,
      2 ** 24 - 1,
      'maxHandshakeMessageSize',
    ),
    maxQueuedApplicationData: inRange(
      options.maxQueuedApplicationData,
      1 << 20,
      0,
      2 ** 31,
      'maxQueuedApplicationData',
    ),
    random: options.random ?? randomOf(provider),
    keySharePrivateKeys: options.keySharePrivateKeys ?? NO_KEY_SHARE_KEYS,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    verification: options.verification ?? NO_VERIFICATION_OPTIONS,
    halfClose: options.halfClose ?? false,
    checkServerIdentity,
  });
}
