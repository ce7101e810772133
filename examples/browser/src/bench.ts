// `pnpm example:browser:bench`: the pure-JS provider in headless Chromium (bench.html), then the
// same in-memory cases in this Node process with the same pure-JS provider and with node:crypto,
// printed side by side as a Markdown table (the figures of BENCHMARKS.md's browser section).
import { existsSync } from 'node:fs';
import { nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import { chromium } from 'playwright-core';
import type { BenchRow } from './page/bench.js';
import { benchPki, bulkMBps, handshakeMs } from './page/bench-cases.js';
import { startSite } from './site.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`error: ${CHROMIUM} not found (Debian package "chromium"; or set CHROMIUM=/path/to/chrome)`);
  process.exit(1);
}

const site = await startSite();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
let browserRows: BenchRow[];
let userAgent: string;
try {
  const page = await browser.newPage();
  await page.goto(`${site.url}bench.html`);
  await page.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 600_000 });
  const text = (await page.locator('#results').textContent()) ?? '';
  if ((await page.getAttribute('body', 'data-state')) !== 'done') throw new Error(text);
  ({ rows: browserRows, userAgent } = JSON.parse(text) as { rows: BenchRow[]; userAgent: string });
} finally {
  await browser.close();
  await site.close();
}

// The in-memory cases again, in Node: same code, same sizes as bench.ts's page.
const pki = benchPki();
const inNode = (provider: typeof nobleProvider) => [
  handshakeMs(pki, { version: 'TLSv1.3', provider }, 20),
  handshakeMs(pki, { version: 'TLSv1.2', provider }, 20),
  undefined,
  ...['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'].map((suite) =>
    bulkMBps(pki, { version: 'TLSv1.3', suite, provider }, 8),
  ),
];
const nodeNoble = inNode(nobleProvider);
const nodeNative = inNode(nodeProvider);

const cell = (v: number | undefined, unit: string) => (v === undefined ? '-' : `${v.toFixed(1)} ${unit}`);
console.log(`Chromium: ${userAgent}`);
console.log(`Node ${process.version}\n`);
console.log('| case | Chromium, pure JS | Node, pure JS | Node, node:crypto |');
console.log('| --- | --- | --- | --- |');
browserRows.forEach((row, i) => {
  console.log(
    `| ${row.what} | ${cell(row.value, row.unit)} | ${cell(nodeNoble[i], row.unit)} | ${cell(nodeNative[i], row.unit)} |`,
  );
});
