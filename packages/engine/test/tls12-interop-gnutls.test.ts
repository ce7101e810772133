// TLS 1.2 against GnuTLS: `gnutls-cli` against our server over loopback (suites, RFC 7919 FFDHE
// negotiation, resumption, a refused rehandshake). `gnutls-serv` cannot be bound to loopback
// only, so the other role is tested against OpenSSL and Node instead.
import { gnutlsClient, have, outputAtExit } from '@tls-kit/test-helpers';
import test from 'ava';
import { pemFiles } from './helpers/openssl.js';
import type { KeyKind } from './helpers/pki.js';
import { echoServer, RESUMPTION_MODES } from './helpers/tls12-peers.js';

const available = have('gnutls-cli');
const maybe = available ? test.serial : test.skip;
if (!available)
  test('gnutls-cli is absent', (t) => t.log('gnutls-cli not installed: GnuTLS interop skipped'));

/**
 * Runs gnutls-cli against `port` with `input` on stdin; resolves with its output (killed after
 * 15 s). Without `endInput` stdin stays open and the run ends when our server closes (on "BYE"),
 * so the echo is surely read first.
 */
function gnutlsCli(
  port: number,
  args: string[],
  input: string,
  kind: KeyKind = 'ecdsa',
  endInput = false,
): Promise<string> {
  const child = gnutlsClient(port, pemFiles(kind).root, args, 15_000);
  setTimeout(() => {
    child.process.stdin.write(input);
    if (endInput) child.process.stdin.end();
  }, 300);
  return outputAtExit(child);
}

const TLS12 = 'NORMAL:-VERS-ALL:+VERS-TLS1.2';

for (const [suite, cipher, kx, kind] of [
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'AES-128-GCM', 'ECDHE-ECDSA', 'ecdsa'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'AES-256-GCM', 'ECDHE-ECDSA', 'ecdsa'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'CHACHA20-POLY1305', 'ECDHE-ECDSA', 'ecdsa'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'AES-128-GCM', 'ECDHE-RSA', 'rsa'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'AES-256-GCM', 'ECDHE-RSA', 'rsa'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'CHACHA20-POLY1305', 'ECDHE-RSA', 'rsa'],
  ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'AES-128-GCM', 'DHE-RSA', 'rsa'],
] as const) {
  maybe(`gnutls-cli -> our server: ${suite}`, async (t) => {
    const server = await echoServer({}, kind);
    try {
      const priority = `${TLS12}:-CIPHER-ALL:+${cipher}:-KX-ALL:+${kx}`;
      const output = await gnutlsCli(server.port, [`--priority=${priority}`], 'hello\nBYE\n', kind);
      t.regex(output, /Handshake was completed/);
      t.regex(output, /hello/);
      t.is(server.connections[0]?.cipherSuite, suite);
    } finally {
      await server.close();
    }
  });
}

maybe('gnutls-cli offering FFDHE groups -> our server picks an RFC 7919 group (RFC 7919 §4)', async (t) => {
  const server = await echoServer({ cipherSuites: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'] }, 'rsa');
  try {
    const priority = `${TLS12}:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE3072`;
    const output = await gnutlsCli(server.port, [`--priority=${priority}`], 'BYE\n', 'rsa');
    t.regex(output, /Handshake was completed/);
    t.is(server.connections[0]?.namedGroup, 'ffdhe3072');
  } finally {
    await server.close();
  }
});

for (const [what, options] of RESUMPTION_MODES) {
  maybe(`gnutls-cli -r resumes with our server by ${what}`, async (t) => {
    const server = await echoServer(options);
    try {
      const output = await gnutlsCli(server.port, [`--priority=${TLS12}`, '-r'], 'BYE\n', 'ecdsa', true);
      t.regex(output, /This is a resumed session/);
      t.true(server.connections[1]?.resumed);
    } finally {
      await server.close();
    }
  });
}

maybe('gnutls-cli -e (rehandshake) gets no_renegotiation from our server', async (t) => {
  const server = await echoServer({});
  try {
    const output = await gnutlsCli(server.port, [`--priority=${TLS12}`, '-e'], 'BYE\n', 'ecdsa', true);
    t.regex(output, /Received alert \[100\]: No renegotiation is allowed/);
    t.regex(output, /ReHandshake has failed/);
    // The warning leaves our side usable: GnuTLS retries, and each attempt gets its own answer.
    t.true((output.match(/Received alert \[100\]/g)?.length ?? 0) >= 2);
  } finally {
    await server.close();
  }
});
