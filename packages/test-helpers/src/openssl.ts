// The openssl CLI as a peer (s_server on a port the kernel picks, s_client, both on loopback only)
// and as an oracle (its TLS 1.2 PRF).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

/**
 * A real OCSP response (DER, status good) for `leafCert`, signed by its issuer acting as its own
 * responder (`openssl ocsp` over a one-line index file), written to `out` (for `s_server
 * -status_file`); the index file goes beside it.
 */
export function opensslOcspResponse(
  out: string,
  files: { readonly issuerCert: string; readonly issuerKey: string; readonly leafCert: string },
): Uint8Array {
  const serial = execFileSync('openssl', ['x509', '-noout', '-serial', '-in', files.leafCert], {
    timeout: 10_000,
    encoding: 'latin1',
  })
    .trim()
    .replace(/^serial=/, '');
  // index.txt: status, expiry (YYMMDDHHMMSSZ), revocation date, serial (hex), file, subject.
  const index = `${out}.index.txt`;
  writeFileSync(index, `V\t491231235959Z\t\t${serial}\tunknown\t/CN=localhost\n`);
  const responder = [
    '-index',
    index,
    '-CA',
    files.issuerCert,
    '-rsigner',
    files.issuerCert,
    '-rkey',
    files.issuerKey,
  ];
  const request = ['-issuer', files.issuerCert, '-cert', files.leafCert];
  execFileSync('openssl', ['ocsp', ...responder, ...request, '-respout', out, '-ndays', '1'], {
    timeout: 10_000,
    stdio: 'ignore',
  });
  return new Uint8Array(readFileSync(out));
}
