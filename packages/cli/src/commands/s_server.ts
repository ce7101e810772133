// `tls-kit s_server --accept [HOST:]PORT --cert F --key F ...`: openssl s_server's job with our
// engine. Serves connections (several at once) until killed or until --naccept of them were
// accepted; a failing connection is one line on stderr and never stops the server.
import { type CommandSpec, command, fileFlag } from '../args.js';
import { NEGOTIATION_FLAGS, passFlag, VERSION_FLAGS } from '../tls-flag-specs.js';

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

// The TLS code loads only once the flags are parsed (`--help` stays fast).
export const run = command(spec, async (flags, io) =>
  (await import('../s_server-run.js')).sServer(flags, io),
);
