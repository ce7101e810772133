// `tls-kit s_client --connect HOST:PORT ...`: openssl s_client's job with our engine. Prints the
// negotiated parameters to stderr, then copies stdin to the connection and the connection to
// stdout; at the end of stdin sends close_notify and waits (bounded) for the peer's.
import { writeFileSync } from 'node:fs';
import { connect, decodeSession, groupDisplayName, type TLSSocket } from '@tls-kit/engine/node';
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
  passphraseFrom,
  readFlagFile,
  VERSION_FLAGS,
} from '../tls-flags.js';

const spec: CommandSpec = {
  name: 's_client',
  synopsis: '--connect HOST:PORT [options]',
  description:
    'Connects with TLS, prints Protocol, Cipher, Group, ALPN, Resumed and Verification lines to stderr,\n' +
    'then copies stdin to the server and what the server sends to stdout.',
  flags: {
    connect: { type: 'string', value: 'HOST:PORT', help: 'the server to connect to' },
    servername: { type: 'string', value: 'NAME', help: 'SNI and certificate name (default: HOST)' },
    CAfile: fileFlag('trusted CA certificates, PEM (default: Node’s bundled roots)'),
    cert: fileFlag('client certificate chain, PEM, leaf first'),
    key: fileFlag('private key of --cert (PKCS#8, PKCS#1 or SEC1 PEM, plain or encrypted)'),
    pass: passFlag('--key'),
    ...VERSION_FLAGS,
    ...NEGOTIATION_FLAGS,
    sess_out: fileFlag('write the session (ticket) to FILE for --sess_in'),
    sess_in: fileFlag('resume the session saved in FILE'),
    status: {
      type: 'boolean',
      help: 'ask for a stapled OCSP response (status_request) and print its size (passed through, not verified)',
    },
    status_out: fileFlag('write the stapled OCSP response (DER) to FILE (implies --status)'),
    insecure: {
      type: 'boolean',
      help: 'go on when the server certificate does not verify (the Verification line says why)',
    },
    timeout: { type: 'string', value: 'SECONDS', help: 'handshake and close_notify wait limit (default 10)' },
  },
  epilog:
    'exit status: 0 when the connection closed cleanly (close_notify both ways), 1 on any failure\n' +
    '(with "error: <reason>" on stderr), 2 on usage errors.\n\n' +
    'example:\n' +
    '  printf "GET / HTTP/1.0\\r\\n\\r\\n" | tls-kit s_client --connect example.com:443 --alpn http/1.1',
};

/** The lines printed once the handshake completed (also used by the demo). */
export function handshakeLines(socket: TLSSocket): string[] {
  const c = socket.connection;
  return [
    `Protocol: ${c.tlsVersion}`,
    `Cipher: ${c.cipherSuite}`,
    `Group: ${c.resumed && !c.namedGroup ? '(none, PSK only)' : groupDisplayName(c.namedGroup)}`,
    `Signature: ${c.signatureScheme ?? (c.resumed ? '(none, resumed)' : '(none)')}`,
    `ALPN: ${c.alpnProtocol ?? '(none)'}`,
    `Resumed: ${c.resumed ? 'yes' : 'no'}`,
  ];
}

/** The peer's chain, one line per certificate. */
export function chainLines(socket: TLSSocket): string[] {
  return socket
    .getPeerCertificates()
    .map((cert, i) => `Certificate ${i}: ${cert.subject} (issuer: ${cert.issuer})`);
}

