// node:tls's `passphrase` option: servers and clients of the Node adapter load keys encrypted by
// the openssl CLI (PKCS#8 PBES2 and the legacy DEK-Info PEM form) and complete handshakes with
// Node's own tls; a missing or wrong passphrase fails at construction with the certs package's
// typed errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type net from 'node:net';
import tls from 'node:tls';
import {
  CertificateBuilder,
  PassphraseRequiredError,
  PrivateKeyDecryptionError,
  privateKeyToPem,
} from '@tls-kit/certs';
import test from 'ava';
import { connect, createSecureContext, createServer } from '../src/node/index.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

const builder = new CertificateBuilder();
const root = builder.root({ subject: 'CN=passphrase test root', key: { type: 'ec', curve: 'P-256' } });
const names = ['DNS:localhost', 'IP:127.0.0.1'];
const ecLeaf = builder.leaf(root, {
  subject: 'CN=localhost',
  key: { type: 'ec', curve: 'P-256' },
  subjectAltNames: names,
});
const rsaLeaf = builder.leaf(root, {
  subject: 'CN=localhost',
  key: { type: 'rsa', bits: 2048 },
  subjectAltNames: names,
});
const ca = root.toPem();

/** The openssl CLI re-encrypting a plain PEM key. */
function opensslEncrypt(keyPem: string, ...args: string[]): string {
  return execFileSync('openssl', args, { input: keyPem, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

async function listening(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

/** Did the openssl CLI run? Skips (logged) only when the binary is truly absent. */
function needsOpenssl(t: { log(...v: unknown[]): void; is(a: unknown, b: unknown): void }): boolean {
  if (hasOpenssl) return true;
  t.log('openssl CLI not found: no encrypted keys to load');
  t.is(spawnSync('which', ['openssl']).status, 1);
  return false;
}

const cases = [
  {
    what: 'PKCS#8 PBES2 (aes-256-cbc, hmacWithSHA256), TLS 1.3',
    leaf: ecLeaf,
    args: ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256'],
    label: 'ENCRYPTED PRIVATE KEY',
    maxVersion: 'TLSv1.3',
  },
  {
    what: 'legacy RSA PEM with DEK-Info AES-128-CBC, TLS 1.2',
    leaf: rsaLeaf,
    args: ['rsa', '-traditional', '-aes128'],
    label: 'RSA PRIVATE KEY',
    maxVersion: 'TLSv1.2',
  },
] as const;

for (const c of cases) {
  test(`createServer({ key: encrypted, passphrase, cert }) with node:tls clients: ${c.what}`, async (t) => {
    if (!needsOpenssl(t)) return;
    const passphrase = 'server secret';
    const key = opensslEncrypt(
      privateKeyToPem(c.leaf.privateKey!),
      ...c.args,
      '-passout',
      `pass:${passphrase}`,
    );
    t.true(key.startsWith(`-----BEGIN ${c.label}-----`));
    const cert = c.leaf.toPem();
    const server = createServer({ key, passphrase, cert, maxVersion: c.maxVersion }, (s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    const port = await listening(server);
    try {
      const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca });
      await once(socket, 'secureConnect');
      t.true(socket.authorized);
      t.is(socket.getProtocol(), c.maxVersion);
      t.deepEqual(new Uint8Array(socket.getPeerCertificate().raw), c.leaf.getAsn1Bytes());
      socket.write('ping');
      const [echo] = (await once(socket, 'data')) as [Buffer];
      t.is(echo.toString(), 'ping');
      socket.end();
    } finally {
      await closeServer(server);
    }
    // Without the passphrase, or with a wrong one, the server is not made.
    t.throws(() => createServer({ key, cert }), { instanceOf: PassphraseRequiredError });
    t.throws(() => createServer({ key, cert, passphrase: 'Server secret' }), {
      instanceOf: PrivateKeyDecryptionError,
    });
    // createSecureContext (SNICallback answers) and addContext take it too.
    t.truthy(createSecureContext({ key, cert, passphrase }).chain?.[0]?.privateKey);
    t.notThrows(() => server.addContext('*.example.test', { key, cert, passphrase }));
    t.throws(() => server.addContext('*.example.test', { key, cert }), {
      instanceOf: PassphraseRequiredError,
    });
  });
}

test('connect({ key: encrypted, passphrase, cert }): a client certificate node:tls accepts', async (t) => {
  if (!needsOpenssl(t)) return;
  const key = opensslEncrypt(
    privateKeyToPem(ecLeaf.privateKey!),
    'pkcs8',
    '-topk8',
    '-v2',
    'aes-128-cbc',
    '-v2prf',
    'hmacWithSHA512',
    '-passout',
    'pass:client secret',
  );
  let authorized: boolean | undefined;
  const server = tls.createServer(
    {
      cert: rsaLeaf.toPem(),
      key: privateKeyToPem(rsaLeaf.privateKey!),
      ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (s) => {
      authorized = s.authorized;
      s.end('hello');
    },
  );
  const port = await listening(server);
  try {
    const socket = connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca,
      cert: ecLeaf.toPem(),
      key,
      passphrase: new TextEncoder().encode('client secret'),
    });
    await once(socket, 'secureConnect');
    const [data] = (await once(socket, 'data')) as [Buffer];
    t.is(data.toString(), 'hello');
    t.true(authorized);
    socket.destroy();
  } finally {
    await closeServer(server);
  }
});
