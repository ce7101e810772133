// Bad input from the peer: the right alert on the wire, the right exception, and the connection
// invalidated afterwards.
import {
  type Certificate,
  CertificateBuilder,
  ClientCertificateStore,
  ServerCertificateChain,
} from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import {
  Certificate13,
  type ClientHelloMessage,
  ContentType,
  DOWNGRADE_TLS12,
  ExtensionType,
  HandshakeType,
} from '@tls-kit/messages';
import test from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import {
  AlertDescription as A,
  BadTLSDataError,
  ClientTLS,
  InvalidatedError,
  ServerTLS,
  TLSAlertError,
} from '../src/index.js';
import { PlaintextProtection } from '../src/record/protection.js';
import {
  type RawExtension,
  raw,
  rawExtensions,
  rewriteClientHello,
  rewriteServerHello,
  withoutType,
} from './helpers/hello-rewrite.js';
import {
  clientSees,
  type Endpoint,
  encodeServerFlight,
  expectFailure,
  makeClient,
  makeServer,
  message,
  protection,
  records,
  serverFlight,
  splitMessages,
} from './helpers/mitm.js';
import { deliver, pair, text } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

/** Appends a copy of the last extension to the block (the builders refuse duplicates). */
function duplicateLastExtension(message: Uint8Array, extensionsAt: number): Uint8Array {
  const body = message.subarray(4);
  const last = rawExtensions(body, extensionsAt).pop()!;
  const n = last.extensionData.length;
  const extra = concat([
    new Uint8Array([last.extensionType >> 8, last.extensionType & 0xff, n >> 8, n & 0xff]),
    last.extensionData,
  ]);
  const out = concat([body, extra]);
  const blockLength = ((out[extensionsAt]! << 8) | out[extensionsAt + 1]!) + extra.length;
  out[extensionsAt] = blockLength >> 8;
  out[extensionsAt + 1] = blockLength & 0xff;
  return frameHandshake(message[0]!, out);
}

test('ServerHello truncated: decode_error', (t) => {
  const { client, bytes } = clientSees((f) => {
    const sh = f.serverHello.slice(0, 40);
    sh.set([0, 0, 36], 1);
    return { serverHello: sh, messages: [] };
  });
  expectFailure(t, client, bytes, 'InvalidHandshakeMessage');
});

test('a message of the wrong type instead of ServerHello: unexpected_message', (t) => {
  const { client, bytes } = clientSees((f) => ({ serverHello: f.messages[0]!, messages: [] }));
  expectFailure(t, client, bytes, 'UnexpectedHandshakeMessage');
});

test('ServerHello with a duplicate extension: illegal_parameter', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: duplicateLastExtension(f.serverHello, 2 + 32 + 1 + 32 + 3),
    messages: f.messages,
  }));
  expectFailure(t, client, bytes, 'DuplicateExtension');
});

test('ServerHello with an unsolicited extension: unsupported_extension', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, (_sh, list) => ({
      extensions: [...list, raw(ExtensionType.early_data, [])],
    })),
    messages: f.messages,
  }));
  expectFailure(t, client, bytes, 'UnsolicitedExtension');
});

test('ServerHello with an extension not allowed there (record_size_limit): illegal_parameter', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, (_sh, list) => ({
      extensions: [...list, raw(ExtensionType.record_size_limit, [0x40, 0x01])],
    })),
    messages: f.messages,
  }));
  expectFailure(t, client, bytes, 'ExtensionNotAllowed');
});

test('ServerHello choosing a suite we did not offer: illegal_parameter', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, () => ({ cipherSuite: 0x1302 })),
    messages: f.messages,
  }));
  expectFailure(t, client, bytes, 'UnofferedCipherSuite');
});

test('ServerHello with another session id echo: illegal_parameter', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, () => ({ legacySessionIdEcho: new Uint8Array(32) })),
    messages: f.messages,
  }));
  expectFailure(t, client, bytes, 'SessionIdEchoMismatch');
});