export const run = command(spec, async (flags, io) => {
  const target = str(flags, 'connect');
  if (target === undefined) throw new UsageError('--connect HOST:PORT is required');
  const { host, port } = parseHostPort(target, 'connect');
  const timeoutMs = (countFlag(flags, 'timeout') ?? 10) * 1000;
  if ((str(flags, 'cert') === undefined) !== (str(flags, 'key') === undefined)) {
    throw new UsageError('--cert and --key go together');
  }
  const ca = readFlagFile(flags, 'CAfile');
  const cert = readFlagFile(flags, 'cert');
  const key = readFlagFile(flags, 'key');
  const passphrase = passphraseFrom(flags, 'pass');
  const sessIn = str(flags, 'sess_in');
  const sessOut = str(flags, 'sess_out');
  let session: Uint8Array | undefined;
  if (sessIn !== undefined) {
    session = new Uint8Array(Buffer.from(readFlagFile(flags, 'sess_in')!, 'utf8'));
    decodeSession(session); // a bad file is an error now, not a silent full handshake
  }
  const keylog = keylogSink(flags);
  const servername = str(flags, 'servername');
  const statusOut = str(flags, 'status_out');
  const requestOCSP = Boolean(flags.status) || statusOut !== undefined;

  const socket = connect({
    host,
    port,
    ...(servername ? { servername } : {}),
    ...(ca ? { ca } : {}),
    ...(cert && key ? { cert, key, ...(passphrase !== undefined ? { passphrase } : {}) } : {}),
    ...negotiationOptions(flags),
    ...(session ? { session } : {}),
    ...(flags.insecure ? { rejectUnauthorized: false } : {}),
    ...(requestOCSP ? { requestOCSP } : {}),
    handshakeTimeout: timeoutMs,
  });
  if (keylog) socket.on('keylog', keylog);
  if (sessOut) socket.on('session', (bytes: Buffer) => writeFileSync(sessOut, bytes, { mode: 0o600 }));

  return new Promise<number>((resolve) => {
    let secure = false;
    let finished = false;
    let closeTimer: NodeJS.Timeout | undefined;
    const finish = (status: number, message?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(closeTimer);
      // Done with stdin even if it is still open (a terminal, a pipe from a slow writer):
      // a paused but open stdin would keep the process alive.
      io.stdin.unpipe?.(socket);
      (io.stdin as { destroy?: () => void }).destroy?.();
      if (message) io.stderr.write(`error: ${message}\n`);
      resolve(status);
    };
    socket.once('secureConnect', () => {
      secure = true;
      // With --insecure an unverified chain is reported and the connection goes on.
      const verdict = socket.connection.peerVerification;
      const verification = verdict?.ok === false ? verdict.message : 'OK';
      const lines = [...handshakeLines(socket), ...chainLines(socket), `Verification: ${verification}`];
      if (requestOCSP) {
        const ocsp = socket.connection.ocspResponse;
        lines.push(`OCSP response: ${ocsp ? `${ocsp.length} bytes (passed through, not verified)` : 'none'}`);
        if (ocsp && statusOut) writeFileSync(statusOut, ocsp);
      }
      io.stderr.write(`${lines.join('\n')}\n`);
      io.stdin.pipe(socket);
    });
    socket.on('data', (chunk: Buffer) => io.stdout.write(chunk));
    socket.on('error', (error) => {
      // The adapter verifies after the handshake, as node:tls: a chain that did not verify
      // comes as node's error (code CERT_HAS_EXPIRED...), our reason is in peerVerification.
      const verdict = socket.connection.peerVerification;
      const rejected =
        verdict?.ok === false
          ? verdict.message
          : (error as { code?: string }).code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? oneLine(error)
            : undefined;
      if (!secure && rejected !== undefined) io.stderr.write(`Verification: ${rejected}\n`);
      socket.destroy();
      finish(
        1,
        rejected !== undefined && !secure ? `server certificate rejected: ${rejected}` : oneLine(error),
      );
    });
    // stdin ended: close_notify went out (stream end); the peer has `timeout` to answer.
    socket.on('finish', () => {
      if (finished) return; // the peer closed first; our side ended after it
      closeTimer = setTimeout(() => {
        socket.destroy();
        finish(1, `no close_notify from the peer within ${timeoutMs / 1000} s`);
      }, timeoutMs);
    });
    socket.on('end', () => finish(0));
  });
});
