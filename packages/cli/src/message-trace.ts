// s_client -msg: every record and handshake message of the connection, both ways, through the
// dissector as `demo` shows them, the encrypted ones opened with the connection's own key log.
// The transport's bytes are taken as they cross; they are decoded once the engine has handled
// them (on the next turn of the event loop), when the keys they need have been logged.
import type { Socket } from 'node:net';
import type { TLSSocket } from '@tls-kit/engine/node';
import { type Direction, type KeyLogEntry, parseKeyLog } from '@tls-kit/messages';
import { style, TranscriptRenderer } from './demo/render.js';

export interface MessageTrace {
  /** Reads the key log of the TLS socket over the traced transport. */
  follow(socket: TLSSocket): void;
  /** Writes out what is still waiting (at the end of the connection). */
  flush(): void;
}

export function traceTransport(transport: Socket, out: NodeJS.WritableStream): MessageTrace {
  const keylog: KeyLogEntry[] = [];
  const renderer = new TranscriptRenderer(keylog, style(false), false);
  const pending: { from: Direction; data: Uint8Array }[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    clearImmediate(scheduled);
    scheduled = undefined;
    const lines = pending.splice(0).flatMap(({ from, data }) => renderer.push(from, data));
    if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
  };
  const take = (from: Direction, chunk: unknown) => {
    if (!(chunk instanceof Uint8Array)) return;
    pending.push({ from, data: new Uint8Array(chunk) });
    scheduled ??= setImmediate(flush);
  };
  transport.on('data', (chunk) => take('server', chunk));
  // The TLS socket writes each flight with write(): seen here before it leaves.
  const write = transport.write.bind(transport) as (chunk: unknown, ...rest: unknown[]) => boolean;
  transport.write = ((chunk: unknown, ...rest: unknown[]) => {
    take('client', chunk);
    return write(chunk, ...rest);
  }) as Socket['write'];
  return {
    follow: (socket) => socket.on('keylog', (line: Buffer) => keylog.push(...parseKeyLog(line.toString()))),
    flush,
  };
}
