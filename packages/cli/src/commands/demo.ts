// `tls-kit demo`: with no setup and no files, a PKI is made, a server and a client talk TLS
// on 127.0.0.1 through a recording relay, an HTTP request and response cross, and the captured
// bytes of both directions are shown decoded and decrypted, with the negotiated parameters and
// the verified chain. Exit 0 only if every check passed.
import { type CommandSpec, command } from '../args.js';
import { NEGOTIATION_FLAGS, VERSION_FLAGS } from '../tls-flag-specs.js';

const spec: CommandSpec = {
  name: 'demo',
  synopsis:
    '[--peer ours|openssl] [--brief] [--tls1_2 | --tls1_3] [--groups g] [--ciphersuites s] [--no-color]',
  description:
    'Runs a complete TLS exchange (1.3 unless --tls1_2) on 127.0.0.1 with nothing to set up: makes a root CA, an\n' +
    'intermediate CA and a server certificate, starts a server, connects a client that trusts only\n' +
    'the new root, sends an HTTP request, and prints every record both ways, decoded and decrypted\n' +
    '(through the dissector and the key log), with the negotiated parameters and the verified chain.',
  flags: {
    peer: {
      type: 'string',
      value: 'ours|openssl',
      help: 'the other side: ours (default), or the openssl CLI both ways',
    },
    brief: { type: 'boolean', help: 'message names only, without their fields' },
    ...VERSION_FLAGS,
    groups: NEGOTIATION_FLAGS.groups!,
    ciphersuites: NEGOTIATION_FLAGS.ciphersuites!,
    'no-color': {
      type: 'boolean',
      help: 'no ANSI colours (also when NO_COLOR is set or stdout is not a terminal)',
    },
  },
  epilog: 'exit status: 0 when every check passed, 1 otherwise, 2 on usage errors.',
};

// The TLS code loads only once the flags are parsed (`--help` stays fast).
export const run = command(spec, async (flags, io) => (await import('../demo/run.js')).demo(flags, io));
