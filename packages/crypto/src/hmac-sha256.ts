// HMAC-SHA-256 (RFC 2104, FIPS 180-4 SHA-256) in plain JavaScript, for the short inputs of the
// TLS key schedules (HKDF-Expand-Label, Finished, the TLS 1.2 PRF): a few compressions each,
// cheaper than a node:crypto Hmac object (its native set-up and OpenSSL's algorithm fetch cost
// more than the hashing). Constant time: 32-bit additions, rotations and logic only, no
// data-dependent branch or table index. The scratch buffers are wiped before returning.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const BLOCK_LENGTH = 64;
const DIGEST_LENGTH = 32;

/** Inputs longer than this go to node:crypto, whose SHA-256 is faster per byte. */
export const JS_HMAC_SHA256_MAX_INPUT = 512;

// Scratch space, reused by every call (JavaScript runs one call at a time) and wiped after it.
const W = new Int32Array(64);
const STATE = new Int32Array(8);
const BLOCK = new Uint8Array(BLOCK_LENGTH);
const PAD = new Uint8Array(BLOCK_LENGTH);
const INNER = new Uint8Array(DIGEST_LENGTH);

/** FIPS 180-4 §6.2.2: one 64-byte block of `bytes` at `at` into `h`. */
function compress(h: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let k = h[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + k) | 0;
}

/**
 * The rest of a message into STATE: `data`, then the padding (FIPS 180-4 §5.1.1) for a message
 * of `before` bytes already compressed plus `data`; the digest is written to `out` at `at`.
 */
function finish(data: Uint8Array, before: number, out: Uint8Array, at: number): void {
  let offset = 0;
  for (; offset + BLOCK_LENGTH <= data.length; offset += BLOCK_LENGTH) compress(STATE, data, offset);
  const rest = data.length - offset;
  BLOCK.fill(0);
  BLOCK.set(data.subarray(offset), 0);
  BLOCK[rest] = 0x80;
  if (rest >= BLOCK_LENGTH - 8) {
    compress(STATE, BLOCK, 0);
    BLOCK.fill(0);
  }
  const bits = (before + data.length) * 8;
  const high = Math.floor(bits / 0x1_0000_0000);
  BLOCK[56] = high >>> 24;
  BLOCK[57] = high >>> 16;
  BLOCK[58] = high >>> 8;
  BLOCK[59] = high;
  BLOCK[60] = bits >>> 24;
  BLOCK[61] = bits >>> 16;
  BLOCK[62] = bits >>> 8;
  BLOCK[63] = bits;
  compress(STATE, BLOCK, 0);
  for (let i = 0; i < 8; i++) {
    const word = STATE[i]!;
    out[at + 4 * i] = word >>> 24;
    out[at + 4 * i + 1] = word >>> 16;
    out[at + 4 * i + 2] = word >>> 8;
    out[at + 4 * i + 3] = word;
  }
}

/** SHA-256(pad XOR key || data) into `out` (RFC 2104: one half of HMAC). */
function keyedHash(key: Uint8Array, padByte: number, data: Uint8Array, out: Uint8Array): void {
  PAD.fill(padByte);
  for (let i = 0; i < key.length; i++) PAD[i] = PAD[i]! ^ key[i]!;
  STATE.set(IV);
  compress(STATE, PAD, 0);
  finish(data, BLOCK_LENGTH, out, 0);
}

/** HMAC-SHA-256(key, data) (RFC 2104), 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(DIGEST_LENGTH);
  try {
    let k = key;
    if (k.length > BLOCK_LENGTH) {
      // RFC 2104 §2: a key longer than the block is hashed first.
      k = new Uint8Array(DIGEST_LENGTH);
      STATE.set(IV);
      finish(key, 0, k, 0);
    }
    keyedHash(k, 0x36, data, INNER);
    keyedHash(k, 0x5c, INNER, out);
    if (k !== key) k.fill(0);
  } finally {
    W.fill(0);
    STATE.fill(0);
    BLOCK.fill(0);
    PAD.fill(0);
    INNER.fill(0);
  }
  return out;
}
