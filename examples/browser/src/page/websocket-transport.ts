// A WebSocket as the byte transport secureStreams wants (a ReadableStream/WritableStream pair),
// with a tap that sees every chunk both ways: the page's packet capture.
import type { StreamTransport } from '@tls-kit/engine/web';
import type { Direction } from '@tls-kit/messages';

/**
 * Bytes from the relay the readable side holds before it fails: WebSocket has no backpressure,
 * and secureStreams stops reading once its plaintext buffer is full.
 */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

export type Tap = (from: Direction, data: Uint8Array) => void;

/** Resolves once `ws` is open; rejects if it closes first. */
export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener(
      'close',
      (e) =>
        reject(
          new Error(`the relay refused the WebSocket (code ${e.code}${e.reason ? `, ${e.reason}` : ''})`),
        ),
      { once: true },
    );
  });
}

/** Wraps an open binary WebSocket; `tap` sees what the server sent and what we send. */
export function webSocketTransport(ws: WebSocket, tap: Tap): StreamTransport {
  ws.binaryType = 'arraybuffer';
  let done = false;
  const readable = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        ws.addEventListener('message', (e: MessageEvent<ArrayBuffer>) => {
          if (done) return;
          const data = new Uint8Array(e.data);
          tap('server', data);
          controller.enqueue(data);
          if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) {
            done = true;
            controller.error(new Error(`more than ${MAX_UNREAD_BYTES} bytes from the relay went unread`));
            ws.close();
          }
        });
        ws.addEventListener('close', () => {
          if (done) return;
          done = true;
          controller.close();
        });
      },
      cancel() {
        done = true;
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.length },
  );
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error('the relay closed the WebSocket');
      tap('client', chunk);
      ws.send(chunk);
    },
    close() {
      ws.close();
    },
    abort() {
      ws.close();
    },
  });
  return { readable, writable };
}