test('TLS 1.2 ServerHello with the downgrade sentinel: illegal_parameter', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, (sh, list) => {
      const random = sh.random.slice();
      random.set(DOWNGRADE_TLS12, 24);
      return {
        random,
        extensions: withoutType(withoutType(list, ExtensionType.supported_versions), ExtensionType.key_share),
      };
    }),
    messages: [],
  }));
  expectFailure(t, client, bytes, 'DowngradeDetected');
});

test('TLS 1.2 ServerHello without the sentinel: protocol_version', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, (_sh, list) => ({
      extensions: withoutType(withoutType(list, ExtensionType.supported_versions), ExtensionType.key_share),
    })),
    messages: [],
  }));
  expectFailure(t, client, bytes, 'NoSupportedVersion');
});

test('ServerHello without key_share: missing_extension', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: rewriteServerHello(f.serverHello, (_sh, list) => ({
      extensions: withoutType(list, ExtensionType.key_share),
    })),
    messages: [],
  }));
  expectFailure(t, client, bytes, 'MissingKeyShareExtension');
});

test('server flight out of order (Certificate before EncryptedExtensions): unexpected_message', (t) => {
  const { client, bytes } = clientSees((f) => {
    const [ee, cert, ...rest] = f.messages;
    return { serverHello: f.serverHello, messages: [cert!, ee!, ...rest] };
  });
  expectFailure(t, client, bytes, 'UnexpectedHandshakeMessage');
});

test('EncryptedExtensions truncated: decode_error', (t) => {
  const { client, bytes } = clientSees((f) => {
    const ee = f.messages[0]!;
    return {
      serverHello: f.serverHello,
      messages: [message(ee[0]!, ee.subarray(4, ee.length - 1)), ...f.messages.slice(1)],
    };
  });
  expectFailure(t, client, bytes, 'InvalidHandshakeMessage');
});

test('EncryptedExtensions with a duplicate extension: illegal_parameter', (t) => {
  const { client, bytes } = clientSees((f) => {
    const rsl = new Uint8Array([0, 0x1c, 0, 2, 0x40, 0x01]);
    const body = concat([new Uint8Array([0, 12]), rsl, rsl]);
    return {
      serverHello: f.serverHello,
      messages: [message(HandshakeType.encrypted_extensions, body), ...f.messages.slice(1)],
    };
  });
  expectFailure(t, client, bytes, 'DuplicateExtension');
});

test('ALPN answer we did not offer: illegal_parameter', (t) => {
  const { client, bytes } = clientSees(
    (f) => {
      const alpn = concat([new Uint8Array([0, 16, 0, 5, 0, 3, 2]), text('h3')]);
      const body = concat([new Uint8Array([0, alpn.length]), alpn]);
      return {
        serverHello: f.serverHello,
        messages: [message(HandshakeType.encrypted_extensions, body), ...f.messages.slice(1)],
      };
    },
    { alpnProtocols: ['h2'] },
  );
  expectFailure(t, client, bytes, 'UnofferedApplicationProtocol');
});

test('empty server Certificate: decode_error', (t) => {
  const { client, bytes } = clientSees((f) => ({
    serverHello: f.serverHello,
    messages: [
      f.messages[0]!,
      message(HandshakeType.certificate, new Uint8Array([0, 0, 0, 0])),
      ...f.messages.slice(2),
    ],
  }));
  expectFailure(t, client, bytes, 'EmptyServerCertificate');
});

test('bad CertificateVerify signature: decrypt_error', (t) => {
  const { client, bytes } = clientSees((f) => {
    const cv = f.messages[2]!.slice();
    cv[cv.length - 5]! ^= 0x01;
    return { serverHello: f.serverHello, messages: [f.messages[0]!, f.messages[1]!, cv, f.messages[3]!] };
  });
  expectFailure(t, client, bytes, 'BadSignature');
});

