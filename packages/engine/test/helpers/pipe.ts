// Runs a client and a server Connection against each other in memory, synchronously.
import { concat } from '@tls-kit/crypto/bytes';
import type { ClientTLS, Connection, ServerTLS } from '../../src/index.js';

export interface Side {
  readonly out: Uint8Array[];
  readonly received: Uint8Array[];
  closed: boolean | undefined;
  connection: Connection;
}

export interface Pair {
  readonly client: Side;
  readonly server: Side;
  /** Moves bytes both ways until nothing is in flight. */
  pump(): void;
}

type Starter = (write: (d: Uint8Array) => void, close: (immediate: boolean) => void) => Connection;

export function side(start: Starter): Side {
  const s = {
    out: [] as Uint8Array[],
    received: [] as Uint8Array[],
    closed: undefined as boolean | undefined,
  } as Side;
  s.connection = start(
    (d) => s.out.push(d),
    (immediate) => {
      s.closed = immediate;
    },
  );
  return s;
}

export function deliver(from: Side, to: Side): boolean {
  if (from.out.length === 0) return false;
  const data = concat(from.out.splice(0));
  const app = to.connection.dataFromWire(data);
  if (app.length > 0) to.received.push(app);
  return true;
}

export function pair(startClient: Starter, startServer: Starter): Pair {
  const client = side(startClient);
  const server = side(startServer);
  return {
    client,
    server,
    pump() {
      for (let i = 0; i < 100; i++) {
        const moved = deliver(client, server) || deliver(server, client);
        if (!moved) return;
      }
      throw new Error('pump did not settle');
    },
  };
}

export const text = (s: string) => new TextEncoder().encode(s);
export const str = (chunks: Uint8Array[]) => new TextDecoder().decode(concat(chunks));

/** A pair of `client` and `server` connections, pumped until the handshake settles. */
export function handshake(client: ClientTLS, server: ServerTLS): Pair {
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  p.pump();
  return p;
}
