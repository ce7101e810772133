// Test support for the CLI commands: in-process I/O doubles, PEM files of a fresh PKI, the
// `tls-kit` command as a child process. Peer programs (openssl, curl) come from @tls-kit/test-helpers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import { type Child, opensslOcspResponse, opensslServer, spawnChild } from '@tls-kit/test-helpers';
import type { CommandIO } from '../../src/args.js';
import { run as runSClient } from '../../src/commands/s_client.js';
import { makePki } from '../../src/demo/pki.js';

// Re-exported for the tests that take their peers from here.
export { have, opensslServer, spawnChild } from '@tls-kit/test-helpers';

export interface FakeIO {
  /** Aborting `io.signal` stops a running s_server. */
  readonly io: CommandIO;
  abort(): void;
  readonly stdin: PassThrough;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` appears on stderr (or stdout). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

export function fakeIO(): FakeIO {
  const stdin = new PassThrough();
  const controller = new AbortController();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
    for (const l of listeners) l();
  });
  return {
    io: { stdin, stdout, stderr, signal: controller.signal },
    abort: () => controller.abort(),
    stdin,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = err.match(pattern) ?? out.match(pattern);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timeout waiting for ${pattern}; stderr:\n${err}\nstdout:\n${out}`));
        }, ms);
        listeners.add(check);
        check();
      });
    },
  };
}

export interface PkiFiles {
  readonly dir: string;
  /** Server chain (leaf for localhost/127.0.0.1 + intermediate), its key, the root. */
  readonly cert: string;
  readonly key: string;
  readonly leaf: string;
  readonly intermediate: string;
  readonly root: string;
  /** A client certificate (leaf + intermediate) and its key; the leaf alone and the intermediate for openssl. */
  readonly clientCert: string;
  readonly clientLeaf: string;
  readonly clientChain: string;
  readonly clientKey: string;
  /** The key of that intermediate (clientChain), which also issued other.test: an OCSP responder. */
  readonly clientChainKey: string;
  /** A second server chain for the name other.test. */
  readonly otherCert: string;
  readonly otherKey: string;
  /** A root that issued none of these. */
  readonly strangerRoot: string;
}

let files: PkiFiles | undefined;

export function pkiFiles(): PkiFiles {
  if (files) return files;
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-cli-test-'));
  const pki = makePki();
  const builder = new CertificateBuilder();
  // The demo PKI's intermediate has no key outside makePki: issue the extra leaves from a new one.
  const root = builder.root({ subject: 'CN=cli test root' });
  const ca = builder.intermediate(root, { subject: 'CN=cli test intermediate' });
  const client = builder.leaf(ca, { subject: 'CN=cli test client', extendedKeyUsage: ['clientAuth'] });
  const other = builder.leaf(ca, { subject: 'CN=other.test', subjectAltNames: ['DNS:other.test'] });
  const stranger = builder.root({ subject: 'CN=stranger root' });
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  files = {
    dir,
    cert: write('server.pem', pki.chainPem),
    key: write('server.key', pki.keyPem),
    leaf: write('leaf.pem', pki.leaf.toPem()),
    intermediate: write('intermediate.pem', pki.intermediate.toPem()),
    // The client-side root file trusts both PKIs, so one CAfile serves every test.
    root: write('root.pem', pki.rootPem + root.toPem()),
    clientCert: write('client.pem', client.toPem() + ca.toPem()),
    clientLeaf: write('client-leaf.pem', client.toPem()),
    clientChain: write('client-chain.pem', ca.toPem()),
    clientKey: write('client.key', privateKeyToPem(client.privateKey!)),
    clientChainKey: write('client-chain.key', privateKeyToPem(ca.privateKey!)),
    otherCert: write('other.pem', other.toPem() + ca.toPem()),
    otherKey: write('other.key', privateKeyToPem(other.privateKey!)),
    strangerRoot: write('stranger.pem', stranger.toPem()),
  };
  return files;
}

/** `openssl s_server -www` serving the test leaf and intermediate (then `extra`), once it listens. */
export function opensslWww(extra: string[] = []): Promise<{ child: Child; port: number }> {
  const f = pkiFiles();
  return opensslServer(['-cert', f.leaf, '-cert_chain', f.intermediate, '-key', f.key, '-www', ...extra]);
}

/** A real OCSP response (DER, status good) for other.test, from its issuer; made once. */
let ocsp: { path: string; der: Uint8Array } | undefined;
export function ocspResponseFile(): { path: string; der: Uint8Array } {
  if (ocsp) return ocsp;
  const f = pkiFiles();
  const path = join(f.dir, 'ocsp.der');
  const der = opensslOcspResponse(path, {
    issuerCert: f.clientChain,
    issuerKey: f.clientChainKey,
    leafCert: f.otherCert,
  });
  ocsp = { path, der };
  return ocsp;
}

/**
 * Runs s_client in-process for the name localhost, trusting the test root, with `input` on stdin
 * (ended at once).
 */
export async function sClient(args: string[], input = '') {
  const fake = fakeIO();
  fake.stdin.end(input);
  const status = await runSClient(
    ['--servername', 'localhost', '--CAfile', pkiFiles().root, ...args],
    fake.io,
  );
  return { status, out: fake.stdout(), err: fake.stderr() };
}

/** The repository's `tls-kit` command as a child process (what `pnpm tls-kit` runs). */
export function tlsKit(args: string[], timeoutMs = 30_000): Child {
  const bin = new URL('../../src/bin.ts', import.meta.url).pathname;
  return spawnChild(
    process.execPath,
    ['--conditions=@tls-kit/source', '--import', 'tsx', bin, ...args],
    timeoutMs,
  );
}

/** Whether the engine negotiates TLS 1.2; the TLS 1.2 tests run only then. */
export async function engineHasTls12(): Promise<boolean> {
  const { ClientTLS } = await import('@tls-kit/engine');
  const { TrustStore } = await import('@tls-kit/certs');
  try {
    new ClientTLS({ serverHostname: 'probe', versions: ['TLSv1.2'], trustRoot: new TrustStore([]) });
    return true;
  } catch {
    return false;
  }
}

/** The secret lines of an NSS key log file, sorted, without EXPORTER_SECRET: what two peers' logs share. */
export function keylogSecrets(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_0-9]+ [0-9a-f]+ [0-9a-f]+$/.test(l) && !l.startsWith('EXPORTER'))
    .sort();
}
