// connect(): node:tls.connect for this engine, plus an https.Agent that uses it.
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { authorizationError } from './authorization.js';
import { type ClientSocketOptions, checkedName } from './client-config.js';
import { invalidArgType, verifyError } from './errors.js';
import { type SecureContext, withSecureContext } from './options.js';
import type { PeerCertificate } from './peer-certificate.js';
import { TLSSocket } from './tls-socket.js';

export interface ConnectionOptions extends ClientSocketOptions {
  /** Default 'localhost'. */
  readonly host?: string;
  /** Default 443. */
  readonly port?: number;
  /** A Unix socket or named pipe to dial instead of host/port. */
  readonly path?: string;
  /**
   * A transport (net.Socket or any Duplex), connected or not yet: our first flight waits for a
   * net.Socket's 'connect'. host/port are then not dialled.
   */
  readonly socket?: Duplex;
  /** Options from createSecureContext(); they take the place of cert, key, ca and the like. */
  readonly secureContext?: SecureContext;
  /** Milliseconds the handshake may take. Default 0: no limit beyond the transport's. */
  readonly handshakeTimeout?: number;
  /** node:net's idle timeout: 'timeout' after that many ms of inactivity. */
  readonly timeout?: number;
  /** The readable and writable high-water mark, in bytes. */
  readonly highWaterMark?: number;
  /** Destroys the socket (AbortError) when aborted. */
  readonly signal?: AbortSignal;
  /**
   * node:net's onread: plaintext goes to `callback(bytes, buffer)` copied into `buffer` (or the
   * Buffer a function returns) instead of 'data' events.
   */
  readonly onread?: {
    readonly buffer: Uint8Array | (() => Uint8Array);
    readonly callback: (bytes: number, buffer: Uint8Array) => boolean | undefined;
  };
  /** Anything else node:net.connect takes (lookup, family, hints, localAddress...) is passed on. */
  readonly [netOption: string]: unknown;
}

type SecureConnectListener = () => void;

/** node's normalizeConnectArgs: (options[, cb]), (port[, host][, options][, cb]), (path[, options][, cb]). */
function connectArgs(args: readonly unknown[]): {
  options: ConnectionOptions;
  listener?: SecureConnectListener;
} {
  const last = args[args.length - 1];
  const listener = typeof last === 'function' ? (last as SecureConnectListener) : undefined;
  const rest = listener ? args.slice(0, -1) : [...args];
  const [first, second, third] = rest;
  if (first !== null && typeof first === 'object')
    return { options: first as ConnectionOptions, ...(listener ? { listener } : {}) };
  const positional: Record<string, unknown> = {};
  if (typeof first === 'string' && !/^\d+$/.test(first)) positional.path = first;
  else if (first !== undefined) {
    positional.port = first;
    if (typeof second === 'string') positional.host = second;
  }
  const extra = [second, third].find((a) => a !== null && typeof a === 'object');
  return {
    options: { ...positional, ...(extra as object) } as ConnectionOptions,
    ...(listener ? { listener } : {}),
  };
}

function validPort(port: unknown): number {
  const n = typeof port === 'string' && port.trim() !== '' ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw Object.assign(
      new RangeError(`options.port should be >= 0 and < 65536. Received ${String(port)}.`),
      {
        code: 'ERR_SOCKET_BAD_PORT',
      },
    );
  }
  return n;
}

/** onread: plaintext copied into the caller's buffer and handed to its callback, as node:net does. */
function deliverOnRead(socket: TLSSocket, onread: NonNullable<ConnectionOptions['onread']>): void {
  socket.on('data', (chunk: Buffer) => {
    for (let offset = 0; offset < chunk.length; ) {
      const target = typeof onread.buffer === 'function' ? onread.buffer() : onread.buffer;
      const n = Math.min(target.length, chunk.length - offset);
      target.set(chunk.subarray(offset, offset + n));
      offset += n;
      if (onread.callback(n, target) === false) socket.pause();
    }
  });
}

/**
 * Opens a TLS connection (node:tls.connect), in node's call forms. `onSecureConnect` is added as
 * a 'secureConnect' listener. Events: 'secureConnect', 'OCSPResponse' (with requestOCSP),
 * 'session' (Buffer), 'keylog' (Buffer line), 'error', and the stream events.
 */
