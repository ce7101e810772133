// ML-KEM-768 (FIPS 203) over SHA-3 functions passed in. The node provider passes node:crypto's
// (OpenSSL's Keccak): @noble/post-quantum spends about half of its time in its pure-JS Keccak, and
// its hash functions cannot be swapped. The noble provider keeps @noble/post-quantum. Both give
// the same bytes (test/ml-kem-kat.test.ts: FIPS 203 known answers for both). Key and ciphertext
// formats are FIPS 203's: ek = ByteEncode12(t) || rho, dk = dkPKE || ek || H(ek) || z.
// Arithmetic is the reference implementation's (Montgomery multiplication, Barrett reduction, no
// division) on int32 with no secret-dependent branch or index; the one comparison on secret data
// (re-encryption in decapsulation) is constant-time. Polynomials live in flat Int32Arrays at
// offsets, and each instance reuses its scratch arrays (the operations are synchronous), zeroed
// after every operation.

/** The SHA-3 functions ML-KEM is defined with (FIPS 203 §4.1). */
export interface Sha3Functions {
  sha3_256(data: Uint8Array): Uint8Array;
  sha3_512(data: Uint8Array): Uint8Array;
  shake128(data: Uint8Array, outputLength: number): Uint8Array;
  shake256(data: Uint8Array, outputLength: number): Uint8Array;
}

