// The openssl CLI as a peer (s_server on a port the kernel picks, s_client, both on loopback only)
// and as an oracle (its TLS 1.2 PRF).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, have, spawnChild } from './child.js';

export const haveOpenssl = (): boolean => have('openssl');

/** `openssl ARGS...` with a kill timer. */
export function openssl(args: readonly string[], timeoutMs = 20_000): Child {
  return spawnChild('openssl', args, timeoutMs);
}

/** `openssl s_server` on 127.0.0.1, port 0; resolves once it listens, with the port it got. */
export async function opensslServer(args: readonly string[]): Promise<{ child: Child; port: number }> {
  const child = openssl(['s_server', '-accept', '127.0.0.1:0', ...args]);
  const m = await child.waitFor(/ACCEPT .*:(\d+)/);
  return { child, port: Number(m[1]) };
}

/**
 * `openssl s_client` to 127.0.0.1:`port` for the name localhost, trusting `caFile` and failing the
 * handshake when verification fails; `args` come last.
 */
export function opensslClient(port: number, caFile: string, args: readonly string[] = []): Child {
  return openssl([
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    'localhost',
    '-CAfile',
    caFile,
    '-verify_return_error',
    ...args,
  ]);
}

/**
 * The TLS 1.2 PRF (RFC 5246 §5) as `openssl kdf TLS1-PRF` computes it: PRF(secret, label, seed)
 * of `length` bytes with `digest` (SHA256, SHA384...), as lowercase hex.
 */
export function opensslPrf(
  digest: string,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): string {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const output = execFileSync(
    'openssl',
    [
      'kdf',
      '-keylen',
      String(length),
      '-kdfopt',
      `digest:${digest}`,
      '-kdfopt',
      `hexsecret:${hex(secret)}`,
      '-kdfopt',
      // OpenSSL's seed is label || seed.
      `hexseed:${Buffer.from(label, 'latin1').toString('hex')}${hex(seed)}`,
      'TLS1-PRF',
    ],
    { timeout: 10_000, encoding: 'latin1' },
  );
  return output.trim().replaceAll(':', '').toLowerCase();
}

/** What `openssl ocsp` answers for, and who signs the answer. */
export interface OcspResponseFiles {
  readonly issuerCert: string;
  readonly issuerKey: string;
  readonly leafCert: string;
  /**
   * Default 'good'. 'revoked': the index line is `R` with `revocation`; 'unknown': the index
   * lists another serial, and openssl answers unknown for a serial it does not know.
   */
  readonly status?: 'good' | 'revoked' | 'unknown';
  /** Revocation time YYMMDDHHMMSSZ, optionally `,reason` (e.g. `,keyCompromise`). */
  readonly revocation?: string;
  /** Signs instead of the issuer (`-rsigner` / `-rkey`): a delegated responder, or a stranger. */
  readonly signer?: { readonly cert: string; readonly key: string };
  /** nextUpdate this many minutes after now (`-nmin`); default one day (`-ndays 1`). */
  readonly validMinutes?: number;
  /** ResponderID byKey, the SHA-1 of the signer's key (`-resp_key_id`); default byName. */
  readonly responderKeyId?: boolean;
  /** Leave the signer's certificate out of the response (`-resp_no_certs`). */
  readonly noCerts?: boolean;
}

/**
 * A real OCSP response (DER) for `leafCert`, by `openssl ocsp` acting as the responder over a
 * one-line index file, written to `out` (for `s_server -status_file`); the index file goes
 * beside it. Signed by the issuer acting as its own responder unless `signer` is given.
 */
