// `tls-kit verify`: openssl-verify-style chain validation with @tls-kit/certs. Only the flags
// live here; the validation (src/verify-run.ts) loads once they are parsed, so --help stays fast.
import type { Purpose } from '@tls-kit/certs';
import { UsageError, usageErrorLine } from '../args.js';
import type { Options } from '../verify-run.js';

const USAGE = `usage: tls-kit verify [--CAfile ROOTS.pem] [--untrusted CHAIN.pem] [--hostname NAME]
                      [--purpose server|client|sslserver|sslclient] [--profile webpki|rfc5280]
                      [--CRLfile CRL.pem] [--crl_check | --crl_check_all] [--verify_depth N]
                      [--attime UNIX_SECONDS] [--show_chain] LEAF.pem...

Builds a path from the first certificate of each LEAF.pem (any further certificates in it, and
those of --untrusted, may serve as intermediates) to a root of --CAfile (default: Node's root
store), and checks it as RFC 5280, RFC 9525 and, with --profile webpki (the default), the CA/B
Forum Baseline Requirements say. Prints "LEAF.pem: OK" per file (with --show_chain, the chain
below it, one subject per line), or "error LEAF.pem: <reason>: <message>" naming the certificate,
its depth and the rule broken. Exit 0 when every file verifies, else 2.
--CRLfile (repeatable, PEM or DER) checks each certificate whose issuer has a CRL there;
--crl_check requires one for the leaf, --crl_check_all for every certificate but the root.
--verify_depth N allows at most N intermediate certificates.
Flags may also be written with one dash, as openssl does (-CAfile).`;

const VALUE_FLAGS = [
  'CAfile',
  'untrusted',
  'CRLfile',
  'hostname',
  'purpose',
  'profile',
  'verify_depth',
  'attime',
];
const PURPOSES: Record<string, Purpose> = {
  server: 'server',
  sslserver: 'server',
  client: 'client',
  sslclient: 'client',
};

function parseArguments(argv: string[]): Options | 'help' {
  const options: Options = {
    caFile: undefined,
    untrusted: [],
    crlFiles: [],
    crlCheck: undefined,
    hostname: undefined,
    purpose: 'server',
    profile: 'webpki',
    maxChainDepth: undefined,
    time: undefined,
    showChain: false,
    leafFiles: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h' || arg === '-help') return 'help';
    if (!arg.startsWith('-') || arg === '-') {
      options.leafFiles.push(arg);
      continue;
    }
    const flag = arg.replace(/^--?/, '');
    if (flag === 'crl_check' || flag === 'crl_check_all') {
      // As in openssl, crl_check_all wins over crl_check whatever the order.
      if (options.crlCheck !== 'chain') options.crlCheck = flag === 'crl_check' ? 'leaf' : 'chain';
      continue;
    }
    if (flag === 'show_chain') {
      options.showChain = true;
      continue;
    }
    if (!VALUE_FLAGS.includes(flag)) throw new UsageError(`unknown option '${arg}'`);
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`option '${arg}' needs a value`);
    switch (flag) {
      case 'CAfile':
        options.caFile = value;
        break;
      case 'untrusted':
        options.untrusted.push(value);
        break;
      case 'CRLfile':
        options.crlFiles.push(value);
        break;
      case 'hostname':
        options.hostname = value;
        break;
      case 'purpose': {
        const purpose = PURPOSES[value];
        if (!purpose)
          throw new UsageError(`--purpose must be server, client, sslserver or sslclient, not '${value}'`);
        options.purpose = purpose;
        break;
      }
      case 'profile':
        if (value !== 'webpki' && value !== 'rfc5280')
          throw new UsageError(`--profile must be webpki or rfc5280, not '${value}'`);
        options.profile = value;
        break;
      case 'verify_depth':
        if (!/^\d{1,3}$/.test(value)) throw new UsageError(`--verify_depth must be a number, not '${value}'`);
        options.maxChainDepth = Number(value);
        break;
      case 'attime':
        if (!/^\d+$/.test(value))
          throw new UsageError(`--attime must be a number of seconds since 1970, not '${value}'`);
        options.time = new Date(Number(value) * 1000);
        break;
    }
  }
  if (options.leafFiles.length === 0) throw new UsageError('expected at least one LEAF.pem');
  return options;
}

export async function run(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArguments(argv);
  } catch (e) {
    console.error(usageErrorLine('verify', (e as Error).message));
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  return (await import('../verify-run.js')).verifyFiles(options);
}
