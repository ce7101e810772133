// Record size negotiation in TLS 1.3: record_size_limit (RFC 8449) and max_fragment_length
// (RFC 6066 §4), which OpenSSL answers in EncryptedExtensions since it has no record_size_limit.
// The TLS 1.2 side is in tls12-extras.test.ts.

import {
  AlertDescription as A,
  ClientHello,
  EncryptedExtensions,
  ExtensionType,
  HandshakeType,
} from '@tls-kit/messages';
import test, { type ExecutionContext } from 'ava';
import { BadTLSDataError, type ClientOptions, ClientTLS, type Reason, ServerTLS } from '../src/index.js';
import {
  encodeServerFlight,
  makeClient,
  makeServer,
  message,
  records,
  serverFlight,
} from './helpers/mitm.js';
import { haveOpenssl, openssl, pemFiles, sServer, typeLines } from './helpers/openssl.js';
import { pair } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';
import { echoServer, outputAtExit, revEchoOnce } from './helpers/tls12-peers.js';

const maybe = haveOpenssl() ? test.serial : test.skip;

/** The max_fragment_length code and record_size_limit of our first ClientHello. */
function offer(options: Partial<ClientOptions>) {
  const client = makeClient(options);
  // Our maxFragmentSize cuts the ClientHello too: join the records' fragments.
  const hello = Buffer.concat(records(client.take()).map((r) => r.fragment));
  const extensions = ClientHello.parse(hello.subarray(4)).extensions ?? [];
  const data = (type: number) =>
    extensions.find((e) => e.extensionType === type)?.extensionData as Record<string, number> | undefined;
  return {
    code: data(ExtensionType.max_fragment_length)?.maxFragmentLength,
    recordSizeLimit: data(ExtensionType.record_size_limit)?.recordSizeLimit,
  };
}

for (const [options, code] of [
  [{ maxFragmentSize: 1024 }, 2],
  [{ maxFragmentSize: 1024, versions: ['TLSv1.3', 'TLSv1.2'] }, 2],
  // TLS 1.3 limits count the content type byte (RFC 8449 §4): 513 leaves 512 bytes of content.
  [{ recordSizeLimit: 513 }, 1],
  [{ recordSizeLimit: 512 }, undefined],
  [{}, undefined],
] as const) {
  test(`ClientHello offering TLS 1.3, ${JSON.stringify(options)}: max_fragment_length ${code ?? 'not sent'}, beside record_size_limit`, (t) => {
    const sent = offer(options as Partial<ClientOptions>);
    t.is(sent.code, code);
    t.is(sent.recordSizeLimit, (options as { recordSizeLimit?: number }).recordSizeLimit ?? 16385);
  });
}

test('our TLS 1.3 server answers record_size_limit only when both are offered (RFC 8449 §5)', (t) => {
  const client = makeClient({ maxFragmentSize: 1024 });
  const server = makeServer();
  const ee = EncryptedExtensions.parse(serverFlight(client, server).messages[0]!.subarray(4));
  const types = ee.extensions.map((e) => e.extensionType);
  t.true(types.includes(ExtensionType.record_size_limit));
  t.false(types.includes(ExtensionType.max_fragment_length));
});

/** Our client (offering max_fragment_length 1024) refuses EncryptedExtensions with `extensions`. */
function clientSeesEncryptedExtensions(
  t: ExecutionContext,
  extensions: { extensionType: number; extensionData: object }[],
  reason: Reason,
): void {
  const client = makeClient({ maxFragmentSize: 1024 });
  const server = makeServer();
  const flight = serverFlight(client, server);
  const ee = message(HandshakeType.encrypted_extensions, EncryptedExtensions.build({ extensions } as never));
  const bytes = encodeServerFlight(server, flight.serverHello, [ee, ...flight.messages.slice(1)]);
  const error = t.throws(() => client.connection.dataFromWire(bytes), { instanceOf: BadTLSDataError });
  t.is(error?.reason, reason, error?.message);
  t.is(error?.alertCode, A.illegal_parameter);
  t.is(client.connection.state, 'invalidated');
}

test('max_fragment_length echo with another value in EncryptedExtensions: illegal_parameter (RFC 6066 §4)', (t) => {
  clientSeesEncryptedExtensions(
    t,
    [{ extensionType: ExtensionType.max_fragment_length, extensionData: { maxFragmentLength: 1 } }],
    'BadMaxFragmentLength',
  );
});

