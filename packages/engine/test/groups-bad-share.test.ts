// X448 and secp521r1 between our own client and server, in memory: every provider pairing in TLS 1.3
// and TLS 1.2, HelloRetryRequest to each group, and bad key shares of each group refused with
// illegal_parameter on the wire (RFC 8446 §4.2.8, RFC 8422 §5.10/§5.11) in all four places a share
// travels. A bad share is sent by our real encoder: the sender's provider lies about its public value.
import { type CryptoProvider, composeProvider, type NamedGroupName, nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import { HELLO_RETRY_REQUEST_RANDOM } from '@tls-kit/messages';
import test from 'ava';
import { ClientTLS, ServerTLS, type TLSVersion } from '../src/index.js';
import { pki } from './helpers/pki.js';
import {
  complete,
  type End,
  expectAlert,
  plainHandshakeMessages,
  send,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

type Group = 'x448' | 'secp521r1';
const GROUPS: readonly Group[] = ['x448', 'secp521r1'];
const VERSIONS: readonly TLSVersion[] = ['TLSv1.3', 'TLSv1.2'];
const PROVIDERS: readonly CryptoProvider[] = [nodeProvider, nobleProvider];

/**
 * In TLS 1.2 the client also lists P-256, the curve of the server's ECDSA certificate (RFC 8422
 * §5.3); the server offers only the group under test for ECDHE, so that is still the one chosen.
 */
function client(provider: CryptoProvider, version: TLSVersion, groups: readonly NamedGroupName[]): End {
  return startClient(
    new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      provider,
      versions: [version],
      groups: version === 'TLSv1.2' ? [...groups, 'secp256r1'] : groups,
    }),
  );
}

function server(provider: CryptoProvider, version: TLSVersion, groups: readonly Group[]): End {
  return startServer(
    new ServerTLS({ certificates: pki().chain('ecdsa'), provider, versions: [version], groups }),
  );
}

for (const group of GROUPS) {
  for (const version of VERSIONS) {
    for (const [a, b] of [
      [nodeProvider, nobleProvider],
      [nobleProvider, nodeProvider],
    ] as const) {
      test(`${group} ${version}: ${a.name} client, ${b.name} server`, (t) => {
        const c = client(a, version, [group]);
        const s = server(b, version, [group]);
        complete(c, s);
        t.is(c.connection.handshakeComplete, true);
        t.is(c.connection.namedGroup, group);
        t.is(s.connection.namedGroup, group);
        c.connection.dataFromApplication(new TextEncoder().encode('ping'));
        t.is(new TextDecoder().decode(send(c, s)), 'ping', 'both sides derived the same keys');
      });
    }
  }
}

for (const group of GROUPS) {
  for (const provider of PROVIDERS) {
    test(`HelloRetryRequest to ${group}: client shares X25519 (${provider.name})`, (t) => {
      const c = client(provider, 'TLSv1.3', ['x25519', group]);
      const s = server(provider, 'TLSv1.3', [group]);
      send(c, s);
      const hrr = s.take();
      const serverHello = plainHandshakeMessages(hrr)[0]!;
      // RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with a fixed random.
      t.deepEqual(serverHello.subarray(6, 38), HELLO_RETRY_REQUEST_RANDOM);
      c.connection.dataFromWire(hrr);
      complete(c, s);
      t.true(c.connection.handshakeComplete);
      t.is(c.connection.namedGroup, group);
      t.is(s.connection.namedGroup, group);
    });
  }
}

/** `base`, except that every public value it hands out for a key exchange is `corrupt(real value)`. */
function lyingProvider(base: CryptoProvider, corrupt: (share: Uint8Array) => Uint8Array): CryptoProvider {
  return composeProvider(base, {
    name: `${base.name}+bad-share`,
    startKeyExchange(group, privateKey) {
      const real = base.startKeyExchange(group, privateKey);
      return { ...real, publicKey: corrupt(real.publicKey) };
    },
    respondKeyExchange(group, peerPublicKey) {
      const real = base.respondKeyExchange(group, peerPublicKey);
      return { ...real, publicKey: corrupt(real.publicKey) };
    },
  });
}

const withLow = (length: number, low: number) => {
  const bytes = new Uint8Array(length);
  bytes[0] = low; // X448 u-coordinates are little-endian (RFC 7748 §5)
  return bytes;
};

const BAD_SHARES: Record<Group, readonly [string, (share: Uint8Array) => Uint8Array][]> = {
  x448: [
    ['55 bytes', (share) => share.subarray(0, 55)],
    ['57 bytes', (share) => Uint8Array.of(...share, 0)],
    ['u = 0 (all-zero secret)', () => withLow(56, 0)],
    ['u = 1 (low order, all-zero secret)', () => withLow(56, 1)],
  ],
  secp521r1: [
    ['a point off the curve', (share) => share.map((byte, i) => (i === share.length - 1 ? byte ^ 1 : byte))],
    ['132 bytes', (share) => share.subarray(0, 132)],
    ['compressed', (share) => Uint8Array.of(2 + (share[132]! & 1), ...share.subarray(1, 67))],
    ['the point at infinity', () => Uint8Array.of(0)],
  ],
};

for (const group of GROUPS) {
  for (const provider of PROVIDERS) {
    for (const [name, corrupt] of BAD_SHARES[group]) {
      const liar = lyingProvider(provider === nodeProvider ? nobleProvider : nodeProvider, corrupt);

      test(`TLS 1.3 server (${provider.name}) refuses a ${group} client share: ${name}`, (t) => {
        const c = client(liar, 'TLSv1.3', [group]);
        const s = server(provider, 'TLSv1.3', [group]);
        expectAlert(t, s, 'BadKeyShare', () => send(c, s));
      });

      test(`TLS 1.3 client (${provider.name}) refuses a ${group} server share: ${name}`, (t) => {
        const c = client(provider, 'TLSv1.3', [group]);
        const s = server(liar, 'TLSv1.3', [group]);
        send(c, s);
        expectAlert(t, c, 'BadKeyShare', () => send(s, c));
      });

      test(`TLS 1.2 client (${provider.name}) refuses a ${group} ServerKeyExchange point: ${name}`, (t) => {
        const c = client(provider, 'TLSv1.2', [group]);
        const s = server(liar, 'TLSv1.2', [group]);
        send(c, s);
        expectAlert(t, c, 'BadKeyShare', () => send(s, c));
      });

      test(`TLS 1.2 server (${provider.name}) refuses a ${group} ClientKeyExchange point: ${name}`, (t) => {
        const c = client(liar, 'TLSv1.2', [group]);
        const s = server(provider, 'TLSv1.2', [group]);
        send(c, s);
        send(s, c);
        expectAlert(t, s, 'BadKeyShare', () => send(c, s));
      });
    }
  }
}
