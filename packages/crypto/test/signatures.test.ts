import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { CryptoProvider, PrivateKey, PublicKey, SignatureSchemeName } from '@tls-kit/crypto';
import {
  DerError,
  InvalidKeyError,
  SIGNATURE_SCHEMES,
  signatureSchemeInfo,
  UnsupportedAlgorithmError,
} from '@tls-kit/crypto';
import { forgeE3Signature } from '@tls-kit/test-helpers';
import anyTest, { type TestFn } from 'ava';
import fc from 'fast-check';
import { between, hex, hexAfter, providers, rfcText, unhex, utf8 } from './helpers.js';

// Keys are made by the openssl CLI once (RSA generation is slow) and shared by all tests.
interface OpensslKey {
  readonly pem: string;
  readonly spki: Uint8Array;
  readonly pkcs8: Uint8Array;
  /** PKCS#1 for RSA, SEC1 for EC. */
  readonly traditional?: Uint8Array;
}
type KeyName = 'rsa' | 'rsaPss' | 'rsaE3' | 'p256' | 'p384' | 'p521' | 'ed25519';
interface Context {
  readonly dir: string;
  readonly keys: Record<KeyName, OpensslKey>;
  readonly message: Uint8Array;
  /** openssl signatures of `message`, per scheme. */
  readonly signatures: Map<SignatureSchemeName, { key: KeyName; signature: Uint8Array }>;
}
const test = anyTest as TestFn<Context>;

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

const GENPKEY: Record<KeyName, string[]> = {
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsaPss: ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsaE3: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ED25519'],
};

/** Which openssl key signs each scheme. */
const SCHEME_KEY: Record<SignatureSchemeName, KeyName> = {
  rsa_pkcs1_sha1: 'rsa',
  ecdsa_sha1: 'p256',
  rsa_pkcs1_sha256: 'rsa',
  rsa_pkcs1_sha384: 'rsa',
  rsa_pkcs1_sha512: 'rsa',
  rsa_pss_rsae_sha256: 'rsa',
  rsa_pss_rsae_sha384: 'rsa',
  rsa_pss_rsae_sha512: 'rsa',
  rsa_pss_pss_sha256: 'rsaPss',
  rsa_pss_pss_sha384: 'rsaPss',
  rsa_pss_pss_sha512: 'rsaPss',
  ecdsa_secp256r1_sha256: 'p256',
  ecdsa_secp384r1_sha384: 'p384',
  ecdsa_secp521r1_sha512: 'p521',
  ed25519: 'ed25519',
};

function opensslSignArgs(
  scheme: SignatureSchemeName,
  keyPem: string,
  messageFile: string,
  out: string,
): string[] {
  const info = signatureSchemeInfo(scheme);
  if (info.kind === 'eddsa')
    return ['pkeyutl', '-sign', '-rawin', '-inkey', keyPem, '-in', messageFile, '-out', out];
  const pss =
    info.kind === 'pss' ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] : [];
  return ['dgst', `-${info.hash}`, '-sign', keyPem, ...pss, '-out', out, messageFile];
}

function opensslVerifyArgs(
  scheme: SignatureSchemeName,
  publicPem: string,
  messageFile: string,
  signatureFile: string,
): string[] {
  const info = signatureSchemeInfo(scheme);
  if (info.kind === 'eddsa') {
    return [
      'pkeyutl',
      '-verify',
      '-rawin',
      '-pubin',
      '-inkey',
      publicPem,
      '-in',
      messageFile,
      '-sigfile',
      signatureFile,
    ];
  }
  const pss =
    info.kind === 'pss' ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] : [];
  return ['dgst', `-${info.hash}`, '-verify', publicPem, ...pss, '-signature', signatureFile, messageFile];
}

