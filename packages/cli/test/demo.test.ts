// `tls-kit demo`: the whole show runs in the test suite, with our peers and with openssl.
import { have } from '@tls-kit/test-helpers';
import test from 'ava';
import { run } from '../src/commands/demo.js';
import { engineHasTls12, fakeIO, tlsKit } from './helpers/peers.js';

test('demo: handshake, verified chain, HTTP, every record decoded and decrypted; exit 0', async (t) => {
  const fake = fakeIO();
  t.is(await run([], fake.io), 0, fake.stdout() + fake.stderr());
  const out = fake.stdout();
  t.false(out.includes('\u001b['), 'no colours when stdout is not a terminal');
  for (const expected of [
    /Protocol: TLSv1\.3/,
    /Cipher: TLS_AES_128_GCM_SHA256/,
    /Group: X25519MLKEM768/,
    /Resumed: no/,
    /0 {2}CN=localhost {2}\[leaf\] ECDSA P-256/,
    /2 {2}CN=tls-kit demo root CA,O=tls-kit demo {2}\[trust anchor\]/,
    /ClientHello \(\d+ bytes\)/,
    /hostName: "localhost"/,
    /decrypted with the server handshake key \(TLS_AES_128_GCM_SHA256, sequence 0\): handshake/,
    /EncryptedExtensions/,
    /certData: "CN=localhost \(ECDSA P-256\), issued by CN=tls-kit demo intermediate CA/,
    /CertificateVerify/,
    /decrypted with the client application key .*: application_data/,
    /│ GET \/ HTTP\/1\.1\\r\\n/,
    /│ HTTP\/1\.1 200 OK\\r\\n/,
    /Alert close_notify \(0x00\), level warning/,
    /✔ every encrypted record decrypted with the key log/,
    /Everything verified\./,
  ]) {
    t.regex(out, expected);
  }
  t.notRegex(out, /✘/);
  t.notRegex(out, /no key in the key log/);
  // Both directions end with close_notify.
  t.is(out.match(/Alert close_notify/g)?.length, 2);
});

test('demo --brief shows message names without fields; --groups and --ciphersuites apply', async (t) => {
  const fake = fakeIO();
  t.is(
    await run(['--brief', '--groups', 'P-256', '--ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256'], fake.io),
    0,
  );
  const out = fake.stdout();
  t.regex(out, /Group: P-256/);
  t.regex(out, /Cipher: TLS_CHACHA20_POLY1305_SHA256/);
  t.regex(out, / {2}ClientHello \(\d+ bytes\)\n\n/);
  t.notRegex(out, /legacyVersion:/);
});

(have('openssl') ? test : test.skip)(
  'demo --peer openssl: our client with openssl s_server, openssl s_client with our server',
  async (t) => {
    const fake = fakeIO();
    t.is(await run(['--peer', 'openssl', '--brief'], fake.io), 0, fake.stdout() + fake.stderr());
    const out = fake.stdout();
    t.regex(out, /▶ tls-kit client ⇄ openssl s_server -www/);
    t.regex(out, /▶ openssl s_client ⇄ tls-kit server/);
    t.regex(out, /✔ openssl verified our chain up to the demo root/);
    t.regex(out, /< HTTP\/1\.0 200 ok/);
    t.notRegex(out, /✘/);
  },
);

test('demo usage errors exit 2; the command runs as `tls-kit demo` in a child process', async (t) => {
  const fake = fakeIO();
  t.is(await run(['--peer', 'gnutls'], fake.io), 2);
  t.regex(fake.stderr(), /^error: --peer wants ours or openssl, got 'gnutls' \(see tls-kit demo --help\)\n$/);
  const child = tlsKit(['demo', '--brief']);
  t.is(await child.exited, 0, child.output());
  t.regex(child.output(), /Everything verified\./);
});

test('demo --tls1_2 (when the engine has it): the TLS 1.2 records decrypt from the CLIENT_RANDOM line', async (t) => {
  if (!(await engineHasTls12())) {
    t.log('the engine does not negotiate TLS 1.2 yet');
    t.pass();
    return;
  }
  const fake = fakeIO();
  t.is(await run(['--tls1_2'], fake.io), 0, fake.stdout());
  const out = fake.stdout();
  t.regex(out, /Protocol: TLSv1\.2/);
  t.regex(out, /ServerKeyExchange/);
  t.regex(
    out,
    /decrypted with the client write key \(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, sequence 0\): handshake/,
  );
  t.regex(out, /Finished \(12 bytes\)/);
  t.regex(out, /│ GET \/ HTTP\/1\.1\\r\\n/);
  t.regex(out, /Everything verified\./);
});
