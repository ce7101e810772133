// The WebSocket <-> TCP relay a browser needs to speak TLS: a page cannot open TCP sockets, so
// each WebSocket on /relay/<server> becomes one TCP connection to that TLS server on 127.0.0.1,
// and bytes cross unchanged both ways (binary messages; the TLS stays end to end, the relay sees
// only ciphertext after the hellos). Targets are fixed by the relay, never chosen by the page,
// so it is no open proxy; WebSockets from other origins are refused.
import type { IncomingMessage, Server } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';

/** Largest WebSocket message accepted from the page (the engine sends at most a flight or a few records at once). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Relayed connections open at once; more are refused with 503. */
export const MAX_CONNECTIONS = 32;

export interface RelayOptions {
  /** Server name (the path's last segment) -> TCP port on 127.0.0.1. */
  readonly targets: ReadonlyMap<string, number>;
  /** The only Origin whose WebSockets are relayed: the page's. */
  readonly origin: string;
}

export interface Relay {
  /** Relayed connections open now. */
  readonly open: number;
  close(): void;
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Serves the relay on `server`'s upgrade requests for /relay/<name>. */
export function attachRelay(server: Server, options: RelayOptions): Relay {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const tcpSockets = new Set<net.Socket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const name = /^\/relay\/([a-z]+)$/.exec(new URL(request.url ?? '/', 'http://x').pathname)?.[1];
    const port = name === undefined ? undefined : options.targets.get(name);
    if (port === undefined) return refuse(socket, '404 Not Found');
    if (request.headers.origin !== options.origin) return refuse(socket, '403 Forbidden');
    if (tcpSockets.size >= MAX_CONNECTIONS) return refuse(socket, '503 Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => {
      const tcp = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      tcpSockets.add(tcp);
      tcp.setNoDelay(true);
      // Backpressure both ways through stream piping; the end of one side ends the other
      // (a TCP FIN becomes the WebSocket close after the last message, and the reverse).
      const page = createWebSocketStream(ws);
      const teardown = () => {
        tcpSockets.delete(tcp);
        tcp.destroy();
        page.destroy();
      };
      page.on('error', teardown);
      tcp.on('error', teardown);
      tcp.on('close', teardown);
      page.on('close', () => tcp.end());
      page.pipe(tcp);
      tcp.pipe(page);
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    get open() {
      return tcpSockets.size;
    },
    close() {
      server.off('upgrade', onUpgrade);
      for (const tcp of tcpSockets) tcp.destroy();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
