// The example page in a real headless Chromium (Debian's `chromium`, driven by playwright-core
// over the DevTools protocol; no browser download): TLS 1.3 and 1.2 through the WebSocket relay
// to our s_server and to `openssl s_server -www`, checked from the DOM against what the servers
// themselves report in their response, and a wrong root refused with no request sent.
// One browser and one site for the whole file; screenshots go to a temporary folder (logged).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveOpenssl } from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Site, startSite } from '../src/site.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.log(`${CHROMIUM} is absent (Debian package "chromium"): the browser tests are skipped`);
const withOpenssl = haveOpenssl();
if (haveChromium && !withOpenssl) console.log('openssl is absent: the openssl s_server cases are skipped');

const browserTest = haveChromium ? test : test.skip;
const opensslTest = haveChromium && withOpenssl ? test : test.skip;

let site: Site | undefined;
let browser: Browser | undefined;
const shots = mkdtempSync(join(tmpdir(), 'tls-kit-browser-test-'));

test.before(async () => {
  [site, browser] = await Promise.all([
    startSite({ servers: withOpenssl ? ['ours', 'openssl'] : ['ours'] }),
    haveChromium
      ? chromium.launch({
          executablePath: CHROMIUM,
          // Chromium's sandbox cannot start as root (containers, CI).
          args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
        })
      : undefined,
  ]);
});

test.after.always(async () => {
  await browser?.close();
  await site?.close();
});

interface Loaded {
  readonly page: Page;
  readonly state: string | null;
  field(name: string): Promise<string>;
}

/** Opens the page with `query`, waits for its verdict; any page error or CSP refusal fails the test. */
async function load(t: ExecutionContext, query: string): Promise<Loaded> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  t.teardown(() => page.close());
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.goto(`${site!.url}${query}`);
  await page.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 60_000 });
  t.deepEqual(problems, []);
  return {
    page,
    state: await page.getAttribute('body', 'data-state'),
    field: async (name) => (await page.locator(`[data-field="${name}"]`).textContent()) ?? '',
  };
}

async function screenshot(t: ExecutionContext, page: Page, name: string): Promise<void> {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  t.log(`screenshot: ${path}`);
}

/** The parts every successful connection shows the same way. */
async function checkCommon(t: ExecutionContext, loaded: Loaded, version: string): Promise<string> {
  const { page, field } = loaded;
  t.is(loaded.state, 'done', (await page.locator('#status').textContent()) ?? '');
  t.is(await field('version'), version);
  t.is(await field('alpn'), 'http/1.1');
  // The leaf's key is ECDSA P-256: its signature, in both versions.
  t.is(await field('signature'), 'ecdsa_secp256r1_sha256');
  t.is(await field('verified'), 'verified up to the given root');
  // The verified path: leaf, intermediate, then the root the page was given.
  const subjects = await page.locator('#chain td.subject').allTextContents();
  t.deepEqual(subjects, [
    'CN=localhost',
    'CN=tls-kit demo intermediate CA,O=tls-kit demo',
    'CN=tls-kit demo root CA,O=tls-kit demo',
  ]);
  // Every record decrypted and decoded: no record is left with a problem.
  t.is(await page.locator('#transcript .problem').count(), 0);
  t.true((await page.locator('#transcript details.record').count()) >= 8);
  const response = (await page.locator('#response').textContent()) ?? '';
  t.regex(response, /^HTTP\/1\.0 200 ok\r?\n/);
  return response;
}

