// Stacks with node:tls' API: Node's native node:tls (OpenSSL), the reference, and tls-kit's Node
// adapter (`connect` / `createServer` of @tls-kit/engine/node), which a user of tls-kit gets. Both
// take the same options in every case: pinned to exactly what the engine glue negotiates (one
// version, one suite, X25519), or the adapter cases' settings (every default, or X25519 only).
import type net from 'node:net';
import tls from 'node:tls';
import * as adapter from '@tls-kit/engine/node';
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
  type StackId,
  TLS13_SUITE,
} from './stack.js';

const SUITES_12 = {
  'aes-128-gcm': 'AES128-GCM-SHA256',
  'aes-256-gcm': 'AES256-GCM-SHA384',
  'chacha20-poly1305': 'CHACHA20-POLY1305',
} as const;

/** The case's parameters as node:tls options (OpenSSL suite names for TLS 1.2). */
export function nodeOptions(params: Params): tls.SecureContextOptions & tls.CommonConnectionOptions {
  // Same groups as tls-kit-stack's groupsFor: P-256 in TLS 1.2 so an ECDSA P-256 certificate may be used.
  const ecdhCurve = params.version === 'TLSv1.2' ? 'X25519:P-256' : 'X25519';
  if (params.settings === 'defaults') return {};
  if (params.settings === 'x25519')
    return { minVersion: params.version, maxVersion: params.version, ecdhCurve };
  const ciphers =
    params.version === 'TLSv1.3'
      ? TLS13_SUITE[params.aead]
      : `ECDHE-${params.key === 'rsa' ? 'RSA' : 'ECDSA'}-${SUITES_12[params.aead]}`;
  return { minVersion: params.version, maxVersion: params.version, ciphers, ecdhCurve };
}

/** What the harness uses of a TLS socket; node:tls' TLSSocket and the adapter's both have it. */
interface TlsSocketLike extends net.Socket {
  getProtocol(): string | null;
  getCipher(): { standardName: string } | undefined;
  isSessionReused(): boolean;
}

/** A node:tls-style module: connect() and createServer() with node:tls' option names. */
export interface TlsApi {
  connect(options: tls.ConnectionOptions): TlsSocketLike;
  createServer(options: tls.TlsOptions): net.Server;
}

function sideOf(socket: TlsSocketLike, sessionReady: Promise<void>): Side {
  const side: Side = {
    protocol: socket.getProtocol() ?? '?',
    cipher: socket.getCipher()?.standardName ?? '?',
    resumed: socket.isSessionReused(),
    send(data) {
      socket.write(data);
      return !socket.writableNeedDrain;
    },
    drained: () => drainOf(socket),
    onData: undefined,
    onError: undefined,
    sessionReady,
    destroy: () => socket.destroy(),
    end: () => socket.end(),
    closed: () =>
      socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())),
  };
  socket.on('data', (buf: Buffer) => side.onData?.(buf.length));
  socket.on('error', (error) => side.onError?.(error));
  return side;
}

export function tlsApiStack(id: StackId, label: string, api: TlsApi): Stack {
  return {
    id,
    label,
    async listen(params): Promise<Listener> {
      const pem = params.pki[params.key];
      const queue = new SideQueue();
      const server = api.createServer({ ...nodeOptions(params), cert: pem.chain, key: pem.key });
      server.on('connection', (socket: net.Socket) => socket.setNoDelay(true));
      server.on('secureConnection', (socket: TlsSocketLike) => queue.push(sideOf(socket, Promise.resolve())));
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
            const socket = api.connect({
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
}

export const nodeStack = tlsApiStack('node', `node:tls (OpenSSL ${process.versions.openssl})`, tls);

/** The adapter's option types are node:tls' names with the engine's value types; the harness passes the same object to both. */
export const tlsKitAdapter = tlsApiStack(
  'tlskit-adapter',
  'tls-kit adapter (@tls-kit/engine/node)',
  adapter as unknown as TlsApi,
);