export function connect(options: ConnectionOptions, onSecureConnect?: SecureConnectListener): TLSSocket;
export function connect(
  port: number,
  host?: string,
  options?: ConnectionOptions,
  onSecureConnect?: SecureConnectListener,
): TLSSocket;
export function connect(
  port: number,
  options?: ConnectionOptions,
  onSecureConnect?: SecureConnectListener,
): TLSSocket;
export function connect(
  path: string,
  options?: ConnectionOptions,
  onSecureConnect?: SecureConnectListener,
): TLSSocket;
export function connect(...args: unknown[]): TLSSocket {
  const { options: given, listener } = connectArgs(args);
  if (given.checkServerIdentity !== undefined && typeof given.checkServerIdentity !== 'function') {
    throw invalidArgType('options.checkServerIdentity', 'of type function', given.checkServerIdentity);
  }
  if (given.session !== undefined && !ArrayBuffer.isView(given.session)) {
    throw invalidArgType('options.session', 'an instance of Buffer, TypedArray, or DataView', given.session);
  }
  const options = withSecureContext(given);
  const dial = options.socket === undefined;
  const port = dial && options.path === undefined ? validPort(options.port ?? 443) : undefined;
  // net.Socket(options) takes allowHalfOpen, onread is ours; the rest is net.connect's.
  const transport = options.socket ?? new net.Socket({ allowHalfOpen: true });
  const socket = new TLSSocket(transport, {
    ...options,
    isServer: false,
    ...(options.host === undefined && options.servername === undefined && options.path === undefined
      ? { host: 'localhost' }
      : {}),
  });
  if (options.onread) deliverOnRead(socket, options.onread);
  socket.once('secure', () => {
    const error = verifyAfterHandshake(socket, options);
    if (error) {
      socket.destroy(error);
      return;
    }
    if (options.requestOCSP) {
      const response = socket.connection.ocspResponse;
      socket.emit('OCSPResponse', response ? Buffer.from(response) : null);
    }
    socket.emit('secureConnect');
  });
  if (listener) socket.once('secureConnect', listener);
  if (dial) {
    if (options.timeout) socket.setTimeout(options.timeout);
    const { socket: _s, onread: _o, secureContext: _c, ...netOptions } = options;
    (transport as net.Socket).connect({
      ...netOptions,
      ...(port !== undefined ? { port } : {}),
      host: options.host ?? 'localhost',
    } as net.NetConnectOpts);
  }
  return socket;
}

/**
 * An https.Agent whose connections are ours: `https.get(url, { agent: new Agent({ ca }) })`.
 * Agent options (ca, cert, key, ALPNProtocols...) apply to every connection it opens.
 */
export class Agent extends https.Agent {
  constructor(private readonly tlsOptions: Omit<ConnectionOptions, 'host' | 'port' | 'socket'> = {}) {
    super({ keepAlive: false });
  }

  /** http's Agent uses the returned socket at once; errors reach the request through it. */
  override createConnection(options: https.RequestOptions): Duplex {
    return connect({
      ...this.tlsOptions,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port ? { port: Number(options.port) } : {}),
      ...(options.servername && !this.tlsOptions.servername ? { servername: options.servername } : {}),
    });
  }
}

/**
 * node:tls' onConnectSecure: the chain's verify error, else (unless resumed) the hostname check.
 * Sets `authorized` / `authorizationError`; returns the error to destroy the socket with, when
 * rejectUnauthorized is not false.
 */
export function verifyAfterHandshake(socket: TLSSocket, options: ClientSocketOptions): Error | undefined {
  const { connection } = socket;
  // An external PSK authenticated the server: there is no certificate to check.
  const code =
    connection.pskIdentity !== undefined
      ? null
      : authorizationError(connection.peerVerification, connection.peerCertificates);
  let error: Error | undefined;
  if (code !== null) error = verifyError(code);
  else if (connection.pskIdentity !== undefined) error = undefined;
  else if (!socket.isSessionReused()) {
    // node's own tls.checkServerIdentity by default: its SAN and CN-fallback rules exactly.
    const check =
      options.checkServerIdentity ??
      (tls.checkServerIdentity as unknown as NonNullable<ClientSocketOptions['checkServerIdentity']>);
    error = check(checkedName(options), socket.getPeerCertificate(true) as PeerCertificate) ?? undefined;
  }
  socket.authorized = error === undefined;
  socket.authorizationError = error ? ((error as { code?: string }).code ?? error.message) : null;
  return error && options.rejectUnauthorized !== false ? error : undefined;
}
