import { execFileSync } from 'node:child_process';
import { checkPrimeSync, getDiffieHellman } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import type { CryptoProvider, KeyExchangeGroup, NamedGroupName } from '@tls-kit/crypto';
import {
  CryptoError,
  composeProvider,
  dhParametersFromDer,
  FFDHE_PRIMES_HEX,
  InvalidKeyShareError,
  NAMED_GROUPS,
  UnsupportedAlgorithmError,
} from '@tls-kit/crypto';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { between, hex, hexAfter, providers, rfcText, unhex } from './helpers.js';

const [nodeP, nobleP] = providers as [(typeof providers)[0], (typeof providers)[0]];

const rfc7748 = rfcText('rfc7748.txt');
/** The single-call vectors of one curve in RFC 7748 §5.2. */
const scalarMultVectors = (section: string) =>
  section
    .split('Input scalar:')
    .slice(1)
    .map((chunk) => ({
      scalar: hexAfter(`Input scalar:${chunk}`, 'Input scalar:'),
      u: hexAfter(chunk, 'Input u-coordinate:'),
      output: hexAfter(chunk, 'Output u-coordinate:'),
    }));
const x25519Vectors = scalarMultVectors(between(rfc7748, '5.2.  Test Vectors', '   X448:'));
const s61 = between(rfc7748, '6.1.  Curve25519', '6.2.  Curve448');
const x448Vectors = scalarMultVectors(
  between(
    rfc7748.slice(rfc7748.indexOf('\n5.2.  Test Vectors')),
    '   X448:',
    '   The second type of test vector',
  ),
);
const iterated = rfc7748.slice(rfc7748.indexOf('The second type of test vector'));
const x448Iterated = between(iterated, '   X448:', '6.  Diffie-Hellman');
const s62 = between(rfc7748, '6.2.  Curve448', '7.  Security Considerations');

// Encodings of low-order points and their aliases: X25519 maps them all to zero (RFC 7748 §6.1,
// the libsodium blocklist); TLS must reject them (RFC 8446 §7.4.2).
const p25519 = 2n ** 255n - 19n;
const le32 = (n: bigint) => unhex(n.toString(16).padStart(64, '0')).reverse();
const LOW_ORDER = [
  0n,
  1n,
  0x00b8495f16056286fdb1329ceb8d09da6ac49ff1fae35616aeb8413b7c7aebe0n,
  0x57119fd0dd4e22d8868e1c58c45c44045bef839c55b1d0b1248c50a3bc959c5fn,
  p25519 - 1n,
  p25519,
  p25519 + 1n,
].map(le32);

// X448's low-order points (u = 0, 1, p-1) and the non-canonical encodings of 0 and 1 (RFC 7748 §5:
// values >= p are reduced): all give an all-zero secret, refused (RFC 7748 §6.2, RFC 8446 §7.4.2).
const p448 = 2n ** 448n - 2n ** 224n - 1n;
const le56 = (n: bigint) => unhex(n.toString(16).padStart(112, '0')).reverse();
const LOW_ORDER_X448 = [0n, 1n, p448 - 1n, p448, p448 + 1n].map(le56);

const EC_SHARE_LENGTH = { secp256r1: 65, secp384r1: 97, secp521r1: 133 } as const;

/**
 * RFC 7748 §6.1 / §6.2 (`section`): Alice's and Bob's public keys from their private keys, and
 * the same shared secret on both sides and from respondKeyExchange.
 */
function diffieHellman(
  t: ExecutionContext,
  provider: CryptoProvider,
  group: 'x25519' | 'x448',
  section: string,
) {
  const alice = provider.startKeyExchange(group, hexAfter(section, "Alice's private key, a:"));
  const bob = provider.startKeyExchange(group, hexAfter(section, "Bob's private key, b:"));
  t.is(hex(alice.publicKey), hex(hexAfter(section, "Alice's public key")));
  t.is(hex(bob.publicKey), hex(hexAfter(section, "Bob's public key")));
  const k = hexAfter(section, 'Their shared secret, K:');
  t.is(hex(alice.complete(bob.publicKey)), hex(k));
  t.is(hex(bob.complete(alice.publicKey)), hex(k));
  t.is(provider.respondKeyExchange(group, alice.publicKey).sharedSecret.length, k.length);
}

