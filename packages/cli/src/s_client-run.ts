// s_client's work once its flags are parsed (commands/s_client.ts declares them): connect, print
// the negotiated parameters to stderr, then copy stdin to the connection and the connection to
// stdout; at the end of stdin send close_notify and wait (bounded) for the peer's.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { encodePem, verifyHostname } from '@tls-kit/certs';
import {
  connect,
  decodeSession,
  encodeSession,
  groupDisplayName,
  type PeerCertificate,
  type TLSSocket,
} from '@tls-kit/engine/node';
import {
  type CommandIO,
  countFlag,
  type FlagValues,
  oneLine,
  parseHostPort,
  str,
  UsageError,
} from './args.js';
import { decodeOpensslSession, encodeOpensslSession, isOpensslSession } from './openssl-session.js';
import {
  keylogSink,
  negotiationOptions,
  readCertificatesFlag,
  readChainFlags,
  readFlagFile,
} from './tls-flags.js';

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

/** The certificates the server sent (not the trust anchor it did not send), one line each. */
export function chainLines(socket: TLSSocket): string[] {
  const sent = socket.connection.receivedCertificates;
  if (sent.length === 0 && socket.connection.resumed) return ['Certificates: none sent (resumed session)'];
  return sent.map((cert, i) => `Certificate ${i}: ${cert.subject} (issuer: ${cert.issuer})`);
}

/** openssl's -brief summary. */
function briefLines(socket: TLSSocket, verification: string): string[] {
  const c = socket.connection;
  const peer = c.receivedCertificates[0] ?? c.peerCertificates[0];
  return [
    'CONNECTION ESTABLISHED',
    `Protocol version: ${c.tlsVersion}`,
    `Ciphersuite: ${c.cipherSuite}`,
    ...(peer ? [`Peer certificate: ${peer.subject}`] : []),
    `Verification: ${verification}`,
    ...(c.namedGroup ? [`Server Temp Key: ${groupDisplayName(c.namedGroup)}`] : []),
  ];
}

/** -showcerts: each certificate the server sent, with its names, as PEM (openssl's layout). */
function pemLines(socket: TLSSocket): string[] {
  return socket.connection.receivedCertificates.flatMap((cert, i) => [
    ` ${i} s:${cert.subject}`,
    `   i:${cert.issuer}`,
    encodePem('CERTIFICATE', cert.getAsn1Bytes()).trimEnd(),
  ]);
}

/** -verify_hostname: the certificate is checked for NAME in place of the SNI name. */
class HostnameMismatch extends Error {
  constructor(name: string) {
    super(`hostname mismatch: the certificate is not valid for ${name}`);
  }
}
function hostnameCheck(name: string) {
  return (_servername: string, peer: PeerCertificate) =>
    verifyHostname(peer.certificate, name) ? undefined : new HostnameMismatch(name);
}

/**
 * --sess_in: our session bytes, or openssl's PEM (TLS 1.2) turned into them, offered to
 * `serverName` when the file names none. A bad file is an error, not a silent full handshake.
 */
function readSession(flags: FlagValues, serverName: string): Uint8Array | undefined {
  const text = readFlagFile(flags, 'sess_in');
  if (text === undefined) return undefined;
  if (!isOpensslSession(text)) {
    const session = new Uint8Array(Buffer.from(text, 'utf8'));
    decodeSession(session);
    return session;
  }
  try {
    return encodeSession(decodeOpensslSession(text, serverName));
  } catch (error) {
    throw new Error(`--sess_in ${str(flags, 'sess_in')}: ${oneLine(error)}`);
  }
}

/** --sess_out, mode 0600 (it holds the resumption secret): TLS 1.2 in openssl's PEM, TLS 1.3 in ours. */
function writeSession(path: string, bytes: Uint8Array): void {
  const session = decodeSession(bytes);
  const text = session.version === 'TLSv1.2' ? encodeOpensslSession(session) : bytes;
  writeFileSync(path, text, { mode: 0o600 });
}

