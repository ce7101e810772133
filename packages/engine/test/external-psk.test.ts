// TLS 1.3 external PSKs (RFC 8446 §4.2.11, §7.1 "ext binder"; RFC 9257): ClientOptions.psk and
// ServerOptions.pskCallback in memory, against openssl s_server -psk -nocert and s_client -psk.
import { TrustStore } from '@tls-kit/certs';
import { defaultProvider } from '@tls-kit/crypto/default';
import { ClientHello, ExtensionType, findExtension, PskKeyExchangeMode } from '@tls-kit/messages';
import { opensslClient } from '@tls-kit/test-helpers';
import test from 'ava';
import {
  AlertDescription as A,
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  type PskCallback,
  type ServerOptions,
  ServerTLS,
  TLSUsageError,
} from '../src/index.js';
import { EarlySecret, finishedVerifyData } from '../src/keyschedule/key-schedule.js';
import { makeClient, records, suite } from './helpers/mitm.js';
import { haveOpenssl, pemFiles, sServer, typeLines } from './helpers/openssl.js';
import { handshake, str, text } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';
import { listen, type Session } from './helpers/socket.js';
import { revEchoOnce } from './helpers/tls12-peers.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const KEY_HEX = Buffer.from(KEY).toString('hex');
const IDENTITY = 'client1';

const client = (options: Partial<ClientOptions> = {}) =>
  new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    psk: { identity: IDENTITY, key: KEY },
    ...options,
  });

/** A pskCallback that knows IDENTITY and records what it was asked. */
function knows(answer: ReturnType<PskCallback> = { key: KEY }): { callback: PskCallback; asked: string[] } {
  const asked: string[] = [];
  const callback: PskCallback = (identity) => {
    const name = new TextDecoder().decode(identity);
    asked.push(name);
    return name === IDENTITY ? answer : undefined;
  };
  return { callback, asked };
}

const server = (options: Partial<ServerOptions> = {}) =>
  new ServerTLS({ certificates: pki().chain('ecdsa'), pskCallback: knows().callback, ...options });

test('our client and server: the external PSK authenticates both, no certificates, data both ways', (t) => {
  const p = handshake(client(), server());
  const [c, s] = [p.client.connection, p.server.connection];
  t.is(c.state, 'open');
  t.is(s.state, 'open');
  t.deepEqual(c.pskIdentity, text(IDENTITY));
  t.deepEqual(s.pskIdentity, text(IDENTITY));
  t.false(c.resumed, 'an external PSK handshake is not a resumption');
  t.false(s.resumed);
  t.is(c.peerCertificates.length, 0);
  t.is(c.peerVerification, undefined, 'no certificate validation ran');
  t.is(c.signatureScheme, undefined, 'no CertificateVerify');
  t.is(c.cipherSuite, 'TLS_AES_128_GCM_SHA256');
  c.dataFromApplication(text('ping'));
  s.dataFromApplication(text('pong'));
  p.pump();
  t.is(str(p.server.received), 'ping');
  t.is(str(p.client.received), 'pong');
});

test('the ClientHello offers the one identity last, age 0, psk_dhe_ke only; the binder is the "ext binder" one', (t) => {
  const { take } = makeClient({ psk: { identity: IDENTITY, key: KEY }, sessionCache: false });
  const hello = records(take())[0]!.fragment.slice();
  const ch = ClientHello.parse(hello.subarray(4));
  const extensions = ch.extensions ?? [];
  t.is(extensions.at(-1)?.extensionType, ExtensionType.pre_shared_key, 'pre_shared_key comes last');
  const offered = findExtension(extensions, ExtensionType.pre_shared_key)!.extensionData;
  t.deepEqual(offered.identities, [{ identity: text(IDENTITY), obfuscatedTicketAge: 0 }]);
  const modes = findExtension(extensions, ExtensionType.psk_key_exchange_modes)?.extensionData.keModes;
  t.deepEqual(modes, [PskKeyExchangeMode.psk_dhe_ke]);
  // RFC 8446 §4.2.11.2, §7.1: HMAC over the ClientHello up to the binders, keyed from "ext binder".
  const binder = offered.binders[0]!;
  const early = EarlySecret.create(defaultProvider, suite, KEY);
  const truncated = hello.subarray(0, hello.length - (2 + 1 + binder.length));
  const expected = finishedVerifyData(
    defaultProvider,
    suite,
    early.externalBinderKey(),
    defaultProvider.hash('sha256', truncated),
  );
  t.deepEqual(binder, expected);
  t.notDeepEqual(
    binder,
    finishedVerifyData(
      defaultProvider,
      suite,
      early.resumptionBinderKey(),
      defaultProvider.hash('sha256', truncated),
    ),
  );
});

