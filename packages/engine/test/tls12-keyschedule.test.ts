// The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §7.4.9, RFC 7627 §4) against `openssl kdf
// TLS1-PRF`, and the AEAD record layouts (RFC 5288 §3, RFC 7905 §2) against node:crypto.
import { createDecipheriv, randomBytes } from 'node:crypto';
import { toHex } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import { ContentType } from '@tls-kit/messages';
import { opensslPrf } from '@tls-kit/test-helpers';
import test from 'ava';
import { finishedVerifyData12, keyBlock12, masterSecret12 } from '../src/keyschedule/tls12.js';
import { Tls12Protection } from '../src/record/protection12.js';
import { suite12ByName } from '../src/suites.js';
import { records } from './helpers/mitm.js';
import { haveOpenssl } from './helpers/openssl.js';

const maybe = haveOpenssl() ? test : test.skip;

const AES128 = suite12ByName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')!;
const AES256 = suite12ByName('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384')!;
const CHACHA = suite12ByName('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256')!;

const pms = randomBytes(32);
const clientRandom = randomBytes(32);
const serverRandom = randomBytes(32);
const sessionHash = randomBytes(48);

for (const suite of [AES128, AES256]) {
  const digest = suite.hash === 'sha384' ? 'SHA384' : 'SHA256';

  maybe(`master secret (${digest}) = openssl TLS1-PRF "master secret"`, (t) => {
    const ours = masterSecret12(defaultProvider, suite, pms, clientRandom, serverRandom, undefined);
    const seed = Buffer.concat([clientRandom, serverRandom]);
    t.is(toHex(ours), opensslPrf(digest, pms, 'master secret', seed, 48));
  });

  maybe(
    `extended master secret (${digest}) = openssl TLS1-PRF "extended master secret" over session_hash`,
    (t) => {
      const ours = masterSecret12(defaultProvider, suite, pms, clientRandom, serverRandom, sessionHash);
      t.is(toHex(ours), opensslPrf(digest, pms, 'extended master secret', sessionHash, 48));
    },
  );

  maybe(`key block (${suite.name}) = openssl TLS1-PRF "key expansion", split into keys and IVs`, (t) => {
    const master = randomBytes(48);
    const block = keyBlock12(defaultProvider, suite, master, clientRandom, serverRandom);
    const k = suite.keyLength;
    const expected = opensslPrf(
      digest,
      master,
      'key expansion',
      Buffer.concat([serverRandom, clientRandom]),
      2 * (k + 4),
    );
    t.is(
      toHex(block.clientKey) + toHex(block.serverKey) + toHex(block.clientIv) + toHex(block.serverIv),
      expected,
    );
    t.is(block.clientIv.length, 4);
  });

  maybe(
    `Finished verify_data (${digest}) = openssl TLS1-PRF "client finished" / "server finished", 12 bytes`,
    (t) => {
      const master = randomBytes(48);
      const handshakeHash = randomBytes(suite.hash === 'sha384' ? 48 : 32);
      for (const sender of ['client', 'server'] as const) {
        const ours = finishedVerifyData12(defaultProvider, suite, master, sender, handshakeHash);
        t.is(toHex(ours), opensslPrf(digest, master, `${sender} finished`, handshakeHash, 12));
      }
    },
  );
}

test('ChaCha20 key block: 32-byte keys and 12-byte IVs (RFC 7905 §2)', (t) => {
  const block = keyBlock12(defaultProvider, CHACHA, randomBytes(48), clientRandom, serverRandom);
  t.is(block.clientKey.length, 32);
  t.is(block.serverIv.length, 12);
});

function aad(seq: number, type: number, length: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeBigUInt64BE(BigInt(seq));
  b[8] = type;
  b.writeUInt16BE(0x0303, 9);
  b.writeUInt16BE(length, 11);
  return b;
}

test('AES-GCM record (RFC 5288): explicit nonce = sequence number, nonce = salt || explicit, AAD = seq || type || version || length', (t) => {
  const key = randomBytes(16);
  const salt = randomBytes(4);
  const protection = new Tls12Protection(defaultProvider, AES128, key, salt);
  for (let seq = 0; seq < 3; seq++) {
    const plaintext = randomBytes(50 + seq);
    const [record] = records(protection.seal(ContentType.application_data, plaintext));
    const explicit = record!.fragment.subarray(0, 8);
    t.is(Buffer.from(explicit).readBigUInt64BE(), BigInt(seq));
    const body = record!.fragment.subarray(8);
    const decipher = createDecipheriv('aes-128-gcm', key, Buffer.concat([salt, explicit]));
    decipher.setAAD(aad(seq, ContentType.application_data, plaintext.length));
    decipher.setAuthTag(body.subarray(body.length - 16));
    const opened = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
    t.deepEqual(opened, plaintext);
  }
});

test('ChaCha20-Poly1305 record (RFC 7905): no explicit nonce, nonce = IV xor sequence number', (t) => {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const protection = new Tls12Protection(defaultProvider, CHACHA, key, iv);
  for (let seq = 0; seq < 3; seq++) {
    const plaintext = randomBytes(20);
    const [record] = records(protection.seal(ContentType.handshake, plaintext));
    t.is(record!.fragment.length, plaintext.length + 16);
    const nonce = Buffer.from(iv);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    decipher.setAAD(aad(seq, ContentType.handshake, plaintext.length), { plaintextLength: plaintext.length });
    decipher.setAuthTag(record!.fragment.subarray(plaintext.length));
    const opened = Buffer.concat([
      decipher.update(record!.fragment.subarray(0, plaintext.length)),
      decipher.final(),
    ]);
    t.deepEqual(opened, plaintext);
  }
});

test('our protection opens what it sealed, in order, and refuses a replayed record', (t) => {
  const key = randomBytes(32);
  const iv = randomBytes(4);
  const seal = new Tls12Protection(defaultProvider, AES256, key, iv);
  const open = new Tls12Protection(defaultProvider, AES256, key, iv);
  const first = records(seal.seal(ContentType.application_data, Buffer.from('one')))[0]!;
  const second = records(seal.seal(ContentType.application_data, Buffer.from('two')))[0]!;
  t.is(Buffer.from(open.open(first).fragment).toString(), 'one');
  t.is(Buffer.from(open.open(second).fragment).toString(), 'two');
  t.throws(() => open.open(second), { message: /authentication failed/ });
});