test.before((t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-sig-'));
  const message = utf8('TLS 1.3, server CertificateVerify\0 transcript hash stand-in');
  writeFileSync(join(dir, 'message'), message);
  const keys = {} as Record<KeyName, OpensslKey>;
  for (const [name, args] of Object.entries(GENPKEY) as [KeyName, string[]][]) {
    const pem = join(dir, `${name}.pem`);
    openssl('genpkey', ...args, '-out', pem);
    openssl('pkey', '-in', pem, '-pubout', '-out', join(dir, `${name}.pub.pem`));
    const traditional =
      name === 'rsa' || name === 'rsaE3'
        ? openssl('rsa', '-in', pem, '-outform', 'DER', '-traditional')
        : name.startsWith('p') && name !== 'rsaPss'
          ? openssl('ec', '-in', pem, '-outform', 'DER')
          : undefined;
    keys[name] = {
      pem,
      spki: new Uint8Array(openssl('pkey', '-in', pem, '-pubout', '-outform', 'DER')),
      pkcs8: new Uint8Array(openssl('pkcs8', '-topk8', '-nocrypt', '-in', pem, '-outform', 'DER')),
      ...(traditional ? { traditional: new Uint8Array(traditional) } : {}),
    };
  }
  const signatures = new Map<SignatureSchemeName, { key: KeyName; signature: Uint8Array }>();
  for (const scheme of SIGNATURE_SCHEMES) {
    const key = SCHEME_KEY[scheme];
    const out = join(dir, `${scheme}.sig`);
    openssl(...opensslSignArgs(scheme, keys[key].pem, join(dir, 'message'), out));
    signatures.set(scheme, { key, signature: new Uint8Array(readFileSync(out)) });
  }
  t.context = { dir, keys, message, signatures };
});

test.after.always((t) => {
  if (t.context?.dir) rmSync(t.context.dir, { recursive: true, force: true });
});

const EXPECTED_TYPES: Record<KeyName, { type: string; curve?: string; bits?: number }> = {
  rsa: { type: 'rsa', bits: 2048 },
  rsaPss: { type: 'rsa-pss', bits: 2048 },
  rsaE3: { type: 'rsa', bits: 2048 },
  p256: { type: 'ec', curve: 'P-256' },
  p384: { type: 'ec', curve: 'P-384' },
  p521: { type: 'ec', curve: 'P-521' },
  ed25519: { type: 'ed25519' },
};

const describeKey = (key: PublicKey | PrivateKey) => ({
  type: key.type,
  ...(key.curve ? { curve: key.curve } : {}),
  ...(key.bits ? { bits: key.bits } : {}),
});

const flipLast = (bytes: Uint8Array) => bytes.map((b, i) => (i === bytes.length - 1 ? b ^ 1 : b));

