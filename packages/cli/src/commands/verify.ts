// `tls-kit verify`: openssl-verify-style chain validation with @tls-kit/certs.

import { readFileSync } from 'node:fs';
import {
  type Certificate,
  CertificateError,
  loadCertificatesPem,
  TrustStore,
  verifyChain,
} from '@tls-kit/certs';

const USAGE = `usage: tls-kit verify --CAfile ROOTS.pem [--untrusted CHAIN.pem] [--hostname NAME]
                      [--purpose server|client] [--attime UNIX_SECONDS] LEAF.pem

Builds a path from the first certificate of LEAF.pem (any further certificates in it, and those of
--untrusted, may serve as intermediates) to a root of --CAfile, and checks it as RFC 5280 and
RFC 9525 say. Prints OK and the chain, one subject per line (exit 0), or "error: <reason>" (exit 2).
Flags may also be written with one dash, as openssl does (-CAfile).`;

interface Options {
  caFile: string;
  untrusted: string[];
  hostname: string | undefined;
  purpose: 'server' | 'client';
  time: Date | undefined;
  leafFile: string;
}

class UsageError extends Error {}

function parseArguments(argv: string[]): Options | 'help' {
  const untrusted: string[] = [];
  const positional: string[] = [];
  let caFile: string | undefined;
  let hostname: string | undefined;
  let purpose: 'server' | 'client' = 'server';
  let time: Date | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h' || arg === '-help') return 'help';
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const flag = arg.replace(/^--?/, '');
    const value = argv[++i];
    if (!['CAfile', 'untrusted', 'hostname', 'purpose', 'attime'].includes(flag)) {
      throw new UsageError(`unknown option '${arg}'`);
    }
    if (value === undefined) throw new UsageError(`option '${arg}' needs a value`);
    switch (flag) {
      case 'CAfile':
        caFile = value;
        break;
      case 'untrusted':
        untrusted.push(value);
        break;
      case 'hostname':
        hostname = value;
        break;
      case 'purpose':
        if (value !== 'server' && value !== 'client')
          throw new UsageError(`--purpose must be server or client, not '${value}'`);
        purpose = value;
        break;
      case 'attime':
        if (!/^\d+$/.test(value))
          throw new UsageError(`--attime must be a number of seconds since 1970, not '${value}'`);
        time = new Date(Number(value) * 1000);
        break;
    }
  }
  if (caFile === undefined) throw new UsageError('--CAfile is required');
  if (positional.length !== 1) throw new UsageError(`expected one LEAF.pem, got ${positional.length}`);
  return { caFile, untrusted, hostname, purpose, time, leafFile: positional[0]! };
}

function readCertificates(path: string): Certificate[] {
  const certificates = loadCertificatesPem(readFileSync(path, 'utf8'));
  if (certificates.length === 0) throw new CertificateError(`${path}: no certificate found`);
  return certificates;
}

export async function run(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArguments(argv);
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    const trustStore = new TrustStore(readCertificates(options.caFile));
    const [leaf, ...extra] = readCertificates(options.leafFile);
    const intermediates = [...extra, ...options.untrusted.flatMap(readCertificates)];
    const result = verifyChain({
      leaf: leaf!,
      intermediates,
      trustStore,
      purpose: options.purpose,
      hostname: options.hostname,
      time: options.time,
    });
    if (!result.ok) {
      console.error(`error: ${result.reason}: ${result.message}`);
      return 2;
    }
    console.log(['OK', ...result.chain.map((c) => c.subject.toString())].join('\n'));
    return 0;
  } catch (e) {
    // Unreadable files and malformed PEM/DER are reported, not thrown.
    const err = e as NodeJS.ErrnoException;
    if (e instanceof CertificateError || err.code !== undefined) {
      console.error(`error: ${err.message}`);
      return 2;
    }
    throw e;
  }
}
