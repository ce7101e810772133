// Test PKI made with @tls-kit/certs' CertificateBuilder: one root, leaves per key type.
import { type Certificate, CertificateBuilder, ServerCertificateChain, TrustStore } from '@tls-kit/certs';
import type { KeyGenerationSpec } from '@tls-kit/crypto';

export type KeyKind = 'ecdsa' | 'ecdsa384' | 'rsa' | 'ed25519';

const specs: Record<KeyKind, KeyGenerationSpec> = {
  ecdsa: { type: 'ec', curve: 'P-256' },
  ecdsa384: { type: 'ec', curve: 'P-384' },
  rsa: { type: 'rsa', bits: 2048 },
  ed25519: { type: 'ed25519' },
};

export interface Pki {
  readonly root: Certificate;
  readonly trustStore: TrustStore;
  leaf(kind: KeyKind, names?: readonly string[]): Certificate;
  chain(kind: KeyKind, names?: readonly string[]): ServerCertificateChain;
}

let cached: Pki | undefined;

export function pki(): Pki {
  if (cached) return cached;
  const builder = new CertificateBuilder();
  const root = builder.root({
    subject: 'CN=tls-kit test root,O=tls-kit',
    key: { type: 'ec', curve: 'P-256' },
  });
  const leaves = new Map<string, Certificate>();
  const leaf = (kind: KeyKind, names: readonly string[] = ['DNS:localhost', 'IP:127.0.0.1']) => {
    const id = `${kind}|${names.join(',')}`;
    let cert = leaves.get(id);
    if (!cert) {
      cert = builder.leaf(root, {
        subject: `CN=${names[0]!.slice(names[0]!.indexOf(':') + 1)}`,
        key: specs[kind],
        subjectAltNames: names,
      });
      leaves.set(id, cert);
    }
    return cert;
  };
  cached = {
    root,
    trustStore: new TrustStore([root.withoutPrivateKey()]),
    leaf,
    chain: (kind, names) => new ServerCertificateChain([leaf(kind, names), root.withoutPrivateKey()]),
  };
  return cached;
}
