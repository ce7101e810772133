// Passphrase-protected private keys made by the openssl CLI: PKCS#8 PBES2 (every PRF and AES size)
// and the legacy "Proc-Type: 4,ENCRYPTED" PEM form decrypt to the very key of the plain file;
// wrong or missing passphrases, unsupported schemes, hostile iteration counts and garbled
// structures are refused with typed errors.

import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { cbc } from '@noble/ciphers/aes.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  CertificateBuilder,
  CertificateError,
  decodePem,
  encodePem,
  loadCertificateChainPem,
  loadPrivateKeyDer,
  loadPrivateKeyPem,
  MAX_PBKDF2_ITERATIONS,
  PassphraseRequiredError,
  PemError,
  PrivateKeyDecryptionError,
  UnsupportedAlgorithmError,
} from '@tls-kit/certs';
import { CryptoError, type CryptoProvider, nobleProvider, type PrivateKey } from '@tls-kit/crypto';
import { octetString, oid, sequence, smallInteger, tlv, unsignedInteger } from '@tls-kit/crypto/der-writer';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import fc from 'fast-check';
import { Oid } from '../src/oids.js';
import { hasOpenssl, type KeyKind, OpensslPki } from './openssl-pki.js';

const pki = hasOpenssl() ? new OpensslPki() : undefined;
test.after.always(() => pki?.cleanup());

const openssl = (...args: string[]): Buffer =>
  execFileSync('openssl', args, { cwd: pki!.dir, stdio: ['ignore', 'pipe', 'pipe'] });

const kinds = ['rsa', 'p256', 'ed25519'] as const;
/** Each plain key file, with its SubjectPublicKeyInfo as openssl prints it. */
const plain = new Map<KeyKind, { file: string; spki: Uint8Array }>();
if (pki) {
  for (const kind of kinds) {
    const file = pki.key(`plain-${kind}`, kind);
    plain.set(kind, {
      file,
      spki: new Uint8Array(openssl('pkey', '-in', file, '-pubout', '-outform', 'DER')),
    });
  }
}

/** Skips (with a log) only when the openssl binary is truly absent. */
function needsOpenssl(t: { log(...v: unknown[]): void; false(v: boolean): void }): boolean {
  if (pki) return true;
  t.log('openssl CLI not found');
  t.false(hasOpenssl());
  return false;
}

const schemeNames: Record<KeyKind, string> = {
  rsa: 'rsa_pss_rsae_sha256',
  p256: 'ecdsa_secp256r1_sha256',
  p384: 'ecdsa_secp384r1_sha384',
  ed25519: 'ed25519',
};