for (const [name, scheme, reason] of [
  ['a scheme we did not offer', 0x0503, 'UnofferedSignatureScheme'],
  ['a scheme that does not fit the key', 0x0807, 'SignatureSchemeDoesNotFitKey'],
  ['PKCS#1 v1.5 (certificates only in TLS 1.3)', 0x0401, 'SignatureSchemeDoesNotFitKey'],
] as const) {
  test(`CertificateVerify with ${name}: illegal_parameter`, (t) => {
    const { client, bytes } = clientSees(
      (f) => {
        const cv = f.messages[2]!.slice();
        cv[4] = scheme >> 8;
        cv[5] = scheme & 0xff;
        return { serverHello: f.serverHello, messages: [f.messages[0]!, f.messages[1]!, cv, f.messages[3]!] };
      },
      { signatureSchemes: ['ecdsa_secp256r1_sha256', 'ed25519', 'rsa_pkcs1_sha256'] },
    );
    expectFailure(t, client, bytes, reason);
  });
}

test('bad server Finished: decrypt_error', (t) => {
  const { client, bytes } = clientSees((f) => {
    const fin = f.messages[3]!.slice();
    fin[10]! ^= 0x80;
    return { serverHello: f.serverHello, messages: [...f.messages.slice(0, 3), fin] };
  });
  expectFailure(t, client, bytes, 'BadFinished');
});

test('Finished of the wrong length: decode_error', (t) => {
  const { client, bytes } = clientSees((f) => {
    const fin = f.messages[3]!;
    return {
      serverHello: f.serverHello,
      messages: [...f.messages.slice(0, 3), message(20, fin.subarray(4, fin.length - 1))],
    };
  });
  expectFailure(t, client, bytes, 'BadFinishedLength');
});

test('certificate from an unknown root: unknown_ca; wrong host name: bad_certificate; expired: certificate_expired', (t) => {
  const builder = new CertificateBuilder();
  const otherRoot = builder.root({ subject: 'CN=other root' });
  const stranger = builder.leaf(otherRoot, { subject: 'CN=localhost', subjectAltNames: ['DNS:localhost'] });
  const cases = [
    { chain: new ServerCertificateChain([stranger]), reason: 'UnknownIssuer' },
    { chain: pki().chain('ecdsa', ['DNS:example.com']), reason: 'CertificateNameMismatch' },
    {
      chain: new ServerCertificateChain([
        builder.leaf(pki().root, {
          subject: 'CN=localhost',
          subjectAltNames: ['DNS:localhost'],
          notBefore: new Date('2020-01-01'),
          notAfter: new Date('2021-01-01'),
        }),
      ]),
      reason: 'CertificateExpired',
    },
  ] as const;
  for (const { chain, reason } of cases) {
    const { client, bytes } = clientSees((f) => f, {}, { certificates: chain });
    expectFailure(t, client, bytes, reason);
  }
});

test('verifyCallback exception invalidates without an alert', (t) => {
  const tls = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const boom = new Error('rejected by the application');
  const p = pair(
    (w, c) =>
      tls.start(w, c, () => {
        throw boom;
      }),
    (w, c) => server.start(w, c),
  );
  const error = t.throws(() => p.pump());
  t.is(error, boom);
  t.is(p.client.connection.state, 'invalidated');
  t.throws(() => p.client.connection.dataFromWire(new Uint8Array(1)), { instanceOf: InvalidatedError });
});

// --- Record layer ---

function established() {
  const tls = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const p = pair(
    (w, c) => tls.start(w, c),
    (w, c) => server.start(w, c),
  );
  p.pump();
  const endpoint = (s: typeof p.client): Endpoint => ({
    connection: s.connection,
    out: s.out,
    secrets: new Map(),
    get closed() {
      return s.closed;
    },
    set closed(v) {
      s.closed = v;
    },
    take: () => concat(s.out.splice(0)),
  });
  return { p, client: endpoint(p.client), server: endpoint(p.server) };
}

test('record longer than 2^14 + 256: record_overflow', (t) => {
  const { server } = established();
  const record = new Uint8Array(5 + 0x4101);
  record.set([23, 3, 3, 0x41, 0x01]);
  const error = t.throws(() => server.connection.dataFromWire(record), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'RecordOverflow');
  t.is(error?.alertCode, A.record_overflow);
  t.is(server.connection.state, 'invalidated');
});

