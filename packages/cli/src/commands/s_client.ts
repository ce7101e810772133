// `tls-kit s_client --connect HOST:PORT ...`: openssl s_client's job with our engine. Prints the
// negotiated parameters to stderr, then copies stdin to the connection and the connection to
// stdout; at the end of stdin sends close_notify and waits (bounded) for the peer's.
import { type CommandSpec, command, fileFlag } from '../args.js';
import { NEGOTIATION_FLAGS, passFlag, VERSION_FLAGS } from '../tls-flag-specs.js';

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
    sess_out: fileFlag(
      'write the session to FILE for --sess_in (TLS 1.2: openssl’s PEM format; TLS 1.3: tls-kit’s)',
    ),
    sess_in: fileFlag('resume the session saved in FILE (by --sess_out, or by openssl s_client -sess_out)'),
    status: {
      type: 'boolean',
      help: 'ask for a stapled OCSP response (status_request) and print its size (passed through, not verified)',
    },
    status_out: fileFlag('write the stapled OCSP response (DER) to FILE (implies --status)'),
    quiet: {
      type: 'boolean',
      help: 'print no handshake lines, and keep reading at the end of stdin (--ign_eof)',
    },
    brief: {
      type: 'boolean',
      help: 'only a short summary: CONNECTION ESTABLISHED, protocol, suite, peer, verification, group',
    },
    showcerts: { type: 'boolean', help: 'write each certificate the server sent to stdout, as PEM' },
    ign_eof: {
      type: 'boolean',
      help: 'at the end of stdin keep the connection open until the server closes it',
    },
    msg: {
      type: 'boolean',
      help: 'trace every record and handshake message both ways to stdout (the dissector, decrypted)',
    },
    verify_hostname: {
      type: 'string',
      value: 'NAME',
      help: 'the name the certificate must match (default: --servername, else HOST)',
    },
    verify_return_error: {
      type: 'boolean',
      help: 'end the connection when the certificate does not verify (the default here; see --insecure)',
    },
    insecure: {
      type: 'boolean',
      help: 'go on when the server certificate does not verify (the Verification line says why)',
    },
    timeout: { type: 'string', value: 'SECONDS', help: 'handshake and close_notify wait limit (default 10)' },
  },
  epilog:
    'exit status, as openssl’s: 0 when the connection ended after the handshake (the server closed it, or\n' +
    'stdin ended and close_notify went out), 1 when connecting or the handshake failed (with "error: <reason>"\n' +
    'on stderr), 2 on usage errors.\n\n' +
    'example:\n' +
    '  printf "GET / HTTP/1.0\\r\\n\\r\\n" | tls-kit s_client --connect example.com:443 --alpn http/1.1',
};

// The TLS code loads only once the flags are parsed (`--help` stays fast).
export const run = command(spec, async (flags, io) =>
  (await import('../s_client-run.js')).sClient(flags, io),
);
