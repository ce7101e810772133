// Node's test/parallel/test-tls-multi-key.js: a server with an RSA and an ECDSA key
// (`key: [rsaKey, ecKey]`, `cert: [rsaCert, ecCert]`, in any order) serves the chain whose key
// can sign what the client offers: by signature_algorithms in TLS 1.3, by cipher suite in TLS 1.2.
// Run with node:tls and with our adapter, and with `openssl s_client -sigalgs` against ours.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type tls from 'node:tls';
import { promisify } from 'node:util';
import test from 'ava';
import { createServer } from '../../src/node/index.js';
import { both, fixtures, listen, type TlsModule } from '../helpers/node-compat.js';

const rsa = fixtures.agentRsa;
const ec = fixtures.agent1;
const trusting = { ca: fixtures.ca1, servername: 'localhost' };

/** The CN of the certificate a client offering `options` gets from `port`. */
async function servedTo(impl: TlsModule, port: number, options: object): Promise<unknown> {
  const c = impl.connect({ port, host: '127.0.0.1', ...trusting, ...options });
  await once(c, 'secureConnect');
  const cn = c.getPeerCertificate().subject?.CN;
  c.destroy();
  return cn;
}

const clients = {
  'TLSv1.3 RSA-PSS': { sigalgs: 'RSA-PSS+SHA256' },
  'TLSv1.3 ECDSA': { sigalgs: 'ECDSA+SHA256' },
  'TLSv1.2 ECDHE-RSA': { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
  'TLSv1.2 ECDHE-ECDSA': { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
};

for (const [order, key, cert] of [
  ['rsa first', [rsa.key, ec.key], [rsa.cert, ec.cert]],
  ['ec first', [ec.key, rsa.key], [ec.cert, rsa.cert]],
] as const) {
  test(`multi-key (${order}): the chain is chosen by the client's signature algorithms or suites`, async (t) => {
    const { node, ours } = await both(async (impl) => {
      const server = impl.createServer({ key, cert }, (s: tls.TLSSocket) => s.on('error', () => {}).end());
      const { port, close } = await listen(server);
      const results: Record<string, unknown> = {};
      for (const [name, options] of Object.entries(clients))
        results[name] = await servedTo(impl, port, options);
      await close();
      return results;
    });
    t.deepEqual(node, {
      'TLSv1.3 RSA-PSS': 'agent-rsa',
      'TLSv1.3 ECDSA': 'agent1',
      'TLSv1.2 ECDHE-RSA': 'agent-rsa',
      'TLSv1.2 ECDHE-ECDSA': 'agent1',
    });
    t.deepEqual(ours, node);
  });
}

test('multi-key: openssl s_client -sigalgs gets the RSA or the ECDSA chain of our server', async (t) => {
  const server = createServer({ key: [rsa.key, ec.key], cert: [rsa.cert, ec.cert] }, (s) =>
    s.on('error', () => {}).end(),
  );
  const { port, close } = await listen(server);
  const subjectFor = async (sigalgs: string) => {
    const { stdout } = await promisify(execFile)(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-sigalgs', sigalgs],
      { timeout: 20_000 },
    );
    return /^subject=.*CN ?= ?([\w-]+)/m.exec(stdout)?.[1];
  };
  try {
    t.is(await subjectFor('RSA-PSS+SHA256'), 'agent-rsa');
    t.is(await subjectFor('ECDSA+SHA256'), 'agent1');
  } finally {
    await close();
  }
});