test('unknown record content type: unexpected_message', (t) => {
  const { server } = established();
  const error = t.throws(() => server.connection.dataFromWire(new Uint8Array([99, 3, 3, 0, 1, 0])), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'UnknownRecordType');
  t.is(error?.alertCode, A.unexpected_message);
});

test('change_cipher_spec after the handshake: unexpected_message', (t) => {
  const { server } = established();
  const ccs = new PlaintextProtection().seal(ContentType.change_cipher_spec, new Uint8Array([1]));
  const error = t.throws(() => server.connection.dataFromWire(ccs), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'UnexpectedChangeCipherSpec');
  t.is(error?.alertCode, A.unexpected_message);
  t.is(server.closed, true);
});

test('tampered application data record: bad_record_mac', (t) => {
  const { p, server } = established();
  p.client.connection.dataFromApplication(text('secret'));
  const bytes = concat(p.client.out.splice(0));
  bytes[bytes.length - 1]! ^= 1;
  const error = t.throws(() => server.connection.dataFromWire(bytes), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'BadRecordMac');
  t.is(error?.alertCode, A.bad_record_mac);
  t.is(server.connection.state, 'invalidated');
});

test('plaintext handshake record after keys changed: unexpected_message', (t) => {
  const { server } = established();
  const rec = new PlaintextProtection().seal(ContentType.handshake, new Uint8Array([24, 0, 0, 1, 0]));
  const error = t.throws(() => server.connection.dataFromWire(rec), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'UnprotectedRecordAfterKeyChange');
  t.is(error?.alertCode, A.unexpected_message);
});

test('a peer alert raises TLSAlertError and invalidates', (t) => {
  const { p, server } = established();
  p.client.connection.sendAlert(A.access_denied);
  t.is(p.client.connection.state, 'invalidated');
  t.is(p.client.closed, true);
  const error = t.throws(() => server.connection.dataFromWire(concat(p.client.out.splice(0))), {
    instanceOf: TLSAlertError,
  });
  t.is(error?.alertCode, A.access_denied);
  t.is(error?.alertLevel, 2);
  t.is(server.connection.state, 'invalidated');
  t.throws(() => server.connection.dataFromWire(new Uint8Array(1)), { instanceOf: InvalidatedError });
});

test('data after close_notify is ignored, later calls raise InvalidatedError', (t) => {
  const { p, server } = established();
  p.client.connection.applicationFinished();
  const bytes = concat([...p.client.out.splice(0), new Uint8Array([1, 2, 3, 4, 5, 6, 7])]);
  t.is(server.connection.dataFromWire(bytes).length, 0);
  t.true(server.connection.ended);
  t.is(server.connection.state, 'closed');
  t.is(p.server.closed, false, 'wireClose(false) after answering close_notify');
  t.deepEqual(
    records(concat(p.server.out)).map((r) => r.type),
    [ContentType.application_data],
  );
  t.throws(() => server.connection.dataFromWire(new Uint8Array([22])), { instanceOf: InvalidatedError });
});

test('renegotiation attempt (ClientHello after the handshake) to the server: unexpected_message', (t) => {
  const { p, server } = established();
  // Send a ClientHello through the client's application keys by reusing its record layer.
  const core = (
    p.client.connection as unknown as {
      core: { sendRaw(t: number, d: Uint8Array): void; perform(f: () => void): void };
    }
  ).core;
  core.perform(() => core.sendRaw(ContentType.handshake, new Uint8Array([1, 0, 0, 0])));
  const error = t.throws(() => server.connection.dataFromWire(concat(p.client.out.splice(0))), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'UnexpectedPostHandshakeMessage');
  t.is(error?.alertCode, A.unexpected_message);
});

