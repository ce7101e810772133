// Throughput of both providers, a bare node:crypto AES-GCM loop, and `openssl speed` for reference.
// Run: pnpm bench (in packages/crypto). BENCH_MS sets the CPU time per measurement (default 400 ms).
// Prints a Markdown report (the body of BENCHMARKS.md).
import { execFileSync } from 'node:child_process';
import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import type { AeadAlgorithm, CryptoProvider, KeyGenerationSpec, SignatureSchemeName } from '@tls-kit/crypto';
import { NAMED_GROUPS, nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 400);
const RECORD = 16384;
const providers: CryptoProvider[] = [nodeProvider, nobleProvider];

/** CPU milliseconds (user + system) used by this process so far. Timing by CPU time rather than
 * wall time keeps the figures meaningful on a shared machine, and matches `openssl speed`, which
 * divides by CPU user time unless given -elapsed. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Operations per CPU-second of `fn`, run for about `budgetMs` of CPU time after a short warm-up. */
function opsPerSecond(fn: () => void, budgetMs = BUDGET_MS): number {
  const warmUntil = cpuMs() + Math.min(50, budgetMs / 4);
  while (cpuMs() < warmUntil) fn();
  let count = 0;
  const start = cpuMs();
  let now = start;
  while (now - start < budgetMs) {
    fn();
    count++;
    now = cpuMs();
  }
  return (count * 1000) / (now - start);
}

const mbps = (opsPerSec: number, bytes: number) => (opsPerSec * bytes) / 1e6;
const fmt = (n: number | undefined, digits = 0) =>
  n === undefined
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`;

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const openssl = hasOpenssl();
const seconds = String(Math.max(1, Math.round(BUDGET_MS / 1000)));

function opensslAead(evp: string): number | undefined {
  if (!openssl) return undefined;
  const out = execFileSync('openssl', ['speed', '-seconds', seconds, '-evp', evp, '-bytes', String(RECORD)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const match = /\n\S+\s+([\d.]+)k\s*$/.exec(out.trim());
  return match ? Number(match[1]) / 1000 : undefined; // 1000s of bytes/s -> MB/s
}

const OPENSSL_PUBKEY = 'rsa2048 ecdhp256 ecdhp384 ecdhx25519 ecdsap256 ecdsap384 ed25519'.split(' ');
const opensslPk = new Map<string, number>();
if (openssl) {
  const out = execFileSync('openssl', ['speed', '-seconds', seconds, ...OPENSSL_PUBKEY], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const two = (label: string, re: RegExp) => {
    const m = re.exec(out);
    if (m) {
      opensslPk.set(`${label} sign`, Number(m[1]));
      opensslPk.set(`${label} verify`, Number(m[2]));
    }
  };
  two('rsa2048', /rsa 2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/);
  two('p256', /ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/);
  two('p384', /ecdsa \(nistp384\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/);
  two('ed25519', /EdDSA \(Ed25519\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/);
  for (const [label, re] of [
    ['secp256r1', /ecdh \(nistp256\)\s+\S+\s+([\d.]+)/],
    ['secp384r1', /ecdh \(nistp384\)\s+\S+\s+([\d.]+)/],
    ['x25519', /ecdh \(X25519\)\s+\S+\s+([\d.]+)/],
  ] as const) {
    const m = re.exec(out);
    if (m) opensslPk.set(`${label} derive`, Number(m[1]));
  }
}

const lines: string[] = [];
const print = (line = '') => {
  lines.push(line);
  console.log(line);
};

print(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length} (load average ${loadavg()[0]?.toFixed(1)} at start), ${BUDGET_MS} ms CPU time per measurement${openssl ? `, ${execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim()}` : ''}.`,
);
print();

// AEAD: a 16 KiB record sealed then opened (TLS's maximum record), 5-byte additional data.
print('### AEAD, 16 KiB records');
print();
print('| provider | algorithm | seal MB/s | seal+open MB/s | openssl speed MB/s | seal vs openssl |');
print('|---|---|---:|---:|---:|---:|');
const aeads: { algorithm: AeadAlgorithm; keyLength: number; evp: string }[] = [
  { algorithm: 'aes-128-gcm', keyLength: 16, evp: 'aes-128-gcm' },
  { algorithm: 'aes-256-gcm', keyLength: 32, evp: 'aes-256-gcm' },
  { algorithm: 'chacha20-poly1305', keyLength: 32, evp: 'chacha20-poly1305' },
];
const plaintext = randomBytes(RECORD);
const aad = Uint8Array.of(23, 3, 3, 0x40, 0x11);
const sealRates = new Map<string, number>();
const opensslRates = new Map<string, number | undefined>();
for (const { evp } of aeads) opensslRates.set(evp, opensslAead(evp));
for (const provider of providers) {
  for (const { algorithm, keyLength, evp } of aeads) {
    const key = provider.importAeadKey(algorithm, provider.randomBytes(keyLength));
    const nonce = provider.randomBytes(12);
    const sealed = key.seal(nonce, plaintext, aad);
    const seal = mbps(
      opsPerSecond(() => key.seal(nonce, plaintext, aad)),
      RECORD,
    );
    const both = mbps(
      opsPerSecond(() => key.open(nonce, key.seal(nonce, plaintext, aad), aad)),
      RECORD,
    );
    if (key.open(nonce, sealed, aad).length !== RECORD) throw new Error('round trip failed');
    sealRates.set(`${provider.name} ${algorithm}`, seal);
    print(
      `| ${provider.name} | ${algorithm} | ${fmt(seal)} | ${fmt(both)} | ${fmt(opensslRates.get(evp))} | ${ratio(seal, opensslRates.get(evp))} |`,
    );
  }
}
print();

