// A TCP relay on 127.0.0.1 that records every chunk in each direction, in the order seen: the
// demo's packet capture, without privileges or a pcap library.
import net from 'node:net';
import type { Direction } from '@tls-kit/messages';

export interface CapturedChunk {
  readonly from: Direction;
  readonly data: Uint8Array;
}

export interface Relay {
  readonly port: number;
  readonly chunks: CapturedChunk[];
  /** Resolves when the relayed connection is closed on both sides. */
  readonly done: Promise<void>;
  close(): void;
}

/** Relays one connection from `port` to `target`. */
export async function startRelay(target: number): Promise<Relay> {
  const chunks: CapturedChunk[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    server.close();
    // Half-open on both legs: a FIN is passed on while the other direction keeps flowing.
    const upstream = net.connect({ port: target, host: '127.0.0.1', allowHalfOpen: true });
    let closed = 0;
    const pipe = (from: net.Socket, to: net.Socket, who: Direction) => {
      from.on('data', (d: Buffer) => {
        chunks.push({ from: who, data: new Uint8Array(d) });
        to.write(d);
      });
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => {
        if (++closed === 2) finish();
      });
    };
    pipe(client, upstream, 'client');
    pipe(upstream, client, 'server');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    chunks,
    done,
    close: () => server.close(),
  };
}
