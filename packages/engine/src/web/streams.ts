// TLS over WHATWG streams: a plaintext ReadableStream/WritableStream pair over any byte transport
// given as a ReadableStream/WritableStream pair (a WebSocket wrapper, a WebTransport stream, Node's
// Duplex.toWeb(socket)...). No node: imports, so it runs in browsers and workers too.
// Backpressure: after the handshake the transport is read only while the plaintext readable
// wants data (whatever our writes do: two peers writing to each other must not both stop); a
// write resolves once the transport's writer is ready again; and while more than
// outputHighWaterMark bytes of our output wait for the transport to accept them the engine defers
// the answers a peer can ask for (Connection.setTransportFull), so a peer that sends and never
// reads cannot make us queue without bound.

import type { Connection } from '../connection.js';
import type { ConnectionStarter } from '../connection-starter.js';
import type { VerifyCallback } from '../verify-callback.js';

export interface StreamTransport {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}

/** A ClientTLS or a ServerTLS. */
export type StreamStarter = ConnectionStarter;

export interface SecureStreams {
  /** Plaintext from the peer; ends at the peer's close_notify, errors on any failure. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Plaintext to the peer; writes wait for the handshake; close() sends close_notify. */
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves with the connection once the handshake completed (facts: tlsVersion, cipherSuite...). */
  readonly handshake: Promise<Connection>;
  readonly connection: Connection;
}

export interface SecureStreamsOptions {
  readonly verifyCallback?: VerifyCallback;
  /** Bytes of plaintext the readable side holds before the transport stops being read. Default 64 KiB. */
  readonly highWaterMark?: number;
  /**
   * Bytes written to the transport and not yet accepted (their write() promise pending) over which
   * the engine defers its KeyUpdate answers until they are. Default 64 KiB.
   */
  readonly outputHighWaterMark?: number;
}

/** Starts `tls` (a ClientTLS or ServerTLS) over `transport`. */
export function secureStreams(
  transport: StreamTransport,
  tls: StreamStarter,
  options: SecureStreamsOptions = {},
): SecureStreams {
  const reader = transport.readable.getReader();
  const writer = transport.writable.getWriter();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let failed: Error | undefined;
  let readableDone = false;
  let transportClosed = false;
  let wake: (() => void) | undefined;
  /** Bytes written to the transport whose write has not resolved, over `outputLimit`: `outputFull`. */
  const outputLimit = options.outputHighWaterMark ?? 64 * 1024;
  let unaccepted = 0;
  let outputFull = false;
  /** A write waiting for `outputFull` to clear (or for the failure). */
  let outputDrained: (() => void) | undefined;
  /** The connection once start() returned (the first flight is written from inside it). */
  let started: Connection | undefined;
  let resolveHandshake!: (c: Connection) => void;
  let rejectHandshake!: (e: Error) => void;
  const handshake = new Promise<Connection>((resolve, reject) => {
    resolveHandshake = resolve;
    rejectHandshake = reject;
  });
  handshake.catch(() => {}); // observed through the streams as well

  const fail = (error: unknown) => {
    if (failed) return;
    failed = error instanceof Error ? error : new Error(String(error));
    rejectHandshake(failed);
    if (!readableDone) {
      readableDone = true;
      controller.error(failed);
    }
    reader.cancel(failed).catch(() => {});
    // The engine may have queued an alert and asked for the close: let it out, else abort.
    if (!transportClosed) writer.abort(failed).catch(() => {});
    wake?.();
    outputDrained?.();
  };
  const endReadable = () => {
    if (readableDone) return;
    readableDone = true;
    controller.close();
    wake?.();
  };
  const enqueue = (data: Uint8Array) => {
    if (data.length > 0 && !readableDone) controller.enqueue(data);
  };

  const connection = tls.start(
    (data) => {
      unaccepted += data.length;
      writer.write(data).then(() => {
        unaccepted -= data.length;
        if (!outputFull || unaccepted > outputLimit) return;
        outputFull = false;
        if (!failed) started?.setTransportFull(false);
        outputDrained?.();
      }, fail);
      if (outputFull || unaccepted <= outputLimit) return;
      outputFull = true;
      started?.setTransportFull(true);
    },
    () => {
      // The design's wire_close_callback: the read side is done; the write side closes once queued records are out.
      transportClosed = true;
      writer.close().catch(() => {});
      reader.cancel().catch(() => {});
    },
    options.verifyCallback,
    {
      onHandshakeComplete: () => queueMicrotask(() => resolveHandshake(connection)),
      onApplicationData: enqueue,
      onError: fail,
      onEnd: () => queueMicrotask(endReadable),
    },
  );
  started = connection;
  if (outputFull) connection.setTransportFull(true);

  const readable = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        wake?.();
      },
      cancel(reason) {
        readableDone = true;
        fail(reason ?? new Error('the readable side was cancelled'));
      },
    },
    { highWaterMark: options.highWaterMark ?? 64 * 1024, size: (chunk) => chunk.length },
  );

  const pump = async () => {
    for (;;) {
      if (failed || readableDone) return;
      // The handshake always proceeds; after it, read only while the application wants data.
      if (connection.handshakeComplete && (controller.desiredSize ?? 0) <= 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) {
        if (!connection.ended && !failed) {
          fail(
            new Error(
              connection.handshakeComplete
                ? 'the transport ended without close_notify'
                : 'the transport ended before the TLS handshake completed',
            ),
          );
        }
        return;
      }
      enqueue(connection.dataFromWire(value));
    }
  };
  pump().catch(fail);

  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      await handshake;
      connection.dataFromApplication(chunk);
      await writer.ready;
      // Our write is done once the transport accepted enough of our output: its backpressure.
      if (outputFull) {
        await new Promise<void>((resolve) => {
          outputDrained = resolve;
        });
        outputDrained = undefined;
        if (failed) throw failed;
      }
    },
    async close() {
      await handshake;
      // 'peerClosed': the peer ended first and the engine runs with halfClose (TLS 1.3).
      const state = connection.state;
      if (state === 'open' || state === 'peerClosed') connection.applicationFinished();
      await writer.ready;
    },
    abort(reason) {
      fail(reason ?? new Error('the writable side was aborted'));
    },
  });

  return { readable, writable, handshake, connection };
}
