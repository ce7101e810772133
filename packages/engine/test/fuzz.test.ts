// Bounded fuzzing: random bytes and mutated real transcripts must produce only our exceptions
// (BadTLSDataError after an alert, TLSAlertError, InvalidatedError) or a normal result.
import fc from 'fast-check';
import test from 'ava';
import { concat } from '@tls-kit/crypto/bytes';
import { BadTLSDataError, ClientTLS, InvalidatedError, ServerTLS, TLSAlertError } from '../src/index.js';
import { pki } from './helpers/pki.js';

const RUNS = 150;

function expected(error: unknown): boolean {
  return (
    error instanceof BadTLSDataError || error instanceof TLSAlertError || error instanceof InvalidatedError
  );
}

// Deterministic endpoints (fixed randomness, fixed X25519 keys, Ed25519 signatures) so that a
// recorded flight fits every new connection.
const fixed = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);
const clientKey = new Uint8Array(32).fill(7);
const serverKey = new Uint8Array(32).fill(9);
const now = Date.now();

function newClient() {
  const tls = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    random: fixed(1),
    groups: ['x25519', 'secp256r1'],
    keySharePrivateKeys: { x25519: clientKey },
    clock: () => now,
    sessionCache: false,
  });
  const out: Uint8Array[] = [];
  const connection = tls.start(
    (d) => out.push(d),
    () => {},
  );
  return { connection, out };
}

const serverTls = () =>
  new ServerTLS({
    certificates: pki().chain('ed25519'),
    random: fixed(2),
    groups: ['x25519', 'secp256r1'],
    keySharePrivateKeys: { x25519: serverKey },
    clock: () => now,
    ticketKeys: false,
  });

function newServer() {
  const out: Uint8Array[] = [];
  const connection = serverTls().start(
    (d) => out.push(d),
    () => {},
  );
  return { connection, out };
}

/** A full recorded exchange: ClientHello, server flight, client's second flight. */
function record() {
  const c = newClient();
  const s = newServer();
  const clientHello = concat(c.out.splice(0));
  s.connection.dataFromWire(clientHello);
  const serverFlight = concat(s.out.splice(0));
  c.connection.dataFromWire(serverFlight);
  const clientFlight = concat(c.out.splice(0));
  s.connection.dataFromWire(clientFlight);
  if (s.connection.state !== 'open' || c.connection.state !== 'open') throw new Error('recording failed');
  return { clientHello, serverFlight, clientFlight };
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % input.length;
  switch (m.kind) {
    case 'flip': {
      const out = input.slice();
      out[at]! ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      const out = input.slice();
      out[at] = m.value;
      return out;
    }
    case 'truncate':
      return input.slice(0, at);
    case 'insert':
      return concat([input.subarray(0, at), m.bytes, input.subarray(at)]);
  }
}

/** Feeds `chunks` one by one; only our exceptions may escape. */
function feed(connection: { dataFromWire(b: Uint8Array): Uint8Array }, chunks: Uint8Array[]): void {
  for (const chunk of chunks) {
    try {
      connection.dataFromWire(chunk);
    } catch (error) {
      if (!expected(error)) throw error;
      return;
    }
  }
}

const recorded = record();

test('random bytes to a fresh server and a fresh client', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, recordHeader) => {
      const input = recordHeader
        ? concat([new Uint8Array([22, 3, 1, bytes.length >> 8, bytes.length & 0xff]), bytes])
        : bytes;
      feed(newServer().connection, [input]);
      feed(newClient().connection, [input]);
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

test('mutated ClientHello to the server', (t) => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
      feed(newServer().connection, [ms.reduce(mutate, recorded.clientHello)]);
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

test('mutated server flight to the client', (t) => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(), (ms, split) => {
      const flight = ms.reduce(mutate, recorded.serverFlight);
      const at = flight.length === 0 ? 0 : split % flight.length;
      feed(newClient().connection, [flight.subarray(0, at), flight.subarray(at)]);
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

test('mutated client flight to the server', (t) => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
      const s = newServer();
      s.connection.dataFromWire(recorded.clientHello);
      feed(s.connection, [ms.reduce(mutate, recorded.clientFlight)]);
    }),
    { numRuns: RUNS },
  );
  t.pass();
});
