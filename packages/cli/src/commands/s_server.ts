// `tls-kit s_server --accept [HOST:]PORT --cert F --key F ...`: openssl s_server's job with our
// engine. Serves connections (several at once) until killed or until --naccept of them were
// accepted; a failing connection is one line on stderr and never stops the server.
import type { AddressInfo, Socket } from 'node:net';
import { verifyHostname } from '@tls-kit/certs';
import { createSecureContext, createServer, groupDisplayName, type TLSSocket } from '@tls-kit/engine/node';
import {
  command,
  type CommandSpec,
  countFlag,
  fileFlag,
  oneLine,
  parseHostPort,
  str,
  UsageError,
} from '../args.js';
import {
  keylogSink,
  NEGOTIATION_FLAGS,
  negotiationOptions,
  passFlag,
  readCertificatesFlag,
  readChainFlags,
  readFlagBytes,
  VERSION_FLAGS,
} from '../tls-flags.js';

const spec: CommandSpec = {
  name: 's_server',
  synopsis: '--accept [HOST:]PORT --cert FILE --key FILE [options]',
  description:
    'Serves TLS connections until killed (or until --naccept connections were accepted). Each\n' +
    'connection is logged on stderr as one line; what clients send is written to stdout, or with\n' +
    '--www an HTTP GET is answered with a page naming the protocol and cipher.',
  flags: {
    accept: {
      type: 'string',
      value: '[HOST:]PORT',
      help: 'where to listen (HOST default 127.0.0.1; PORT 0 picks one)',
    },
    cert: fileFlag('certificate chain, PEM, leaf first (sent whole)'),
    key: fileFlag('private key of --cert (PKCS#8, PKCS#1 or SEC1 PEM, plain or encrypted)'),
    pass: passFlag('--key'),
    chain: fileFlag('more chain certificates, PEM, appended to --cert'),
    cert2: fileFlag('a second chain, served to clients whose SNI name it matches'),
    key2: fileFlag('private key of --cert2'),
    pass2: passFlag('--key2'),
    CAfile: fileFlag('CA certificates client certificates must chain to'),
    verify: { type: 'boolean', help: 'request a client certificate (needs --CAfile)' },
    Verify: { type: 'boolean', help: 'require a client certificate (needs --CAfile)' },
    ...VERSION_FLAGS,
    ...NEGOTIATION_FLAGS,
    www: { type: 'boolean', help: 'answer HTTP GET with "HTTP/1.0 200 ok" and a status page, then close' },
    naccept: { type: 'string', value: 'N', help: 'exit after N connections were accepted and finished' },
    status_file: fileFlag(
      'staple this DER OCSP response for clients that ask (status_request), for every chain',
    ),
  },
  epilog:
    'stderr: "ACCEPT HOST:PORT" once listening, then per connection "#N ADDR:PORT handshake: ..." or\n' +
    '"#N ADDR:PORT error: <reason>". exit status: 0 after --naccept connections, 1 when the server cannot\n' +
    'start or is stopped, 2 on usage errors.\n\n' +
    'example:\n' +
    '  tls-kit s_server --accept 8443 --cert server.pem --key server.key --www --alpn http/1.1',
};

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

export const run = command(spec, async (flags, io) => {
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
            cb(null, verifyHostname(second.chain[0]!, name) ? second : undefined),
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
});
