// A bounded mutation loop over TLS 1.2 flights: whatever bytes arrive, our client and server raise
// only their own exceptions (BadTLSDataError, TLSAlertError), never a TypeError or RangeError.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { BadTLSDataError, TLSAlertError } from '../src/index.js';
import { pki } from './helpers/pki.js';
import {
  clientTLS12,
  type End,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

const clientTLS = clientTLS12({ sessionCache: false, clientCertificateStore: undefined });
const serverTLS = serverTLS12({ clientAuth: 'request', clientTrustRoot: pki().trustStore });

/** Flights of a real handshake: [ClientHello, server flight, client flight]. */
function flights(): { client: End; server: End; bytes: Uint8Array[] } {
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  const one = client.take();
  server.connection.dataFromWire(one);
  const two = server.take();
  client.connection.dataFromWire(two);
  const three = client.take();
  return { client, server, bytes: [one, two, three] };
}

function ours(error: unknown): boolean {
  return error instanceof BadTLSDataError || error instanceof TLSAlertError;
}

test('mutated flights raise only our exceptions', (t) => {
  const base = flights().bytes;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      (which, flips) => {
        const client = startClient(clientTLS);
        const server = startServer(serverTLS);
        const bytes = base[which]!.slice();
        for (const [at, xor] of flips) bytes[at % bytes.length]! ^= xor;
        try {
          if (which === 0) server.connection.dataFromWire(bytes);
          else {
            send(client, server);
            if (which === 1) client.connection.dataFromWire(bytes);
            else {
              send(server, client);
              client.take();
              server.connection.dataFromWire(bytes);
            }
          }
        } catch (error) {
          if (!ours(error)) throw error;
        }
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

test('random bytes after a valid prefix raise only our exceptions', (t) => {
  for (let i = 0; i < 200; i++) {
    const client = startClient(clientTLS);
    const server = startServer(serverTLS);
    send(client, server);
    const target = i % 2 === 0 ? client : server;
    const garbage = randomBytes(1 + (i % 300));
    // Keep a plausible record header half of the time, so the parsers see random bodies.
    if (i % 4 < 2)
      garbage.set(
        [22, 3, 3, (garbage.length - 5) >> 8, (garbage.length - 5) & 0xff].slice(0, garbage.length),
      );
    try {
      target.connection.dataFromWire(garbage);
    } catch (error) {
      if (!ours(error)) throw error;
    }
  }
  t.pass();
});