for (const provider of providers) {
  test(`${provider.name}: imports openssl keys (SPKI, PKCS#8, PKCS#1, SEC1)`, (t) => {
    for (const [name, key] of Object.entries(t.context.keys) as [KeyName, OpensslKey][]) {
      const publicKey = provider.importPublicKey(key.spki);
      t.deepEqual(describeKey(publicKey), EXPECTED_TYPES[name], name);
      t.is(hex(publicKey.spki), hex(key.spki), name);
      const privateKey = provider.importPrivateKey(key.pkcs8, 'pkcs8');
      t.deepEqual(describeKey(privateKey), EXPECTED_TYPES[name], name);
      t.is(hex(privateKey.publicKey.spki), hex(key.spki), `${name}: derived public key`);
      if (key.traditional) {
        const format = name.startsWith('rsa') ? 'pkcs1' : 'sec1';
        const traditional = provider.importPrivateKey(key.traditional, format);
        t.is(hex(traditional.publicKey.spki), hex(key.spki), `${name} ${format}`);
        // The PKCS#8 it reports loads back into the same key.
        t.is(hex(provider.importPrivateKey(traditional.pkcs8, 'pkcs8').publicKey.spki), hex(key.spki));
      }
    }
  });

  test(`${provider.name}: verifies openssl CLI signatures for every scheme`, (t) => {
    t.is(t.context.signatures.size, SIGNATURE_SCHEMES.length);
    for (const [scheme, { key, signature }] of t.context.signatures) {
      const publicKey = provider.importPublicKey(t.context.keys[key].spki);
      t.true(provider.verify(scheme, publicKey, t.context.message, signature), scheme);
      t.false(
        provider.verify(scheme, publicKey, flipLast(t.context.message), signature),
        `${scheme}: other message`,
      );
      t.false(
        provider.verify(scheme, publicKey, t.context.message, flipLast(signature)),
        `${scheme}: modified signature`,
      );
      t.false(
        provider.verify(scheme, publicKey, t.context.message, signature.subarray(1)),
        `${scheme}: truncated`,
      );
      t.false(provider.verify(scheme, publicKey, t.context.message, new Uint8Array(0)), `${scheme}: empty`);
    }
  });

  test(`${provider.name}: signs every scheme with openssl keys; openssl verifies`, (t) => {
    const { dir, keys, message } = t.context;
    for (const scheme of SIGNATURE_SCHEMES) {
      if (signatureSchemeInfo(scheme).verifyOnly) continue;
      const key = SCHEME_KEY[scheme];
      const signature = provider.sign(scheme, provider.importPrivateKey(keys[key].pkcs8, 'pkcs8'), message);
      const file = join(dir, `${provider.name}-${scheme}.sig`);
      writeFileSync(file, signature);
      t.notThrows(
        () => openssl(...opensslVerifyArgs(scheme, join(dir, `${key}.pub.pem`), join(dir, 'message'), file)),
        scheme,
      );
    }
  });

  test(`${provider.name}: scheme/key mismatches and sha1 signing throw UnsupportedAlgorithmError`, (t) => {
    const { keys, message } = t.context;
    const rsa = provider.importPrivateKey(keys.rsa.pkcs8, 'pkcs8');
    const ec = provider.importPrivateKey(keys.p256.pkcs8, 'pkcs8');
    t.throws(() => provider.sign('rsa_pkcs1_sha1', rsa, message), { instanceOf: UnsupportedAlgorithmError });
    t.throws(() => provider.sign('ecdsa_sha1', ec, message), { instanceOf: UnsupportedAlgorithmError });
    t.throws(() => provider.sign('ecdsa_secp256r1_sha256', rsa, message), {
      instanceOf: UnsupportedAlgorithmError,
    });
    t.throws(() => provider.sign('rsa_pss_pss_sha256', rsa, message), {
      instanceOf: UnsupportedAlgorithmError,
    });
    t.throws(() => provider.verify('ed25519', ec.publicKey, message, new Uint8Array(64)), {
      instanceOf: UnsupportedAlgorithmError,
    });
    t.throws(
      () => provider.verify('nope' as SignatureSchemeName, ec.publicKey, message, new Uint8Array(64)),
      { instanceOf: UnsupportedAlgorithmError },
    );
  });

  test(`${provider.name}: rejects malformed and weak keys with typed errors`, (t) => {
    const { keys } = t.context;
    const bad = [
      new Uint8Array(0),
      keys.p256.spki.subarray(0, keys.p256.spki.length - 1),
      Uint8Array.of(...keys.p256.spki, 0),
      unhex('3003020100'),
    ];
    for (const der of bad)
      t.throws(() => provider.importPublicKey(der), { instanceOf: InvalidKeyError }, hex(der));
    // A P-256 SPKI whose point is not on the curve.
    const offCurve = flipLast(keys.p256.spki);
    t.throws(() => provider.importPublicKey(offCurve), { instanceOf: InvalidKeyError });
    // The same for P-384, and for points given as coordinates that are not the curve's field.
    t.throws(() => provider.importPublicKey(flipLast(keys.p384.spki)), { instanceOf: InvalidKeyError });
    const prefix = keys.p256.spki.subarray(0, keys.p256.spki.length - 64);
    const outOfField = Uint8Array.of(...prefix, ...new Uint8Array(64).fill(0xff));
    t.throws(() => provider.importPublicKey(outOfField), { instanceOf: InvalidKeyError });
    t.throws(() => provider.importPrivateKey(keys.p256.pkcs8.subarray(0, 20), 'pkcs8'), {
      instanceOf: InvalidKeyError,
    });
    t.throws(() => provider.importPrivateKey(keys.p256.pkcs8, 'pkcs1'), { instanceOf: InvalidKeyError });
    // 512-bit RSA: too small to be used.
    const weakPem = join(t.context.dir, 'weak.pem');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512', '-out', weakPem);
    const weak = new Uint8Array(openssl('pkcs8', '-topk8', '-nocrypt', '-in', weakPem, '-outform', 'DER'));
    t.throws(() => provider.importPrivateKey(weak, 'pkcs8'), { instanceOf: UnsupportedAlgorithmError });
    t.throws(() => provider.generateKeyPair({ type: 'rsa', bits: 512 }), {
      instanceOf: UnsupportedAlgorithmError,
    });
  });

  test(`${provider.name}: EC SubjectPublicKeyInfo with a point off the curve is InvalidKeyError`, (t) => {
    for (const name of ['p256', 'p384', 'p521'] as const) {
      const spki = t.context.keys[name].spki;
      t.notThrows(() => provider.importPublicKey(spki));
      // The last byte is the low byte of y: flipping its low bit leaves the curve.
      t.throws(() => provider.importPublicKey(flipLast(spki)), { instanceOf: InvalidKeyError }, name);
    }
  });

  test(`${provider.name}: ECDSA accepts high-S signatures (real-world signers) but not raw r||s`, (t) => {
    const curves = { p256, p384, p521 } as const;
    for (const name of ['p256', 'p384', 'p521'] as const) {
      const { keys, message } = t.context;
      const scheme =
        name === 'p256'
          ? 'ecdsa_secp256r1_sha256'
          : name === 'p384'
            ? 'ecdsa_secp384r1_sha384'
            : 'ecdsa_secp521r1_sha512';
      const signature = t.context.signatures.get(scheme)!.signature;
      const sig = curves[name].Signature.fromBytes(signature, 'der');
      const n = curves[name].Point.Fn.ORDER;
      const flipped = new curves[name].Signature(sig.r, n - sig.s).toBytes('der');
      const publicKey = provider.importPublicKey(keys[name].spki);
      t.true(provider.verify(scheme, publicKey, message, flipped), `${name} other-S`);
      t.false(provider.verify(scheme, publicKey, message, sig.toBytes('compact')), `${name} compact`);
    }
  });

  test(`${provider.name}: RSA PKCS#1 v1.5 e=3 signature forgery (Bleichenbacher 2006, CVE-2026-33894) fails`, (t) => {
    const { keys, message } = t.context;
    const publicKey = provider.importPublicKey(keys.rsaE3.spki);
    // The e=3 key itself works for honest signatures.
    const honest = provider.sign(
      'rsa_pkcs1_sha256',
      provider.importPrivateKey(keys.rsaE3.pkcs8, 'pkcs8'),
      message,
    );
    t.true(provider.verify('rsa_pkcs1_sha256', publicKey, message, honest));
    const forged = forgeE3Signature(message, 256);
    t.false(provider.verify('rsa_pkcs1_sha256', publicKey, message, forged));
  });

  test(`${provider.name}: Ed25519 RFC 8032 §7.1 tests 1-3 and 1024`, (t) => {
    const rfc8032 = rfcText('rfc8032.txt');
    const names = ['TEST 1', 'TEST 2', 'TEST 3', 'TEST 1024'];
    const ends = ['-----TEST 2', '-----TEST 3', '-----TEST 1024', '-----TEST SHA(abc)'];
    names.forEach((name, i) => {
      const section = between(rfc8032, `   -----${name}\n`, `   ${ends[i]}`);
      const seed = hexAfter(section, 'SECRET KEY:');
      const publicRaw = hexAfter(section, 'PUBLIC KEY:');
      const message = hexAfter(section, 'MESSAGE');
      const expected = hexAfter(section, 'SIGNATURE:');
      t.is(expected.length, 64);
      const privateKey = provider.importPrivateKey(
        Uint8Array.of(...unhex('302e020100300506032b657004220420'), ...seed),
        'pkcs8',
      );
      t.is(hex(privateKey.publicKey.spki.subarray(12)), hex(publicRaw), name);
      t.is(hex(provider.sign('ed25519', privateKey, message)), hex(expected), name);
      t.true(provider.verify('ed25519', privateKey.publicKey, message, expected), name);
    });
  });

  test(`${provider.name}: Ed25519 rejects non-canonical S = S + L (CVE-2026-33895)`, (t) => {
    const { keys, message } = t.context;
    const signature = t.context.signatures.get('ed25519')!.signature;
    const publicKey = provider.importPublicKey(keys.ed25519.spki);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const s = BigInt(`0x${hex(signature.slice(32).reverse())}`);
    const sPlusL = unhex((s + L).toString(16).padStart(64, '0')).reverse();
    t.true(provider.verify('ed25519', publicKey, message, signature));
    t.false(
      provider.verify('ed25519', publicKey, message, Uint8Array.of(...signature.subarray(0, 32), ...sPlusL)),
    );
  });
}

