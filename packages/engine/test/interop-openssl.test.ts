// Our client against `openssl s_server` and `openssl s_client` against our server, over loopback.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { opensslClient } from '@tls-kit/test-helpers';
import test from 'ava';
import { ClientTLS, type Connection, ServerTLS } from '../src/index.js';
import { connect as nodeConnect } from '../src/node/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { haveOpenssl, pemFiles, sServer, typeLines } from './helpers/openssl.js';
import { type KeyKind, pki } from './helpers/pki.js';
import { connect, listen, type Session } from './helpers/socket.js';
import { revEchoOnce } from './helpers/tls12-peers.js';

const available = haveOpenssl();
const maybe = available ? test.serial : test.skip;
if (!available) test('openssl is absent', (t) => t.log('openssl not installed: interop skipped'));

/** Sends a line of 600 hex digits to `s_server -rev` and checks the reversed echo. */
async function revEcho(
  serverArgs: string[],
  clientOptions: Partial<ConstructorParameters<typeof ClientTLS>[0]>,
  kind: KeyKind = 'ecdsa',
  during?: (c: Connection) => void,
): Promise<{ connection: Connection; output: string }> {
  const files = pemFiles(kind);
  const { child, port } = await sServer(['-cert', files.cert, '-key', files.key, '-rev', ...serverArgs]);
  try {
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      ...clientOptions,
    });
    const connection = await revEchoOnce(port, client, during, 300);
    return { connection, output: child.output() };
  } finally {
    child.kill();
  }
}

for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
  maybe(`our client -> s_server: ${suite}`, async (t) => {
    const { connection } = await revEcho(['-ciphersuites', suite], { cipherSuites: [suite] });
    t.is(connection.cipherSuite, suite);
  });
}

for (const [group, name] of [
  ['x25519', 'X25519'],
  ['secp256r1', 'P-256'],
  ['secp384r1', 'P-384'],
  ['ffdhe2048', 'ffdhe2048'],
] as const) {
  maybe(`our client -> s_server: group ${name}`, async (t) => {
    const { connection } = await revEcho(['-groups', name], { groups: [group] });
    t.is(connection.namedGroup, group);
  });
}

for (const kind of ['ecdsa', 'ecdsa384', 'rsa', 'ed25519'] as const) {
  maybe(`our client -> s_server: ${kind} certificate`, async (t) => {
    const { connection } = await revEcho([], {}, kind);
    t.truthy(connection.signatureScheme);
  });
}

maybe('our client -> s_server: HelloRetryRequest (server takes only P-384)', async (t) => {
  const { connection } = await revEcho(['-groups', 'P-384'], {});
  t.is(connection.namedGroup, 'secp384r1');
});

maybe('our client -> s_server: ALPN', async (t) => {
  const { connection } = await revEcho(['-alpn', 'h2'], { alpnProtocols: ['http/1.1', 'h2'] });
  t.is(connection.alpnProtocol, 'h2');
});

maybe('our client -> s_server: KeyUpdate requested by us, answered by openssl', async (t) => {
  const { connection, output } = await revEcho(['-msg'], {}, 'ecdsa', (c) => c.keyUpdate(true));
  t.is(connection.state, 'closed');
  t.regex(output, /<<< TLS 1.3, Handshake \[length 0005\], KeyUpdate/);
  t.regex(output, />>> TLS 1.3, Handshake \[length 0005\], KeyUpdate/);
});

maybe(
  'our client -> s_server: client certificate (asynchronous store), certificate_authorities',
  async (t) => {
    const files = pemFiles('rsa');
    const store = new PkiStore('ed25519', { async: true });
    const { output } = await revEcho(['-Verify', '1', '-CAfile', files.root, '-verify_return_error'], {
      clientCertificateStore: store,
    });
    t.is(store.roots, 1);
    t.regex(output, /CN ?= ?localhost/);
  },
);

/**
 * Post-handshake client authentication (RFC 8446 §4.6.2): `c` typed into s_server sends a
 * CertificateRequest (SSL_verify_client_post_handshake); our answer is read with the next
 * application data, so each line goes out once the client has written its answer. s_server
 * verifies the chain against our root and fails the connection on a bad CertificateVerify or
 * Finished (-verify_return_error).
 */
