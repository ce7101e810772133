// TLS 1.2 DHE: the client's checks on the server's explicit group (RFC 7919 §3, §5.1). RFC 7919
// groups pass at once; any other prime must be a safe prime of 2048..8192 bits, tested once
// (verdicts are cached) with the provider's Miller-Rabin.
import { generatePrimeSync, getDiffieHellman } from 'node:crypto';
import { type CryptoProvider, FFDHE_PRIMES_HEX } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { checkServerDhGroup, DH_VERDICT_CACHE_SIZE, MAX_DH_BITS } from '../src/client/dh-group.js';
import { ProtocolViolation } from '../src/errors.js';
import { pki } from './helpers/pki.js';
import {
  clientTLS12,
  complete,
  expectAlert,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';
import { dhParamsDer } from './helpers/tls12-peers.js';

const DHE = ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'] as const;

/** nodeProvider, counting the primality tests it runs. */
function countingProvider() {
  const tested: number[] = [];
  const provider: CryptoProvider = {
    ...nodeProvider,
    isProbablePrime(candidate) {
      tested.push(candidate.length * 8);
      return nodeProvider.isProbablePrime(candidate);
    },
  };
  return { provider, tested };
}

const bytes = (n: bigint) =>
  Uint8Array.from(Buffer.from(n.toString(16).padStart(2 * Math.ceil(n.toString(2).length / 8), '0'), 'hex'));

/** A handshake with a server whose dhParams are (p, 2); returns the two ends after the server's flight. */
function toClient(p: Uint8Array, provider: CryptoProvider = nodeProvider) {
  const client = startClient(clientTLS12({ cipherSuites: [...DHE], provider }));
  const server = startServer(serverTLS12({ certificates: pki().chain('rsa'), dhParams: dhParamsDer(p, 2) }));
  send(client, server);
  return { client, server };
}

test('an RFC 3526 safe prime (not RFC 7919) is accepted, tested once, then its verdict is cached', (t) => {
  const modp15 = new Uint8Array(getDiffieHellman('modp15').getPrime());
  const { provider, tested } = countingProvider();
  for (let i = 0; i < 2; i++) {
    const client = startClient(clientTLS12({ cipherSuites: [...DHE], provider }));
    const server = startServer(
      serverTLS12({ certificates: pki().chain('rsa'), dhParams: dhParamsDer(modp15, 2) }),
    );
    complete(client, server);
    t.is(client.connection.state, 'open');
    t.is(client.connection.namedGroup, 'dh3072');
  }
  // One Miller-Rabin test of q = (p-1)/2 for both handshakes; p itself by Pocklington's criterion.
  t.deepEqual(tested, [3072]);
});

test('an RFC 7919 group needs no primality test', (t) => {
  const { provider, tested } = countingProvider();
  t.is(checkServerDhGroup(Buffer.from(FFDHE_PRIMES_HEX.ffdhe3072, 'hex'), provider), 'ffdhe3072');
  t.deepEqual(tested, []);
});

test('a composite 2048-bit odd p with no small factor -> illegal_parameter', (t) => {
  const p = generatePrimeSync(1024, { bigint: true }) * generatePrimeSync(1024, { bigint: true });
  const { client, server } = toClient(bytes(p));
  expectAlert(t, client, 'UnsafeDhPrime', () => send(server, client));
});

test('a prime p whose (p-1)/2 is composite (not a safe prime) -> illegal_parameter', (t) => {
  // p = 1 (mod 6): 3 divides (p-1)/2.
  const p = generatePrimeSync(2048, { bigint: true, add: 6n, rem: 1n });
  const { client, server } = toClient(bytes(p));
  expectAlert(t, client, 'UnsafeDhPrime', () => send(server, client));
});

test('an 8192-bit non-prime is refused by trial division, before any Miller-Rabin', (t) => {
  const p = (1n << 8191n) + 1n; // divisible by 3
  const { provider, tested } = countingProvider();
  const { client, server } = toClient(bytes(p), provider);
  expectAlert(t, client, 'UnsafeDhPrime', () => send(server, client));
  t.deepEqual(tested, []);
});

test('sizes: under 2048 bits insufficient_security, over 8192 bits illegal_parameter', (t) => {
  const reason = (p: Uint8Array) =>
    t.throws(() => checkServerDhGroup(p, nodeProvider), { instanceOf: ProtocolViolation })?.reason;
  t.is(reason(new Uint8Array(getDiffieHellman('modp2').getPrime())), 'WeakDhGroup');
  t.is(reason(bytes((1n << BigInt(MAX_DH_BITS)) + 3n)), 'OversizedDhGroup');
});

test('a server with a 1024-bit group: the client refuses it (insufficient_security)', (t) => {
  const { client, server } = toClient(new Uint8Array(getDiffieHellman('modp2').getPrime()));
  expectAlert(t, client, 'WeakDhGroup', () => send(server, client));
});

test('the verdict cache stays bounded: the oldest verdict is forgotten', (t) => {
  const modp14 = new Uint8Array(getDiffieHellman('modp14').getPrime());
  const { provider, tested } = countingProvider();
  t.is(checkServerDhGroup(modp14, provider), 'dh2048');
  t.is(checkServerDhGroup(modp14, provider), 'dh2048');
  t.is(tested.length, 1);
  // As many distinct composites (2^2047 + 1 + 6i: odd, divisible by 3) as the cache holds.
  for (let i = 0; i < DH_VERDICT_CACHE_SIZE; i++) {
    t.throws(() => checkServerDhGroup(bytes((1n << 2047n) + 1n + BigInt(6 * i)), provider));
  }
  t.is(checkServerDhGroup(modp14, provider), 'dh2048');
  t.is(tested.length, 2);
});