test('HelloRequest to the client after the handshake: unexpected_message', (t) => {
  const { p, client } = established();
  const core = (
    p.server.connection as unknown as {
      core: { sendRaw(t: number, d: Uint8Array): void; perform(f: () => void): void };
    }
  ).core;
  core.perform(() => core.sendRaw(ContentType.handshake, new Uint8Array([0, 0, 0, 0])));
  const error = t.throws(() => client.connection.dataFromWire(concat(p.server.out.splice(0))), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'UnexpectedPostHandshakeMessage');
  t.is(error?.alertCode, A.unexpected_message);
});

test('KeyUpdate with a bad request value: illegal_parameter', (t) => {
  const { p, server } = established();
  const core = (
    p.client.connection as unknown as {
      core: { sendRaw(t: number, d: Uint8Array): void; perform(f: () => void): void };
    }
  ).core;
  core.perform(() => core.sendRaw(ContentType.handshake, new Uint8Array([24, 0, 0, 1, 7])));
  const error = t.throws(() => server.connection.dataFromWire(concat(p.client.out.splice(0))), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'BadKeyUpdateRequest');
  t.is(error?.alertCode, A.illegal_parameter);
});

test('handshake fragment interleaved with application data: unexpected_message', (t) => {
  const { p, server } = established();
  const core = (
    p.client.connection as unknown as {
      core: { sendRaw(t: number, d: Uint8Array): void; perform(f: () => void): void };
    }
  ).core;
  core.perform(() => core.sendRaw(ContentType.handshake, new Uint8Array([24, 0, 0])));
  p.client.connection.dataFromApplication(text('x'));
  const error = t.throws(() => server.connection.dataFromWire(concat(p.client.out.splice(0))), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'RecordInterleavedWithHandshakeMessage');
  t.is(error?.alertCode, A.unexpected_message);
});

// --- Server side: bad ClientHello ---

function serverSees(
  rewrite: (
    ch: ClientHelloMessage,
    list: RawExtension[],
  ) => Uint8Array | (Partial<ClientHelloMessage> & { extensions?: RawExtension[] }),
  serverOptions = {},
) {
  const client = makeClient();
  const server = makeServer(serverOptions);
  let body: Uint8Array | undefined;
  const rebuilt = rewriteClientHello(records(client.take())[0]!.fragment, (ch, list) => {
    const changed = rewrite(ch, list);
    if (!(changed instanceof Uint8Array)) return changed;
    body = changed;
    return {};
  });
  const hello = body ? frameHandshake(HandshakeType.client_hello, body) : rebuilt;
  return { server, bytes: new PlaintextProtection().seal(ContentType.handshake, hello) };
}

test('ClientHello truncated: decode_error', (t) => {
  const { server, bytes } = serverSees((ch) => ch.random.subarray(0, 20));
  expectFailure(t, server, bytes, 'InvalidHandshakeMessage');
});

test('ClientHello without supported_versions to a TLS 1.3-only server: protocol_version', (t) => {
  const { server, bytes } = serverSees(
    (_ch, list) => ({ extensions: withoutType(list, ExtensionType.supported_versions) }),
    { versions: ['TLSv1.3'] },
  );
  expectFailure(t, server, bytes, 'NoSupportedVersion');
});

test('ClientHello with a duplicate extension: illegal_parameter', (t) => {
  const client = makeClient();
  const server = makeServer();
  const chRecord = records(client.take())[0]!;
  const bytes = new PlaintextProtection().seal(
    ContentType.handshake,
    duplicateLastExtension(chRecord.fragment, 2 + 32 + 1 + 32 + 2 + 2 * 1 + 2),
  );
  expectFailure(t, server, bytes, 'DuplicateExtension');
});

test('ClientHello with no suite in common: handshake_failure', (t) => {
  const { server, bytes } = serverSees(() => ({ cipherSuites: [0xc02f] }));
  expectFailure(t, server, bytes, 'NoSharedCipherSuite');
});

test('ClientHello without key_share: missing_extension', (t) => {
  const { server, bytes } = serverSees((_ch, list) => ({
    extensions: withoutType(list, ExtensionType.key_share),
  }));
  expectFailure(t, server, bytes, 'MissingKeyShareExtension');
});

