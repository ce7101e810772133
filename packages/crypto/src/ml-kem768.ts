// ML-KEM-768 (FIPS 203) over SHA-3 functions passed in. The node provider passes node:crypto's
// (OpenSSL's Keccak): @noble/post-quantum spends about half of its time in its pure-JS Keccak, and
// its hash functions cannot be swapped. The noble provider keeps @noble/post-quantum. Both give
// the same bytes (test/ml-kem-kat.test.ts: FIPS 203 known answers for both). Key and ciphertext
// formats are FIPS 203's: ek = ByteEncode12(t) || rho, dk = dkPKE || ek || H(ek) || z.
// Arithmetic is on numbers in [0, q) with no secret-dependent branch or index; the one
// comparison on secret data (re-encryption in decapsulation) is constant-time.

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

/** 17^BitRev7(i) mod q (FIPS 203 Appendix A) and 17^(2 BitRev7(i) + 1) for the base multiplication. */
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
    ZETAS[i] = power(rev);
    GAMMAS[i] = power(2 * rev + 1);
  }
}

type Poly = Int32Array;

/** Algorithm 9, in place. */
function ntt(f: Poly): void {
  let k = 1;
  for (let len = 128; len >= 2; len >>= 1) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = ZETAS[k++]!;
      for (let j = start; j < start + len; j++) {
        const t = (zeta * f[j + len]!) % Q;
        const a = f[j]!;
        f[j + len] = (a - t + Q) % Q;
        f[j] = (a + t) % Q;
      }
    }
  }
}

/** Algorithm 10, in place (3303 = 128^-1 mod q). */
function inverseNtt(f: Poly): void {
  let k = 127;
  for (let len = 2; len <= 128; len <<= 1) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = ZETAS[k--]!;
      for (let j = start; j < start + len; j++) {
        const t = f[j]!;
        const b = f[j + len]!;
        f[j] = (t + b) % Q;
        f[j + len] = (zeta * (b - t + Q)) % Q;
      }
    }
  }
  for (let j = 0; j < N; j++) f[j] = (f[j]! * 3303) % Q;
}