// The 80% target: node provider seal vs. the least code node:crypto needs for one GCM record.
// The machine is shared, so the two are measured in 15 alternating pairs of short runs and the
// median of the per-pair ratios is reported: outside load hits both sides of a pair alike.
const bareKey = createSecretKey(randomBytes(16));
const bareNonce = randomBytes(12);
const bareSeal = () => {
  const cipher = createCipheriv('aes-128-gcm', bareKey, bareNonce);
  cipher.setAAD(aad);
  cipher.update(plaintext);
  cipher.final();
  cipher.getAuthTag();
};
const providerKey = nodeProvider.importAeadKey('aes-128-gcm', randomBytes(16));
const providerSeal = () => providerKey.seal(bareNonce, plaintext, aad);
const pairs: { bare: number; wrapped: number }[] = [];
for (let round = 0; round < 15; round++) {
  pairs.push({ bare: opsPerSecond(bareSeal, 100), wrapped: opsPerSecond(providerSeal, 100) });
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const bare = mbps(median(pairs.map((p) => p.bare)), RECORD);
const wrapped = mbps(median(pairs.map((p) => p.wrapped)), RECORD);
const pairRatio = median(pairs.map((p) => p.wrapped / p.bare));
print(
  `Bare node:crypto AES-128-GCM seal loop: ${fmt(bare)} MB/s; node provider seal (ciphertext || tag in one new buffer): ${fmt(wrapped)} MB/s (medians); median per-pair ratio **${(100 * pairRatio).toFixed(1)}%** (target >= 80%).`,
);
print();

// Key exchange: a full exchange (initiator start, responder respond, initiator complete), and the
// initiator's complete() alone (the derive step `openssl speed ecdh*` measures).
print('### Key exchange (ops/s)');
print();
print('| provider | group | full exchange | complete() only | openssl derive | complete vs openssl |');
print('|---|---|---:|---:|---:|---:|');
for (const provider of providers) {
  for (const group of NAMED_GROUPS) {
    const full = opsPerSecond(() => {
      const initiator = provider.startKeyExchange(group);
      initiator.complete(provider.respondKeyExchange(group, initiator.publicKey).publicKey);
    });
    const initiator = provider.startKeyExchange(group);
    const response = provider.respondKeyExchange(group, initiator.publicKey).publicKey;
    const derive = opsPerSecond(() => initiator.complete(response));
    const reference = opensslPk.get(`${group} derive`);
    print(
      `| ${provider.name} | ${group} | ${fmt(full)} | ${fmt(derive)} | ${fmt(reference)} | ${ratio(derive, reference)} |`,
    );
  }
}
print();

// Signatures over a 32-byte message (a TLS 1.3 CertificateVerify signs ~130 bytes; size barely matters).
print('### Signatures (ops/s)');
print();
print(
  '| provider | scheme | sign | verify | openssl sign | openssl verify | sign vs openssl | verify vs openssl |',
);
print('|---|---|---:|---:|---:|---:|---:|---:|');
const schemes: { scheme: SignatureSchemeName; spec: KeyGenerationSpec; openssl?: string }[] = [
  { scheme: 'rsa_pkcs1_sha256', spec: { type: 'rsa', bits: 2048 }, openssl: 'rsa2048' },
  { scheme: 'rsa_pss_rsae_sha256', spec: { type: 'rsa', bits: 2048 } },
  { scheme: 'ecdsa_secp256r1_sha256', spec: { type: 'ec', curve: 'P-256' }, openssl: 'p256' },
  { scheme: 'ecdsa_secp384r1_sha384', spec: { type: 'ec', curve: 'P-384' }, openssl: 'p384' },
  { scheme: 'ed25519', spec: { type: 'ed25519' }, openssl: 'ed25519' },
];
const message = randomBytes(32);
const rsaKeys = new Map<CryptoProvider, ReturnType<CryptoProvider['generateKeyPair']>>();
for (const provider of providers) {
  for (const { scheme, spec, openssl: ref } of schemes) {
    // One RSA key per provider (pure-JS generation takes a while).
    let key = spec.type === 'rsa' ? rsaKeys.get(provider) : undefined;
    if (!key) key = provider.generateKeyPair(spec);
    if (spec.type === 'rsa') rsaKeys.set(provider, key);
    const signature = provider.sign(scheme, key, message);
    const sign = opsPerSecond(() => provider.sign(scheme, key, message));
    const verify = opsPerSecond(() => provider.verify(scheme, key.publicKey, message, signature));
    const refSign = ref ? opensslPk.get(`${ref} sign`) : undefined;
    const refVerify = ref ? opensslPk.get(`${ref} verify`) : undefined;
    print(
      `| ${provider.name} | ${scheme} | ${fmt(sign)} | ${fmt(verify)} | ${fmt(refSign)} | ${fmt(refVerify)} | ${ratio(sign, refSign)} | ${ratio(verify, refVerify)} |`,
    );
  }
}
