// The cipher suites the engine implements. TLS 1.3 suites name only the AEAD and the hash
// (RFC 8446 §B.4); TLS 1.2 suites add their key exchange and authentication.
import type { AeadAlgorithm, HashAlgorithm } from '@tls-kit/crypto';

export interface Tls13CipherSuite {
  readonly version: 'TLSv1.3';
  readonly id: number;
  readonly name: string;
  readonly aead: AeadAlgorithm;
  readonly keyLength: number;
  readonly hash: HashAlgorithm;
  readonly hashLength: number;
}

export const TLS13_SUITES: readonly Tls13CipherSuite[] = [
  {
    version: 'TLSv1.3',
    id: 0x1301,
    name: 'TLS_AES_128_GCM_SHA256',
    aead: 'aes-128-gcm',
    keyLength: 16,
    hash: 'sha256',
    hashLength: 32,
  },
  {
    version: 'TLSv1.3',
    id: 0x1302,
    name: 'TLS_AES_256_GCM_SHA384',
    aead: 'aes-256-gcm',
    keyLength: 32,
    hash: 'sha384',
    hashLength: 48,
  },
  {
    version: 'TLSv1.3',
    id: 0x1303,
    name: 'TLS_CHACHA20_POLY1305_SHA256',
    aead: 'chacha20-poly1305',
    keyLength: 32,
    hash: 'sha256',
    hashLength: 32,
  },
];

export type CipherSuite = Tls13CipherSuite;

export function suiteById(id: number): CipherSuite | undefined {
  return TLS13_SUITES.find((s) => s.id === id);
}

export function suiteByName(name: string): CipherSuite | undefined {
  return TLS13_SUITES.find((s) => s.name === name);
}

// --- TLS 1.2 ---
// Only forward-secret AEAD suites: ECDHE/DHE with AES-GCM (RFC 5288, RFC 5289) and
// ChaCha20-Poly1305 (RFC 7905). Static RSA key exchange (no forward secrecy, Bleichenbacher) and
// CBC suites (Lucky13, padding oracles) are deliberately not implemented.

export type Tls12KeyExchange = 'ecdhe' | 'dhe';
/** 'ecdsa' covers EdDSA certificates too (RFC 8422 §5.1). */
export type Tls12Authentication = 'ecdsa' | 'rsa';

export interface Tls12CipherSuite {
  readonly version: 'TLSv1.2';
  readonly id: number;
  readonly name: string;
  readonly kx: Tls12KeyExchange;
  readonly auth: Tls12Authentication;
  readonly aead: AeadAlgorithm;
  readonly keyLength: number;
  /** Implicit IV bytes from the key block: 4 for GCM (RFC 5288 §3), 12 for ChaCha20 (RFC 7905 §2). */
  readonly fixedIvLength: number;
  /** Explicit nonce bytes carried in each record: 8 for GCM, 0 for ChaCha20. */
  readonly explicitNonceLength: number;
  /** The PRF hash (RFC 5246 §5; RFC 5289 §3 for the SHA384 suites). */
  readonly hash: HashAlgorithm;
}

function suite12(
  id: number,
  name: string,
  kx: Tls12KeyExchange,
  auth: Tls12Authentication,
  aead: AeadAlgorithm,
): Tls12CipherSuite {
  const gcm = aead !== 'chacha20-poly1305';
  return {
    version: 'TLSv1.2',
    id,
    name,
    kx,
    auth,
    aead,
    keyLength: aead === 'aes-128-gcm' ? 16 : 32,
    fixedIvLength: gcm ? 4 : 12,
    explicitNonceLength: gcm ? 8 : 0,
    hash: aead === 'aes-256-gcm' ? 'sha384' : 'sha256',
  };
}

/** Our TLS 1.2 preference order: ECDSA before RSA, AES-128-GCM, ChaCha20, AES-256-GCM, DHE last. */
export const TLS12_SUITES: readonly Tls12CipherSuite[] = [
  suite12(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ecdhe', 'ecdsa', 'aes-128-gcm'),
  suite12(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe', 'ecdsa', 'chacha20-poly1305'),
  suite12(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ecdhe', 'ecdsa', 'aes-256-gcm'),
  suite12(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ecdhe', 'rsa', 'aes-128-gcm'),
  suite12(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe', 'rsa', 'chacha20-poly1305'),
  suite12(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ecdhe', 'rsa', 'aes-256-gcm'),
  suite12(0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'dhe', 'rsa', 'aes-128-gcm'),
  suite12(0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'dhe', 'rsa', 'aes-256-gcm'),
];

export function suite12ById(id: number): Tls12CipherSuite | undefined {
  return TLS12_SUITES.find((s) => s.id === id);
}

export function suite12ByName(name: string): Tls12CipherSuite | undefined {
  return TLS12_SUITES.find((s) => s.name === name);
}
