// PKCS#12 files made by the openssl CLI (OpenSSL 3 defaults: PBES2 with AES-256-CBC, a SHA-256
// MAC), read by readPkcs12: certificates, the key, the MAC check and bad input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import {
  Certificate,
  CertificateBuilder,
  loadPrivateKeyDer,
  PrivateKeyDecryptionError,
  privateKeyToPem,
  readPkcs12,
} from '../src/index.js';

const b = new CertificateBuilder({ provider: nodeProvider });
const root = b.root({ subject: 'CN=P12 Root' });
const leaf = b.leaf(root, { subject: 'CN=p12.example', subjectAltNames: ['DNS:p12.example'] });

function exportPkcs12(passphrase: string, ...extra: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-p12-'));
  writeFileSync(join(dir, 'certs.pem'), leaf.toPem() + root.toPem());
  writeFileSync(join(dir, 'key.pem'), privateKeyToPem(leaf.privateKey!));
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-in',
    join(dir, 'certs.pem'),
    '-inkey',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'out.p12'),
    '-passout',
    `pass:${passphrase}`,
    ...extra,
  ]);
  return new Uint8Array(readFileSync(join(dir, 'out.p12')));
}

test('readPkcs12: the certificates in file order and the key of an openssl pkcs12 -export file', (t) => {
  for (const extra of [[], ['-keypbe', 'NONE', '-certpbe', 'NONE'], ['-macalg', 'sha1']]) {
    const { certificates, privateKeys } = readPkcs12(exportPkcs12('secret', ...extra), 'secret');
    t.deepEqual(
      certificates.map((der) => Certificate.fromDer(der).subject.toString()),
      ['CN=p12.example', 'CN=P12 Root'],
      extra.join(' '),
    );
    t.is(privateKeys.length, 1);
    const key = loadPrivateKeyDer(privateKeys[0]!, nodeProvider);
    t.notThrows(() => leaf.withPrivateKey(key));
  }
});

test('readPkcs12: a wrong passphrase, a damaged file and garbage are PrivateKeyDecryptionError', (t) => {
  const file = exportPkcs12('secret');
  t.throws(() => readPkcs12(file, 'wrong'), {
    instanceOf: PrivateKeyDecryptionError,
    message: /MAC mismatch/,
  });
  const damaged = file.slice();
  damaged[damaged.length - 40]! ^= 1;
  t.throws(() => readPkcs12(damaged, 'secret'), { instanceOf: PrivateKeyDecryptionError });
  t.throws(() => readPkcs12(file.subarray(0, 100), 'secret'), { instanceOf: PrivateKeyDecryptionError });
  t.throws(() => readPkcs12(new Uint8Array([1, 2, 3]), 'secret'), { instanceOf: PrivateKeyDecryptionError });
});