test('a SHA-384 external PSK with a SHA-384 suite', (t) => {
  const p = handshake(
    client({ psk: { identity: IDENTITY, key: KEY, hash: 'sha384' } }),
    server({
      pskCallback: knows({ key: KEY, hash: 'sha384' }).callback,
      cipherSuites: ['TLS_AES_256_GCM_SHA384'],
    }),
  );
  t.is(p.client.connection.cipherSuite, 'TLS_AES_256_GCM_SHA384');
  t.deepEqual(p.client.connection.pskIdentity, text(IDENTITY));
});

test('the PSK survives a HelloRetryRequest (second ClientHello, new binder)', (t) => {
  const p = handshake(client(), server({ alwaysHelloRetry: true }));
  t.is(p.client.connection.state, 'open');
  t.deepEqual(p.client.connection.pskIdentity, text(IDENTITY));
  t.deepEqual(p.server.connection.pskIdentity, text(IDENTITY));
});

test('a wrong key: the server refuses the binder with decrypt_error (RFC 8446 §4.2.11.2)', (t) => {
  const wrong = KEY.map((b) => b ^ 0xff);
  const error = t.throws(() => handshake(client(), server({ pskCallback: knows({ key: wrong }).callback })), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'BadPskBinder');
  t.is(error?.alertCode, A.decrypt_error);
});

test('an unknown identity falls back to a certificate handshake, validated against trustRoot', (t) => {
  const { callback, asked } = knows();
  const p = handshake(client({ psk: { identity: 'stranger', key: KEY } }), server({ pskCallback: callback }));
  const c = p.client.connection;
  t.deepEqual(asked, ['stranger']);
  t.is(c.state, 'open');
  t.is(c.pskIdentity, undefined);
  t.is(p.server.connection.pskIdentity, undefined);
  t.true(c.peerCertificates.length > 0);
  t.deepEqual(c.peerVerification, { ok: true });
  // The same fallback with a chain we do not trust is refused as usual.
  const untrusted = t.throws(
    () =>
      handshake(
        client({ psk: { identity: 'stranger', key: KEY }, trustRoot: new TrustStore([]) }),
        server({ pskCallback: callback }),
      ),
    { instanceOf: BadTLSDataError },
  );
  t.is(untrusted?.reason, 'UnknownIssuer');
  t.is(untrusted?.alertCode, A.unknown_ca);
});

test('a server without pskCallback, or with a key of another hash, makes a certificate handshake', (t) => {
  for (const s of [
    server({ pskCallback: undefined }),
    server({ pskCallback: knows({ key: KEY, hash: 'sha384' }).callback }),
  ]) {
    const c = handshake(client(), s).client.connection;
    t.is(c.state, 'open');
    t.is(c.pskIdentity, undefined);
    t.deepEqual(c.peerVerification, { ok: true });
  }
});

test('a cached ticket is offered instead of the external PSK; no ticket follows an external PSK', (t) => {
  const c = client();
  const asked: Uint8Array[] = [];
  const certOnly = server({
    pskCallback: (identity) => {
      asked.push(identity);
      return undefined;
    },
  });
  // A certificate handshake (the server does not know the PSK) leaves a ticket...
  t.is(handshake(c, certOnly).client.connection.pskIdentity, undefined);
  t.is(asked.length, 1);
  // ...which is offered alone the next time (the server sees no external identity).
  const resumed = handshake(c, certOnly).client.connection;
  t.true(resumed.resumed);
  t.is(resumed.pskIdentity, undefined);
  t.deepEqual(resumed.peerVerification, { ok: true });
  t.is(asked.length, 1, 'the external identity was not offered beside the ticket');
  // After an external PSK handshake the server sends no ticket: the next one uses the PSK again.
  const fresh = client();
  const s = server();
  for (let i = 0; i < 2; i++) {
    const again = handshake(fresh, s).client.connection;
    t.false(again.resumed);
    t.deepEqual(again.pskIdentity, text(IDENTITY));
  }
});

