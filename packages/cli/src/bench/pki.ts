// The benchmark's certificates, made with @tls-kit/certs' CertificateBuilder and kept as PEM so
// every stack (and the memory child processes) loads the very same chain its own way.
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import type { KeyGenerationSpec } from '@tls-kit/crypto';

export type KeyKind = 'ecdsa' | 'rsa';

export interface PemChain {
  /** The server's chain as sent: leaf, then the intermediate. */
  readonly chain: string;
  /** The leaf's private key, PKCS#8. */
  readonly key: string;
  /** The root the client trusts (not sent). */
  readonly root: string;
}

export type BenchPki = Record<KeyKind, PemChain>;

/** The name the leaf certifies and the clients verify. */
export const SERVER_NAME = 'localhost';

const specs: Record<KeyKind, KeyGenerationSpec> = {
  ecdsa: { type: 'ec', curve: 'P-256' },
  rsa: { type: 'rsa', bits: 2048 },
};

/** root -> intermediate -> leaf, every key of one kind, so a full handshake verifies two signatures of it. */
function chainOf(builder: CertificateBuilder, kind: KeyKind): PemChain {
  const key = specs[kind];
  const root = builder.root({ subject: `CN=tls-kit bench ${kind} root`, key });
  const intermediate = builder.intermediate(root, { subject: `CN=tls-kit bench ${kind} intermediate`, key });
  const leaf = builder.leaf(intermediate, {
    subject: `CN=${SERVER_NAME}`,
    key,
    subjectAltNames: [`DNS:${SERVER_NAME}`, 'IP:127.0.0.1'],
  });
  if (!leaf.privateKey) throw new Error('CertificateBuilder returned a leaf without its key');
  return {
    chain: leaf.toPem() + intermediate.toPem(),
    key: privateKeyToPem(leaf.privateKey),
    root: root.toPem(),
  };
}

export function makePki(): BenchPki {
  const builder = new CertificateBuilder();
  return { ecdsa: chainOf(builder, 'ecdsa'), rsa: chainOf(builder, 'rsa') };
}
