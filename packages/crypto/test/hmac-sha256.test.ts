// The JavaScript HMAC-SHA-256 of the node provider's key schedules, against OpenSSL's (node:crypto
// createHmac) at every padding boundary and for keys shorter than, equal to and longer than the
// block. RFC 5869's SHA-256 cases and RFC 8448's traces check it through the provider in
// kdf.test.ts.
import { createHmac } from 'node:crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import fc from 'fast-check';
import { hmacSha256, JS_HMAC_SHA256_MAX_INPUT } from '../src/hmac-sha256.js';
import { hex } from './helpers.js';

const openssl = (key: Uint8Array, data: Uint8Array) => createHmac('sha256', key).update(data).digest('hex');

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

test('HMAC-SHA-256 equals OpenSSL at every block and padding boundary', (t) => {
  // Data lengths around 55/56 (padding needs a second block) and 64 (a full block); keys around 64 (hashed above).
  const dataLengths = [
    0,
    1,
    31,
    32,
    55,
    56,
    57,
    63,
    64,
    65,
    119,
    120,
    127,
    128,
    129,
    200,
    JS_HMAC_SHA256_MAX_INPUT,
  ];
  for (const keyLength of [0, 1, 16, 32, 48, 63, 64, 65, 100, 131, 200]) {
    for (const dataLength of dataLengths) {
      const key = bytes(keyLength, keyLength);
      const data = bytes(dataLength, dataLength + 7);
      t.is(
        hex(hmacSha256(key, data)),
        openssl(key, data),
        `key ${keyLength} bytes, data ${dataLength} bytes`,
      );
    }
  }
});

test('HMAC-SHA-256 equals OpenSSL for random keys and data, and leaves its inputs alone', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 300 }), (key, data) => {
      const keyCopy = key.slice();
      const dataCopy = data.slice();
      const mac = hmacSha256(key, data);
      return (
        mac.length === 32 &&
        hex(mac) === openssl(key, data) &&
        hex(key) === hex(keyCopy) &&
        hex(data) === hex(dataCopy)
      );
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('HMAC-SHA-256 on views into larger buffers reads only the view', (t) => {
  const backing = bytes(300, 3);
  const key = backing.subarray(10, 42);
  const data = backing.subarray(100, 170);
  t.is(hex(hmacSha256(key, data)), openssl(key, data));
});

test('the node provider: JS HMAC-SHA-256 for short inputs, node:crypto above the limit, the same results', (t) => {
  const key = bytes(32, 1);
  for (const length of [0, 64, JS_HMAC_SHA256_MAX_INPUT, JS_HMAC_SHA256_MAX_INPUT + 1, 4096]) {
    const data = bytes(length, 5);
    t.is(hex(nodeProvider.hmac('sha256', key, data)), openssl(key, data), `${length} bytes`);
  }
  // Other hashes stay with node:crypto.
  const data = bytes(40, 9);
  t.is(hex(nodeProvider.hmac('sha384', key, data)), createHmac('sha384', key).update(data).digest('hex'));
});