/** The decrypted key is the plain file's key: same public key, and node:crypto verifies its signature with the plain file. */
function assertSameKey(
  t: { deepEqual(a: unknown, b: unknown, m?: string): void; true(v: boolean, m?: string): void },
  key: PrivateKey,
  kind: KeyKind,
  provider: CryptoProvider,
  what: string,
): void {
  const expected = plain.get(kind)!;
  t.deepEqual(key.publicKey.spki, expected.spki, what);
  const data = new TextEncoder().encode(`signed by ${what}`);
  const signature = provider.sign(schemeNames[kind] as never, key, data);
  const publicKey = createPublicKey({ key: pki!.read(expected.file), format: 'pem' });
  const options =
    kind === 'rsa'
      ? { key: publicKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
      : kind === 'p256'
        ? { key: publicKey, dsaEncoding: 'der' as const }
        : publicKey;
  t.true(verify(kind === 'ed25519' ? null : 'sha256', data, options, signature), `${what}: signature`);
}

const pbes2Variants = [
  ['aes-128-cbc', 'hmacWithSHA1'],
  ['aes-192-cbc', 'hmacWithSHA224'],
  ['aes-256-cbc', 'hmacWithSHA256'],
  ['aes-256-cbc', 'hmacWithSHA384'],
  ['aes-128-cbc', 'hmacWithSHA512'],
] as const;

test('PKCS#8 PBES2 from openssl pkcs8 -topk8: every PRF and AES size, PEM and DER, both providers', (t) => {
  if (!needsOpenssl(t)) return;
  for (const kind of kinds) {
    for (const [cipher, prf] of pbes2Variants) {
      const what = `${kind} ${cipher} ${prf}`;
      const args = ['pkcs8', '-topk8', '-in', plain.get(kind)!.file, '-v2', cipher, '-v2prf', prf];
      const pem = openssl(...args, '-passout', 'pass:correct horse').toString();
      t.regex(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      for (const provider of [nodeProvider, nobleProvider]) {
        assertSameKey(
          t,
          loadPrivateKeyPem(pem, { provider, passphrase: 'correct horse' }),
          kind,
          provider,
          what,
        );
      }
      const der = decodePem(pem)[0]!.der;
      const fromDer = loadPrivateKeyDer(der, nodeProvider, { passphrase: 'correct horse' });
      t.deepEqual(fromDer.publicKey.spki, plain.get(kind)!.spki, `${what} DER`);
      t.throws(() => loadPrivateKeyPem(pem, { passphrase: 'correct horse!' }), {
        instanceOf: PrivateKeyDecryptionError,
        message: /wrong passphrase/,
      });
    }
  }
});

test('openssl genpkey -aes-256-cbc (the OpenSSL 3 default PBES2), and passphrases as UTF-8 text or bytes', (t) => {
  if (!needsOpenssl(t)) return;
  const passphrase = 'pässwörd 🔑';
  const pem = openssl(
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-aes-256-cbc',
    '-pass',
    `pass:${passphrase}`,
  ).toString();
  const fromText = loadPrivateKeyPem(pem, { passphrase });
  const fromBytes = loadPrivateKeyPem(pem, { passphrase: new TextEncoder().encode(passphrase) });
  t.deepEqual(fromText.pkcs8, fromBytes.pkcs8);
  // The same key decrypted by openssl itself.
  const clear = execFileSync('openssl', ['pkey', '-passin', `pass:${passphrase}`, '-outform', 'DER'], {
    input: pem,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  t.deepEqual(fromText.pkcs8, loadPrivateKeyDer(new Uint8Array(clear), nodeProvider).pkcs8);
  // Latin-1 bytes of the same text are another passphrase.
  t.throws(
    () => loadPrivateKeyPem(pem, { passphrase: Uint8Array.from(passphrase, (c) => c.charCodeAt(0) & 0xff) }),
    {
      instanceOf: PrivateKeyDecryptionError,
    },
  );
  // A passphrase is ignored for a key that is not encrypted (node:tls does the same).
  t.deepEqual(
    loadPrivateKeyPem(pki!.read(plain.get('p256')!.file), { passphrase: 'unused' }).publicKey.spki,
    plain.get('p256')!.spki,
  );
});

test('legacy OpenSSL PEM encryption (Proc-Type + DEK-Info): AES-128/192/256-CBC, RSA and EC', (t) => {
  if (!needsOpenssl(t)) return;
  const cases = [
    ['rsa', 'rsa', '-aes128', 'RSA PRIVATE KEY', 'AES-128-CBC'],
    ['rsa', 'rsa', '-aes256', 'RSA PRIVATE KEY', 'AES-256-CBC'],
    ['p256', 'ec', '-aes128', 'EC PRIVATE KEY', 'AES-128-CBC'],
    ['p256', 'ec', '-aes192', 'EC PRIVATE KEY', 'AES-192-CBC'],
    ['p256', 'ec', '-aes256', 'EC PRIVATE KEY', 'AES-256-CBC'],
  ] as const;
  for (const [kind, command, cipher, label, dekName] of cases) {
    const extra = command === 'rsa' ? ['-traditional'] : [];
    const pem = openssl(
      command,
      '-in',
      plain.get(kind)!.file,
      ...extra,
      cipher,
      '-passout',
      'pass:legacy',
    ).toString();
    t.true(pem.startsWith(`-----BEGIN ${label}-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: ${dekName},`), pem);
    for (const provider of [nodeProvider, nobleProvider]) {
      assertSameKey(
        t,
        loadPrivateKeyPem(pem, { provider, passphrase: 'legacy' }),
        kind,
        provider,
        `${kind} ${cipher}`,
      );
    }
    t.throws(() => loadPrivateKeyPem(pem, { passphrase: 'Legacy' }), {
      instanceOf: PrivateKeyDecryptionError,
    });
    t.throws(() => loadPrivateKeyPem(pem), {
      instanceOf: PassphraseRequiredError,
      message: new RegExp(label),
    });
    // The headers are checked: another Proc-Type, a short IV, an unknown header.
    for (const [from, to] of [
      ['Proc-Type: 4,ENCRYPTED', 'Proc-Type: 4,MIC-ONLY'],
      [/(DEK-Info: [^,]+,)[0-9A-F]{2}/, '$1'],
      ['Proc-Type: 4,ENCRYPTED', 'Proc-Type: 4,ENCRYPTED\nComment: hi'],
      [/DEK-Info: .*\n/, ''],
    ] as const) {
      t.throws(() => loadPrivateKeyPem(pem.replace(from, to), { passphrase: 'legacy' }), {
        instanceOf: PrivateKeyDecryptionError,
      });
    }
    // Headers must end with an empty line.
    t.throws(() => loadPrivateKeyPem(pem.replace(/(DEK-Info: .*\n)\n/, '$1'), { passphrase: 'legacy' }), {
      instanceOf: PemError,
    });
  }
});

test('unsupported schemes are refused by name and OID: DES-EDE3, PBES1, scrypt', (t) => {
  if (!needsOpenssl(t)) return;
  const p256 = plain.get('p256')!.file;
  const des3 = openssl('ec', '-in', p256, '-des3', '-passout', 'pass:x').toString();
  t.throws(() => loadPrivateKeyPem(des3, { passphrase: 'x' }), {
    instanceOf: UnsupportedAlgorithmError,
    message: /DEK-Info cipher DES-EDE3-CBC is not supported/,
  });
  const topk8 = (...args: string[]) =>
    openssl('pkcs8', '-topk8', '-in', p256, ...args, '-passout', 'pass:x').toString();
  for (const [args, message] of [
    [['-v2', 'des3'], /PBES2 encryption scheme des-ede3-cbc \(1\.2\.840\.113549\.3\.7\)/],
    [['-v1', 'PBE-SHA1-3DES'], /PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC \(1\.2\.840\.113549\.1\.12\.1\.3\)/],
    [['-scrypt'], /PBES2 key derivation function scrypt \(1\.3\.6\.1\.4\.1\.11591\.4\.11\)/],
  ] as const) {
    t.throws(() => loadPrivateKeyPem(topk8(...args), { passphrase: 'x' }), {
      instanceOf: UnsupportedAlgorithmError,
      message,
    });
  }
});

test('a missing passphrase is its own error, wherever the key is loaded', (t) => {
  const b = new CertificateBuilder({ provider: nodeProvider });
  const root = b.root({ subject: 'CN=Passphrase Root' });
  const leaf = b.leaf(root, { subject: 'CN=passphrase.example' });
  const encrypted = encryptPkcs8(leaf.privateKey!.pkcs8, 'pw', {});
  const pem = encodePem('ENCRYPTED PRIVATE KEY', encrypted);
  for (const load of [
    () => loadPrivateKeyPem(pem),
    () => loadPrivateKeyDer(encrypted, nodeProvider),
    () => loadCertificateChainPem(leaf.toPem(), { key: pem }),
    () => loadCertificateChainPem(leaf.toPem() + pem),
  ]) {
    t.throws(load, { instanceOf: PassphraseRequiredError, message: /encrypted.*passphrase is needed/ });
  }
  // With it: the chain loads with its key attached (the key given apart, or in the chain text).
  const chain = loadCertificateChainPem(leaf.toPem() + root.toPem(), { key: pem, passphrase: 'pw' });
  t.deepEqual(chain[0]!.privateKey!.publicKey.spki, leaf.privateKey!.publicKey.spki);
  t.truthy(loadCertificateChainPem(pem + leaf.toPem(), { passphrase: 'pw' })[0]!.privateKey);
  // An encrypted DER where another format is demanded.
  t.throws(() => loadPrivateKeyDer(encrypted, nodeProvider, { format: 'sec1', passphrase: 'pw' }), {
    instanceOf: CertificateError,
    message: /expected a sec1 private key, found an encrypted PKCS#8 one/,
  });
  // RFC 1421 headers belong to legacy keys only.
  t.throws(() => decodePem(pem.replace(/\n/, '\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n')), {
    instanceOf: PemError,
  });
});

// --- Hand-made EncryptedPrivateKeyInfo, to reach every parameter ---

interface EncryptOptions {
  readonly iterations?: bigint;
  readonly keyLength?: bigint;
  readonly prf?: Uint8Array | null;
  readonly cipherOid?: string;
  readonly iv?: Uint8Array;
  readonly salt?: Uint8Array;
  /** Replaces the salt's OCTET STRING (the otherSource choice). */
  readonly saltElement?: Uint8Array;
}

/**
 * RFC 8018 PBES2 with PBKDF2 and AES-128-CBC (noble, as a reference encoder), with overridable
 * fields. The PRF is HMAC-SHA256, or the DEFAULT HMAC-SHA1 when `prf` is null (left out).
 */
function encryptPkcs8(pkcs8: Uint8Array, passphrase: string, o: EncryptOptions): Uint8Array {
  const salt = o.salt ?? Uint8Array.from({ length: 8 }, (_, i) => i);
  const iv = o.iv ?? Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  const iterations = o.iterations ?? 3n;
  const encryptable = iterations > 0n && iterations <= 1000n && iv.length === 16;
  const key = encryptable
    ? pbkdf2(o.prf === null ? sha1 : sha256, passphrase, salt, { c: Number(iterations), dkLen: 16 })
    : new Uint8Array(16);
  const ciphertext = encryptable ? cbc(key, iv).encrypt(pkcs8) : new Uint8Array(32);
  const prf = o.prf === undefined ? sequence(oid(Oid.hmacWithSha256), tlv(0x05)) : o.prf;
  const kdfParams = sequence(
    o.saltElement ?? octetString(salt),
    integer(iterations),
    ...(o.keyLength !== undefined ? [integer(o.keyLength)] : []),
    ...(prf ? [prf] : []),
  );
  return sequence(
    sequence(
      oid(Oid.pbes2),
      sequence(
        sequence(oid(Oid.pbkdf2), kdfParams),
        sequence(oid(o.cipherOid ?? Oid.aes128Cbc), octetString(iv)),
      ),
    ),
    octetString(ciphertext),
  );
}

/** INTEGER of any sign (the DER writer of the package writes non-negative ones only). */
function integer(value: bigint): Uint8Array {
  if (value >= 0n) {
    const hex = value.toString(16);
    return unsignedInteger(
      Uint8Array.from((hex.length % 2 ? `0${hex}` : hex).match(/../g)!, (h) => Number.parseInt(h, 16)),
    );
  }
  return tlv(0x02, Uint8Array.of(0xff & Number(value)));
}

const sampleKey = new CertificateBuilder({ provider: nodeProvider }).root({ subject: 'CN=Sample' })
  .privateKey!;

test('the hand-made encoder round-trips (so its variants test the decoder, not the encoder)', (t) => {
  const key = loadPrivateKeyDer(encryptPkcs8(sampleKey.pkcs8, 'pw', {}), nodeProvider, { passphrase: 'pw' });
  t.deepEqual(key.pkcs8, sampleKey.pkcs8);
  // Explicit keyLength and the DEFAULT PRF (hmacWithSHA1) are read as RFC 8018 §A.2 says.
  t.deepEqual(
    loadPrivateKeyDer(encryptPkcs8(sampleKey.pkcs8, 'pw', { keyLength: 16n }), nodeProvider, {
      passphrase: 'pw',
    }).pkcs8,
    sampleKey.pkcs8,
  );
  const defaultPrf = encryptPkcs8(sampleKey.pkcs8, 'pw', { prf: null });
  t.deepEqual(loadPrivateKeyDer(defaultPrf, nodeProvider, { passphrase: 'pw' }).pkcs8, sampleKey.pkcs8);
});

test('the PBKDF2 iteration count is bounded before any work', (t) => {
  const over = BigInt(MAX_PBKDF2_ITERATIONS) + 1n;
  for (const iterations of [over, 1n << 40n, 1n << 200n]) {
    t.throws(
      () =>
        loadPrivateKeyDer(encryptPkcs8(sampleKey.pkcs8, 'pw', { iterations }), nodeProvider, {
          passphrase: 'pw',
        }),
      {
        instanceOf: PrivateKeyDecryptionError,
        message: /iteration count \d+ is over the limit of 10000000/,
      },
    );
  }
  for (const iterations of [0n, -1n]) {
    t.throws(
      () =>
        loadPrivateKeyDer(encryptPkcs8(sampleKey.pkcs8, 'pw', { iterations }), nodeProvider, {
          passphrase: 'pw',
        }),
      {
        instanceOf: PrivateKeyDecryptionError,
        message: /iterationCount must be at least 1/,
      },
    );
  }
});

test('bad parameters: each a typed error naming the problem', (t) => {
  const load = (o: EncryptOptions) => () =>
    loadPrivateKeyDer(encryptPkcs8(sampleKey.pkcs8, 'pw', o), nodeProvider, { passphrase: 'pw' });
  t.throws(load({ keyLength: 32n }), { instanceOf: PrivateKeyDecryptionError, message: /keyLength/ });
  t.throws(load({ iv: new Uint8Array(8) }), { instanceOf: PrivateKeyDecryptionError, message: /16-byte IV/ });
  t.throws(load({ cipherOid: '1.2.3.4' }), { instanceOf: UnsupportedAlgorithmError, message: /1\.2\.3\.4/ });
  t.throws(load({ prf: sequence(oid('1.2.840.113549.2.13'), tlv(0x05)) }), {
    instanceOf: UnsupportedAlgorithmError,
    message: /hmacWithSHA512-256 \(1\.2\.840\.113549\.2\.13\)/,
  });
  t.throws(load({ prf: sequence(oid(Oid.hmacWithSha256), smallInteger(1)) }), {
    instanceOf: PrivateKeyDecryptionError,
  });
  t.throws(load({ salt: new Uint8Array(0), iterations: 2000n }), { instanceOf: PrivateKeyDecryptionError });
  t.throws(load({ saltElement: sequence(oid('1.2.840.113549.1.5.12.99')) }), {
    instanceOf: UnsupportedAlgorithmError,
    message: /PBKDF2 salt otherSource 1\.2\.840\.113549\.1\.5\.12\.99 is not supported/,
  });
});

const encryptedSample = encryptPkcs8(sampleKey.pkcs8, 'pw', {});

/** Only our typed errors (or the provider's, for a garbled key that still parses as DER) may escape. */
function typedOutcome(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof CertificateError || error instanceof CryptoError;
  }
}

test('property: mutated, truncated or extended EncryptedPrivateKeyInfo never escapes as TypeError/RangeError', (t) => {
  const load = (der: Uint8Array) => () => loadPrivateKeyDer(der, nobleProvider, { passphrase: 'pw' });
  const loadPem = (der: Uint8Array) => () =>
    loadPrivateKeyPem(encodePem('ENCRYPTED PRIVATE KEY', der), { provider: nodeProvider, passphrase: 'pw' });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: encryptedSample.length - 1 }), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      (flips) => {
        const der = encryptedSample.slice();
        for (const [at, xor] of flips) der[at]! ^= xor;
        return typedOutcome(load(der)) && typedOutcome(loadPem(der));
      },
    ),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(
      fc.nat({ max: encryptedSample.length - 1 }),
      fc.uint8Array({ maxLength: 40 }),
      (cut, tail) => {
        const truncated = encryptedSample.subarray(0, cut);
        const extended = Uint8Array.from([...encryptedSample, ...tail]);
        return typedOutcome(load(truncated)) && typedOutcome(load(extended));
      },
    ),
    { numRuns: 200 },
  );
  // Every single-byte change of the ciphertext's last block is caught (bad padding or not a key).
  const last = encryptedSample.length - 16;
  for (let i = last; i < encryptedSample.length; i++) {
    const der = encryptedSample.slice();
    der[i]! ^= 0x01;
    t.throws(load(der), { instanceOf: PrivateKeyDecryptionError });
  }
});

