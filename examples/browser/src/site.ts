// Everything the page needs, on 127.0.0.1: a PKI made on the spot, the TLS servers holding its
// leaf, and one HTTP server for the static files (the page, its bundle, the roots) that also
// carries the WebSocket relay to the TLS servers.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateBuilder } from '@tls-kit/certs';
import { makePki } from '@tls-kit/cli/demo/pki';
import { bundlePage } from './bundle.js';
import { attachRelay } from './relay.js';
import { type ServerName, startTlsServers, type TlsServer } from './tls-servers.js';

export interface SiteOptions {
  /** The TLS servers to start; default: ours only. */
  readonly servers?: readonly ServerName[];
  /** Port of the HTTP server on 127.0.0.1; default 0 (any free one). */
  readonly port?: number;
}

export interface Site {
  /** The page: http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly servers: readonly TlsServer[];
  /** PEM of the root the TLS servers' chain leads to. */
  readonly rootPem: string;
  close(): Promise<void>;
}

interface StaticFile {
  readonly type: string;
  readonly body: string;
}

/** A root with the demo root's name and another key: a chain must not be taken for its own. */
function wrongRootPem(subject: string): string {
  return new CertificateBuilder()
    .root({ subject, key: { type: 'ec', curve: 'P-384' } })
    .withoutPrivateKey()
    .toPem();
}

export async function startSite(options: SiteOptions = {}): Promise<Site> {
  const pki = makePki();
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-browser-example-'));
  const servers = await startTlsServers(options.servers ?? ['ours'], pki, dir);
  try {
    const bundle = await bundlePage();
    const source = (file: string) => readFileSync(new URL(`page/${file}`, import.meta.url), 'utf8');
    const html = 'text/html; charset=utf-8';
    const files = new Map<string, StaticFile>([
      ['/', { type: html, body: source('index.html') }],
      ['/bench.html', { type: html, body: source('bench.html') }],
      ['/style.css', { type: 'text/css; charset=utf-8', body: source('style.css') }],
      ['/favicon.svg', { type: 'image/svg+xml', body: source('favicon.svg') }],
      ['/app.js', { type: 'text/javascript; charset=utf-8', body: bundle.app }],
      ['/bench.js', { type: 'text/javascript; charset=utf-8', body: bundle.bench }],
      ['/root.pem', { type: 'application/x-pem-file', body: pki.rootPem }],
      ['/wrong-root.pem', { type: 'application/x-pem-file', body: wrongRootPem(String(pki.root.subject)) }],
      [
        '/servers.json',
        {
          type: 'application/json',
          body: JSON.stringify(servers.map((s) => ({ name: s.name, title: s.title }))),
        },
      ],
    ]);

    let origin = '';
    const http = createServer((request: IncomingMessage, response: ServerResponse) => {
      const file = files.get(new URL(request.url ?? '/', origin).pathname);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      } else if (file === undefined) {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      } else {
        response
          .writeHead(200, {
            'Content-Type': file.type,
            'Cache-Control': 'no-store',
            // The page talks to its own origin only: the files here and the relay's WebSocket.
            'Content-Security-Policy': `default-src 'self'; connect-src 'self' ${origin.replace(/^http/, 'ws')}`,
          })
          .end(request.method === 'HEAD' ? undefined : file.body);
      }
    });
    http.listen(options.port ?? 0, '127.0.0.1');
    await new Promise((resolve, reject) => {
      http.once('listening', resolve);
      http.once('error', reject);
    });
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const relay = attachRelay(http, { targets: new Map(servers.map((s) => [s.name, s.port])), origin });
    return {
      url: `${origin}/`,
      servers,
      rootPem: pki.rootPem,
      close: async () => {
        relay.close();
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        for (const s of servers) s.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const s of servers) s.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
