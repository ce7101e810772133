// The RFC 7919 Appendix A safe primes (generator 2), built from the formula that defines them
// (RFC 7919 §A): p = 2^b - 2^{b-64} + {[2^{b-130} e] + X} * 2^64 - 1, X being the lowest value
// that makes p a safe prime. A test checks each is prime and matches the RFC's hexadecimal text.

/** floor(2^bits * e), from e = sum of 1/k!; 64 guard bits absorb the truncation of each term. */
function scaledE(bits: number): bigint {
  let term = 1n << BigInt(bits + 64);
  let sum = 0n;
  for (let k = 1n; term > 0n; k++) {
    sum += term;
    term /= k;
  }
  return sum >> 64n;
}

function ffdhePrimeHex(bits: number, x: bigint): string {
  const b = BigInt(bits);
  return ((1n << b) - (1n << (b - 64n)) + ((scaledE(bits - 130) + x) << 64n) - 1n).toString(16);
}

export const FFDHE_PRIMES_HEX = {
  ffdhe2048: ffdhePrimeHex(2048, 560316n),
  ffdhe3072: ffdhePrimeHex(3072, 2625351n),
  ffdhe4096: ffdhePrimeHex(4096, 5736041n),
} as const;