test('option checks: TLSUsageError', (t) => {
  const bad: [Partial<ClientOptions>, RegExp][] = [
    [{ psk: { identity: '', key: KEY } }, /identity/],
    [{ psk: { identity: new Uint8Array(0x10000), key: KEY } }, /identity/],
    [{ psk: { identity: IDENTITY, key: KEY.subarray(0, 15) } }, /16 bytes/],
    [{ psk: { identity: IDENTITY, key: 'secret' as unknown as Uint8Array } }, /key/],
    [{ psk: { identity: IDENTITY, key: KEY, hash: 'md5' as 'sha256' } }, /hash/],
    [{ psk: { identity: IDENTITY, key: KEY }, versions: ['TLSv1.2'] }, /TLS 1.3/],
    [{ psk: { identity: IDENTITY, key: KEY }, cipherSuites: ['TLS_AES_256_GCM_SHA384'] }, /sha256/],
  ];
  for (const [options, message] of bad)
    t.throws(() => client(options), { instanceOf: TLSUsageError, message });
  t.throws(() => server({ pskCallback: 'key' as unknown as PskCallback }), { instanceOf: TLSUsageError });
  // A callback answering a short key fails the handshake with internal_error.
  const error = t.throws(
    () => handshake(client(), server({ pskCallback: () => ({ key: new Uint8Array(8) }) })),
    {
      instanceOf: BadTLSDataError,
    },
  );
  t.is(error?.reason, 'BadPskCallbackResult');
  t.is(error?.alertCode, A.internal_error);
});

const available = haveOpenssl();
const maybe = available ? test.serial : test.skip;
if (!available) test('openssl is absent', (t) => t.log('openssl not installed: PSK interop skipped'));

maybe(
  'our client -> openssl s_server -psk -nocert: PSK handshake, no Certificate, data echoed',
  async (t) => {
    const { child, port } = await sServer([
      '-psk',
      KEY_HEX,
      '-psk_identity',
      IDENTITY,
      '-nocert',
      '-msg',
      '-rev',
    ]);
    try {
      const connection = await revEchoOnce(port, client({ sessionCache: false }));
      t.deepEqual(connection.pskIdentity, text(IDENTITY));
      t.is(connection.peerCertificates.length, 0);
      t.is(connection.cipherSuite, 'TLS_AES_128_GCM_SHA256');
      const output = child.output();
      t.regex(output, /ServerHello/);
      t.notRegex(output, /, Certificate\b/);
    } finally {
      child.kill();
    }
  },
);

maybe('openssl s_client -psk -> our server: PSK handshake, data echoed', async (t) => {
  let session: Session | undefined;
  const s = server();
  const listener = await listen(
    (w, c, e) => s.start(w, c, undefined, e),
    (x) => {
      session = x;
    },
    (d, x) => x.connection.dataFromApplication(d),
  );
  const child = opensslClient(listener.port, pemFiles('ecdsa').root, [
    ...['-tls1_3', '-psk', KEY_HEX, '-psk_identity', IDENTITY, '-msg'],
  ]);
  try {
    await typeLines(child, ['hello', '']);
    const connection = session!.connection;
    t.deepEqual(connection.pskIdentity, text(IDENTITY));
    t.is(connection.cipherSuite, 'TLS_AES_128_GCM_SHA256');
    t.notRegex(child.output(), /<<< TLS 1.3, Handshake \[length [0-9a-f]+\], Certificate\b/);
  } finally {
    child.kill();
    await listener.close();
  }
});
