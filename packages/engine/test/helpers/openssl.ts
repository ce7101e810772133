// The engine's openssl peers: PEM files of the test PKI for s_server / s_client, typing into
// s_client, and s_server speaking TLS 1.3. Spawning and watching the process is in @tls-kit/test-helpers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToPem } from '@tls-kit/certs';
import { type Child, opensslOcspResponse, opensslServer } from '@tls-kit/test-helpers';
import { type KeyKind, pki } from './pki.js';

export { haveOpenssl, openssl } from '@tls-kit/test-helpers';

let dir: string | undefined;

/** PEM files for a leaf of `kind` and for the root, in a temp directory. */
export function pemFiles(kind: KeyKind): { cert: string; key: string; root: string } {
  dir ??= mkdtempSync(join(tmpdir(), 'tls-kit-engine-'));
  const p = pki();
  const leaf = p.leaf(kind);
  const cert = join(dir, `${kind}.crt`);
  const key = join(dir, `${kind}.key`);
  const root = join(dir, 'root.crt');
  writeFileSync(cert, leaf.toPem());
  writeFileSync(key, privateKeyToPem(leaf.privateKey!));
  writeFileSync(root, p.root.toPem());
  return { cert, key, root };
}

/** What ocspResponseFile asks `openssl ocsp` beyond the good, issuer-signed default. */
export type OcspResponseVariant = Omit<
  Parameters<typeof opensslOcspResponse>[1],
  'issuerCert' | 'issuerKey' | 'leafCert'
>;

let responses = 0;

/**
 * A real OCSP response (DER) for the `kind` leaf, by default status good and signed by the test
 * root as its own responder: `openssl ocsp` acting as the responder over an index file (see
 * opensslOcspResponse for `variant`). Returns its path too, for `s_server -status_file`.
 */
export function ocspResponseFile(
  kind: KeyKind,
  variant: OcspResponseVariant = {},
): { path: string; der: Uint8Array } {
  const files = pemFiles(kind);
  const issuerKey = join(dir!, 'root.key');
  writeFileSync(issuerKey, privateKeyToPem(pki().root.privateKey!));
  const path = join(dir!, `${kind}-ocsp-${responses++}.der`);
  const der = opensslOcspResponse(path, {
    issuerCert: files.root,
    issuerKey,
    leafCert: files.cert,
    ...variant,
  });
  return { path, der };
}

/** What s_client prints when it runs one of its one-letter stdin commands. */
const S_CLIENT_COMMANDS: Readonly<Record<string, RegExp>> = {
  K: /KEYUPDATE/,
  k: /KEYUPDATE/,
  R: /RENEGOTIATING/,
};

/**
 * Types lines into `openssl s_client` towards a peer that echoes data. s_client reads stdin only
 * after its handshake and takes a command letter only when it is a whole read, so each line waits
 * for the effect of the one before (its echo, or the command's message), never for a timer that
 * load can outrun. The last line is not awaited (it usually ends the connection); nor is anything
 * once s_client has exited (a failed handshake: the caller reads the output).
 */
export async function typeLines(child: Child, lines: readonly string[]): Promise<void> {
  try {
    await child.waitFor(/Verify return code/);
    for (const [i, line] of lines.entries()) {
      const from = child.output().length;
      child.process.stdin.write(`${line}\n`);
      if (i === lines.length - 1) break;
      const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await child.waitFor(S_CLIENT_COMMANDS[line] ?? new RegExp(`^${escaped}$`, 'm'), 10000, from);
    }
  } catch {
    // s_client exited: nothing more to type.
  }
}

/** Starts `openssl s_server -tls1_3` on a free port; resolves with the child and the port. */
export function sServer(args: string[]): Promise<{ child: Child; port: number }> {
  return opensslServer(['-tls1_3', ...args]);
}
