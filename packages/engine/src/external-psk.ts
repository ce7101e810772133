// External (out-of-band) PSKs for TLS 1.3 (RFC 8446 §4.2.11, §7.1 "ext binder"; RFC 9257): the
// client's option and the server's callback answer, checked the same way.
import type { HashAlgorithm } from '@tls-kit/crypto';
import { TLSUsageError } from './errors.js';

/** A key shared out of band, and the hash it is used with. */
export interface ExternalPskKey {
  /** At least 16 bytes (RFC 9257 §4: at least 128 bits of entropy). */
  readonly key: Uint8Array;
  /** The hash it is used with (RFC 8446 §4.2.11). Default 'sha256'. */
  readonly hash?: 'sha256' | 'sha384';
}

/** ClientOptions.psk. */
export interface ExternalPskOption extends ExternalPskKey {
  /** Sent in the clear (RFC 9257 §6: it may identify the client to an observer). A string is UTF-8. */
  readonly identity: Uint8Array | string;
}

/** ServerOptions.pskCallback: the key for a client's identity, or undefined if unknown. */
export type PskCallback = (identity: Uint8Array) => ExternalPskKey | undefined;

export interface ExternalPsk {
  readonly identity: Uint8Array;
  readonly key: Uint8Array;
  readonly hash: HashAlgorithm;
}

/** Checks ClientOptions.psk and copies it (the caller's buffers may change later). */
export function resolveExternalPsk(option: ExternalPskOption): ExternalPsk {
  if (typeof option !== 'object' || option === null) throw new TLSUsageError('psk must be an object');
  const { identity } = option;
  const id = typeof identity === 'string' ? new TextEncoder().encode(identity) : identity;
  // RFC 8446 §4.2.11: opaque identity<1..2^16-1>.
  if (!(id instanceof Uint8Array) || id.length === 0 || id.length > 0xffff)
    throw new TLSUsageError('psk.identity must be 1 to 65535 bytes');
  return { identity: id.slice(), ...checkPskKey(option, 'psk') };
}

/** Checks a key and its hash (ClientOptions.psk, a pskCallback answer); returns a copy. */
export function checkPskKey(psk: ExternalPskKey, what: string): { key: Uint8Array; hash: HashAlgorithm } {
  if (typeof psk !== 'object' || psk === null) throw new TLSUsageError(`${what} must be an object`);
  const { key } = psk;
  const hash = psk.hash ?? 'sha256';
  if (!(key instanceof Uint8Array) || key.length < 16)
    throw new TLSUsageError(`${what}.key must be a Uint8Array of at least 16 bytes (RFC 9257 §4)`);
  if (hash !== 'sha256' && hash !== 'sha384')
    throw new TLSUsageError(`${what}.hash must be 'sha256' or 'sha384'`);
  return { key: key.slice(), hash };
}