test('each provider verifies the other provider’s signatures, every scheme, generated keys', (t) => {
  const message = utf8('cross-provider');
  const generated = new Map<CryptoProvider, Record<string, PrivateKey>>();
  for (const provider of providers) {
    generated.set(provider, {
      rsa: provider.generateKeyPair({ type: 'rsa', bits: 2048 }),
      'P-256': provider.generateKeyPair({ type: 'ec', curve: 'P-256' }),
      'P-384': provider.generateKeyPair({ type: 'ec', curve: 'P-384' }),
      ed25519: provider.generateKeyPair({ type: 'ed25519' }),
    });
  }
  const keyFor: Partial<Record<SignatureSchemeName, string>> = {
    rsa_pkcs1_sha256: 'rsa',
    rsa_pkcs1_sha384: 'rsa',
    rsa_pkcs1_sha512: 'rsa',
    rsa_pss_rsae_sha256: 'rsa',
    rsa_pss_rsae_sha384: 'rsa',
    rsa_pss_rsae_sha512: 'rsa',
    ecdsa_secp256r1_sha256: 'P-256',
    ecdsa_secp384r1_sha384: 'P-384',
    ed25519: 'ed25519',
  };
  for (const signer of providers) {
    for (const verifier of providers) {
      for (const [scheme, keyName] of Object.entries(keyFor) as [SignatureSchemeName, string][]) {
        const key = generated.get(signer)![keyName]!;
        t.deepEqual(describeKey(key), describeKey(verifier.importPrivateKey(key.pkcs8, 'pkcs8')));
        const signature = signer.sign(scheme, key, message);
        t.true(
          verifier.verify(scheme, key.publicKey, message, signature),
          `${signer.name} -> ${verifier.name} ${scheme}`,
        );
      }
    }
  }
});