/** s_client once its flags are parsed. */
export async function sClient(flags: FlagValues, io: CommandIO): Promise<number> {
  const target = str(flags, 'connect');
  if (target === undefined) throw new UsageError('--connect HOST:PORT is required');
  const { host, port } = parseHostPort(target, 'connect');
  const timeoutMs = (countFlag(flags, 'timeout') ?? 10) * 1000;
  const ca = readCertificatesFlag(flags, 'CAfile');
  const chain = readChainFlags(flags, { cert: 'cert', key: 'key', pass: 'pass' });
  const sessOut = str(flags, 'sess_out');
  const servername = str(flags, 'servername');
  const session = readSession(flags, servername ?? host);
  const keylog = keylogSink(flags);
  const verifyName = str(flags, 'verify_hostname');
  const statusOut = str(flags, 'status_out');
  const requestOCSP = Boolean(flags.status) || statusOut !== undefined;
  const quiet = Boolean(flags.quiet);
  const ignEof = quiet || Boolean(flags.ign_eof);
  const options = {
    ...negotiationOptions(flags),
    ...(ca ? { ca } : {}),
    ...chain,
  };

  // -msg's dissector and renderer are loaded only when asked for (start-up time).
  const tracer = flags.msg ? await import('./message-trace.js') : undefined;
  // allowHalfOpen: after the server's FIN we may still have to send (our last data, close_notify).
  const transport = net.connect({ host, port, allowHalfOpen: true });
  const trace = tracer?.traceTransport(transport, io.stdout);
  const socket = connect({
    host,
    port,
    socket: transport,
    ...(servername ? { servername } : {}),
    ...(verifyName ? { checkServerIdentity: hostnameCheck(verifyName) } : {}),
    ...options,
    ...(session ? { session } : {}),
    ...(flags.insecure ? { rejectUnauthorized: false } : {}),
    ...(requestOCSP ? { requestOCSP } : {}),
    handshakeTimeout: timeoutMs,
  });
  if (keylog) socket.on('keylog', keylog);
  trace?.follow(socket);
  if (sessOut) socket.on('session', (bytes: Buffer) => writeSession(sessOut, bytes));

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
      trace?.flush();
      resolve(status);
    };
    socket.once('secureConnect', () => {
      secure = true;
      // With --insecure an unverified chain is reported and the connection goes on.
      const verdict = socket.connection.peerVerification;
      const verification = verdict?.ok === false ? verdict.message : 'OK';
      const lines = flags.brief
        ? briefLines(socket, verification)
        : [...handshakeLines(socket), ...chainLines(socket), `Verification: ${verification}`];
      const ocsp = socket.connection.ocspResponse;
      if (requestOCSP) {
        lines.push(`OCSP response: ${ocsp ? `${ocsp.length} bytes (passed through, not verified)` : 'none'}`);
        if (ocsp && statusOut) writeFileSync(statusOut, ocsp);
      }
      if (!quiet) io.stderr.write(`${lines.join('\n')}\n`);
      if (flags.showcerts) io.stdout.write(`${pemLines(socket).join('\n')}\n`);
      // -ign_eof: the end of stdin is not the end of the connection; the server ends it.
      io.stdin.pipe(socket, { end: !ignEof });
    });
    socket.on('data', (chunk: Buffer) => io.stdout.write(chunk));
    socket.on('error', (error) => {
      // The adapter verifies after the handshake, as node:tls: a chain that did not verify
      // comes as node's error (code CERT_HAS_EXPIRED...), our reason is in peerVerification.
      const verdict = socket.connection.peerVerification;
      const rejected =
        verdict?.ok === false
          ? verdict.message
          : error instanceof HostnameMismatch ||
              (error as { code?: string }).code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? oneLine(error)
            : undefined;
      if (!secure && rejected !== undefined) io.stderr.write(`Verification: ${rejected}\n`);
      socket.destroy();
      finish(
        1,
        verdict?.ok === false && !secure ? `server certificate rejected: ${rejected}` : oneLine(error),
      );
    });
    // stdin ended: close_notify went out (stream end); the peer has `timeout` to answer.
    socket.on('finish', () => {
      if (finished) return; // the peer closed first; our side ended after it
      // As openssl's "DONE": our side is finished, which is a success whatever the peer does.
      closeTimer = setTimeout(() => {
        io.stderr.write(`closed: no close_notify from the peer within ${timeoutMs / 1000} s\n`);
        socket.destroy();
        finish(0);
      }, timeoutMs);
    });
    socket.on('end', () => finish(0));
  });
}
