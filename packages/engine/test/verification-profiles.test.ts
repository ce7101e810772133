// Path validation options in the engine and the Node adapter: the profile (ClientTLS: webpki,
// the Node adapter: rfc5280, as node:tls accepts private PKIs) and CRLs (node:tls' `crl`),
// compared with node:tls itself on the same certificates.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import {
  CertificateBuilder,
  CertificateRevocationList,
  privateKeyToPem,
  ServerCertificateChain,
  TrustStore,
} from '@tls-kit/certs';
import { haveOpenssl, opensslCrl } from '@tls-kit/test-helpers';
import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { connect } from '../src/node/index.js';
import { pair } from './helpers/pipe.js';

const b = new CertificateBuilder();
const root = b.root({ subject: 'CN=Profiles Root' });
const noEku = b.leaf(root, { subject: 'CN=localhost', extendedKeyUsage: [] });
const revoked = b.leaf(root, { subject: 'CN=localhost' });
const caPem = root.toPem();

/** A node:tls server with `leaf`; resolves with its port. */
async function nodeServer(leaf: typeof noEku): Promise<{ server: tls.Server; port: number }> {
  const server = tls.createServer(
    { cert: leaf.toPem() + caPem, key: privateKeyToPem(leaf.privateKey!), minVersion: 'TLSv1.3' },
    (s) => {
      s.on('error', () => {});
      s.end();
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** authorized / authorizationError of a client (ours or node's) with rejectUnauthorized: false. */
async function verdict(
  client: 'node' | 'ours',
  port: number,
  options: { crl?: string | Buffer; profile?: 'webpki' },
): Promise<{ authorized: boolean; error: unknown }> {
  const common = { port, host: '127.0.0.1', servername: 'localhost', ca: caPem, rejectUnauthorized: false };
  const socket =
    client === 'node' ? tls.connect({ ...common, ...options }) : connect({ ...common, ...options });
  socket.on('error', () => {});
  await once(socket, 'secureConnect');
  const result = { authorized: socket.authorized, error: socket.authorizationError ?? null };
  socket.destroy();
  return result;
}

test('ClientTLS validates server chains under webpki by default; rfc5280 is one option away', (t) => {
  const run = (profile?: 'rfc5280') => {
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: new TrustStore([root.withoutPrivateKey()]),
      rejectUnauthorized: false,
      ...(profile ? { verification: { profile } } : {}),
    });
    const server = new ServerTLS({ certificates: new ServerCertificateChain([noEku]) });
    const p = pair(
      (w, c) => client.start(w, c),
      (w, c) => server.start(w, c),
    );
    p.pump();
    return p.client.connection.peerVerification;
  };
  t.like(run(), { ok: false, reason: 'extended-key-usage' });
  t.like(run('rfc5280'), { ok: true });
});

test('the Node adapter accepts a leaf without EKU as node:tls does (rfc5280); webpki refuses it', async (t) => {
  const { server, port } = await nodeServer(noEku);
  try {
    const node = await verdict('node', port, {});
    t.deepEqual(node, { authorized: true, error: null });
    t.deepEqual(await verdict('ours', port, {}), node);
    const web = await verdict('ours', port, { profile: 'webpki' });
    t.false(web.authorized);
  } finally {
    server.close();
  }
});

test('crl: a revoked server certificate is CERT_REVOKED, for node:tls and for us', async (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-crl-'));
  writeFileSync(join(dir, 'root.pem'), caPem);
  writeFileSync(join(dir, 'root.key'), privateKeyToPem(root.privateKey!));
  const crl = opensslCrl(join(dir, 'root.crl'), {
    issuerCert: join(dir, 'root.pem'),
    issuerKey: join(dir, 'root.key'),
    revoked: [{ serial: revoked.serialNumber, reason: 'keyCompromise' }],
  });
  t.is(CertificateRevocationList.load(crl)[0]!.revokedCount, 1);
  for (const [leaf, expected] of [
    [revoked, { authorized: false, error: 'CERT_REVOKED' }],
    [noEku, { authorized: true, error: null }],
  ] as const) {
    const { server, port } = await nodeServer(leaf);
    try {
      t.deepEqual(await verdict('node', port, { crl }), expected);
      t.deepEqual(await verdict('ours', port, { crl }), expected);
      // DER works too.
      const der = Buffer.from(CertificateRevocationList.load(crl)[0]!.der);
      t.deepEqual(await verdict('ours', port, { crl: der }), expected);
    } finally {
      server.close();
    }
  }
});