export interface MlKem768 {
  /** From the 64-byte seed d || z (FIPS 203 Algorithm 16). */
  keygen(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Encapsulation with the 32-byte message m (Algorithm 17); throws on an invalid key (§7.2). */
  encapsulate(publicKey: Uint8Array, m: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  /** Decapsulation with implicit rejection (Algorithm 18); throws on malformed inputs (§7.3). */
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

const N = 256;
const Q = 3329;
const K = 3;
const DU = 10;
const DV = 4;
/** ETA1 = ETA2 = 2 for ML-KEM-768: the PRF gives 64 * 2 bytes per polynomial. */
const CBD_BYTES = 128;
const POLY12_BYTES = 384;
export const ML_KEM768_EK_LENGTH = K * POLY12_BYTES + 32;
export const ML_KEM768_DK_LENGTH = 2 * K * POLY12_BYTES + 96;
export const ML_KEM768_CT_LENGTH = K * 32 * DU + 32 * DV;
const VECTOR = K * N;
/** Three SHAKE-128 blocks: SampleNTT needs more for about 1 seed in 140 (it then asks again, longer). */
const XOF_BYTES = 3 * 168;

/**
 * a * 2^-16 mod q in (-q, q) for |a| < q * 2^15 (Montgomery reduction; 62209 = q^-1 mod 2^16).
 * The low 16 bits of a * q^-1, sign-extended, times q, cancel a's low 16 bits.
 */
const montgomery = (a: number): number => (a - Math.imul((Math.imul(a, 62209) << 16) >> 16, Q)) >> 16;

/** a mod q in [0, q) for |a| < 2^15: Barrett (20159 = round(2^26 / q)) to (-q/2, q/2), then + q if negative. */
const reduce = (a: number): number => {
  const r = a - Math.imul((Math.imul(a, 20159) + (1 << 25)) >> 26, Q);
  return r + ((r >> 31) & Q);
};

/** 2^16 mod q, to put constants in the Montgomery domain. */
const R = 2285;
/**
 * 17^BitRev7(i) * 2^16 mod q (FIPS 203 Appendix A, in the Montgomery domain, centred in
 * (-q/2, q/2]) and 17^(2 BitRev7(i) + 1) * 2^16 mod q for the base multiplication.
 */
const ZETAS = new Int32Array(128);
const GAMMAS = new Int32Array(128);
{
  const power = (e: number) => {
    let r = 1;
    for (let i = 0; i < e; i++) r = (r * 17) % Q;
    return r;
  };
  for (let i = 0; i < 128; i++) {
    let rev = 0;
    for (let b = 0; b < 7; b++) rev |= ((i >> b) & 1) << (6 - b);
    const zeta = (power(rev) * R) % Q;
    ZETAS[i] = zeta > Q >> 1 ? zeta - Q : zeta;
    GAMMAS[i] = (power(2 * rev + 1) * R) % Q;
  }
}

/**
 * Algorithm 9 on the polynomial at f[o..o+256), in place; input |x| < q, output in [0, q).
 * Coefficients grow by at most q per layer (below 8q < 2^15) and are reduced at the end.
 */
function ntt(f: Int32Array, o: number): void {
  let k = 1;
  for (let len = 128; len >= 2; len >>= 1) {
    for (let start = o; start < o + N; start += 2 * len) {
      const zeta = ZETAS[k++]!;
      for (let j = start; j < start + len; j++) {
        const t = montgomery(Math.imul(zeta, f[j + len]!));
        const a = f[j]!;
        f[j + len] = a - t;
        f[j] = a + t;
      }
    }
  }
  for (let j = o; j < o + N; j++) f[j] = reduce(f[j]!);
}

/**
 * Algorithm 10 on the polynomial at f[o..o+256), in place, for input carrying a factor 2^-16 (the
 * output of `multiply`); output without it, in (-q, q). 1441 = 2^32 / 128 mod q.
 */
function inverseNtt(f: Int32Array, o: number): void {
  let k = 127;
  for (let len = 2; len <= 128; len <<= 1) {
    for (let start = o; start < o + N; start += 2 * len) {
      const zeta = ZETAS[k--]!;
      for (let j = start; j < start + len; j++) {
        const t = f[j]!;
        const b = f[j + len]!;
        f[j] = t + b;
        f[j + len] = montgomery(Math.imul(zeta, b - t));
      }
    }
    // Sums double per layer from below q: reduced after every third layer, they stay below 8q
    // (reduce's range), and |zeta * (b - t)| below q/2 * 8q < q * 2^15 (montgomery's).
    if (len === 8 || len === 64) for (let j = o; j < o + N; j++) f[j] = reduce(f[j]!);
  }
  for (let j = o; j < o + N; j++) f[j] = montgomery(Math.imul(f[j]!, 1441));
}

/**
 * out[o..o+256) = 2^-16 * sum_j a_j * b_j in the NTT domain (Algorithms 11 and 12), in (-q, q),
 * where a_j is the polynomial at a[start + j * stride] and b_j at b[j * N]. Inputs are in [0, q)
 * (a's up to 2^12 when decoded from a decapsulation key, unchecked): each sum stays below
 * 6 * 2^24 < q * 2^15.
 */
function multiply(out: Int32Array, o: number, a: Int32Array, start: number, stride: number, b: Int32Array) {
  for (let i = 0; i < N; i += 2) {
    const gamma = GAMMAS[i >> 1]!;
    let c0 = 0;
    let c1 = 0;
    for (let j = 0, p = start + i, r = i; j < K; j++, p += stride, r += N) {
      const a0 = a[p]!;
      const a1 = a[p + 1]!;
      const b0 = b[r]!;
      const b1 = b[r + 1]!;
      c0 += Math.imul(a0, b0) + Math.imul(montgomery(Math.imul(a1, b1)), gamma);
      c1 += Math.imul(a0, b1) + Math.imul(a1, b0);
    }
    out[o + i] = montgomery(c0);
    out[o + i + 1] = montgomery(c1);
  }
}

/** ByteEncode_d (Algorithm 5) of `count` polynomials at f[0..) with coefficients < 2^d, into `out` at `at`. */
function encode(f: Int32Array, count: number, d: number, out: Uint8Array, at: number): void {
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < count * N; i++) {
    acc |= f[i]! << bits;
    bits += d;
    while (bits >= 8) {
      out[at++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
}

/** ByteDecode_d (Algorithm 6) of `count` polynomials from `bytes` at `at` into f[0..), without the mod q of d = 12. */
function decode(bytes: Uint8Array, at: number, d: number, f: Int32Array, count: number): void {
  const mask = (1 << d) - 1;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < count * N; i++) {
    while (bits < d) {
      acc |= bytes[at++]! << bits;
      bits += 8;
    }
    f[i] = acc & mask;
    acc >>>= d;
    bits -= d;
  }
}

/**
 * Compress_d (§4.2.1) of f[o..o+256) in place from [0, q): round(2^d x / q) mod 2^d, computed as
 * floor((2^(d+1) x + q) / 2q) with a double multiplication instead of a division: the numerator
 * is odd, so never a multiple of 2q, and stays below 2^24, far from where rounding could move it
 * across an integer.
 */
function compress(f: Int32Array, o: number, d: number): void {
  const mask = (1 << d) - 1;
  for (let i = o; i < o + N; i++) f[i] = Math.floor(((f[i]! << (d + 1)) + Q) * (1 / (2 * Q))) & mask;
}

/** Decompress_d of `count` polynomials at f[0..) in place: round(q / 2^d * y). */
function decompress(f: Int32Array, count: number, d: number): void {
  for (let i = 0; i < count * N; i++) f[i] = (f[i]! * Q + (1 << (d - 1))) >> d;
}

export function mlKem768(sha3: Sha3Functions): MlKem768 {
  // Scratch: two vectors, two polynomials, the matrix of an encapsulation, the XOF and PRF inputs.
  const vectorA = new Int32Array(VECTOR);
  const vectorB = new Int32Array(VECTOR);
  const poly = new Int32Array(N);
  const noise = new Int32Array(N);
  const encapsMatrix = new Int32Array(K * VECTOR);
  const xofInput = new Uint8Array(34);
  const prfInput = new Uint8Array(33);
  const scratch = [vectorA, vectorB, poly, noise, prfInput];

  /** Â from rho into `a` (row-major): Â[i][j] = SampleNTT(rho || j || i) (Algorithm 7). */
  function sampleMatrix(rho: Uint8Array, a: Int32Array): void {
    xofInput.set(rho);
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        xofInput[32] = j;
        xofInput[33] = i;
        const o = (i * K + j) * N;
        // Rejection sampling on public data: the loop count depends on rho only.
        for (let length = XOF_BYTES; ; length += 2 * 168) {
          const stream = sha3.shake128(xofInput, length);
          let n = 0;
          for (let s = 0; s + 3 <= length && n < N; s += 3) {
            const d1 = stream[s]! | ((stream[s + 1]! & 0x0f) << 8);
            const d2 = (stream[s + 1]! >> 4) | (stream[s + 2]! << 4);
            if (d1 < Q) a[o + n++] = d1;
            if (d2 < Q && n < N) a[o + n++] = d2;
          }
          if (n === N) break;
        }
      }
    }
  }

  /**
   * SamplePolyCBD_2 (Algorithm 8) of PRF_2(seed, nonce) = SHAKE-256(seed || nonce, 128) into
   * f[o..o+256), in [-2, 2]: per nibble, its two low bits summed minus its two high bits.
   */
  function sampleCbd(seed: Uint8Array, nonce: number, f: Int32Array, o: number): void {
    prfInput.set(seed);
    prfInput[32] = nonce;
    const bytes = sha3.shake256(prfInput, CBD_BYTES);
    for (let i = 0; i < CBD_BYTES; i++) {
      const byte = bytes[i]!;
      const pairs = (byte & 0x55) + ((byte >> 1) & 0x55);
      f[o + 2 * i] = (pairs & 3) - ((pairs >> 2) & 3);
      f[o + 2 * i + 1] = ((pairs >> 4) & 3) - ((pairs >> 6) & 3);
    }
    bytes.fill(0);
  }

  /**
   * K-PKE.Encrypt (Algorithm 14) with t̂ decoded in vectorB and Â (row-major) in `a`; uses
   * vectorA, poly and noise.
   */
  function encrypt(a: Int32Array, m: Uint8Array, r: Uint8Array): Uint8Array {
    const c = new Uint8Array(ML_KEM768_CT_LENGTH);
    for (let i = 0; i < K; i++) {
      sampleCbd(r, i, vectorA, i * N);
      ntt(vectorA, i * N);
    }
    for (let i = 0; i < K; i++) {
      // u_i = NTT^-1(sum_j Â[j][i] * ŷ_j) + e1_i: column i of Â.
      multiply(poly, 0, a, i * N, VECTOR, vectorA);
      inverseNtt(poly, 0);
      sampleCbd(r, K + i, noise, 0);
      for (let j = 0; j < N; j++) poly[j] = reduce(poly[j]! + noise[j]!);
      compress(poly, 0, DU);
      encode(poly, 1, DU, c, i * 32 * DU);
    }
    multiply(poly, 0, vectorB, 0, N, vectorA);
    inverseNtt(poly, 0);
    sampleCbd(r, 2 * K, noise, 0);
    for (let j = 0; j < N; j++) {
      // mu = Decompress_1(ByteDecode_1(m)): bit j of m times round(q / 2) = 1665.
      const bit = (m[j >> 3]! >> (j & 7)) & 1;
      poly[j] = reduce(poly[j]! + noise[j]! + bit * 1665);
    }
    compress(poly, 0, DV);
    encode(poly, 1, DV, c, K * 32 * DU);
    return c;
  }

  /** t̂ from ek into vectorB, with the modulus check of §7.2 (every coefficient < q). */
  function decodeEk(ek: Uint8Array): void {
    decode(ek, 0, 12, vectorB, K);
    let over = 0;
    for (let j = 0; j < VECTOR; j++) over |= Q - 1 - vectorB[j]!;
    if (over < 0) throw new Error('ML-KEM-768 encapsulation key modulus check');
  }

  /** Algorithm 17 after the input checks, with t̂ in vectorB and Â in `a`. */
  function encapsulateWith(ekHash: Uint8Array, m: Uint8Array, a: Int32Array) {
    const seed = new Uint8Array(64);
    seed.set(m);
    seed.set(ekHash, 32);
    const kr = sha3.sha3_512(seed);
    seed.fill(0);
    const result = { cipherText: encrypt(a, m, kr.subarray(32)), sharedSecret: kr.slice(0, 32) };
    kr.fill(0);
    return result;
  }

  /** Zeroes the scratch that held secrets (ŝ, ŷ, e, u and v before compression, PRF input). */
  const wipe = () => {
    for (const s of scratch) s.fill(0);
  };

  /**
   * Â as keygen expanded it, by decapsulation key: decapsulation re-encrypts with the same
   * matrix. Â is public and a function of rho alone; an entry is used only while the key still
   * holds the rho it was made from.
   */
  const keygenMatrices = new WeakMap<Uint8Array, { rho: Uint8Array; a: Int32Array }>();

  function matrixOf(dk: Uint8Array, rho: Uint8Array): Int32Array {
    const known = keygenMatrices.get(dk);
    if (known?.rho.every((byte, i) => byte === rho[i])) return known.a;
    sampleMatrix(rho, encapsMatrix);
    return encapsMatrix;
  }

  return {
    keygen(seed) {
      if (seed.length !== 64) throw new Error('ML-KEM-768 seed must be 64 bytes');
      const dAndK = new Uint8Array(33);
      dAndK.set(seed.subarray(0, 32));
      dAndK[32] = K;
      const g = sha3.sha3_512(dAndK);
      dAndK.fill(0);
      const rho = g.subarray(0, 32);
      const sigma = g.subarray(32);
      try {
        for (let i = 0; i < K; i++) {
          sampleCbd(sigma, i, vectorA, i * N);
          ntt(vectorA, i * N);
        }
        const a = new Int32Array(K * VECTOR);
        sampleMatrix(rho, a);
        for (let i = 0; i < K; i++) {
          // t̂_i = sum_j Â[i][j] * ŝ_j + ê_i; 1353 = 2^32 mod q undoes multiply's 2^-16.
          multiply(vectorB, i * N, a, i * VECTOR, N, vectorA);
          sampleCbd(sigma, K + i, noise, 0);
          ntt(noise, 0);
          for (let j = 0; j < N; j++) {
            const o = i * N + j;
            vectorB[o] = reduce(montgomery(Math.imul(vectorB[o]!, 1353)) + noise[j]!);
          }
        }
        const ek = new Uint8Array(ML_KEM768_EK_LENGTH);
        encode(vectorB, K, 12, ek, 0);
        ek.set(rho, K * POLY12_BYTES);
        const dk = new Uint8Array(ML_KEM768_DK_LENGTH);
        encode(vectorA, K, 12, dk, 0);
        dk.set(ek, K * POLY12_BYTES);
        dk.set(sha3.sha3_256(ek), K * POLY12_BYTES + ML_KEM768_EK_LENGTH);
        dk.set(seed.subarray(32), ML_KEM768_DK_LENGTH - 32);
        keygenMatrices.set(dk, { rho: rho.slice(), a });
        return { publicKey: ek, secretKey: dk };
      } finally {
        g.fill(0);
        wipe();
      }
    },

    encapsulate(ek, m) {
      if (m.length !== 32) throw new Error('ML-KEM-768 message must be 32 bytes');
      if (ek.length !== ML_KEM768_EK_LENGTH) throw new Error('ML-KEM-768 encapsulation key length');
      try {
        decodeEk(ek);
        sampleMatrix(ek.subarray(K * POLY12_BYTES), encapsMatrix);
        return encapsulateWith(sha3.sha3_256(ek), m, encapsMatrix);
      } finally {
        wipe();
      }
    },

    decapsulate(c, dk) {
      if (c.length !== ML_KEM768_CT_LENGTH) throw new Error('ML-KEM-768 ciphertext length');
      if (dk.length !== ML_KEM768_DK_LENGTH) throw new Error('ML-KEM-768 decapsulation key length');
      const ek = dk.subarray(K * POLY12_BYTES, K * POLY12_BYTES + ML_KEM768_EK_LENGTH);
      const h = dk.subarray(K * POLY12_BYTES + ML_KEM768_EK_LENGTH, ML_KEM768_DK_LENGTH - 32);
      const z = dk.subarray(ML_KEM768_DK_LENGTH - 32);
      // §7.3 hash check of the decapsulation key.
      const ekHash = sha3.sha3_256(ek);
      let differ = 0;
      for (let i = 0; i < 32; i++) differ |= ekHash[i]! ^ h[i]!;
      if (differ !== 0) throw new Error('ML-KEM-768 decapsulation key hash check');
      const m = new Uint8Array(32);
      try {
        // K-PKE.Decrypt (Algorithm 15): w = v - NTT^-1(ŝ^T û).
        decode(c, 0, DU, vectorA, K);
        decompress(vectorA, K, DU);
        for (let i = 0; i < K; i++) ntt(vectorA, i * N);
        decode(dk, 0, 12, vectorB, K);
        multiply(poly, 0, vectorB, 0, N, vectorA);
        inverseNtt(poly, 0);
        decode(c, K * 32 * DU, DV, noise, 1);
        decompress(noise, 1, DV);
        for (let j = 0; j < N; j++) {
          const x = reduce(noise[j]! - poly[j]!);
          // Compress_1: 1 when x is nearer q/2 than 0, i.e. 833 <= x <= 2496.
          const bit = ((832 - x) >>> 31) & ((x - 2497) >>> 31);
          m[j >> 3] = m[j >> 3]! | (bit << (j & 7));
        }
        // Re-encrypt and compare (Algorithm 18); K̄ = J(z || c) replaces the key when they differ.
        decode(ek, 0, 12, vectorB, K);
        const { cipherText, sharedSecret } = encapsulateWith(
          h,
          m,
          matrixOf(dk, ek.subarray(K * POLY12_BYTES)),
        );
        const zc = new Uint8Array(32 + ML_KEM768_CT_LENGTH);
        zc.set(z);
        zc.set(c, 32);
        const rejected = sha3.shake256(zc, 32);
        zc.fill(0, 0, 32);
        let diff = 0;
        for (let i = 0; i < ML_KEM768_CT_LENGTH; i++) diff |= cipherText[i]! ^ c[i]!;
        // 0 when equal, -1 (all ones) when not: a select without a branch.
        const mask = -((diff | -diff) >>> 31) & 0xff;
        for (let i = 0; i < 32; i++)
          sharedSecret[i] = sharedSecret[i]! ^ (mask & (sharedSecret[i]! ^ rejected[i]!));
        rejected.fill(0);
        return sharedSecret;
      } finally {
        m.fill(0);
        wipe();
      }
    },
  };
}
