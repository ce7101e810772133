// A cheap map key for certificate DER (the certificate cache and the issuer index).

/**
 * A 32-bit FNV-1a digest mixed with the length. Not collision resistant: every map keyed by it
 * compares the bytes themselves before trusting a match.
 */
export function fingerprint(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
