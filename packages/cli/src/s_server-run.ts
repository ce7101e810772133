// s_server's work once its flags are parsed (commands/s_server.ts declares them): serve
// connections until killed or until --naccept of them were accepted; a failing connection is one
// line on stderr and never stops the server.
import type { AddressInfo, Socket } from 'node:net';
import { verifyHostname } from '@tls-kit/certs';
import { createSecureContext, createServer, groupDisplayName, type TLSSocket } from '@tls-kit/engine/node';
import {
  type CommandIO,
  countFlag,
  type FlagValues,
  oneLine,
  parseHostPort,
  str,
  UsageError,
} from './args.js';
import {
  keylogSink,
  negotiationOptions,
  readCertificatesFlag,
  readChainFlags,
  readFlagBytes,
} from './tls-flags.js';

/** Largest HTTP request head --www reads before answering 400. */
const MAX_REQUEST_HEAD = 16 * 1024;

/** The --www page: protocol, cipher, group, ALPN, resumption, the client's certificate. */
function statusPage(socket: TLSSocket): string {
  const c = socket.connection;
  const peer = socket.getPeerCertificates()[0];
  const lines = [
    'tls-kit s_server',
    `Protocol: ${c.tlsVersion}`,
    `Cipher: ${c.cipherSuite}`,
    `Group: ${groupDisplayName(c.namedGroup) ?? '(none)'}`,
    `ALPN: ${c.alpnProtocol ?? '(none)'}`,
    `SNI: ${c.serverName ?? '(none)'}`,
    `Resumed: ${c.resumed ? 'yes' : 'no'}`,
    `Client certificate: ${peer ? String(peer.subject) : '(none)'}`,
  ];
  const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<html><body><pre>\n${lines.map(html).join('\n')}\n</pre></body></html>\n`;
}

function answerHttp(socket: TLSSocket): void {
  let head = '';
  const onData = (chunk: Buffer) => {
    head += chunk.toString('latin1');
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end < 0 && head.length <= MAX_REQUEST_HEAD) return;
    socket.off('data', onData);
    socket.on('data', () => {});
    const ok = end >= 0 && /^GET \S+ HTTP\/1\.[01]\r?\n/.test(head);
    socket.end(
      ok
        ? `HTTP/1.0 200 ok\r\nContent-type: text/html\r\n\r\n${statusPage(socket)}`
        : 'HTTP/1.0 400 Bad Request\r\nContent-type: text/plain\r\n\r\nonly GET is served\n',
    );
  };
  socket.on('data', onData);
}

/** s_server once its flags are parsed. */
export async function sServer(flags: FlagValues, io: CommandIO): Promise<number> {
  const accept = str(flags, 'accept');
  if (accept === undefined) throw new UsageError('--accept [HOST:]PORT is required');
  const { host, port } = parseHostPort(accept, 'accept', '127.0.0.1');
  if (!str(flags, 'cert') || !str(flags, 'key')) throw new UsageError('--cert and --key are required');
  if (flags.verify && flags.Verify) throw new UsageError('--verify and --Verify exclude each other');
  const clientAuth = Boolean(flags.verify || flags.Verify);
  if (clientAuth && !str(flags, 'CAfile')) throw new UsageError('--verify/--Verify need --CAfile');
  const naccept = countFlag(flags, 'naccept');

  const main = readChainFlags(flags, { cert: 'cert', key: 'key', pass: 'pass', more: 'chain' })!;
  const chain2 = readChainFlags(flags, { cert: 'cert2', key: 'key2', pass: 'pass2' });
  const second = chain2 ? createSecureContext(chain2) : undefined;
  const ca = readCertificatesFlag(flags, 'CAfile');
  const ocsp = readFlagBytes(flags, 'status_file');
  const keylog = keylogSink(flags);

  const server = createServer({
    ...main,
    ...(ca ? { ca } : {}),
    ...(clientAuth ? { requestCert: true, rejectUnauthorized: Boolean(flags.Verify) } : {}),
    ...negotiationOptions(flags),
    ...(second
      ? {
          SNICallback: (name: string, cb: (e: Error | null, ctx?: typeof second) => void) =>
            cb(null, second.chain && verifyHostname(second.chain[0]!, name) ? second : undefined),
        }
      : {}),
    ...(ocsp ? { engine: { ocspResponse: () => ocsp } } : {}),
    handshakeTimeout: 30_000,
  });

  // Connection numbers and one log line per outcome.
  let accepted = 0;
  let open = 0;
  const ids = new WeakMap<object, string>();
  const label = (raw: Socket) => {
    let id = ids.get(raw);
    if (!id) {
      id = `#${++accepted} ${raw.remoteAddress}:${raw.remotePort}`;
      ids.set(raw, id);
    }
    return id;
  };
  const log = (line: string) => io.stderr.write(`${line}\n`);

  return new Promise<number>((resolve, reject) => {
    const maybeDone = () => {
      if (naccept !== undefined && accepted >= naccept && open === 0) {
        server.close(() => resolve(0));
      }
    };
    const sockets = new Set<Socket>();
    io.signal?.addEventListener('abort', () => {
      server.close(() => resolve(1));
      for (const s of sockets) s.destroy();
    });
    server.on('connection', (raw: Socket) => {
      label(raw);
      open++;
      sockets.add(raw);
      raw.once('close', () => sockets.delete(raw));
      raw.on('error', () => {});
      raw.once('close', () => {
        open--;
        maybeDone();
      });
      if (naccept !== undefined && accepted >= naccept) server.close();
    });
    if (keylog) server.on('keylog', (line: Buffer) => keylog(line));
    server.on('tlsClientError', (error: Error, socket?: TLSSocket) => {
      log(`${socket ? label(socket.socket as Socket) : '#?'} error: ${oneLine(error)}`);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      const id = label(socket.socket as Socket);
      const c = socket.connection;
      const peer = socket.getPeerCertificates()[0];
      log(
        `${id} handshake: ${c.tlsVersion} ${c.cipherSuite} ${groupDisplayName(c.namedGroup) ?? '-'} ` +
          `ALPN=${c.alpnProtocol ?? '-'} resumed=${c.resumed ? 'yes' : 'no'}` +
          (peer ? ` client=${peer.subject}` : ''),
      );
      socket.on('error', (error) => log(`${id} error: ${oneLine(error)}`));
      socket.on('end', () => log(`${id} closed`));
      if (flags.www) answerHttp(socket);
      else {
        socket.on('data', (chunk: Buffer) => io.stdout.write(chunk));
        // The client's close_notify is answered by the engine; our side then ends too.
      }
    });
    server.once('error', (error) => reject(new Error(`cannot listen on ${host}:${port}: ${oneLine(error)}`)));
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      log(`ACCEPT ${shown}:${address.port}`);
    });
  });
}
