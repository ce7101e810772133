// GnuTLS's CLI tools as peers: gnutls-serv --echo (which cannot listen on port 0 nor bind one
// address: it listens on the wildcard, the tests connect to 127.0.0.1 only) and gnutls-cli.
import { type Child, have, spawnChild } from './child.js';
import { freePort } from './ports.js';

export const haveGnutls = (): boolean => have('gnutls-serv') && have('gnutls-cli');

/**
 * `gnutls-serv --echo -p PORT --x509certfile certFile --x509keyfile keyFile ...args` on a port that
 * was free; resolves once it listens, with the port. A port taken meanwhile means another try.
 */
export async function gnutlsServer(
  certFile: string,
  keyFile: string,
  args: readonly string[],
): Promise<{ child: Child; port: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawnChild('gnutls-serv', [
      '--echo',
      '-p',
      String(port),
      '--x509certfile',
      certFile,
      '--x509keyfile',
      keyFile,
      ...args,
    ]);
    try {
      const m = await child.waitFor(/listening on IPv4[^\n]*\n/);
      if (m[0].includes('done')) return { child, port };
    } catch {
      // exited or silent: try another port
    }
    child.kill();
  }
  throw new Error('could not start gnutls-serv');
}

/**
 * `gnutls-cli` to 127.0.0.1:`port` for the name localhost (SNI and the name verified), trusting
 * `caFile`; `args` come before the host.
 */
export function gnutlsClient(
  port: number,
  caFile: string,
  args: readonly string[] = [],
  timeoutMs = 20_000,
): Child {
  return spawnChild(
    'gnutls-cli',
    [
      '-p',
      String(port),
      '--x509cafile',
      caFile,
      '--sni-hostname',
      'localhost',
      '--verify-hostname',
      'localhost',
      ...args,
      '127.0.0.1',
    ],
    timeoutMs,
  );
}