test('the DER reader refuses non-minimal lengths and integers', (t) => {
  for (const provider of providers) {
    // 30 81 05 ...: a long-form length below 128.
    t.throws(() => provider.importPublicKey(unhex('3081050201000201')), { instanceOf: InvalidKeyError });
  }
  // The noble provider's own reader reports DerError specifically.
  const noble = providers[1]!;
  t.throws(() => noble.importPublicKey(unhex('308105020100020100')), { instanceOf: DerError });
  t.throws(() => noble.importPublicKey(unhex('3080020100020100000')), { instanceOf: DerError });
});

test('providers verify each other’s ECDSA and Ed25519 signatures over random messages', (t) => {
  const [a, b] = providers as [CryptoProvider, CryptoProvider];
  const keys = [
    { scheme: 'ecdsa_secp256r1_sha256', key: a.generateKeyPair({ type: 'ec', curve: 'P-256' }) },
    { scheme: 'ecdsa_secp384r1_sha384', key: b.generateKeyPair({ type: 'ec', curve: 'P-384' }) },
    { scheme: 'ed25519', key: a.generateKeyPair({ type: 'ed25519' }) },
  ] as const;
  fc.assert(
    fc.property(
      fc.constantFrom(...keys),
      fc.uint8Array({ maxLength: 300 }),
      fc.boolean(),
      ({ scheme, key }, message, nodeSigns) => {
        const [signer, verifier] = nodeSigns ? [a, b] : [b, a];
        const signature = signer.sign(scheme, key, message);
        t.true(verifier.verify(scheme, key.publicKey, message, signature));
        t.false(verifier.verify(scheme, key.publicKey, Uint8Array.of(...message, 0), signature));
      },
    ),
    { numRuns: 25 },
  );
});