/** Opens the ServerHello in the transcript tree, all of it, and returns its text. */
async function serverHelloTree(page: Page): Promise<string> {
  const summary = page.locator('#transcript summary', { hasText: /^ServerHello \(/ }).first();
  await summary.click();
  const hello = summary.locator('..');
  for (const inner of await hello.locator('details').all())
    await inner.evaluate((d) => d.setAttribute('open', ''));
  return (await hello.textContent()) ?? '';
}

browserTest('TLS 1.3 to tls-kit s_server: X25519MLKEM768, chain verified, the server agrees', async (t) => {
  const loaded = await load(t, '?server=ours&version=1.3');
  const response = await checkCommon(t, loaded, 'TLSv1.3');
  const suite = await loaded.field('suite');
  t.regex(suite, /^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
  t.is(await loaded.field('group'), 'X25519MLKEM768 (0x11ec)');
  // The server's own report of the connection, read over it.
  t.true(response.includes('Protocol: TLSv1.3'), response);
  t.true(response.includes('SNI: localhost'), response);
  t.true(response.includes(`Cipher: ${suite}`), response);
  t.true(response.includes('Group: X25519MLKEM768'), response);
  // The dissector's tree: the ServerHello's key_share names the hybrid group.
  const hello = await serverHelloTree(loaded.page);
  t.regex(hello, /key_share \(0x0033\)[\s\S]*group: X25519MLKEM768 \(0x11ec\)/);
  t.regex(hello, /supported_versions \(0x002b\)[\s\S]*selectedVersion: TLS1_3 \(0x0304\)/);
  await screenshot(t, loaded.page, 'ours-tls13');
});

browserTest('TLS 1.2 to tls-kit s_server: ECDHE with X25519', async (t) => {
  const loaded = await load(t, '?server=ours&version=1.2');
  const response = await checkCommon(t, loaded, 'TLSv1.2');
  const suite = await loaded.field('suite');
  t.regex(suite, /^TLS_ECDHE_ECDSA_WITH_/);
  t.is(await loaded.field('group'), 'x25519 (0x001d)');
  t.true(response.includes('Protocol: TLSv1.2'), response);
  t.true(response.includes('SNI: localhost'), response);
  t.true(response.includes(`Cipher: ${suite}`), response);
  // TLS 1.2's own messages are in the transcript, ServerKeyExchange with its curve.
  const names = await loaded.page.locator('#transcript details.record > details > summary').allTextContents();
  for (const name of [
    'ClientHello',
    'ServerHello',
    'Certificate',
    'ServerKeyExchange',
    'ServerHelloDone',
    'ClientKeyExchange',
    'Finished',
  ])
    t.true(
      names.some((n) => n.startsWith(`${name} (`)),
      `${name} in ${names.join(', ')}`,
    );
  await screenshot(t, loaded.page, 'ours-tls12');
});

opensslTest('TLS 1.3 to openssl s_server -www', async (t) => {
  const loaded = await load(t, '?server=openssl&version=1.3');
  const response = await checkCommon(t, loaded, 'TLSv1.3');
  const suite = await loaded.field('suite');
  // openssl's status page: "New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256".
  t.true(response.includes(`New, TLSv1.3, Cipher is ${suite}`), response);
  t.regex(await loaded.field('group'), /^(x25519 \(0x001d\)|X25519MLKEM768 \(0x11ec\))$/);
  await screenshot(t, loaded.page, 'openssl-tls13');
});

opensslTest('TLS 1.2 to openssl s_server -www', async (t) => {
  const loaded = await load(t, '?server=openssl&version=1.2');
  const response = await checkCommon(t, loaded, 'TLSv1.2');
  // openssl names TLS 1.2 suites its own way: ECDHE-ECDSA-AES128-GCM-SHA256.
  const suite = await loaded.field('suite');
  const m = /^TLS_ECDHE_ECDSA_WITH_AES_(128|256)_GCM_SHA(256|384)$/.exec(suite);
  t.truthy(m, suite);
  t.true(response.includes(`New, TLSv1.2, Cipher is ECDHE-ECDSA-AES${m?.[1]}-GCM-SHA${m?.[2]}`), response);
  await screenshot(t, loaded.page, 'openssl-tls12');
});

browserTest(
  'a wrong root: the verification error is shown, no request is sent, no response shown',
  async (t) => {
    const loaded = await load(t, '?server=ours&root=wrong-root.pem');
    t.is(loaded.state, 'failed');
    const error = await loaded.field('error');
    t.regex(error, /^BadTLSDataError: server certificate rejected: .*\(sent alert unknown_ca\)$/);
    t.is(await loaded.page.locator('#http-card').isHidden(), true);
    t.is(await loaded.page.locator('#response').textContent(), '');
    t.is(await loaded.page.locator('#chain-card').isHidden(), true);
    // The last record the page sent is its alert, decrypted in the transcript; it sent no
    // application data (our server's tickets may come with its Finished, RFC 8446 §4.6.1).
    const records = await loaded.page
      .locator('#transcript details.record.client > summary .title')
      .allTextContents();
    t.regex(records.at(-1) ?? '', /^alert in an application_data record/, records.join('\n'));
    t.false(
      records.some((r) => r.startsWith('application_data record')),
      records.join('\n'),
    );
    t.regex(
      (await loaded.page.locator('#transcript details.record').last().textContent()) ?? '',
      /Alert: unknown_ca \(0x30\)/,
    );
    await screenshot(t, loaded.page, 'wrong-root');
  },
);