test('property: random PBES2 parameters give a key or a typed error', (t) => {
  fc.assert(
    fc.property(
      fc.record({
        // Small counts, or counts over the cap: nothing in between, where PBKDF2 would really run long.
        iterations: fc.oneof(
          fc.bigInt({ min: -5n, max: 50n }),
          fc.bigInt({ min: BigInt(MAX_PBKDF2_ITERATIONS) + 1n, max: 1n << 70n }),
        ),
        keyLength: fc.option(fc.bigInt({ min: -1n, max: 64n }), { nil: undefined }),
        salt: fc.uint8Array({ maxLength: 24 }),
        iv: fc.uint8Array({ minLength: 0, maxLength: 20 }),
        cipherOid: fc.constantFrom(
          Oid.aes128Cbc,
          Oid.aes192Cbc,
          Oid.aes256Cbc,
          '1.2.840.113549.3.7',
          '2.5.4.3',
        ),
        prf: fc.constantFrom<Uint8Array | null>(
          null,
          sequence(oid(Oid.hmacWithSha512)),
          sequence(oid(Oid.hmacWithSha1), tlv(0x05)),
          sequence(oid('1.3.6.1.4.1.11591.4.11')),
          octetString(new Uint8Array(3)),
        ),
      }),
      (o) =>
        typedOutcome(() =>
          loadPrivateKeyDer(encryptPkcs8(sampleKey.pkcs8, 'pw', o), nobleProvider, { passphrase: 'pw' }),
        ),
    ),
    { numRuns: 300 },
  );
  t.pass();
});
