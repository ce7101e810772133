// Behaviours of the hostile-peer work against openssl: s_client resuming with 0-RTT data our
// server rejects and skips (RFC 8446 §4.2.10), and s_server's warning unrecognized_name before its
// ServerHello (TLS 1.2), which our client accepts and reports.
import { readFileSync, writeFileSync } from 'node:fs';
import { AlertDescription as A } from '@tls-kit/messages';
import { opensslClient, opensslServer } from '@tls-kit/test-helpers';
import test from 'ava';
import { ClientTLS, type Connection, ServerTLS } from '../src/index.js';
import { haveOpenssl, pemFiles } from './helpers/openssl.js';
import { pki } from './helpers/pki.js';
import { connect, listen } from './helpers/socket.js';

const available = haveOpenssl();
const maybe = available ? test.serial : test.skip;
if (!available) test('openssl is absent', (t) => t.log('openssl not installed: interop skipped'));

/** A DER length field. */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let l = length; l > 0; l >>= 8) bytes.unshift(l & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/**
 * An `openssl s_client -sess_out` session (PEM SSL_SESSION) that says the server allows `bytes`
 * of early data: our tickets never do (we never accept 0-RTT), but a client may still send it,
 * as one resuming a session from another server of the same name would. The max_early_data
 * field is [15] EXPLICIT INTEGER in OpenSSL's SSL_SESSION_ASN1, between fields [14] and [16].
 */
function withMaxEarlyData(pem: string, bytes: number): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  // The outer SEQUENCE's header, then its elements in order of their tags.
  const headerLength = der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
  const body = der.subarray(headerLength);
  let at = 0;
  while (at < body.length) {
    const tag = body[at]!;
    if (tag >= 0xa0 && (tag & 0x1f) > 15) break;
    const first = body[at + 1]!;
    const lengthBytes = first < 0x80 ? 0 : first & 0x7f;
    let length = first < 0x80 ? first : 0;
    for (let i = 0; i < lengthBytes; i++) length = (length << 8) | body[at + 2 + i]!;
    at += 2 + lengthBytes + length;
  }
  const value = [0x02, 0x02, bytes >> 8, bytes & 0xff];
  const field = Buffer.from([0xa0 | 15, value.length, ...value]);
  const inner = Buffer.concat([body.subarray(0, at), field, body.subarray(at)]);
  const out = Buffer.concat([Buffer.from([0x30, ...derLength(inner.length)]), inner]);
  const lines = out
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN SSL SESSION PARAMETERS-----\n${lines}\n-----END SSL SESSION PARAMETERS-----\n`;
}

maybe(
  's_client -early_data resuming with our server: 0-RTT rejected and skipped, the handshake completes',
  async (t) => {
    const files = pemFiles('ecdsa');
    const sess = `${files.root}.early.sess`;
    const early = `${files.root}.early.txt`;
    writeFileSync(early, `${'early data that must not be read\n'.repeat(100)}`);
    const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
    const connections: Connection[] = [];
    /** What each connection received, by connection. */
    const received = new Map<Connection, string>();
    const listener = await listen(
      (w, c, e) => server.start(w, c, undefined, e),
      (s) => connections.push(s.connection),
      (d, s) => {
        const text = new TextDecoder().decode(d);
        received.set(s.connection, (received.get(s.connection) ?? '') + text);
        if (text.includes('BYE')) s.connection.applicationFinished();
      },
    );
    try {
      const first = opensslClient(listener.port, files.root, ['-tls1_3', '-ign_eof', '-sess_out', sess]);
      await first.waitFor(/Verify return code/);
      // The ticket, sent after the handshake, is read before our close_notify; the session file is
      // written when s_client ends.
      first.process.stdin.write('BYE\n');
      await first.exited;
      writeFileSync(sess, withMaxEarlyData(readFileSync(sess, 'utf8'), 16384));

      const second = opensslClient(listener.port, files.root, [
        '-tls1_3',
        '-ign_eof',
        '-sess_in',
        sess,
        '-early_data',
        early,
      ]);
      await second.waitFor(/Early data was rejected/);
      second.process.stdin.write('BYE\n');
      await second.exited;
      t.regex(second.output(), /Reused, TLSv1\.3/);
      const resumed = connections[1]!;
      t.true(resumed.resumed);
      t.true(resumed.handshakeComplete, 'the client Finished was read after the skipped records');
      t.is(received.get(resumed), 'BYE\n', 'rejected early data is never delivered; what follows is');
    } finally {
      await listener.close();
    }
  },
);

maybe(
  'our TLS 1.2 client -> s_server: a warning unrecognized_name before ServerHello is accepted and reported',
  async (t) => {
    const files = pemFiles('ecdsa');
    // s_server answers a name other than -servername with a warning unrecognized_name (TLS 1.2 only).
    const { child, port } = await opensslServer([
      '-tls1_2',
      '-cert',
      files.cert,
      '-key',
      files.key,
      '-cert2',
      files.cert,
      '-key2',
      files.key,
      '-servername',
      'other.example',
      '-rev',
    ]);
    try {
      const warnings: number[] = [];
      const client = new ClientTLS({
        serverHostname: 'localhost',
        trustRoot: pki().trustStore,
        versions: ['TLSv1.2'],
      });
      let text = '';
      const session = await connect(
        port,
        (w, c, e) => client.start(w, c, undefined, { ...e, onWarningAlert: (code) => warnings.push(code) }),
        (d, s) => {
          text += new TextDecoder().decode(d);
          if (text.includes('olleh')) s.connection.applicationFinished();
        },
      );
      await session.handshake;
      session.connection.dataFromApplication(new TextEncoder().encode('hello\n'));
      await session.done;
      t.regex(text, /olleh/);
      t.deepEqual(warnings, [A.unrecognized_name]);
      t.deepEqual(session.connection.warningAlerts, [A.unrecognized_name]);
    } finally {
      child.kill();
    }
  },
);
