// For test/node-compat: the same scenario run with node:tls and with our adapter, so each case
// can assert that ours behaves as node's does. Fixtures in the spirit of Node's test/fixtures:
// a CA with a leaf, a self-signed CA:TRUE certificate (what `openssl req -x509` makes), and a
// leaf with a CN and no subjectAltName.
import { once } from 'node:events';
import type net from 'node:net';
import tls from 'node:tls';
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import * as ours from '../../src/node/index.js';

/**
 * What the scenarios use of node:tls, with node's result types; the arguments are loose so that
 * call forms node's type definitions leave out (a path, signal, highWaterMark...) can be tried.
 */
export interface TlsModule {
  readonly name: 'node' | 'ours';
  connect(...args: unknown[]): tls.TLSSocket;
  createServer(...args: unknown[]): tls.Server;
  readonly Server: { new (...args: unknown[]): tls.Server; (...args: unknown[]): tls.Server };
  readonly TLSSocket: new (socket?: unknown, options?: object) => tls.TLSSocket;
  createSecureContext(options?: object): tls.SecureContext;
}

const pick = (m: unknown) => {
  const { connect, createServer, Server, TLSSocket, createSecureContext } = m as Omit<TlsModule, 'name'>;
  return { connect, createServer, Server, TLSSocket, createSecureContext };
};

export const implementations: readonly TlsModule[] = [
  { name: 'node', ...pick(tls) },
  { name: 'ours', ...pick(ours) },
];

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

const builder = new CertificateBuilder();
const ecdsa = { type: 'ec', curve: 'P-256' } as const;
const ca1 = builder.root({ subject: 'CN=ca1,O=Node.js Test CA,emailAddress=ca1@example.org', key: ecdsa });
const pair = (c: ReturnType<CertificateBuilder['root']>): KeyPair => ({
  cert: c.toPem(),
  key: privateKeyToPem(c.privateKey!),
});

const ca2 = builder.root({ subject: 'CN=ca2 root', key: ecdsa });
const ca2Intermediate = builder.intermediate(ca2, { subject: 'CN=ca2 intermediate', key: ecdsa });

/** Test fixtures, built once per test process. */
export const fixtures = {
  ca1: ca1.toPem(),
  ca2: ca2.toPem(),
  ca2Intermediate: ca2Intermediate.toPem(),
  /** Signed by ca2's intermediate: the intermediate must be sent for a client trusting ca2. */
  agent2: pair(
    builder.leaf(ca2Intermediate, { subject: 'CN=agent2', key: ecdsa, subjectAltNames: ['DNS:localhost'] }),
  ),
  /** Signed by ca1: CN=agent1, SANs localhost and 127.0.0.1. */
  agent1: pair(
    builder.leaf(ca1, {
      subject: 'CN=agent1,OU=Node.js,O=Node.js Test,emailAddress=agent1@example.org',
      key: ecdsa,
      subjectAltNames: ['DNS:localhost', 'IP:127.0.0.1'],
    }),
  ),
  /** Signed by ca1, with two OU attributes (node lists repeated attributes as arrays). */
  multiOu: pair(
    builder.leaf(ca1, {
      subject: 'CN=multi,OU=first unit,OU=second unit,O=Node.js Test',
      key: ecdsa,
      subjectAltNames: ['DNS:localhost'],
    }),
  ),
  /** Signed by ca1 with an RSA key (for the key fields of getPeerCertificate). */
  agentRsa: pair(
    builder.leaf(ca1, {
      subject: 'CN=agent-rsa',
      key: { type: 'rsa', bits: 2048 },
      subjectAltNames: ['DNS:localhost'],
    }),
  ),
  /** Signed by ca1: CN=localhost and no subjectAltName (node's CN fallback). */
  cnOnly: pair(builder.leaf(ca1, { subject: 'CN=localhost', key: ecdsa })),
  /** Self-signed with basicConstraints CA:TRUE, as `openssl req -x509` makes them. */
  selfSigned: pair(
    builder.root({ subject: 'CN=localhost', key: ecdsa, subjectAltNames: ['DNS:localhost'], keyUsage: [] }),
  ),
  /** Signed by ca1, expired a day ago. */
  expired: pair(
    builder.leaf(ca1, {
      subject: 'CN=expired',
      key: ecdsa,
      subjectAltNames: ['DNS:localhost'],
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    }),
  ),
};

/** A listening server of `impl` on 127.0.0.1, closed by the returned close(). */
export async function listen(server: net.Server): Promise<{ port: number; close: () => Promise<void> }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** Everything a readable side delivers until it ends. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** The first 'error' or the event named, whichever comes first. */
export function outcome(
  emitter: NodeJS.EventEmitter,
  event: string,
): Promise<{ event: string; code?: string; message?: string }> {
  return new Promise((resolve) => {
    emitter.once(event, () => resolve({ event }));
    emitter.once('error', (e: Error & { code?: string }) =>
      resolve({ event: 'error', ...(e.code ? { code: e.code } : {}), message: e.message }),
    );
  });
}

/** Runs `scenario` with node:tls and with ours; returns both results, node's first. */
export async function both<T>(scenario: (impl: TlsModule) => Promise<T>): Promise<{ node: T; ours: T }> {
  const node = await scenario(implementations[0]!);
  const mine = await scenario(implementations[1]!);
  return { node, ours: mine };
}
