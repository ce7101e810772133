// The demo's connections ("legs"): a client and a server on 127.0.0.1 with the capture relay
// between them. Ours against ours, and with --peer openssl ours against the openssl CLI both ways.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Certificate } from '@tls-kit/certs';
import {
  connect,
  createServer,
  groupDisplayName,
  type SecureContextOptions,
  type Server,
  type TLSSocket,
} from '@tls-kit/engine/node';
import { type KeyLogEntry, parseKeyLog } from '@tls-kit/messages';
import { oneLine } from '../args.js';
import { handshakeLines } from '../s_client-run.js';
import type { DemoPki } from './pki.js';
import { type CapturedChunk, startRelay } from './relay.js';

export interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface LegResult {
  readonly title: string;
  /** "Protocol: ...", "Cipher: ..." lines as s_client prints them. */
  readonly parameters: string[];
  /** The verified chain as our client saw it (leaf first), when our client took part. */
  readonly chain: readonly Certificate[];
  readonly request: string;
  readonly response: string;
  readonly chunks: readonly CapturedChunk[];
  readonly keylog: KeyLogEntry[];
  readonly checks: Check[];
  /** Extra lines, e.g. what the openssl peer printed about its verification. */
  readonly notes: string[];
}

/** The version a leg must end up with: the one forced by --tls1_2/--tls1_3, else TLS 1.3. */
function versionOf(negotiation: SecureContextOptions): string {
  return negotiation.maxVersion ?? 'TLSv1.3';
}

function opensslVersionFlag(negotiation: SecureContextOptions): string {
  return versionOf(negotiation) === 'TLSv1.2' ? '-tls1_2' : '-tls1_3';
}

/** Everything a leg may take before it is torn down. */
const LEG_TIMEOUT_MS = 20_000;

const REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: tls-kit-demo\r\nConnection: close\r\n\r\n';

/** Our HTTP responder: one request, one response, then close_notify. */
function serveHttp(socket: TLSSocket): void {
  let head = '';
  socket.on('error', () => {});
  socket.on('data', function onData(chunk: Buffer) {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    socket.off('data', onData);
    socket.on('data', () => {});
    const c = socket.connection;
    const body =
      `Hello from tls-kit! You reached ${c.serverName ?? '(no SNI)'} over ${c.tlsVersion}, ` +
      `${c.cipherSuite}, ${groupDisplayName(c.namedGroup)}.\n`;
    socket.end(
      `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return (server.address() as AddressInfo).port;
}

function withTimeout<T>(promise: Promise<T>, what: string, cleanup: () => void): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what} did not finish within ${LEG_TIMEOUT_MS / 1000} s`));
      }, LEG_TIMEOUT_MS);
    }),
  ]);
}

/** Our client: connects through the relay, sends REQUEST, reads to the server's close_notify. */
async function runOurClient(
  port: number,
  pki: DemoPki,
  negotiation: SecureContextOptions,
  request: string,
): Promise<{ socket: TLSSocket; keylog: string[]; response: string; error?: Error }> {
  const keylog: string[] = [];
  const socket = connect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: pki.rootPem,
    ALPNProtocols: ['http/1.1'],
    ...negotiation,
  });
  socket.on('keylog', (line: Buffer) => keylog.push(line.toString()));
  const chunks: Buffer[] = [];
  const error = await new Promise<Error | undefined>((resolve) => {
    socket.once('secureConnect', () => socket.write(request));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.once('end', () => resolve(undefined));
    socket.once('error', resolve);
  });
  return { socket, keylog, response: Buffer.concat(chunks).toString('utf8'), ...(error ? { error } : {}) };
}

function clientChecks(
  client: Awaited<ReturnType<typeof runOurClient>>,
  pki: DemoPki,
  expect: RegExp,
  expectedVersion: string,
): Check[] {
  const { socket, error, response } = client;
  const chain = socket.getPeerCertificates();
  return [
    {
      what: `handshake completed (${expectedVersion})`,
      ok: socket.getProtocol() === expectedVersion,
      ...(error ? { detail: oneLine(error) } : {}),
    },
    {
      what: 'server chain verified by our client up to the demo root, for "localhost"',
      ok: socket.authorized && chain.length >= 2 && chain.at(-1)!.equals(pki.root),
    },
    { what: 'HTTP response received', ok: expect.test(response), detail: response.split('\r\n')[0] },
    { what: 'close_notify received from the server', ok: socket.connection.ended },
  ];
}

/** The HTTP response inside openssl s_client's output (which also prints session details). */
function httpResponseIn(output: string): string {
  const start = output.indexOf('HTTP/1.1 ');
  if (start < 0) return '';
  const headEnd = output.indexOf('\r\n\r\n', start);
  if (headEnd < 0) return output.slice(start);
  const length = /\r\nContent-Length: (\d+)\r\n/i.exec(output.slice(start, headEnd + 2));
  return output.slice(start, headEnd + 4 + (length ? Number(length[1]) : 0));
}

/** Our client and our server. */
export async function oursToOurs(pki: DemoPki, negotiation: SecureContextOptions): Promise<LegResult> {
  const server = createServer(
    { cert: pki.chainPem, key: pki.keyPem, ALPNProtocols: ['http/1.1'], ...negotiation },
    serveHttp,
  );
  let serverError: Error | undefined;
  server.on('tlsClientError', (e: Error) => {
    serverError = e;
  });
  const relay = await startRelay(await listen(server));
  const cleanup = () => {
    relay.close();
    server.close();
  };
  try {
    const client = await withTimeout(
      runOurClient(relay.port, pki, negotiation, REQUEST),
      'the exchange',
      cleanup,
    );
    await withTimeout(relay.done, 'closing the connection', cleanup);
    return {
      title: 'tls-kit client ⇄ tls-kit server',
      parameters: client.error ? [] : handshakeLines(client.socket),
      chain: client.socket.getPeerCertificates(),
      request: REQUEST,
      response: client.response,
      chunks: relay.chunks,
      keylog: parseKeyLog(client.keylog.join('')),
      checks: [
        ...clientChecks(client, pki, /^HTTP\/1\.1 200 OK\r\n/, versionOf(negotiation)),
        {
          what: 'server saw no error',
          ok: serverError === undefined,
          ...(serverError ? { detail: oneLine(serverError) } : {}),
        },
      ],
      notes: [],
    };
  } finally {
    cleanup();
  }
}

