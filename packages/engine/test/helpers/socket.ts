// Glue between a net.Socket and a sans-IO Connection, for interop tests.
import net from 'node:net';
import type { Connection, ConnectionEvents } from '../../src/index.js';

export interface Session {
  readonly connection: Connection;
  readonly socket: net.Socket;
  /** Resolves with all application data received once the peer closed (or the socket ended). */
  readonly done: Promise<Buffer>;
  /** Resolves when the handshake completes. */
  readonly handshake: Promise<void>;
  received(): number;
}

type Starter = (
  write: (d: Uint8Array) => void,
  close: (immediate: boolean) => void,
  events: ConnectionEvents,
) => Connection;

export function attach(
  socket: net.Socket,
  start: Starter,
  onData?: (data: Uint8Array, s: Session) => void,
): Session {
  const chunks: Buffer[] = [];
  let total = 0;
  let resolveDone!: (b: Buffer) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<Buffer>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  let resolveHandshake!: () => void;
  const handshake = new Promise<void>((res, rej) => {
    resolveHandshake = res;
    done.catch(rej);
  });
  handshake.catch(() => {});
  const finish = () => resolveDone(Buffer.concat(chunks));
  const session: Session = {
    socket,
    done,
    handshake,
    received: () => total,
    connection: undefined as unknown as Connection,
  };
  const take = (data: Uint8Array) => {
    if (data.length === 0) return;
    chunks.push(Buffer.from(data));
    total += data.length;
    onData?.(data, session);
  };
  (session as { connection: Connection }).connection = start(
    (d) => socket.write(d),
    (immediate) => {
      // `done` settles on 'close', so that an exception raised by this same call wins.
      if (immediate) socket.destroy();
      else socket.end();
    },
    {
      onHandshakeComplete: () => resolveHandshake(),
      onApplicationData: take,
      onError: (e) => {
        socket.destroy();
        rejectDone(e);
      },
    },
  );
  socket.on('data', (buf: Buffer) => {
    try {
      take(session.connection.dataFromWire(buf));
    } catch (e) {
      socket.destroy();
      rejectDone(e);
    }
  });
  socket.on('error', (e) => rejectDone(e));
  socket.on('close', () => finish());
  return session;
}

export function connect(
  port: number,
  start: Starter,
  onData?: (data: Uint8Array, s: Session) => void,
): Promise<Session> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => resolve(attach(socket, start, onData)));
  });
}

/** A TCP server that runs `start` for every accepted socket. */
export async function listen(
  start: Starter,
  onSession: (s: Session) => void = () => {},
  onData?: (data: Uint8Array, s: Session) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const s = attach(socket, start, onData);
    s.done.catch(() => {});
    onSession(s);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}
