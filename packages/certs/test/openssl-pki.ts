// Test-time PKI generator: builds keys and certificates with the openssl CLI in a temporary
// directory, and asks `openssl verify -x509_strict` for its verdict (the oracle of the matrix).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyKind = 'p256' | 'p384' | 'ed25519' | 'rsa';

export interface IssueSpec {
  /** File stem. */
  readonly name: string;
  /** The CN (an O=tls-kit test is added). */
  readonly cn: string;
  readonly key: KeyKind;
  /** Name of the issuing certificate; absent: self-signed. */
  readonly issuer?: string;
  /** Reuse another certificate's key (cross-signing). */
  readonly keyOf?: string;
  readonly days?: number;
  /** Lines of the x509 extension section. */
  readonly ext: readonly string[];
  /** Sign with RSA-PSS (issuer must have an RSA key). */
  readonly pss?: boolean;
  /** Sign with SHA-1. */
  readonly sha1?: boolean;
}

export const caExt = (...extra: string[]) => [
  'basicConstraints = critical,CA:TRUE',
  'keyUsage = critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
  ...extra,
];

export const leafExt = (san: string, ...extra: string[]) => [
  'basicConstraints = critical,CA:FALSE',
  'keyUsage = critical,digitalSignature',
  'extendedKeyUsage = serverAuth,clientAuth',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
  ...(san ? [`subjectAltName = ${san}`] : []),
  ...extra,
];

export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version']).status === 0;
}

export class OpensslPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'tls-kit-certs-'));
  private readonly keyOfCert = new Map<string, string>();

  private run(args: string[]): string {
    return execFileSync('openssl', args, {
      cwd: this.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  read(file: string): string {
    return readFileSync(this.path(file), 'utf8');
  }

  /** Generates a key and returns its file name. */
  key(name: string, kind: KeyKind): string {
    const file = `${name}.key`;
    const algorithm: Record<KeyKind, string[]> = {
      p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      ed25519: ['-algorithm', 'ED25519'],
      rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    };
    this.run(['genpkey', ...algorithm[kind], '-out', file]);
    return file;
  }

  /** Issues `${name}.pem` (and its key `${name}.key` unless keyOf is given). */
  issue(spec: IssueSpec): string {
    const keyFile = spec.keyOf ? this.keyOfCert.get(spec.keyOf)! : this.key(spec.name, spec.key);
    this.keyOfCert.set(spec.name, keyFile);
    const config = [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      'x509_extensions = ext',
      '[dn]',
      'O = tls-kit test',
      `CN = ${spec.cn}`,
      '[ext]',
      ...spec.ext,
      '',
    ].join('\n');
    writeFileSync(this.path(`${spec.name}.cnf`), config);
    const out = `${spec.name}.pem`;
    const args = [
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-config',
      `${spec.name}.cnf`,
      '-days',
      String(spec.days ?? 3650),
    ];
    if (spec.issuer) args.push('-CA', `${spec.issuer}.pem`, '-CAkey', this.keyOfCert.get(spec.issuer)!);
    if (spec.sha1) args.push('-sha1');
    if (spec.pss)
      args.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest', '-sha256');
    this.run([...args, '-out', out]);
    return out;
  }

  /** Concatenates certificate files into one PEM file. */
  bundle(name: string, files: readonly string[]): string {
    writeFileSync(this.path(name), files.map((f) => this.read(f)).join(''));
    return name;
  }

  /** `openssl verify -x509_strict` with the same inputs the matrix gives verifyChain. */
  verify(options: {
    roots: string;
    untrusted?: string;
    leaf: string;
    hostname?: string;
    ip?: string;
    purpose: 'server' | 'client';
    attime?: number;
  }): { ok: boolean; output: string } {
    const args = ['verify', '-x509_strict', '-CAfile', options.roots];
    if (options.untrusted) args.push('-untrusted', options.untrusted);
    args.push('-purpose', options.purpose === 'server' ? 'sslserver' : 'sslclient');
    if (options.hostname) args.push('-verify_hostname', options.hostname);
    if (options.ip) args.push('-verify_ip', options.ip);
    if (options.attime !== undefined) args.push('-attime', String(options.attime));
    const r = spawnSync('openssl', [...args, options.leaf], { cwd: this.dir, encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
