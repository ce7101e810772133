// TLS 1.2 interop glue on top of openssl.ts / socket.ts: our client against `openssl s_server
// -tls1_2`, and `openssl s_client -tls1_2` against our server. revEchoOnce serves TLS 1.3 as well.
import { randomBytes } from 'node:crypto';
import { type Child, opensslClient, opensslServer, outputAtExit } from '@tls-kit/test-helpers';
import {
  type ClientOptions,
  ClientTLS,
  type Connection,
  type ServerOptions,
  ServerTLS,
} from '../../src/index.js';
import { pemFiles, typeLines } from './openssl.js';
import { type KeyKind, pki } from './pki.js';
import { connect, listen } from './socket.js';

// Re-exported for the tests that take their TLS 1.2 peers from here.
export { outputAtExit };

/** `openssl s_server -tls1_2` on a free port. */
export function sServer12(args: string[], kind: KeyKind = 'ecdsa'): Promise<{ child: Child; port: number }> {
  const files = pemFiles(kind);
  return opensslServer(['-tls1_2', '-cert', files.cert, '-key', files.key, ...args]);
}

/**
 * One connection of our client to a running `s_server -rev` (any version): sends a line (of
 * 2 * `bytes` hex digits), checks the reversed echo and its newline, closes with close_notify.
 */
export async function revEchoOnce(
  port: number,
  client: ClientTLS,
  during?: (c: Connection) => void,
  bytes = 100,
): Promise<Connection> {
  const line = `${randomBytes(bytes).toString('hex')}\n`;
  const expected = `${[...line.trimEnd()].reverse().join('')}\n`;
  let text = '';
  const session = await connect(
    port,
    (w, c, e) => client.start(w, c, undefined, e),
    (d, s) => {
      text += new TextDecoder().decode(d);
      if (text.includes(expected)) s.connection.applicationFinished();
    },
  );
  await session.handshake;
  during?.(session.connection);
  session.connection.dataFromApplication(new TextEncoder().encode(line));
  await session.done;
  if (!text.includes(expected)) throw new Error(`no echo; got ${JSON.stringify(text)}`);
  return session.connection;
}

/** Two connections of one client to a reversing echo server at `port`: the second may resume. */
export async function revEchoTwice(
  port: number,
  options: Partial<ClientOptions> = {},
): Promise<[Connection, Connection]> {
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...options });
  const first = await revEchoOnce(port, client);
  return [first, await revEchoOnce(port, client)];
}

/** Our client against a fresh `s_server -tls1_2 -rev`. */
export async function clientToSServer(
  serverArgs: string[],
  options: Partial<ClientOptions>,
  kind: KeyKind = 'ecdsa',
): Promise<{ connection: Connection; output: string }> {
  const { child, port } = await sServer12(['-rev', ...serverArgs], kind);
  try {
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...options });
    const connection = await revEchoOnce(port, client);
    return { connection, output: child.output() };
  } finally {
    child.kill();
  }
}

/** Our server's two ways of resuming a TLS 1.2 session, each with the other one off. */
export const RESUMPTION_MODES = [
  ['session ID', { ticketKeys: false }],
  ['session ticket', { sessionCache: false }],
] as const;

export interface ServerUnderTest {
  readonly port: number;
  readonly connections: Connection[];
  close(): Promise<void>;
}

/** Our server on a free port, echoing what it receives; "BYE" makes it close. */
export async function echoServer(
  options: Partial<ServerOptions>,
  kind: KeyKind = 'ecdsa',
): Promise<ServerUnderTest> {
  const server = new ServerTLS({ certificates: pki().chain(kind), ...options });
  const connections: Connection[] = [];
  let seen = '';
  const listener = await listen(
    (w, c, e) => server.start(w, c, undefined, e),
    (s) => connections.push(s.connection),
    (d, s) => {
      s.connection.dataFromApplication(d);
      seen += new TextDecoder().decode(d);
      if (seen.includes('BYE')) s.connection.applicationFinished();
    },
  );
  return { port: listener.port, connections, close: () => listener.close() };
}

/**
 * `openssl s_client` against `port` (`args` pick the version, e.g. -tls1_3): writes `lines` and
 * waits for its exit.
 */
export async function sClient(
  port: number,
  args: string[],
  lines: string[],
  kind: KeyKind = 'ecdsa',
): Promise<string> {
  const child = opensslClient(port, pemFiles(kind).root, args);
  try {
    await typeLines(child, lines);
    // stdin stays open: s_client exits when our server closes (on "BYE") or the handshake fails,
    // so everything the server sent is in the output.
    return await outputAtExit(child);
  } finally {
    child.kill();
  }
}

/** `openssl s_client -tls1_2` against `port` (see sClient). */
export function sClient12(
  port: number,
  args: string[],
  lines: string[],
  kind: KeyKind = 'ecdsa',
): Promise<string> {
  return sClient(port, ['-tls1_2', ...args], lines, kind);
}

/** PKCS#3 DHParameter DER: SEQUENCE { INTEGER p, INTEGER g }. */
export function dhParamsDer(p: Uint8Array, g: number): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    const body = bytes[0]! & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : Buffer.from(bytes);
    return Buffer.concat([Buffer.of(0x02), derLength(body.length), body]);
  };
  const derLength = (n: number) =>
    n < 128 ? Buffer.of(n) : n < 256 ? Buffer.of(0x81, n) : Buffer.of(0x82, n >> 8, n & 0xff);
  const content = Buffer.concat([integer(p), integer(Uint8Array.of(g))]);
  return Buffer.concat([Buffer.of(0x30), derLength(content.length), content]);
}
