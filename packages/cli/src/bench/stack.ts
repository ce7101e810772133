// What the harness needs from a TLS stack, so one harness drives all of them the same way: a
// listener on 127.0.0.1 that hands over established server sides in accept order, a client that
// connects and hands over established client sides, and `Side`, one end of an open connection.
import type net from 'node:net';
import type { BenchPki, KeyKind } from './pki.js';

export type StackId = 'tlskit-node' | 'tlskit-noble' | 'tlskit-adapter' | 'node' | 'forge';
export type Version = 'TLSv1.3' | 'TLSv1.2';
export type Aead = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** The TLS 1.3 suite of each AEAD (IANA names, which node:tls's `ciphers` accepts too). */
export const TLS13_SUITE: Record<Aead, string> = {
  'aes-128-gcm': 'TLS_AES_128_GCM_SHA256',
  'aes-256-gcm': 'TLS_AES_256_GCM_SHA384',
  'chacha20-poly1305': 'TLS_CHACHA20_POLY1305_SHA256',
};

/** What one connection negotiates. Forge ignores `version` and `aead`: it has TLS 1.1 and CBC only. */
export interface Params {
  readonly pki: BenchPki;
  readonly key: KeyKind;
  readonly version: Version;
  readonly aead: Aead;
  /** Client: keep the ticket / session each connection receives and offer it on the next one. */
  readonly resume?: boolean;
  /**
   * node:tls-API stacks only (node:tls, tls-kit's adapter): instead of the pinned suite and group,
   * 'defaults' leaves every option at its default, 'x25519' pins the version and ecdhCurve only.
   */
  readonly settings?: 'defaults' | 'x25519';
}

/** One end of an established connection. */
export interface Side {
  /** 'TLSv1.3', 'TLSv1.2', 'TLSv1.1' */
  readonly protocol: string;
  readonly cipher: string;
  readonly resumed: boolean;
  /** Encrypts and writes application data; false when the socket wants a 'drain' first. */
  send(data: Buffer): boolean;
  /** Resolves once the socket has room again. */
  drained(): Promise<void>;
  /** Called with the length of each piece of application data decrypted. */
  onData: ((length: number) => void) | undefined;
  /** Called with an error raised after the handshake (a bad record, a reset socket). */
  onError: ((error: unknown) => void) | undefined;
  /** Client side with `resume`: resolves when a ticket/session for the next connection arrived. */
  readonly sessionReady: Promise<void>;
  /** Closes the socket at once (no close_notify). */
  destroy(): void;
  /** node:tls-API stacks: end() (close_notify, then the TCP FIN), as an application closes. */
  end?(): void;
  /** node:tls-API stacks: resolves on the socket's 'close'. */
  closed?(): Promise<void>;
}

export interface Listener {
  readonly port: number;
  /** The next server side to complete its handshake, in order; rejects on a server-side error. */
  next(): Promise<Side>;
  close(): Promise<void>;
}

export interface Client {
  connect(port: number): Promise<Side>;
}

export interface Stack {
  readonly id: StackId;
  readonly label: string;
  listen(params: Params): Promise<Listener>;
  client(params: Params): Client;
}

/**
 * Hands server sides to whoever asks, in order; an error fails the oldest waiter (or the next
 * call). Used by every stack's listener.
 */
export class SideQueue {
  private readonly ready: Side[] = [];
  private readonly waiters: { resolve: (s: Side) => void; reject: (e: unknown) => void }[] = [];
  private failure: unknown;

  push(side: Side): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(side);
    else this.ready.push(side);
  }

  fail(error: unknown): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.reject(error);
    else this.failure ??= error;
  }

  next(): Promise<Side> {
    const side = this.ready.shift();
    if (side) return Promise.resolve(side);
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

/**
 * `server` listening on 127.0.0.1 at a free port as a Listener handing out `queue`'s sides;
 * close() destroys the sockets still open (tracked from each `openEvent`), then closes the server.
 */
export async function listenOnLoopback(
  server: net.Server,
  queue: SideQueue,
  openEvent: 'connection' | 'secureConnection' = 'connection',
): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  server.on(openEvent, (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    next: () => queue.next(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A promise with its resolve and reject. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Room-again promise for any writable socket. */
export function drainOf(socket: net.Socket): Promise<void> {
  if (!socket.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      socket.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      socket.off('drain', onDrain);
      reject(new Error('socket closed while waiting for drain'));
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/** Rejects after `ms` with a message naming what was awaited; keeps every wait of the harness bounded. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