/** A child process with a kill timer; resolves with its exit code and output. */
function runProcess(
  command: string,
  args: string[],
  stdin: string | undefined,
  onOutput?: (text: string) => void,
): { done: Promise<{ code: number | null; output: string }>; kill: () => void } {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString('utf8');
    onOutput?.(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.stdin.on('error', () => {});
  if (stdin !== undefined) child.stdin.write(stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), LEG_TIMEOUT_MS);
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('error', (e) => resolve({ code: null, output: `${output}${e.message}` }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  return {
    done,
    kill: () => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function pemDir(pki: DemoPki): { dir: string; file: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-demo-'));
  const files: Record<string, string> = {
    'leaf.pem': pki.leaf.toPem(),
    'chain.pem': pki.intermediate.toPem(),
    'key.pem': pki.keyPem,
    'root.pem': pki.rootPem,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return { dir, file: (name) => join(dir, name) };
}

/** Our client against `openssl s_server -www`. */
export async function oursToOpenssl(pki: DemoPki, negotiation: SecureContextOptions): Promise<LegResult> {
  const { dir, file } = pemDir(pki);
  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => {
    listening = resolve;
  });
  const server = runProcess(
    'openssl',
    [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      file('leaf.pem'),
      '-cert_chain',
      file('chain.pem'),
      '-key',
      file('key.pem'),
      '-www',
      opensslVersionFlag(negotiation),
      '-alpn',
      'http/1.1',
      '-naccept',
      '1',
    ],
    undefined,
    (out) => {
      const m = /ACCEPT .*:(\d+)/.exec(out);
      if (m) listening(Number(m[1]));
    },
  );
  try {
    const serverPort = await withTimeout(port, 'openssl s_server start', server.kill);
    const relay = await startRelay(serverPort);
    try {
      const request = 'GET / HTTP/1.0\r\n\r\n';
      const client = await withTimeout(
        runOurClient(relay.port, pki, negotiation, request),
        'the exchange',
        server.kill,
      );
      await withTimeout(relay.done, 'closing the connection', server.kill);
      return {
        title: 'tls-kit client ⇄ openssl s_server -www',
        parameters: client.error ? [] : handshakeLines(client.socket),
        chain: client.socket.getPeerCertificates(),
        request,
        response: client.response,
        chunks: relay.chunks,
        keylog: parseKeyLog(client.keylog.join('')),
        checks: clientChecks(client, pki, /^HTTP\/1\.0 200 ok\r\n/, versionOf(negotiation)),
        notes: [],
      };
    } finally {
      relay.close();
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl s_client` against our server. */
export async function opensslToOurs(pki: DemoPki, negotiation: SecureContextOptions): Promise<LegResult> {
  const { dir, file } = pemDir(pki);
  const keylog: string[] = [];
  const server = createServer(
    { cert: pki.chainPem, key: pki.keyPem, ALPNProtocols: ['http/1.1'], ...negotiation },
    serveHttp,
  );
  server.on('keylog', (line: Buffer) => keylog.push(line.toString()));
  let serverError: Error | undefined;
  server.on('tlsClientError', (e: Error) => {
    serverError = e;
  });
  const relay = await startRelay(await listen(server));
  try {
    const client = runProcess(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${relay.port}`,
        '-servername',
        'localhost',
        '-CAfile',
        file('root.pem'),
        '-verify_return_error',
        opensslVersionFlag(negotiation),
        '-alpn',
        'http/1.1',
        '-ign_eof',
      ],
      REQUEST,
    );
    const { code, output } = await withTimeout(client.done, 'openssl s_client', client.kill);
    await withTimeout(relay.done, 'closing the connection', client.kill);
    const verify = /Verify return code: (.*)/.exec(output)?.[1]?.trim();
    const response = httpResponseIn(output);
    return {
      title: 'openssl s_client ⇄ tls-kit server',
      parameters: [
        ...['Protocol', 'Cipher', 'Server Temp Key', 'ALPN protocol', 'Peer signature type'].flatMap((k) => {
          const m = new RegExp(`^\\s*(?:New, )?${k}\\s*(?:is|:)\\s*(.*)$`, 'm').exec(output);
          return m ? [`${k}: ${m[1]!.trim()}`] : [];
        }),
        `(as reported by openssl s_client)`,
      ],
      chain: [],
      request: REQUEST,
      response,
      chunks: relay.chunks,
      keylog: parseKeyLog(keylog.join('')),
      checks: [
        { what: 'openssl s_client exited cleanly', ok: code === 0, detail: `exit status ${code}` },
        {
          what: 'openssl verified our chain up to the demo root',
          ok: verify === '0 (ok)',
          detail: verify ?? 'no verify result',
        },
        { what: 'HTTP response received by openssl', ok: response.startsWith('HTTP/1.1 200 OK') },
        {
          what: 'server saw no error',
          ok: serverError === undefined,
          ...(serverError ? { detail: oneLine(serverError) } : {}),
        },
      ],
      notes: [],
    };
  } finally {
    relay.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