for (const requests of [1, 2]) {
  maybe(`our client -> s_server: post-handshake client authentication x${requests}`, async (t) => {
    const files = pemFiles('ecdsa');
    const { child, port } = await sServer([
      ...['-cert', files.cert, '-key', files.key, '-CAfile', files.root, '-verify_return_error', '-msg'],
    ]);
    try {
      const client = new ClientTLS({
        serverHostname: 'localhost',
        trustRoot: pki().trustStore,
        postHandshakeAuth: true,
        clientCertificateStore: new PkiStore('ed25519'),
      });
      let wrote: (() => void) | undefined;
      const session = await connect(port, (w, c, e) =>
        client.start(
          (d) => {
            w(d);
            wrote?.();
          },
          c,
          undefined,
          e,
        ),
      );
      await session.handshake;
      const send = async (line: string) => {
        session.connection.dataFromApplication(new TextEncoder().encode(`${line}\n`));
        await child.waitFor(new RegExp(`^${line}$`, 'm'));
      };
      await send('before');
      for (let i = 1; i <= requests; i++) {
        const answered = new Promise<void>((resolve) => {
          wrote = resolve;
        });
        child.process.stdin.write('c\n');
        await answered;
        await send(`after ${i}`);
      }
      // s_server's verify callback writes to stderr, apart from the -msg trace on stdout.
      await child.waitFor(/depth=0 CN ?= ?localhost\s+verify return:1/);
      const output = child.output();
      const count = (re: RegExp) => output.match(re)?.length ?? 0;
      t.is(count(/>>> TLS 1\.3, Handshake \[length [0-9a-f]+\], CertificateRequest/g), requests);
      t.is(count(/<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], CertificateVerify/g), requests);
      // Our Finished of the handshake, then one per request.
      t.is(count(/<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], Finished/g), 1 + requests);
      t.is(session.connection.state, 'open');
      session.connection.applicationFinished();
    } finally {
      child.kill();
    }
  });
}

maybe(
  "Node adapter: connect({ engine: { postHandshakeAuth } }) answers s_server's post-handshake request",
  async (t) => {
    const files = pemFiles('ecdsa');
    const client = pemFiles('ed25519');
    const { child, port } = await sServer([
      ...['-cert', files.cert, '-key', files.key, '-CAfile', files.root, '-verify_return_error'],
    ]);
    try {
      const socket = nodeConnect({
        port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: readFileSync(files.root, 'utf8'),
        cert: readFileSync(client.cert, 'utf8'),
        key: readFileSync(client.key, 'utf8'),
        engine: { postHandshakeAuth: true },
      });
      const errors: Error[] = [];
      socket.on('error', (error) => errors.push(error));
      await once(socket, 'secureConnect');
      socket.write('before\n');
      await child.waitFor(/^before$/m);
      child.process.stdin.write('c\n');
      // s_server reads our answer with the next data, and prints the verified client certificate.
      socket.write('after\n');
      await child.waitFor(/^after$/m);
      await child.waitFor(/depth=0 CN ?= ?localhost\s+verify return:1/);
      t.deepEqual(errors, []);
      t.false(socket.destroyed);
      socket.end();
    } finally {
      child.kill();
    }
  },
);

// --- openssl s_client against our server ---

async function sClientAgainstOurServer(
  serverOptions: Partial<ConstructorParameters<typeof ServerTLS>[0]>,
  clientArgs: string[],
  input: string,
  kind: KeyKind = 'ecdsa',
): Promise<{ output: string; connection: Connection }> {
  const files = pemFiles(kind);
  const server = new ServerTLS({ certificates: pki().chain(kind), ...serverOptions });
  let connection: Connection | undefined;
  let seen = '';
  const listener = await listen(
    (w, c, e) => server.start(w, c, undefined, e),
    (s) => {
      connection = s.connection;
    },
    (d, s) => {
      s.connection.dataFromApplication(d);
      seen += new TextDecoder().decode(d);
      if (seen.includes('BYE')) s.connection.applicationFinished();
    },
  );
  const child = opensslClient(listener.port, files.root, ['-tls1_3', ...clientArgs]);
  try {
    await typeLines(child, input.split('\n'));
    await child.exited;
    return { output: child.output(), connection: connection! };
  } finally {
    child.kill();
    await listener.close();
  }
}

for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
  maybe(`s_client -> our server: ${suite}`, async (t) => {
    const { output, connection } = await sClientAgainstOurServer({}, ['-ciphersuites', suite], 'hello\nBYE');
    t.is(connection.cipherSuite, suite);
    t.regex(output, /Verify return code: 0 \(ok\)/);
    t.regex(output, /hello/);
    t.true(connection.ended);
  });
}

for (const kind of ['rsa', 'ecdsa384', 'ed25519'] as const) {
  maybe(`s_client -> our server: ${kind} certificate`, async (t) => {
    const { output } = await sClientAgainstOurServer({}, [], 'BYE', kind);
    t.regex(output, /Verify return code: 0 \(ok\)/);
  });
}

for (const [group, name] of [
  ['secp256r1', 'P-256'],
  ['secp384r1', 'P-384'],
  ['x25519', 'X25519'],
  ['ffdhe3072', 'ffdhe3072'],
] as const) {
  maybe(`s_client -> our server: group ${name}`, async (t) => {
    const { connection } = await sClientAgainstOurServer(
      { groups: ['x25519mlkem768', 'x25519', 'secp256r1', 'secp384r1', 'ffdhe3072'] },
      ['-groups', name],
      'BYE',
    );
    t.is(connection.namedGroup, group);
  });
}