test('max_fragment_length and record_size_limit both in EncryptedExtensions: illegal_parameter (RFC 8449 §5)', (t) => {
  clientSeesEncryptedExtensions(
    t,
    [
      { extensionType: ExtensionType.max_fragment_length, extensionData: { maxFragmentLength: 2 } },
      { extensionType: ExtensionType.record_size_limit, extensionData: { recordSizeLimit: 1025 } },
    ],
    'BothRecordLimits',
  );
});

/** Lengths of the TLS 1.3 application_data records an `openssl -msg` trace shows in `direction`. */
function protectedRecordLengths(output: string, direction: '>>>' | '<<<'): number[] {
  const pattern = new RegExp(
    `${direction}\\s*TLS 1\\.[23], RecordHeader \\[length 0005\\]\\s+17 03 03 ([0-9a-f]{2}) ([0-9a-f]{2})`,
    'g',
  );
  return [...output.matchAll(pattern)].map((m) => Number.parseInt(m[1]! + m[2]!, 16));
}

/** RFC 8446 §5.2: 512 bytes of content, the content type byte and the 16-byte tag. */
const MAX_RECORD_512 = 512 + 1 + 16;

maybe(
  'openssl s_server -tls1_3 answers our max_fragment_length in EncryptedExtensions; both sides keep to 512 bytes',
  async (t) => {
    const files = pemFiles('ecdsa');
    const { child, port } = await sServer([
      '-cert',
      files.cert,
      '-key',
      files.key,
      '-rev',
      '-msg',
      '-tlsextdebug',
    ]);
    try {
      const client = new ClientTLS({
        serverHostname: 'localhost',
        trustRoot: pki().trustStore,
        maxFragmentSize: 512,
      });
      // A 3000-character line: without the limit each side would send it in one record.
      const connection = await revEchoOnce(port, client, undefined, 1500);
      t.is(connection.tlsVersion, 'TLSv1.3');
      const output = child.output();
      t.regex(output, /TLS client extension "max fragment length" \(id=1\), len=1/);
      const fromServer = protectedRecordLengths(output, '>>>');
      const fromClient = protectedRecordLengths(output, '<<<');
      t.true(
        fromServer.length >= 6 && fromServer.every((n) => n <= MAX_RECORD_512),
        `s_server sent ${fromServer}`,
      );
      t.true(fromClient.length >= 6 && fromClient.every((n) => n <= MAX_RECORD_512), `we sent ${fromClient}`);
    } finally {
      child.kill();
    }
  },
);

maybe(
  'openssl s_client -tls1_3 -maxfraglen 512: our server answers in EncryptedExtensions and keeps to 512 bytes',
  async (t) => {
    const server = await echoServer({ versions: ['TLSv1.3'] });
    const files = pemFiles('ecdsa');
    const child = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${server.port}`,
      '-servername',
      'localhost',
      '-CAfile',
      files.root,
      '-verify_return_error',
      '-tls1_3',
      '-maxfraglen',
      '512',
      '-msg',
    ]);
    try {
      const line = 'x'.repeat(3000);
      await typeLines(child, [line, 'BYE']);
      const output = await outputAtExit(child);
      t.is(server.connections[0]?.tlsVersion, 'TLSv1.3');
      // The echo arrived whole, in records s_client accepted (its -msg trace sits between them).
      t.is((output.match(/x{100,}/g) ?? []).join(''), line);
      const fromServer = protectedRecordLengths(output, '<<<');
      t.true(
        fromServer.some((n) => n === MAX_RECORD_512),
        `we sent ${fromServer}`,
      );
      t.true(
        fromServer.every((n) => n <= MAX_RECORD_512),
        `we sent ${fromServer}`,
      );
    } finally {
      child.kill();
      await server.close();
    }
  },
);

test('our TLS 1.3 client and server with max_fragment_length 512 only on the client: full records are cut', (t) => {
  // In memory: the server answers record_size_limit (RFC 8449 §5), so the client's 513 limit holds.
  const clientTls = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    recordSizeLimit: 513,
  });
  const serverTls = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const { client, server, pump } = pair(
    (w, c) => clientTls.start(w, c),
    (w, c) => serverTls.start(w, c),
  );
  pump();
  t.is(client.connection.state, 'open');
  server.connection.dataFromApplication(new Uint8Array(2000));
  const sent = records(Buffer.concat(server.out.splice(0)));
  t.true(sent.length >= 4);
  t.true(sent.every((r) => r.fragment.length <= MAX_RECORD_512));
});