test('ClientHello with pre_shared_key not last: illegal_parameter', (t) => {
  const { server, bytes } = serverSees((_ch, list) => ({
    extensions: [
      raw(ExtensionType.pre_shared_key, [0, 7, 0, 1, 9, 0, 0, 0, 0, 0, 33, 32, ...new Array(32).fill(0)]),
      ...list,
    ],
  }));
  expectFailure(t, server, bytes, 'PreSharedKeyNotLast');
});

test('ClientHello with no ALPN protocol in common: no_application_protocol', (t) => {
  const client = makeClient({ alpnProtocols: ['h2'] });
  const server = makeServer({ alpnProtocols: ['http/1.1'] });
  expectFailure(t, server, client.take(), 'NoApplicationProtocol');
});

test('bad client Finished: decrypt_error', (t) => {
  const client = makeClient();
  // No tickets: the alert is the first record under the server's application key.
  const server = makeServer({ ticketKeys: false });
  const flight = serverFlight(client, server);
  client.connection.dataFromWire(encodeServerFlight(server, flight.serverHello, flight.messages));
  const recs = records(client.take()).filter((r) => r.type === ContentType.application_data);
  const read = protection(client.secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!);
  const fin = read.open(recs[0]!).fragment.slice();
  fin[8]! ^= 1;
  const write = protection(client.secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!);
  expectFailure(
    t,
    server,
    write.seal(ContentType.handshake, fin),
    'BadFinished',
    server.secrets.get('SERVER_TRAFFIC_SECRET_0'),
  );
});

test('change_cipher_spec before the ClientHello: unexpected_message', (t) => {
  const server = makeServer();
  const ccs = new PlaintextProtection().seal(ContentType.change_cipher_spec, new Uint8Array([1]));
  expectFailure(t, server, ccs, 'UnexpectedChangeCipherSpec');
});

test('malformed change_cipher_spec during the handshake: unexpected_message', (t) => {
  const client = makeClient();
  // No tickets: the alert is the first record under the server's application key.
  const server = makeServer({ ticketKeys: false });
  const ch = client.take();
  const ccs = new PlaintextProtection().seal(ContentType.change_cipher_spec, new Uint8Array([2]));
  server.connection.dataFromWire(ch);
  server.take();
  expectFailure(t, server, ccs, 'MalformedChangeCipherSpec', server.secrets.get('SERVER_TRAFFIC_SECRET_0'));
});

test('malformed alert record: decode_error', (t) => {
  const { p, server } = established();
  const core = (
    p.client.connection as unknown as {
      core: { sendRaw(t: number, d: Uint8Array): void; perform(f: () => void): void };
    }
  ).core;
  core.perform(() => core.sendRaw(ContentType.alert, new Uint8Array([2, 40, 0])));
  const error = t.throws(() => server.connection.dataFromWire(concat(p.client.out.splice(0))), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'InvalidHandshakeMessage');
  t.is(error?.alertCode, A.decode_error);
});

test('unparsable server certificate: bad_certificate', (t) => {
  const { client, bytes } = clientSees((f) => {
    const garbage = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    const body = concat([new Uint8Array([0, 0, 0, 10, 0, 0, 5]), garbage, new Uint8Array([0, 0])]);
    return {
      serverHello: f.serverHello,
      messages: [f.messages[0]!, message(HandshakeType.certificate, body), ...f.messages.slice(2)],
    };
  });
  expectFailure(t, client, bytes, 'UnparsableCertificate');
});

test('CertificateRequest without signature_algorithms: missing_extension', (t) => {
  const { client, bytes } = clientSees((f) => {
    const ca = concat([new Uint8Array([0, 47, 0, 7, 0, 5, 0, 3]), new Uint8Array([0x30, 0x01, 0x00])]);
    const body = concat([new Uint8Array([0, 0, ca.length]), ca]);
    return {
      serverHello: f.serverHello,
      messages: [f.messages[0]!, message(HandshakeType.certificate_request, body), ...f.messages.slice(1)],
    };
  });
  expectFailure(t, client, bytes, 'MissingSignatureAlgorithms');
});