maybe('s_client -> our server: HelloRetryRequest (client shares X25519, server wants P-384)', async (t) => {
  const { connection, output } = await sClientAgainstOurServer(
    { groups: ['secp384r1'] },
    ['-groups', 'X25519:P-384'],
    'BYE',
  );
  t.is(connection.namedGroup, 'secp384r1');
  t.regex(output, /Verify return code: 0/);
});

maybe('s_client -> our server: KeyUpdate requested by openssl is answered', async (t) => {
  const { output, connection } = await sClientAgainstOurServer({}, ['-msg'], 'before\nK\nafter\nBYE');
  t.regex(output, /KeyUpdate/);
  t.regex(output, /after/);
  t.true(connection.ended);
});

maybe('s_client -> our server: client certificate required and verified', async (t) => {
  const files = pemFiles('ecdsa384');
  const { connection } = await sClientAgainstOurServer(
    { clientAuth: 'require', clientTrustRoot: pki().trustStore },
    ['-cert', files.cert, '-key', files.key],
    'BYE',
  );
  t.is(connection.peerCertificates.length, 2);
});

maybe('s_client -> our server: missing required client certificate gets certificate_required', async (t) => {
  const { output } = await sClientAgainstOurServer(
    { clientAuth: 'require', clientTrustRoot: pki().trustStore },
    [],
    'BYE',
  );
  t.regex(output, /certificate required/i);
});

// Our tickets come with our Finished without client authentication, after the client's Finished
// with it (RFC 8446 §4.6.1); s_client resumes with both.
for (const clientAuth of ['none', 'require'] as const) {
  maybe(`s_client -> our server: resumption with our ticket (clientAuth ${clientAuth})`, async (t) => {
    const files = pemFiles('ecdsa');
    const sess = `${files.root}.${clientAuth}.sess`;
    const server = new ServerTLS({
      certificates: pki().chain('ecdsa'),
      clientAuth,
      clientTrustRoot: pki().trustStore,
    });
    const clientChain = clientAuth === 'none' ? [] : ['-cert', files.cert, '-key', files.key];
    const connections: Connection[] = [];
    const listener = await listen(
      (w, c, e) => server.start(w, c, undefined, e),
      (s) => connections.push(s.connection),
      (d, s) => {
        if (new TextDecoder().decode(d).includes('BYE')) s.connection.applicationFinished();
      },
    );
    try {
      for (const args of [
        ['-sess_out', sess],
        ['-sess_in', sess],
      ]) {
        const child = opensslClient(listener.port, files.root, [
          '-tls1_3',
          '-ign_eof',
          ...clientChain,
          ...args,
        ]);
        await child.waitFor(/Verify return code|Reused/);
        await new Promise((r) => setTimeout(r, 200));
        child.process.stdin.write('BYE\n');
        await child.exited;
        child.kill();
      }
      t.false(connections[0]!.resumed);
      t.true(connections[1]!.resumed);
      t.is(connections[1]!.peerCertificates.length > 0, clientAuth === 'require');
    } finally {
      await listener.close();
    }
  });
}

maybe('s_client -enable_pha -> our server: requestClientCertificate after the handshake', async (t) => {
  const files = pemFiles('ecdsa');
  const clientFiles = pemFiles('ed25519');
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), clientTrustRoot: pki().trustStore });
  let authenticated!: () => void;
  const done = new Promise<void>((resolve) => {
    authenticated = resolve;
  });
  let session: Session | undefined;
  const listener = await listen(
    (w, c, e) => server.start(w, c, undefined, { ...e, onClientAuthenticated: () => authenticated() }),
    (s) => {
      session = s;
    },
    (d, s) => {
      s.connection.dataFromApplication(d);
      if (new TextDecoder().decode(d).includes('BYE')) s.connection.applicationFinished();
    },
  );
  const child = opensslClient(listener.port, files.root, [
    ...['-tls1_3', '-enable_pha', '-cert', clientFiles.cert, '-key', clientFiles.key],
  ]);
  try {
    // The echo shows our server's handshake is complete.
    await typeLines(child, ['hello', '']);
    const connection = session!.connection;
    t.is(connection.peerCertificates.length, 0, 'no certificate asked for in the handshake');
    connection.requestClientCertificate();
    const closed = session!.done.then(() => {
      throw new Error(`closed before the client authenticated: ${child.output()}`);
    });
    await Promise.race([done, closed]);
    t.deepEqual(connection.peerVerification, { ok: true });
    t.is(connection.peerCertificates[0]?.getAsn1Bytes().length, pki().leaf('ed25519').getAsn1Bytes().length);
    child.process.stdin.write('BYE\n');
    await child.exited;
  } finally {
    child.kill();
    await listener.close();
  }
});
