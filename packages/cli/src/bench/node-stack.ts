// Node's native node:tls (OpenSSL) as the reference stack, configured to negotiate exactly what
// tls-kit does in each case: one version, one suite, X25519, the same chain, verified with the
// same root and host name.
import type net from 'node:net';
import tls from 'node:tls';
import { SERVER_NAME } from './pki.js';
import {
  type Client,
  deferred,
  drainOf,
  type Listener,
  listenOnLoopback,
  type Params,
  type Side,
  SideQueue,
  type Stack,
  TLS13_SUITE,
} from './stack.js';

const SUITES_12 = {
  'aes-128-gcm': 'AES128-GCM-SHA256',
  'aes-256-gcm': 'AES256-GCM-SHA384',
  'chacha20-poly1305': 'CHACHA20-POLY1305',
} as const;

/** The case's parameters as node:tls options (OpenSSL suite names for TLS 1.2). */
export function nodeOptions(params: Params): tls.SecureContextOptions & tls.CommonConnectionOptions {
  const ciphers =
    params.version === 'TLSv1.3'
      ? TLS13_SUITE[params.aead]
      : `ECDHE-${params.key === 'rsa' ? 'RSA' : 'ECDSA'}-${SUITES_12[params.aead]}`;
  // Same groups as tls-kit-stack's groupsFor: P-256 in TLS 1.2 so an ECDSA P-256 certificate may be used.
  const ecdhCurve = params.version === 'TLSv1.2' ? 'X25519:P-256' : 'X25519';
  return { minVersion: params.version, maxVersion: params.version, ciphers, ecdhCurve };
}

function sideOf(socket: tls.TLSSocket, sessionReady: Promise<void>): Side {
  const side: Side = {
    protocol: socket.getProtocol() ?? '?',
    cipher: socket.getCipher()?.standardName ?? '?',
    resumed: socket.isSessionReused(),
    send(data) {
      socket.write(data);
      return !socket.writableNeedDrain;
    },
    drained: () => drainOf(socket as net.Socket),
    onData: undefined,
    onError: undefined,
    sessionReady,
    destroy: () => socket.destroy(),
  };
  socket.on('data', (buf: Buffer) => side.onData?.(buf.length));
  socket.on('error', (error) => side.onError?.(error));
  return side;
}

export const nodeStack: Stack = {
  id: 'node',
  label: `node:tls (OpenSSL ${process.versions.openssl})`,
  async listen(params): Promise<Listener> {
    const pem = params.pki[params.key];
    const queue = new SideQueue();
    const server = tls.createServer({ ...nodeOptions(params), cert: pem.chain, key: pem.key, noDelay: true });
    server.on('secureConnection', (socket) => queue.push(sideOf(socket, Promise.resolve())));
    server.on('tlsClientError', (error) => queue.fail(error));
    return listenOnLoopback(server, queue, 'secureConnection');
  },
  client(params): Client {
    const pem = params.pki[params.key];
    let session: Buffer | undefined;
    return {
      connect(port) {
        return new Promise<Side>((resolve, reject) => {
          const ticket = deferred();
          const socket = tls.connect({
            ...nodeOptions(params),
            host: '127.0.0.1',
            port,
            servername: SERVER_NAME,
            ca: pem.root,
            ...(params.resume && session ? { session } : {}),
          });
          socket.setNoDelay(true);
          if (params.resume) {
            socket.on('session', (s: Buffer) => {
              session = s;
              ticket.resolve();
            });
          } else ticket.resolve();
          socket.once('error', reject);
          socket.once('secureConnect', () => {
            socket.off('error', reject);
            // OpenSSL may send no new ticket on a resumed connection; the one it used stays valid.
            if (socket.isSessionReused()) ticket.resolve();
            resolve(sideOf(socket, ticket.promise));
          });
        });
      },
    };
  },
};
