// OCSP stapling against real peers, TLS 1.3 and 1.2: a real OCSP response made by `openssl ocsp`
// reaches our client from `openssl s_server -status_file` byte-exact; `openssl s_client -status`
// and Node's tls client (requestOCSP, 'OCSPResponse') read what our server staples; the Node
// adapter's connect() emits 'OCSPResponse' as node:tls does; our client's ocspVerification
// accepts s_server's good response and refuses a revoked one with certificate_revoked.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { AlertDescription } from '@tls-kit/messages';
import { opensslServer } from '@tls-kit/test-helpers';
import test from 'ava';
import { BadTLSDataError, type ClientOptions, ClientTLS, type TLSVersion } from '../src/index.js';
import { connect, createServer } from '../src/node/index.js';
import { haveOpenssl, ocspResponseFile, pemFiles } from './helpers/openssl.js';
import { pki } from './helpers/pki.js';
import { echoServer, revEchoOnce, sClient } from './helpers/tls12-peers.js';

const available = haveOpenssl();
const maybe = available ? test.serial : test.skip;
if (!available) test('openssl is absent', (t) => t.log('openssl not installed: OCSP interop skipped'));

const VERSIONS = [
  ['TLSv1.3', '-tls1_3'],
  ['TLSv1.2', '-tls1_2'],
] as const;

/** One connection of our client (`version` only, trusting the test root) to s_server at `port`. */
function ourClientOnce(port: number, version: TLSVersion, options: Partial<ClientOptions> = {}) {
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: [version],
    ...options,
  });
  return revEchoOnce(port, client);
}

/** `s_server -rev -status_file`, speaking only `flag`'s version. */
function stapler(flag: string, statusFile: string) {
  const files = pemFiles('ecdsa');
  return opensslServer([flag, '-cert', files.cert, '-key', files.key, '-rev', '-status_file', statusFile]);
}

for (const [version, flag] of VERSIONS) {
  maybe(`${version}: our client reads s_server's stapled response byte-exact`, async (t) => {
    const response = ocspResponseFile('ecdsa');
    const { child, port } = await stapler(flag, response.path);
    try {
      const connection = await ourClientOnce(port, version, { requestOCSP: true });
      t.is(connection.tlsVersion, version);
      t.deepEqual(connection.ocspResponse, response.der);
    } finally {
      child.kill();
    }
  });

  maybe(`${version}: ocspVerification 'verify' accepts s_server's good response`, async (t) => {
    const { child, port } = await stapler(flag, ocspResponseFile('ecdsa').path);
    try {
      const connection = await ourClientOnce(port, version, { ocspVerification: 'verify' });
      t.is(connection.tlsVersion, version);
      t.deepEqual(connection.peerVerification, { ok: true });
    } finally {
      child.kill();
    }
  });

  maybe(
    `${version}: ocspVerification 'verify' refuses s_server's revoked response (certificate_revoked)`,
    async (t) => {
      const revoked = ocspResponseFile('ecdsa', { status: 'revoked' });
      const { child, port } = await stapler(flag, revoked.path);
      try {
        const error = await t.throwsAsync(ourClientOnce(port, version, { ocspVerification: 'verify' }), {
          instanceOf: BadTLSDataError,
        });
        t.is(error?.reason, 'CertificateRevoked');
        t.is(error?.alertCode, AlertDescription.certificate_revoked);
        await child.waitFor(/certificate revoked/i);
        t.pass('s_server received the alert');
      } finally {
        child.kill();
      }
    },
  );

  maybe(`${version}: without requestOCSP s_server staples nothing`, async (t) => {
    const { child, port } = await stapler(flag, ocspResponseFile('ecdsa').path);
    try {
      const connection = await ourClientOnce(port, version);
      t.is(connection.ocspResponse, undefined);
    } finally {
      child.kill();
    }
  });

  maybe(`${version}: s_client -status decodes the response our server stapled`, async (t) => {
    const response = ocspResponseFile('ecdsa');
    const stapled: Uint8Array[] = [];
    const server = await echoServer({
      versions: [version],
      ocspResponse: () => {
        stapled.push(response.der);
        return response.der;
      },
    });
    try {
      const output = await sClient(server.port, [flag, '-status'], ['hello', 'BYE']);
      t.is(stapled.length, 1);
      t.regex(output, /OCSP response:/);
      t.regex(output, /OCSP Response Status: successful/);
      t.regex(output, /Cert Status: good/);
      t.regex(output, /Verify return code: 0 \(ok\)/);
      t.is(server.connections[0]?.tlsVersion, version);
    } finally {
      await server.close();
    }
  });

  maybe(`${version}: s_client -status without a response: "no response sent"`, async (t) => {
    const server = await echoServer({ versions: [version], ocspResponse: () => undefined });
    try {
      const output = await sClient(server.port, [flag, '-status'], ['BYE']);
      t.regex(output, /OCSP response: no response sent/);
    } finally {
      await server.close();
    }
  });

  maybe(`${version}: Node's tls client (requestOCSP) gets 'OCSPResponse' from our server`, async (t) => {
    const response = ocspResponseFile('ecdsa');
    const server = await echoServer({ versions: [version], ocspResponse: () => response.der });
    try {
      // (requestOCSP is a TLSSocket option that tls.connect passes on.)
      const options: tls.ConnectionOptions & tls.TLSSocketOptions = {
        port: server.port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: readFileSync(pemFiles('ecdsa').root),
        requestOCSP: true,
        maxVersion: version,
      };
      const socket = tls.connect(options);
      const events: string[] = [];
      let received: Buffer | null | undefined;
      socket.on('OCSPResponse', (r: Buffer | null) => {
        events.push('OCSPResponse');
        received = r;
      });
      await once(socket, 'secureConnect');
      events.push('secureConnect');
      t.true(Buffer.isBuffer(received));
      t.deepEqual(new Uint8Array(received!), response.der);
      t.deepEqual(events, ['OCSPResponse', 'secureConnect']);
      t.is(socket.getProtocol(), version);
      socket.end('BYE');
      await once(socket, 'close');
    } finally {
      await server.close();
    }
  });

  maybe(
    `${version}: the Node adapter's connect({ requestOCSP }) emits 'OCSPResponse' before 'secureConnect'`,
    async (t) => {
      const response = ocspResponseFile('ecdsa');
      const { child, port } = await stapler(flag, response.path);
      try {
        const events: string[] = [];
        let received: Buffer | null | undefined;
        const socket = connect({
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          ca: pki().trustStore,
          requestOCSP: true,
          maxVersion: version,
          minVersion: version,
        });
        socket.on('OCSPResponse', (r: Buffer | null) => {
          events.push('OCSPResponse');
          received = r;
        });
        await once(socket, 'secureConnect');
        events.push('secureConnect');
        t.deepEqual(events, ['OCSPResponse', 'secureConnect']);
        t.true(Buffer.isBuffer(received));
        t.deepEqual(new Uint8Array(received!), response.der);
        socket.destroy();
      } finally {
        child.kill();
      }
    },
  );
}