test('RFC 7748 vectors parse', (t) => {
  t.is(x25519Vectors.length, 2);
  t.is(hexAfter(s61, 'Their shared secret, K:').length, 32);
  t.is(x448Vectors.length, 2);
  for (const v of x448Vectors) t.deepEqual([v.scalar.length, v.u.length, v.output.length], [56, 56, 56]);
  t.is(hexAfter(iterated, 'For X448:').length, 56);
  t.is(hexAfter(x448Iterated, 'After 1,000 iterations:').length, 56);
  t.is(hexAfter(s62, 'Their shared secret, K:').length, 56);
});

for (const provider of providers) {
  test(`${provider.name}: X25519 RFC 7748 §5.2 (incl. a u-coordinate with the top bit set)`, (t) => {
    for (const v of x25519Vectors) {
      t.is(hex(provider.startKeyExchange('x25519', v.scalar).complete(v.u)), hex(v.output));
    }
  });

  test(`${provider.name}: X25519 RFC 7748 §6.1 Diffie-Hellman`, (t) =>
    diffieHellman(t, provider, 'x25519', s61));

  test(`${provider.name}: X25519 rejects low-order points (all-zero secret) and bad lengths`, (t) => {
    const own = provider.startKeyExchange('x25519');
    for (const point of LOW_ORDER)
      t.throws(() => own.complete(point), { instanceOf: InvalidKeyShareError }, hex(point));
    for (const length of [0, 31, 33, 65])
      t.throws(() => own.complete(new Uint8Array(length).fill(9)), { instanceOf: InvalidKeyShareError });
    t.throws(() => provider.respondKeyExchange('x25519', LOW_ORDER[0] as Uint8Array), {
      instanceOf: InvalidKeyShareError,
    });
  });

  test(`${provider.name}: X448 RFC 7748 §5.2 (single calls, 1 and 1,000 iterations)`, (t) => {
    for (const v of x448Vectors) {
      t.is(hex(provider.startKeyExchange('x448', v.scalar).complete(v.u)), hex(v.output));
    }
    let k = hexAfter(iterated, 'For X448:');
    let u = k;
    for (let i = 1; i <= 1000; i++) {
      [k, u] = [provider.startKeyExchange('x448', k).complete(u), k];
      if (i === 1) t.is(hex(k), hex(hexAfter(x448Iterated, 'After one iteration:')));
    }
    t.is(hex(k), hex(hexAfter(x448Iterated, 'After 1,000 iterations:')));
  });

  test(`${provider.name}: X448 RFC 7748 §6.2 Diffie-Hellman`, (t) => diffieHellman(t, provider, 'x448', s62));

  test(`${provider.name}: X448 rejects low-order points (all-zero secret) and bad lengths`, (t) => {
    const own = provider.startKeyExchange('x448');
    t.is(own.publicKey.length, 56);
    for (const point of LOW_ORDER_X448)
      t.throws(() => own.complete(point), { instanceOf: InvalidKeyShareError }, hex(point));
    for (const length of [0, 32, 55, 57, 112])
      t.throws(() => own.complete(new Uint8Array(length).fill(5)), { instanceOf: InvalidKeyShareError });
    t.throws(() => provider.respondKeyExchange('x448', LOW_ORDER_X448[0] as Uint8Array), {
      instanceOf: InvalidKeyShareError,
    });
    t.throws(() => provider.startKeyExchange('x448', new Uint8Array(32)), { instanceOf: CryptoError });
  });

  for (const group of ['secp256r1', 'secp384r1', 'secp521r1'] as const) {
    test(`${provider.name}: ${group} rejects off-curve, compressed, infinity and mis-sized points`, (t) => {
      const own = provider.startKeyExchange(group);
      const peer = provider.startKeyExchange(group).publicKey;
      t.is(peer.length, EC_SHARE_LENGTH[group]);
      t.is(peer[0], 4);
      const offCurve = peer.slice();
      offCurve[offCurve.length - 1] = (offCurve[offCurve.length - 1] as number) ^ 1;
      const coordinate = (peer.length - 1) / 2;
      const bad = [
        offCurve,
        Uint8Array.of(4, ...new Uint8Array(2 * coordinate)), // (0, 0)
        Uint8Array.of(4, ...new Uint8Array(2 * coordinate).fill(0xff)), // coordinates >= p
        Uint8Array.of(2 + ((peer[peer.length - 1] as number) & 1), ...peer.subarray(1, 1 + coordinate)), // compressed
        Uint8Array.of(0), // point at infinity
        peer.subarray(0, peer.length - 1),
        Uint8Array.of(...peer, 0),
      ];
      for (const point of bad) {
        t.throws(() => own.complete(point), { instanceOf: InvalidKeyShareError }, hex(point));
        t.throws(() => provider.respondKeyExchange(group, point), { instanceOf: InvalidKeyShareError });
      }
      // The secret is the x-coordinate, as long as a coordinate (RFC 8446 §7.4.2).
      t.is(own.complete(peer).length, coordinate);
    });
  }

  for (const group of ['ffdhe2048', 'ffdhe3072'] as const) {
    test(`${provider.name}: ${group} rejects y in {0, 1, p-1, p} and over-long values`, (t) => {
      const p = BigInt(`0x${FFDHE_PRIMES_HEX[group]}`);
      const size = Number(group.slice(5)) / 8;
      const own = provider.startKeyExchange(group);
      t.is(own.publicKey.length, size);
      const encode = (n: bigint) => unhex(n.toString(16).padStart(size * 2, '0'));
      for (const y of [0n, 1n, p - 1n, p, p + 1n]) {
        t.throws(
          () => own.complete(encode(y)),
          { instanceOf: InvalidKeyShareError },
          y.toString(16).slice(0, 8),
        );
      }
      t.throws(() => own.complete(new Uint8Array(0)), { instanceOf: InvalidKeyShareError });
      t.throws(() => own.complete(Uint8Array.of(0, ...encode(2n))), { instanceOf: InvalidKeyShareError });
      // y = 2 is a legal (if silly) value, also when sent unpadded (TLS 1.2 dh_Ys).
      t.is(own.complete(encode(2n)).length, size);
      t.is(hex(own.complete(Uint8Array.of(2))), hex(own.complete(encode(2n))));
    });
  }

  test(`${provider.name}: X25519MLKEM768 shares, lengths and order (draft-ietf-tls-ecdhe-mlkem §3.1)`, (t) => {
    // Known private key: ML-KEM keygen seed (64 bytes) || X25519 scalar (32 bytes).
    const seed = unhex('11'.repeat(64));
    const x = hexAfter(s61, "Alice's private key, a:");
    const client = provider.startKeyExchange('x25519mlkem768', Uint8Array.of(...seed, ...x));
    t.is(client.publicKey.length, 1216);
    t.is(hex(client.publicKey.subarray(0, 1184)), hex(ml_kem768.keygen(seed).publicKey));
    t.is(hex(client.publicKey.subarray(1184)), hex(hexAfter(s61, "Alice's public key")));
    const server = provider.respondKeyExchange('x25519mlkem768', client.publicKey);
    t.is(server.publicKey.length, 1120);
    t.is(server.sharedSecret.length, 64);
    t.is(hex(client.complete(server.publicKey)), hex(server.sharedSecret));
    // The secret is ML-KEM secret || X25519 secret.
    const mlkemSecret = ml_kem768.decapsulate(
      server.publicKey.subarray(0, 1088),
      ml_kem768.keygen(seed).secretKey,
    );
    t.is(hex(server.sharedSecret.subarray(0, 32)), hex(mlkemSecret));
    const ecdh = provider.startKeyExchange('x25519', x).complete(server.publicKey.subarray(1088));
    t.is(hex(server.sharedSecret.subarray(32)), hex(ecdh));
  });

  test(`${provider.name}: X25519MLKEM768 rejects bad shares`, (t) => {
    const client = provider.startKeyExchange('x25519mlkem768');
    for (const length of [0, 1119, 1121, 1216]) {
      t.throws(() => client.complete(new Uint8Array(length)), { instanceOf: InvalidKeyShareError });
    }
    for (const length of [0, 1184, 1215, 1217]) {
      t.throws(() => provider.respondKeyExchange('x25519mlkem768', new Uint8Array(length)), {
        instanceOf: InvalidKeyShareError,
      });
    }
    // FIPS 203 §7.2 modulus check: a coefficient of 4095 (>= q) in the encapsulation key.
    const badKey = client.publicKey.slice();
    badKey[0] = 0xff;
    badKey[1] = 0x0f;
    t.throws(() => provider.respondKeyExchange('x25519mlkem768', badKey), {
      instanceOf: InvalidKeyShareError,
    });
    // The X25519 half is validated too.
    const zeroX = Uint8Array.of(...client.publicKey.subarray(0, 1184), ...new Uint8Array(32));
    t.throws(() => provider.respondKeyExchange('x25519mlkem768', zeroX), {
      instanceOf: InvalidKeyShareError,
    });
  });

  test(`${provider.name}: custom DH parameters, and refusal of weak ones`, (t) => {
    const modp14 = getDiffieHellman('modp14');
    const group: KeyExchangeGroup = { custom: { p: new Uint8Array(modp14.getPrime()), g: Uint8Array.of(2) } };
    t.true(provider.supportsGroup(group));
    const a = provider.startKeyExchange(group);
    const b = provider.respondKeyExchange(group, a.publicKey);
    t.is(hex(a.complete(b.publicKey)), hex(b.sharedSecret));
    t.is(b.sharedSecret.length, 256);
    const small = getDiffieHellman('modp1').getPrime(); // 768 bits
    t.throws(() => provider.startKeyExchange({ custom: { p: new Uint8Array(small), g: Uint8Array.of(2) } }), {
      instanceOf: InvalidKeyShareError,
    });
    const p = new Uint8Array(modp14.getPrime());
    t.throws(() => provider.startKeyExchange({ custom: { p, g: Uint8Array.of(1) } }), {
      instanceOf: InvalidKeyShareError,
    });
    const even = p.slice();
    even[even.length - 1] = 0;
    t.throws(() => provider.startKeyExchange({ custom: { p: even, g: Uint8Array.of(2) } }), {
      instanceOf: InvalidKeyShareError,
    });
  });

  test(`${provider.name}: unknown groups are UnsupportedAlgorithmError`, (t) => {
    t.false(provider.supportsGroup('ffdhe8192' as NamedGroupName));
    t.throws(() => provider.startKeyExchange('brainpoolP256r1' as NamedGroupName), {
      instanceOf: UnsupportedAlgorithmError,
    });
    t.throws(() => provider.startKeyExchange('x25519', new Uint8Array(31)), { instanceOf: CryptoError });
    // Known-answer private keys outside [1, n-1].
    t.throws(() => provider.startKeyExchange('secp256r1', new Uint8Array(32)), { instanceOf: CryptoError });
    t.throws(() => provider.startKeyExchange('secp256r1', new Uint8Array(32).fill(0xff)), {
      instanceOf: CryptoError,
    });
    t.throws(() => provider.startKeyExchange('ffdhe2048', Uint8Array.of(1)), { instanceOf: CryptoError });
    t.throws(() => provider.startKeyExchange('secp521r1', new Uint8Array(66).fill(0xff)), {
      instanceOf: CryptoError,
    });
    t.throws(() => provider.startKeyExchange('secp521r1', new Uint8Array(65).fill(1)), {
      instanceOf: CryptoError,
    });
  });
}

