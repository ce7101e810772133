// The benchmark page (bench.html): the pure-JS provider in this browser. In-page handshakes and
// bulk transfer (both ends here, no network), then handshakes through the relay to the first TLS
// server, as the example page makes them. Results go to #results as JSON and to a table.
import { Certificate, TrustStore } from '@tls-kit/certs';
import { benchPki, bulkMBps, handshakeMs } from './bench-cases.js';
import { runSession } from './session.js';
import { el, show } from './view.js';

/** One figure of the run. */
export interface BenchRow {
  readonly what: string;
  readonly value: number;
  readonly unit: 'ms' | 'MB/s';
}

const HANDSHAKES = 20;
const RELAY_HANDSHAKES = 10;
const BULK_MB = 8;
const BULK_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** Handshake time of a page load, WebSocket open to handshake complete, the median of `count`. */
async function relayHandshakeMs(count: number): Promise<number> {
  const servers = (await (await fetch('servers.json')).json()) as { name: string }[];
  const rootPem = await (await fetch('root.pem')).text();
  const times: number[] = [];
  for (let i = 0; i <= count; i++) {
    const result = await runSession({
      relayUrl: new URL(`relay/${servers[0]!.name}`, location.href.replace(/^http/, 'ws')).href,
      trustRoot: new TrustStore(Certificate.fromPem(rootPem)),
      request: 'GET / HTTP/1.0\r\n\r\n',
    });
    if (result.error) throw result.error;
    const at = (what: string) => result.marks.find((m) => m.what.startsWith(what))!.at;
    if (i > 0) times.push(at('handshake complete') - at('WebSocket open')); // the first one warms up
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function run(): Promise<BenchRow[]> {
  const pki = benchPki();
  const rows: BenchRow[] = [];
  const add = (what: string, value: number, unit: BenchRow['unit']) => {
    rows.push({ what, value, unit });
    show(
      'table',
      ...rows.map((r) => el('tr', {}, el('td', {}, r.what), el('td', {}, `${r.value.toFixed(1)} ${r.unit}`))),
    );
  };
  // Let the table paint between cases.
  const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));
  add(
    'full handshake TLS 1.3 (X25519MLKEM768, ECDSA P-256), both ends',
    handshakeMs(pki, { version: 'TLSv1.3' }, HANDSHAKES),
    'ms',
  );
  await yieldToPage();
  add(
    'full handshake TLS 1.2 (ECDHE X25519, ECDSA P-256), both ends',
    handshakeMs(pki, { version: 'TLSv1.2' }, HANDSHAKES),
    'ms',
  );
  await yieldToPage();
  add(
    'page handshake through the relay to the TLS server (client side + network + server)',
    await relayHandshakeMs(RELAY_HANDSHAKES),
    'ms',
  );
  for (const suite of BULK_SUITES) {
    await yieldToPage();
    add(`bulk TLS 1.3 ${suite}, seal + open`, bulkMBps(pki, { version: 'TLSv1.3', suite }, BULK_MB), 'MB/s');
  }
  return rows;
}

run().then(
  (rows) => {
    show('results', JSON.stringify({ userAgent: navigator.userAgent, rows }, null, 2));
    document.body.dataset.state = 'done';
  },
  (error: unknown) => {
    show('results', `failed: ${String(error)}`);
    document.body.dataset.state = 'failed';
  },
);
