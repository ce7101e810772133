// One TLS connection from the page: a WebSocket to the relay, @tls-kit/engine/web's secureStreams
// over it with the pure-JS crypto provider, an HTTP request, the response read to the server's
// close_notify. Everything that crossed the wire is kept with its time, with the key log, so the
// transcript can be decoded and decrypted afterwards.
import type { TrustStore } from '@tls-kit/certs';
import { ClientTLS, type Connection, secureStreams, type TLSVersion } from '@tls-kit/engine/web';
import type { Direction } from '@tls-kit/messages';
import { opened, webSocketTransport } from './websocket-transport.js';

/** The name the page asks for (SNI) and checks the leaf against: the demo leaf's. */
export const SERVER_NAME = 'localhost';

export interface CapturedChunk {
  readonly from: Direction;
  readonly data: Uint8Array;
  /** Milliseconds since the WebSocket was created. */
  readonly at: number;
}

/** A moment of the connection as the page saw it, in milliseconds since the WebSocket was created. */
export interface Mark {
  readonly what: string;
  readonly at: number;
}

export interface SessionOptions {
  readonly relayUrl: string;
  readonly trustRoot: TrustStore;
  readonly versions?: readonly TLSVersion[];
  readonly request: string;
}

export interface SessionResult {
  readonly chunks: readonly CapturedChunk[];
  readonly keyLog: string;
  readonly marks: readonly Mark[];
  /** Set once the handshake completed. */
  readonly connection?: Connection;
  readonly response: string;
  readonly error?: Error;
}

export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const chunks: CapturedChunk[] = [];
  const marks: Mark[] = [];
  const keyLog: string[] = [];
  let connection: Connection | undefined;
  let response = '';
  try {
    const ws = new WebSocket(options.relayUrl);
    await opened(ws);
    marks.push({ what: 'WebSocket open: the relay has connected to the TLS server', at: now() });
    const transport = webSocketTransport(ws, (from, data) => chunks.push({ from, data, at: now() }));
    const client = new ClientTLS({
      serverHostname: SERVER_NAME,
      trustRoot: options.trustRoot,
      alpnProtocols: ['http/1.1'],
      keyLog: (line) => keyLog.push(line),
      ...(options.versions ? { versions: options.versions } : {}),
    });
    const tls = secureStreams(transport, client);
    const writer = tls.writable.getWriter();
    connection = await tls.handshake;
    marks.push({ what: 'handshake complete: chain and Finished verified', at: now() });
    await writer.write(new TextEncoder().encode(options.request));
    marks.push({ what: 'HTTP request written', at: now() });
    const decoder = new TextDecoder();
    const reader = tls.readable.getReader();
    for (let first = true; ; first = false) {
      const { value, done } = await reader.read();
      if (done) break;
      if (first) marks.push({ what: 'first bytes of the response', at: now() });
      response += decoder.decode(value, { stream: true });
    }
    response += decoder.decode();
    marks.push({ what: "response complete: the server's close_notify", at: now() });
    await writer.close().catch(() => {});
    return { chunks, keyLog: keyLog.join('\n'), marks, connection, response };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    marks.push({ what: `failed: ${error.name}`, at: now() });
    return {
      chunks,
      keyLog: keyLog.join('\n'),
      marks,
      ...(connection ? { connection } : {}),
      response,
      error,
    };
  }
}