test('each provider completes exchanges started by the other, for every named group', (t) => {
  for (const group of NAMED_GROUPS) {
    for (const [a, b] of [
      [nodeP, nobleP],
      [nobleP, nodeP],
    ] as const) {
      t.true(a.supportsGroup(group));
      const initiator = a.startKeyExchange(group);
      const response = b.respondKeyExchange(group, initiator.publicKey);
      t.is(
        hex(initiator.complete(response.publicKey)),
        hex(response.sharedSecret),
        `${group} ${a.name}->${b.name}`,
      );
    }
  }
});

test('providers agree on public values and secrets for the same private keys (random)', (t) => {
  // A nonzero scalar of the group's length; EC scalars are kept below the order n by their top
  // byte (P-521's n is just under 2^521, so its top byte is 0 or 1).
  const scalar = (length: number, topMax: number) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: topMax }),
        fc.uint8Array({ minLength: length - 1, maxLength: length - 1 }),
      )
      .map(([top, rest]) => Uint8Array.of(top, ...rest))
      .filter((b) => b.some((x) => x !== 0));
  const keys = (group: NamedGroupName, length: number, topMax: number) =>
    fc.tuple(fc.constant(group), scalar(length, topMax), scalar(length, topMax));
  fc.assert(
    fc.property(
      fc.oneof(
        keys('x25519', 32, 0xff),
        keys('x448', 56, 0xff),
        keys('secp256r1', 32, 0xfe),
        keys('secp384r1', 48, 0xfe),
        keys('secp521r1', 66, 1),
        keys('ffdhe2048', 28, 0xff),
      ),
      ([group, a, b]) => {
        const nodeA = nodeP.startKeyExchange(group, a);
        const nobleA = nobleP.startKeyExchange(group, a);
        t.is(hex(nodeA.publicKey), hex(nobleA.publicKey));
        const peer = nobleP.startKeyExchange(group, b).publicKey;
        t.is(hex(nodeA.complete(peer)), hex(nobleA.complete(peer)));
      },
    ),
    { numRuns: 30 },
  );
});

