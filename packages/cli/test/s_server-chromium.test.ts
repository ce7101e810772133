// `tls-kit s_server` against Chromium's own TLS stack (BoringSSL), the one peer here that speaks
// X25519MLKEM768 (Node 20's and the Debian openssl/gnutls builds have no ML-KEM): the node
// provider's ML-KEM-768 encapsulates to BoringSSL's key, which decapsulates; the page only loads
// when both ends derived the same secrets. In its own file: a headless Chromium takes seconds.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnChild } from '@tls-kit/test-helpers';
import test from 'ava';
import { run } from '../src/commands/s_server.js';
import { fakeIO, pkiFiles } from './helpers/peers.js';

const CHROMIUM = '/usr/bin/chromium';
const withChromium = existsSync(CHROMIUM) ? test : test.skip;
if (!existsSync(CHROMIUM))
  test('chromium is absent: the Chromium interop test is skipped', (t) => t.log(`no ${CHROMIUM}`));

withChromium('Chromium (BoringSSL) -> s_server --www: X25519MLKEM768 negotiated, page served', async (t) => {
  const f = pkiFiles();
  const fake = fakeIO();
  t.teardown(() => fake.abort());
  const status = run(['--accept', '0', '--cert', f.cert, '--key', f.key, '--www'], fake.io);
  const port = Number((await fake.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/))[1]);
  const profile = mkdtempSync(join(tmpdir(), 'tls-kit-chromium-'));
  t.teardown(() => rmSync(profile, { recursive: true, force: true }));
  const browser = spawnChild(
    CHROMIUM,
    [
      '--headless',
      '--disable-gpu',
      `--user-data-dir=${profile}`,
      // The key exchange is under test, not the test root (Chromium reads trust from an NSS db).
      '--ignore-certificate-errors',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--dump-dom',
      `https://127.0.0.1:${port}/`,
    ],
    60_000,
  );
  t.teardown(() => browser.kill());
  t.is(await browser.exited, 0, browser.output());
  t.regex(browser.output(), /Protocol: TLSv1\.3/);
  t.regex(browser.output(), /Group: X25519MLKEM768/);
  t.regex(fake.stderr(), /handshake: TLSv1\.3 TLS_\w+ X25519MLKEM768 /);
  fake.abort();
  await status;
});