maybe(
  "the Node adapter's connect({ engine: { ocspVerification } }): a revoked leaf is authorizationError CERT_REVOKED",
  async (t) => {
    const { child, port } = await stapler('-tls1_3', ocspResponseFile('ecdsa', { status: 'revoked' }).path);
    try {
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: pki().trustStore,
        rejectUnauthorized: false,
        engine: { ocspVerification: 'verify' },
      });
      await once(socket, 'secureConnect');
      t.false(socket.authorized);
      t.is(socket.authorizationError, 'CERT_REVOKED');
      socket.destroy();
    } finally {
      child.kill();
    }
  },
);

maybe(
  "the Node adapter's connect({ requestOCSP }) emits 'OCSPResponse' with null when none is stapled",
  async (t) => {
    const server = await echoServer({});
    try {
      const socket = connect({
        host: '127.0.0.1',
        port: server.port,
        servername: 'localhost',
        ca: pki().trustStore,
        requestOCSP: true,
      });
      const [received] = await once(socket, 'OCSPResponse');
      t.is(received, null);
      socket.end('BYE');
      await once(socket, 'close');
    } finally {
      await server.close();
    }
  },
);

maybe(
  "the Node adapter's createServer({ engine: { ocspResponse } }) staples for Node's tls client",
  async (t) => {
    const response = ocspResponseFile('ecdsa');
    const files = pemFiles('ecdsa');
    const server = createServer(
      {
        cert: readFileSync(files.cert),
        key: readFileSync(files.key),
        engine: { ocspResponse: () => response.der },
      },
      (socket) => socket.end(),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const options: tls.ConnectionOptions & tls.TLSSocketOptions = {
        port: (server.address() as AddressInfo).port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: readFileSync(files.root),
        requestOCSP: true,
      };
      const socket = tls.connect(options);
      const [received] = (await once(socket, 'OCSPResponse')) as [Buffer];
      t.deepEqual(new Uint8Array(received), response.der);
      socket.on('error', () => {});
      socket.destroy();
    } finally {
      server.close();
    }
  },
);
