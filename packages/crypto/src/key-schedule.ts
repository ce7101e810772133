// Key-schedule helpers built on a provider's HMAC/HKDF: TLS 1.3 (RFC 8446 §7.1) and the
// TLS 1.2 PRF (RFC 5246 §5).
import { concat, utf8 } from './bytes.js';
import { CryptoError } from './errors.js';
import type { CryptoProvider, HashAlgorithm } from './provider.js';

/** HKDF-Expand-Label (RFC 8446 §7.1): info = uint16 length || opaque label<7..255> ("tls13 " +
 * label) || opaque context<0..255>. */
export function hkdfExpandLabel(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string | Uint8Array,
  context: Uint8Array,
  length: number,
): Uint8Array {
  // Called a few dozen times per handshake: info is built in one allocation, the protocol's
  // (ASCII) labels written straight into it.
  const labelBytes = typeof label === 'string' && !isAscii(label) ? utf8(label) : label;
  const fullLength = TLS13_PREFIX.length + labelBytes.length;
  if (fullLength > 255 || context.length > 255 || length > 0xffff || length < 0) {
    throw new CryptoError('HKDF-Expand-Label input out of range');
  }
  const info = new Uint8Array(2 + 1 + fullLength + 1 + context.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = fullLength;
  info.set(TLS13_PREFIX, 3);
  const at = 3 + TLS13_PREFIX.length;
  if (typeof labelBytes === 'string') {
    for (let i = 0; i < labelBytes.length; i++) info[at + i] = labelBytes.charCodeAt(i);
  } else {
    info.set(labelBytes, at);
  }
  info[3 + fullLength] = context.length;
  info.set(context, 4 + fullLength);
  return provider.hkdfExpand(hash, secret, info, length);
}

const TLS13_PREFIX = utf8('tls13 ');

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length) (RFC 8446 §7.1); the caller passes the transcript hash. */
export function deriveSecret(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string | Uint8Array,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(provider, hash, secret, label, transcriptHash, transcriptHash.length);
}

/** PRF(secret, label, seed) = P_hash(secret, label || seed) (RFC 5246 §5), truncated to `length`. */
export function tls12Prf(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string | Uint8Array,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const labelAndSeed = concat([typeof label === 'string' ? utf8(label) : label, seed]);
  const out = new Uint8Array(length);
  // A(0) = seed; A(i) = HMAC(secret, A(i-1)); output blocks HMAC(secret, A(i) || seed).
  let a = labelAndSeed;
  for (let offset = 0; offset < length; ) {
    a = provider.hmac(hash, secret, a);
    const block = provider.hmac(hash, secret, concat([a, labelAndSeed]));
    const take = Math.min(block.length, length - offset);
    out.set(block.subarray(0, take), offset);
    offset += take;
  }
  return out;
}
