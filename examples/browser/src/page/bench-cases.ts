// What the benchmark measures, runnable in a browser and in Node alike (no node: imports): full
// handshakes with both ends in this thread, and bulk transfer through one connection, with a
// given crypto provider. Sans-IO: the two engines hand each other their bytes directly.
import { CertificateBuilder, ServerCertificateChain, TrustStore } from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { ClientTLS, type Connection, ServerTLS, type TLSVersion } from '@tls-kit/engine/web';

export interface BenchPki {
  readonly trustRoot: TrustStore;
  readonly certificates: ServerCertificateChain;
}

/** root -> intermediate -> leaf, ECDSA P-256, as the example's servers use. */
export function benchPki(): BenchPki {
  const builder = new CertificateBuilder();
  const root = builder.root({ subject: 'CN=bench root', key: { type: 'ec', curve: 'P-256' } });
  const intermediate = builder.intermediate(root, {
    subject: 'CN=bench intermediate',
    key: { type: 'ec', curve: 'P-256' },
  });
  const leaf = builder.leaf(intermediate, {
    subject: 'CN=localhost',
    key: { type: 'ec', curve: 'P-256' },
    subjectAltNames: ['DNS:localhost'],
  });
  return {
    trustRoot: new TrustStore([root.withoutPrivateKey()]),
    certificates: new ServerCertificateChain([leaf, intermediate.withoutPrivateKey()]),
  };
}

interface Pair {
  readonly client: Connection;
  readonly server: Connection;
  readonly toServer: Uint8Array[];
  readonly toClient: Uint8Array[];
}

/** Moves queued bytes both ways until neither side has anything to send. */
function pump(pair: Pair, onServerData: (data: Uint8Array) => void = () => {}): void {
  while (pair.toServer.length > 0 || pair.toClient.length > 0) {
    for (const d of pair.toServer.splice(0)) onServerData(pair.server.dataFromWire(d));
    for (const d of pair.toClient.splice(0)) pair.client.dataFromWire(d);
  }
}

/** A fresh client (no cached chain, no ticket: a page load) connected to `server`. */
function connect(pki: BenchPki, server: ServerTLS, options: CaseOptions): Pair {
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki.trustRoot,
    versions: [options.version],
    ...(options.suite ? { cipherSuites: [options.suite] } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  }).start(
    (d) => toServer.push(d),
    () => {},
  );
  const pair = {
    client,
    server: server.start(
      (d) => toClient.push(d),
      () => {},
    ),
    toServer,
    toClient,
  };
  pump(pair);
  if (client.state !== 'open' || pair.server.state !== 'open')
    throw new Error('the handshake did not complete');
  return pair;
}

export interface CaseOptions {
  readonly version: TLSVersion;
  readonly suite?: string;
  /** Default: @tls-kit/crypto/default (the pure-JS provider in a browser, node:crypto in Node). */
  readonly provider?: CryptoProvider;
}

function serverFor(pki: BenchPki, options: CaseOptions): ServerTLS {
  return new ServerTLS({
    certificates: pki.certificates,
    ...(options.provider ? { provider: options.provider } : {}),
  });
}

/** Milliseconds per full handshake (both ends, default groups), the median of `count`. */
export function handshakeMs(pki: BenchPki, options: CaseOptions, count: number): number {
  const server = serverFor(pki, options);
  connect(pki, server, options); // warm-up: JIT, lazily built tables
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    connect(pki, server, options);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** MB/s (10^6 bytes) of `megabytes` sent client -> server in 64 KiB writes, sealed and opened. */
export function bulkMBps(pki: BenchPki, options: CaseOptions, megabytes: number): number {
  const pair = connect(pki, serverFor(pki, options), options);
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const total = megabytes * 1e6;
  let received = 0;
  const start = performance.now();
  for (let sent = 0; sent < total; sent += chunk.length) {
    pair.client.dataFromApplication(chunk);
    pump(pair, (d) => {
      received += d.length;
    });
  }
  const seconds = (performance.now() - start) / 1000;
  if (received < total) throw new Error(`only ${received} of ${total} bytes arrived`);
  return received / 1e6 / seconds;
}