/** sum_j a[j] * b[j] in the NTT domain (Algorithms 11 and 12), added to `into`. */
function multiplyAdd(into: Poly, a: readonly Poly[], b: readonly Poly[]): void {
  for (let i = 0; i < 128; i++) {
    const gamma = GAMMAS[i]!;
    let c0 = into[2 * i]!;
    let c1 = into[2 * i + 1]!;
    for (let j = 0; j < a.length; j++) {
      const f = a[j]!;
      const g = b[j]!;
      const a0 = f[2 * i]!;
      const a1 = f[2 * i + 1]!;
      const b0 = g[2 * i]!;
      const b1 = g[2 * i + 1]!;
      c0 += a0 * b0 + ((a1 * b1) % Q) * gamma;
      c1 += a0 * b1 + a1 * b0;
    }
    // At most 3 terms of < 2 * q^2 each plus q: well inside the exact range of a double.
    into[2 * i] = c0 % Q;
    into[2 * i + 1] = c1 % Q;
  }
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** ByteEncode_d (Algorithm 5) of polynomials with coefficients < 2^d, into `out` at `at`. */
function encodePolys(polys: readonly Poly[], d: number, out: Uint8Array, at: number): void {
  let acc = 0;
  let bits = 0;
  for (const f of polys) {
    for (let i = 0; i < N; i++) {
      acc |= f[i]! << bits;
      bits += d;
      while (bits >= 8) {
        out[at++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
  }
}

/** ByteDecode_d (Algorithm 6) of one polynomial from `bytes` at `at`, without the mod q of d = 12. */
function decodePoly(bytes: Uint8Array, at: number, d: number): Poly {
  const f = new Int32Array(N);
  const mask = (1 << d) - 1;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < N; i++) {
    while (bits < d) {
      acc |= bytes[at++]! << bits;
      bits += 8;
    }
    f[i] = acc & mask;
    acc >>>= d;
    bits -= d;
  }
  return f;
}

/** Compress_d (§4.2.1) in place: round(2^d / q * x) mod 2^d. */
function compress(f: Poly, d: number): void {
  const mask = (1 << d) - 1;
  for (let i = 0; i < N; i++) f[i] = Math.floor((f[i]! * (1 << d) + (Q >> 1)) / Q) & mask;
}

/** Decompress_d in place: round(q / 2^d * y). */
function decompress(f: Poly, d: number): void {
  for (let i = 0; i < N; i++) f[i] = (f[i]! * Q + (1 << (d - 1))) >> d;
}

export function mlKem768(sha3: Sha3Functions): MlKem768 {
  /** SampleNTT (Algorithm 7) of XOF(rho || a || b): rejection sampling from SHAKE-128. */
  function sampleNtt(rho: Uint8Array, a: number, b: number): Poly {
    const input = new Uint8Array(34);
    input.set(rho);
    input[32] = a;
    input[33] = b;
    const f = new Int32Array(N);
    // Three SHAKE-128 blocks suffice about 99% of the time; a longer output shares their prefix.
    for (let length = 3 * 168; ; length += 2 * 168) {
      const stream = sha3.shake128(input, length);
      let n = 0;
      for (let i = 0; i + 3 <= stream.length && n < N; i += 3) {
        const d1 = stream[i]! | ((stream[i + 1]! & 0x0f) << 8);
        const d2 = (stream[i + 1]! >> 4) | (stream[i + 2]! << 4);
        if (d1 < Q) f[n++] = d1;
        if (d2 < Q && n < N) f[n++] = d2;
      }
      if (n === N) return f;
    }
  }

  /** Â (or its transpose) from rho: A[i][j] = SampleNTT(rho || j || i). */
  function matrix(rho: Uint8Array, transposed: boolean): Poly[][] {
    const rows: Poly[][] = [];
    for (let i = 0; i < K; i++) {
      const row: Poly[] = [];
      for (let j = 0; j < K; j++) row.push(transposed ? sampleNtt(rho, i, j) : sampleNtt(rho, j, i));
      rows.push(row);
    }
    return rows;
  }

  /** SamplePolyCBD_2 (Algorithm 8) of PRF_2(seed, nonce) = SHAKE-256(seed || nonce, 128). */
  function sampleCbd(seed: Uint8Array, nonce: number): Poly {
    const input = new Uint8Array(33);
    input.set(seed);
    input[32] = nonce;
    const bytes = sha3.shake256(input, CBD_BYTES);
    const f = new Int32Array(N);
    for (let i = 0; i < CBD_BYTES; i++) {
      const byte = bytes[i]!;
      // Each nibble: two bits summed minus the next two, as a residue mod q.
      const lo = (byte & 1) + ((byte >> 1) & 1) - ((byte >> 2) & 1) - ((byte >> 3) & 1);
      const hi = ((byte >> 4) & 1) + ((byte >> 5) & 1) - ((byte >> 6) & 1) - ((byte >> 7) & 1);
      f[2 * i] = lo + (Q & (lo >> 31));
      f[2 * i + 1] = hi + (Q & (hi >> 31));
    }
    return f;
  }

  /** K-PKE.Encrypt (Algorithm 14) with t̂ and Â^T already decoded and expanded. */
  function encrypt(tHat: readonly Poly[], aT: readonly Poly[][], m: Uint8Array, r: Uint8Array): Uint8Array {
    const yHat: Poly[] = [];
    for (let i = 0; i < K; i++) {
      const y = sampleCbd(r, i);
      ntt(y);
      yHat.push(y);
    }
    const u: Poly[] = [];
    for (let i = 0; i < K; i++) {
      const ui = new Int32Array(N);
      multiplyAdd(ui, aT[i]!, yHat);
      inverseNtt(ui);
      const e1 = sampleCbd(r, K + i);
      for (let j = 0; j < N; j++) ui[j] = (ui[j]! + e1[j]!) % Q;
      e1.fill(0);
      compress(ui, DU);
      u.push(ui);
    }
    const v = new Int32Array(N);
    multiplyAdd(v, tHat, yHat);
    inverseNtt(v);
    const e2 = sampleCbd(r, 2 * K);
    for (let j = 0; j < N; j++) {
      // mu = Decompress_1(ByteDecode_1(m)): bit j of m times round(q / 2) = 1665.
      const bit = (m[j >> 3]! >> (j & 7)) & 1;
      v[j] = (v[j]! + e2[j]! + bit * 1665) % Q;
    }
    compress(v, DV);
    // y, e1 and e2 are derived from the secret r (and m from the message).
    for (const y of yHat) y.fill(0);
    e2.fill(0);
    const c = new Uint8Array(ML_KEM768_CT_LENGTH);
    encodePolys(u, DU, c, 0);
    encodePolys([v], DV, c, K * 32 * DU);
    return c;
  }

  /** t̂ from ek, with the modulus check of §7.2 (every coefficient < q). */
  function decodeEk(ek: Uint8Array): Poly[] {
    if (ek.length !== ML_KEM768_EK_LENGTH) throw new Error('ML-KEM-768 encapsulation key length');
    const tHat: Poly[] = [];
    for (let i = 0; i < K; i++) {
      const f = decodePoly(ek, i * POLY12_BYTES, 12);
      for (let j = 0; j < N; j++)
        if (f[j]! >= Q) throw new Error('ML-KEM-768 encapsulation key modulus check');
      tHat.push(f);
    }
    return tHat;
  }

  function encapsulateWith(
    ek: Uint8Array,
    ekHash: Uint8Array,
    tHat: readonly Poly[],
    m: Uint8Array,
    aT = matrix(ek.subarray(K * POLY12_BYTES), true),
  ) {
    const seed = concat(m, ekHash);
    const kr = sha3.sha3_512(seed);
    seed.fill(0);
    const result = { cipherText: encrypt(tHat, aT, m, kr.subarray(32)), sharedSecret: kr.slice(0, 32) };
    kr.fill(0);
    return result;
  }

  /**
   * Â as keygen expanded it, by decapsulation key: decapsulation re-encrypts with the same
   * matrix. Â is public and a function of rho alone; an entry is used only while the key still
   * holds the rho it was made from.
   */
  const keygenMatrices = new WeakMap<Uint8Array, { rho: Uint8Array; a: Poly[][] }>();

  function transposedMatrixOf(dk: Uint8Array, rho: Uint8Array): Poly[][] {
    const known = keygenMatrices.get(dk);
    if (!known || known.rho.some((byte, i) => byte !== rho[i])) return matrix(rho, true);
    return known.a.map((_, i) => known.a.map((row) => row[i]!));
  }

  return {
    keygen(seed) {
      if (seed.length !== 64) throw new Error('ML-KEM-768 seed must be 64 bytes');
      const g = sha3.sha3_512(concat(seed.subarray(0, 32), Uint8Array.of(K)));
      const rho = g.subarray(0, 32);
      const sigma = g.subarray(32);
      const sHat: Poly[] = [];
      for (let i = 0; i < K; i++) {
        const s = sampleCbd(sigma, i);
        ntt(s);
        sHat.push(s);
      }
      const a = matrix(rho, false);
      const tHat: Poly[] = [];
      for (let i = 0; i < K; i++) {
        const t = sampleCbd(sigma, K + i);
        ntt(t);
        multiplyAdd(t, a[i]!, sHat);
        tHat.push(t);
      }
      const ek = new Uint8Array(ML_KEM768_EK_LENGTH);
      encodePolys(tHat, 12, ek, 0);
      ek.set(rho, K * POLY12_BYTES);
      const dk = new Uint8Array(ML_KEM768_DK_LENGTH);
      encodePolys(sHat, 12, dk, 0);
      dk.set(ek, K * POLY12_BYTES);
      dk.set(sha3.sha3_256(ek), K * POLY12_BYTES + ML_KEM768_EK_LENGTH);
      dk.set(seed.subarray(32), ML_KEM768_DK_LENGTH - 32);
      keygenMatrices.set(dk, { rho: rho.slice(), a });
      g.fill(0);
      for (const s of sHat) s.fill(0);
      return { publicKey: ek, secretKey: dk };
    },

    encapsulate(ek, m) {
      if (m.length !== 32) throw new Error('ML-KEM-768 message must be 32 bytes');
      return encapsulateWith(ek, sha3.sha3_256(ek), decodeEk(ek), m);
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
      // K-PKE.Decrypt (Algorithm 15).
      const w = new Int32Array(N);
      const uHat: Poly[] = [];
      for (let i = 0; i < K; i++) {
        const u = decodePoly(c, i * 32 * DU, DU);
        decompress(u, DU);
        ntt(u);
        uHat.push(u);
      }
      const sHat: Poly[] = [];
      for (let i = 0; i < K; i++) sHat.push(decodePoly(dk, i * POLY12_BYTES, 12));
      multiplyAdd(w, sHat, uHat);
      inverseNtt(w);
      const v = decodePoly(c, K * 32 * DU, DV);
      decompress(v, DV);
      const m = new Uint8Array(32);
      for (let j = 0; j < N; j++) {
        const x = (v[j]! - w[j]! + Q) % Q;
        // Compress_1: 1 when x is nearer q/2 than 0, i.e. 833 <= x <= 2496.
        const bit = ((832 - x) >>> 31) & ((x - 2497) >>> 31);
        m[j >> 3] = m[j >> 3]! | (bit << (j & 7));
      }
      for (const s of sHat) s.fill(0);
      w.fill(0);
      // Re-encrypt and compare (Algorithm 18); K̄ = J(z || c) replaces the key when they differ.
      const rho = ek.subarray(K * POLY12_BYTES);
      const { cipherText, sharedSecret } = encapsulateWith(
        ek,
        h,
        decodeEk(ek),
        m,
        transposedMatrixOf(dk, rho),
      );
      m.fill(0);
      const rejected = sha3.shake256(concat(z, c), 32);
      let diff = 0;
      for (let i = 0; i < ML_KEM768_CT_LENGTH; i++) diff |= cipherText[i]! ^ c[i]!;
      // 0 when equal, -1 (all ones) when not: a select without a branch.
      const mask = -((diff | -diff) >>> 31) & 0xff;
      for (let i = 0; i < 32; i++)
        sharedSecret[i] = sharedSecret[i]! ^ (mask & (sharedSecret[i]! ^ rejected[i]!));
      return sharedSecret;
    },
  };
}
