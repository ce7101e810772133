// TLS 1.2 against OpenSSL over loopback, both roles: every suite and key type, groups, resumption
// by session ID and by ticket, client certificates, ALPN, fragment limits, DHE parameters, and
// renegotiation attempts answered with no_renegotiation.
import { generatePrimeSync, getDiffieHellman } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opensslClient, outputAtExit } from '@tls-kit/test-helpers';
import test from 'ava';
import { BadTLSDataError, ClientTLS } from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { haveOpenssl, pemFiles } from './helpers/openssl.js';
import { pki } from './helpers/pki.js';
import { connect } from './helpers/socket.js';
import {
  clientToSServer,
  dhParamsDer,
  echoServer,
  revEchoOnce,
  revEchoTwice,
  sClient12,
  sServer12,
} from './helpers/tls12-peers.js';
import { OPENSSL_TLS12_SUITES } from './helpers/tls12-suites.js';

const available = haveOpenssl();
const maybe = available ? test.serial : test.skip;
if (!available) test('openssl is absent', (t) => t.log('openssl not installed: TLS 1.2 interop skipped'));

const dir = mkdtempSync(join(tmpdir(), 'tls-kit-tls12-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

for (const [suite, name, kind] of OPENSSL_TLS12_SUITES) {
  maybe(`our client -> s_server -tls1_2: ${suite} (${kind})`, async (t) => {
    const { connection } = await clientToSServer(['-cipher', name], { cipherSuites: [suite] }, kind);
    t.is(connection.tlsVersion, 'TLSv1.2');
    t.is(connection.cipherSuite, suite);
    t.is(connection.state, 'closed');
  });

  maybe(`s_client -tls1_2 -> our server: ${suite} (${kind})`, async (t) => {
    const server = await echoServer({}, kind);
    try {
      const output = await sClient12(server.port, ['-cipher', name], ['hello', 'BYE'], kind);
      const [connection] = server.connections;
      t.is(connection?.tlsVersion, 'TLSv1.2');
      t.is(connection?.cipherSuite, suite);
      t.regex(output, new RegExp(`Cipher is ${name}`));
      t.regex(output, /Extended master secret: yes/);
      t.regex(output, /Secure Renegotiation IS supported/);
      t.regex(output, /hello/);
      t.true(connection?.ended);
    } finally {
      await server.close();
    }
  });
}

maybe(
  'our client offering 1.3 and 1.2 -> s_server -tls1_2 (no downgrade sentinel from a 1.2-only server)',
  async (t) => {
    const { connection } = await clientToSServer([], {}, 'ecdsa');
    t.is(connection.tlsVersion, 'TLSv1.2');
  },
);

maybe('s_client offering 1.3 -> our server with both: TLS 1.3 is chosen', async (t) => {
  const server = await echoServer({});
  try {
    const child = opensslClient(server.port, pemFiles('ecdsa').root);
    child.process.stdin.end('BYE\n');
    t.regex(await outputAtExit(child), /TLSv1\.3/);
    t.is(server.connections[0]?.tlsVersion, 'TLSv1.3');
  } finally {
    await server.close();
  }
});

for (const [group, name] of [
  ['x25519', 'X25519'],
  ['secp256r1', 'P-256'],
  ['secp384r1', 'P-384'],
] as const) {
  // RSA certificates: an ECDSA one would also need its curve listed (RFC 8422 §5.3).
  maybe(`TLS 1.2 group ${name}, both roles`, async (t) => {
    const { connection } = await clientToSServer(['-groups', name], { versions: ['TLSv1.2'] }, 'rsa');
    t.is(connection.namedGroup, group);
    const server = await echoServer({}, 'rsa');
    try {
      await sClient12(server.port, ['-groups', name], ['BYE'], 'rsa');
      t.is(server.connections[0]?.namedGroup, group);
    } finally {
      await server.close();
    }
  });
}

for (const [scheme, sigalg, kind] of [
  ['rsa_pkcs1_sha256', 'RSA+SHA256', 'rsa'],
  ['rsa_pss_rsae_sha256', 'RSA-PSS+SHA256', 'rsa'],
  ['ecdsa_secp256r1_sha256', 'ECDSA+SHA256', 'ecdsa'],
  ['ed25519', 'ed25519', 'ed25519'],
] as const) {
  maybe(`ServerKeyExchange signed with ${scheme}, both roles`, async (t) => {
    const { connection } = await clientToSServer(['-sigalgs', sigalg], { versions: ['TLSv1.2'] }, kind);
    t.is(connection.signatureScheme, scheme);
    const server = await echoServer({}, kind);
    try {
      await sClient12(server.port, ['-sigalgs', sigalg], ['BYE'], kind);
      t.is(server.connections[0]?.signatureScheme, scheme);
    } finally {
      await server.close();
    }
  });
}

maybe('our client resumes with s_server by session ID (-no_ticket)', async (t) => {
  const { child, port } = await sServer12(['-rev', '-no_ticket']);
  try {
    const [first, second] = await revEchoTwice(port, { versions: ['TLSv1.2'] });
    t.false(first.resumed);
    t.true(second.resumed);
    t.deepEqual(second.sessionId, first.sessionId);
    t.is(second.peerCertificates.length, first.peerCertificates.length);
  } finally {
    child.kill();
  }
});

maybe('our client resumes with s_server by session ticket, offering 1.3 too', async (t) => {
  const { child, port } = await sServer12(['-rev']);
  try {
    const [first, second] = await revEchoTwice(port);
    t.is(first.tlsVersion, 'TLSv1.2');
    t.false(first.resumed);
    t.true(second.resumed);
  } finally {
    child.kill();
  }
});

maybe('s_client resumes with our server by session ID (-sess_out / -sess_in, tickets off)', async (t) => {
  const server = await echoServer({ ticketKeys: false });
  const sess = join(dir, 'id.sess');
  try {
    const one = await sClient12(server.port, ['-sess_out', sess], ['BYE']);
    const two = await sClient12(server.port, ['-sess_in', sess], ['BYE']);
    t.regex(one, /New, TLSv1\.2/);
    t.regex(two, /Reused, TLSv1\.2/);
    t.false(server.connections[0]!.resumed);
    t.true(server.connections[1]!.resumed);
    t.is(server.connections[1]!.handshakeState, 'APP_DATA');
  } finally {
    await server.close();
  }
});

maybe('s_client resumes with our server by session ticket (-sess_out / -sess_in, no cache)', async (t) => {
  const server = await echoServer({ sessionCache: false });
  const sess = join(dir, 'ticket.sess');
  try {
    const one = await sClient12(server.port, ['-sess_out', sess], ['BYE']);
    const two = await sClient12(server.port, ['-sess_in', sess], ['BYE']);
    t.regex(one, /TLS session ticket:/);
    t.regex(two, /Reused, TLSv1\.2/);
    t.true(server.connections[1]!.resumed);
  } finally {
    await server.close();
  }
});

maybe('s_client -reconnect: five resumptions by session ID', async (t) => {
  const server = await echoServer({ ticketKeys: false });
  try {
    const child = opensslClient(server.port, pemFiles('ecdsa').root, ['-tls1_2', '-reconnect', '-no_ticket']);
    child.process.stdin.end();
    t.is((await outputAtExit(child)).match(/^Reused, TLSv1\.2/gm)?.length, 5);
    t.is(server.connections.filter((c) => c.resumed).length, 5);
  } finally {
    await server.close();
  }
});

for (const kind of ['ecdsa', 'rsa', 'ed25519'] as const) {
  maybe(
    `client certificate (${kind}) to s_server -Verify, asynchronous store with certificate_authorities`,
    async (t) => {
      const files = pemFiles('ecdsa');
      const store = new PkiStore(kind, { async: true });
      const { output } = await clientToSServer(
        ['-Verify', '1', '-CAfile', files.root, '-verify_return_error'],
        {
          versions: ['TLSv1.2'],
          clientCertificateStore: store,
        },
      );
      t.is(store.roots, 1);
      t.regex(output, /CN ?= ?localhost/);
    },
  );
}

maybe('s_client with a client certificate -> our server requiring one', async (t) => {
  const server = await echoServer({ clientAuth: 'require', clientTrustRoot: pki().trustStore });
  try {
    const files = pemFiles('rsa');
    const output = await sClient12(server.port, ['-cert', files.cert, '-key', files.key], ['hello', 'BYE']);
    t.regex(output, /hello/);
    t.is(server.connections[0]?.peerCertificates[0]?.subject.toString().includes('localhost'), true);
  } finally {
    await server.close();
  }
});

maybe('s_client without a certificate -> our server requiring one: handshake_failure', async (t) => {
  const server = await echoServer({ clientAuth: 'require', clientTrustRoot: pki().trustStore });
  try {
    const output = await sClient12(server.port, [], ['BYE']);
    t.regex(output, /alert handshake failure/);
    t.is(server.connections[0]?.state, 'invalidated');
  } finally {
    await server.close();
  }
});

maybe('ALPN both roles', async (t) => {
  const { connection } = await clientToSServer(['-alpn', 'h2'], {
    versions: ['TLSv1.2'],
    alpnProtocols: ['http/1.1', 'h2'],
  });
  t.is(connection.alpnProtocol, 'h2');
  const server = await echoServer({ alpnProtocols: ['h2', 'http/1.1'] });
  try {
    const output = await sClient12(server.port, ['-alpn', 'http/1.1'], ['BYE']);
    t.regex(output, /ALPN protocol: http\/1\.1/);
  } finally {
    await server.close();
  }
});

maybe('s_client -maxfraglen 512: our server keeps its records within 512 bytes', async (t) => {
  const server = await echoServer({});
  try {
    const big = 'x'.repeat(3000);
    const output = await sClient12(server.port, ['-maxfraglen', '512', '-msg'], [big, 'BYE']);
    // Application data records we sent: 8-byte explicit nonce + at most 512 bytes + 16-byte tag.
    const lengths = [
      ...output.matchAll(
        /<<< TLS 1\.2, RecordHeader \[length 0005\]\s+17 03 03 ([0-9a-f]{2}) ([0-9a-f]{2})/g,
      ),
    ].map((m) => Number.parseInt(m[1]! + m[2]!, 16));
    t.true(lengths.length >= 6);
    t.true(lengths.every((n) => n <= 512 + 24));
    t.true((output.match(/x/g)?.length ?? 0) >= big.length);
  } finally {
    await server.close();
  }
});

maybe('record_size_limit from our client: s_server sends small records', async (t) => {
  const { connection } = await clientToSServer([], { versions: ['TLSv1.2'], recordSizeLimit: 256 });
  t.is(connection.tlsVersion, 'TLSv1.2');
});

maybe('DHE with our dhParams (RFC 3526 group 14, DER) -> s_client without FFDHE groups', async (t) => {
  const prime = new Uint8Array(getDiffieHellman('modp14').getPrime());
  const server = await echoServer(
    { dhParams: dhParamsDer(prime, 2), cipherSuites: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'] },
    'rsa',
  );
  try {
    const output = await sClient12(server.port, ['-groups', 'X25519'], ['BYE'], 'rsa');
    t.regex(output, /Server Temp Key: DH, 2048 bits/);
    t.is(server.connections[0]?.namedGroup, 'dh2048');
  } finally {
    await server.close();
  }
});

maybe(
  'DHE without dhParams: the RFC 7919 ffdhe2048 group (OpenSSL lists no FFDHE groups in TLS 1.2)',
  async (t) => {
    const server = await echoServer({ cipherSuites: ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'] }, 'rsa');
    try {
      const output = await sClient12(server.port, [], ['BYE'], 'rsa');
      t.regex(output, /Server Temp Key: DH, 2048 bits/);
      t.is(server.connections[0]?.namedGroup, 'ffdhe2048');
    } finally {
      await server.close();
    }
  },
);

/** `s_server -rev -dhparam` serving the group (p, 2), for our DHE-only client. */
async function sServerWithDh(name: string, prime: Uint8Array) {
  const file = join(dir, `${name}.pem`);
  const der = Buffer.from(dhParamsDer(prime, 2));
  writeFileSync(
    file,
    `-----BEGIN DH PARAMETERS-----\n${der.toString('base64')}\n-----END DH PARAMETERS-----\n`,
  );
  const server = await sServer12(
    ['-rev', '-dhparam', file, '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'],
    'rsa',
  );
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    cipherSuites: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  });
  return { ...server, client };
}

for (const [name, prime, alert] of [
  ['a 1024-bit group', () => new Uint8Array(getDiffieHellman('modp2').getPrime()), 'insufficient security'],
  [
    'a composite 2048-bit p',
    () =>
      Buffer.from(
        (generatePrimeSync(1024, { bigint: true }) * generatePrimeSync(1024, { bigint: true })).toString(16),
        'hex',
      ),
    'illegal parameter',
  ],
] as const) {
  maybe(`DHE: our client refuses ${name} from s_server -dhparam (${alert})`, async (t) => {
    const { child, port, client } = await sServerWithDh(name.replace(/\W/g, '-'), prime());
    try {
      const error = await t.throwsAsync(revEchoOnce(port, client), { instanceOf: BadTLSDataError });
      t.is(error?.alertCode, alert === 'insufficient security' ? 71 : 47);
      await child.waitFor(new RegExp(`alert ${alert}|${alert}`, 'i'));
    } finally {
      child.kill();
    }
  });
}

maybe(
  'DHE: our client accepts a safe prime that is not RFC 7919 (RFC 3526 group 14) from s_server -dhparam',
  async (t) => {
    const { child, port, client } = await sServerWithDh(
      'modp14',
      new Uint8Array(getDiffieHellman('modp14').getPrime()),
    );
    try {
      const connection = await revEchoOnce(port, client);
      t.is(connection.namedGroup, 'dh2048');
    } finally {
      child.kill();
    }
  },
);

maybe('renegotiation by s_client (R) gets a no_renegotiation warning from our server', async (t) => {
  const server = await echoServer({});
  try {
    const output = await sClient12(server.port, ['-msg'], ['hello', 'R', 'BYE']);
    t.regex(output, /RENEGOTIATING/);
    t.regex(output, /<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    t.regex(output, /hello/);
  } finally {
    await server.close();
  }
});

maybe(
  'renegotiation by s_server (HelloRequest) gets a no_renegotiation warning from our client',
  async (t) => {
    const { child, port } = await sServer12(['-msg']);
    try {
      const client = new ClientTLS({
        serverHostname: 'localhost',
        trustRoot: pki().trustStore,
        versions: ['TLSv1.2'],
      });
      let received = '';
      const session = await connect(
        port,
        (w, c, e) => client.start(w, c, undefined, e),
        (d) => {
          received += new TextDecoder().decode(d);
        },
      );
      session.done.catch(() => {});
      await session.handshake;
      await child.waitFor(/CIPHER is/);
      child.process.stdin.write('r\n');
      await child.waitFor(
        />>> TLS 1\.2, Alert \[length 0002\], warning no_renegotiation|<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/,
      );
      t.regex(child.output(), /<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
      t.is(session.connection.handshakeState, 'APP_DATA');
      void received;
      session.socket.destroy();
    } finally {
      child.kill();
    }
  },
);

maybe(
  'key log: our CLIENT_RANDOM master secret equals the Master-Key s_client prints (extended master secret)',
  async (t) => {
    const lines: string[] = [];
    const server = await echoServer({ keyLog: (l) => lines.push(l) });
    try {
      const output = await sClient12(server.port, [], ['BYE']);
      const master = output.match(/Master-Key: ([0-9A-F]+)/)?.[1];
      t.truthy(master);
      const ours = lines.find((l) => l.startsWith('CLIENT_RANDOM'))?.split(' ')[2];
      t.is(ours?.toUpperCase(), master);
    } finally {
      await server.close();
    }
  },
);