function helloRetryFlight() {
  const client = makeClient();
  const server = makeServer({ groups: ['secp384r1'] });
  server.connection.dataFromWire(client.take());
  const hrr = records(server.take())[0]!;
  return { client, hrr: new PlaintextProtection().seal(ContentType.handshake, hrr.fragment) };
}

test('a second HelloRetryRequest: unexpected_message', (t) => {
  const { client, hrr } = helloRetryFlight();
  client.connection.dataFromWire(hrr);
  client.take();
  expectFailure(t, client, hrr, 'SecondHelloRetryRequest');
});

test('HelloRetryRequest asking for a group we already sent a share for: illegal_parameter', (t) => {
  const { client, hrr } = helloRetryFlight();
  const forged = hrr.slice();
  for (let i = 5; i < forged.length - 5; i++) {
    if (forged[i] === 0 && forged[i + 1] === 0x33 && forged[i + 2] === 0 && forged[i + 3] === 2) {
      forged.set([0x00, 0x1d], i + 4); // x25519, whose share the client sent
    }
  }
  expectFailure(t, client, forged, 'HelloRetryRequestForSentGroup');
});

test('bad client CertificateVerify: decrypt_error', (t) => {
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    clientCertificateStore: new (class extends ClientCertificateStore {
      getCertificateChainForRoots(_r: unknown, cb: (c: Iterable<Certificate> | null) => void) {
        cb([pki().leaf('ecdsa')]);
      }
      getDefaultCertificateChain(cb: (c: Iterable<Certificate> | null) => void) {
        cb([pki().leaf('ecdsa')]);
      }
    })(),
    cipherSuites: ['TLS_AES_128_GCM_SHA256'],
  });
  const secrets = new Map<string, Uint8Array>();
  const server = new ServerTLS({
    certificates: pki().chain('ecdsa'),
    clientAuth: 'require',
    clientTrustRoot: pki().trustStore,
    keyLog: (line) => {
      const [label, , secret] = line.split(' ');
      secrets.set(label!, Uint8Array.from(Buffer.from(secret!, 'hex')));
    },
  });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  deliver(p.client, p.server);
  deliver(p.server, p.client);
  // The client's flight: [CCS], then Certificate, CertificateVerify, Finished in one record under
  // its handshake key.
  const flight = concat(p.client.out.splice(0));
  const key = secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!;
  const read = protection(key);
  const sealed = records(flight).filter((r) => r.type === ContentType.application_data);
  t.is(sealed.length, 1);
  const messages = splitMessages(read.open(sealed[0]!).fragment);
  t.deepEqual(
    messages.map((m) => m[0]),
    [HandshakeType.certificate, HandshakeType.certificate_verify, HandshakeType.finished],
  );
  const cv = messages[1]!;
  cv[cv.length - 3]! ^= 1;
  const forged = protection(key).seal(ContentType.handshake, concat(messages));
  const error = t.throws(() => p.server.connection.dataFromWire(forged), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'BadSignature');
  t.is(error?.alertCode, A.decrypt_error);
  t.is(p.server.connection.state, 'invalidated');
});

test('server CertificateEntry with an extension we never asked for: unsupported_extension', (t) => {
  const { client, bytes } = clientSees((f) => {
    const certificate = Certificate13.parse(f.messages[1]!.subarray(4));
    const entry = certificate.certificateList[0]!;
    const sct = {
      extensionType: ExtensionType.signed_certificate_timestamp,
      extensionData: new Uint8Array([0, 3, 0, 1, 0xaa]),
      unknown: true as const,
    };
    const rebuilt = Certificate13.build({
      ...certificate,
      certificateList: [{ ...entry, extensions: [sct] }, ...certificate.certificateList.slice(1)],
    });
    return {
      serverHello: f.serverHello,
      messages: [f.messages[0]!, message(HandshakeType.certificate, rebuilt), ...f.messages.slice(2)],
    };
  });
  expectFailure(t, client, bytes, 'UnsolicitedExtension');
});