export function opensslOcspResponse(out: string, files: OcspResponseFiles): Uint8Array {
  const serial = execFileSync('openssl', ['x509', '-noout', '-serial', '-in', files.leafCert], {
    timeout: 10_000,
    encoding: 'latin1',
  })
    .trim()
    .replace(/^serial=/, '');
  const status = files.status ?? 'good';
  // index.txt: status, expiry (YYMMDDHHMMSSZ), revocation date, serial (hex), file, subject.
  const line =
    status === 'revoked'
      ? ['R', '491231235959Z', files.revocation ?? '240101000000Z', serial]
      : ['V', '491231235959Z', '', status === 'unknown' ? `${serial}00` : serial];
  const index = `${out}.index.txt`;
  writeFileSync(index, `${[...line, 'unknown', '/CN=localhost'].join('\t')}\n`);
  const signer = files.signer ?? { cert: files.issuerCert, key: files.issuerKey };
  const responder = [
    ...['-index', index, '-CA', files.issuerCert, '-rsigner', signer.cert, '-rkey', signer.key],
    ...(files.responderKeyId ? ['-resp_key_id'] : []),
    ...(files.noCerts ? ['-resp_no_certs'] : []),
  ];
  const request = ['-issuer', files.issuerCert, '-cert', files.leafCert];
  const validity = files.validMinutes === undefined ? ['-ndays', '1'] : ['-nmin', String(files.validMinutes)];
  execFileSync('openssl', ['ocsp', ...responder, ...request, '-respout', out, ...validity], {
    timeout: 10_000,
    stdio: 'ignore',
  });
  return new Uint8Array(readFileSync(out));
}

/** What `openssl ca -gencrl` is asked for. */
export interface CrlSpec {
  readonly issuerCert: string;
  readonly issuerKey: string;
  /** Serial numbers (hex, as Certificate.serialNumber) to list, each with an optional CRLReason name. */
  readonly revoked?: readonly { readonly serial: string; readonly reason?: string }[];
  /** nextUpdate this many hours after now (`-crlhours`); default 24. */
  readonly validHours?: number;
}

/**
 * A real CRL (PEM) signed by `issuerCert`'s key, made by `openssl ca -gencrl` over an index
 * file listing `revoked`; written to `out`, with its index and config beside it.
 */
export function opensslCrl(out: string, spec: CrlSpec): string {
  const index = `${out}.index.txt`;
  const lines = (spec.revoked ?? []).map(({ serial, reason }) =>
    [
      'R',
      '491231235959Z',
      `240101000000Z${reason ? `,${reason}` : ''}`,
      serial.toUpperCase(),
      'unknown',
      '/CN=x',
    ].join('\t'),
  );
  writeFileSync(index, lines.map((l) => `${l}\n`).join(''));
  const config = `${out}.cnf`;
  writeFileSync(
    config,
    ['[ca]', 'default_ca = issuer', '[issuer]', `database = ${index}`, 'default_md = sha256', ''].join('\n'),
  );
  execFileSync(
    'openssl',
    [
      ...['ca', '-gencrl', '-config', config, '-cert', spec.issuerCert, '-keyfile', spec.issuerKey],
      ...['-crlhours', String(spec.validHours ?? 24), '-out', out],
    ],
    { timeout: 10_000, stdio: 'ignore' },
  );
  return readFileSync(out, 'utf8');
}

/**
 * A self-signed P-256 certificate made by `openssl req -x509` for `subject` (openssl's -subj
 * syntax, `/CN=x/O=y`), written to DIR/NAME.pem (key NAME.key): its path, and its subject as
 * `openssl x509 -nameopt RFC2253` prints it (the RFC 4514 form, most specific attribute first).
 */
export function opensslSelfSigned(
  dir: string,
  name: string,
  subject: string,
): { pem: string; rfc2253: string } {
  const pem = join(dir, `${name}.pem`);
  const key = [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, `${name}.key`),
  ];
  execFileSync('openssl', ['req', '-x509', ...key, '-out', pem, '-days', '1', '-subj', subject], {
    stdio: 'ignore',
  });
  const printed = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253'], {
    encoding: 'utf8',
  });
  return { pem, rfc2253: printed.trim().replace(/^subject=/, '') };
}