test('FFDHE primes are prime and match the RFC 7919 text', (t) => {
  const rfc7919 = rfcText('rfc7919.txt').replace(/\s+/g, '');
  for (const [name, primeHex] of Object.entries(FFDHE_PRIMES_HEX)) {
    t.is(primeHex.length * 4, Number(name.slice(5)));
    t.true(rfc7919.includes(primeHex.toUpperCase()), name);
    t.true(checkPrimeSync(BigInt(`0x${primeHex}`), { checks: 2 }), name);
  }
});

test('dhParametersFromDer reads openssl DER (PKCS#3) and the exchange works on both providers', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-dh-'));
  try {
    const pem = join(dir, 'dh.pem');
    const der = join(dir, 'dh.der');
    execFileSync('openssl', [
      'genpkey',
      '-genparam',
      '-algorithm',
      'DH',
      '-pkeyopt',
      'group:ffdhe2048',
      '-out',
      pem,
    ]);
    execFileSync('openssl', ['dhparam', '-in', pem, '-outform', 'DER', '-out', der]);
    const params = dhParametersFromDer(new Uint8Array(readFileSync(der)));
    t.is(hex(params.p), FFDHE_PRIMES_HEX.ffdhe2048);
    t.is(hex(params.g), '02');
    // X9.42 parameters (p, g, q) from -dsaparam: a prime with a small subgroup, full-length exponents.
    execFileSync('openssl', ['dhparam', '-dsaparam', '-outform', 'DER', '-out', der, '1024'], {
      stdio: 'ignore',
    });
    const x942 = dhParametersFromDer(new Uint8Array(readFileSync(der)));
    const group = { custom: x942 };
    const a = nodeP.startKeyExchange(group);
    const b = nobleP.respondKeyExchange(group, a.publicKey);
    t.is(hex(a.complete(b.publicKey)), hex(b.sharedSecret));
    t.throws(() => dhParametersFromDer(readFileSync(der).subarray(0, 100)), { instanceOf: CryptoError });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('composeProvider routes groups and overrides members', (t) => {
  const composed = composeProvider(nodeP, { groups: { x25519mlkem768: nobleP } });
  t.is(composed.name, 'node+x25519mlkem768:noble');
  const initiator = composed.startKeyExchange('x25519mlkem768');
  const response = nodeP.respondKeyExchange('x25519mlkem768', initiator.publicKey);
  t.is(hex(initiator.complete(response.publicKey)), hex(response.sharedSecret));
  let calls = 0;
  const counting = composeProvider(nobleP, {
    name: 'counting',
    randomBytes: (n) => {
      calls++;
      return nobleP.randomBytes(n);
    },
  });
  t.is(counting.name, 'counting');
  t.is(counting.randomBytes(5).length, 5);
  t.is(calls, 1);
  t.is(hex(counting.hash('sha256', new Uint8Array(0))), hex(nodeP.hash('sha256', new Uint8Array(0))));
  t.false(composeProvider(nodeP, { supportsGroup: () => false }).supportsGroup('x25519'));
  // Every method of the base passes through: explicit-group DHE needs isProbablePrime.
  for (const [key, value] of Object.entries(nodeP))
    if (typeof value === 'function') t.is(typeof composed[key as keyof typeof composed], 'function', key);
  t.true(composed.isProbablePrime(Uint8Array.of(0x01, 0x01)));
  t.false(composed.isProbablePrime(Uint8Array.of(0x01, 0x00)));
});
