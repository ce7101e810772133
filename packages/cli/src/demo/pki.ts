// The demo's PKI, made on the spot with @tls-kit/certs: root CA -> intermediate CA -> server leaf
// for localhost and 127.0.0.1. Nothing touches the disk unless a peer program needs PEM files.
import { type Certificate, CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';

export interface DemoPki {
  readonly root: Certificate;
  readonly intermediate: Certificate;
  readonly leaf: Certificate;
  /** Leaf then intermediate, as the server sends them. */
  readonly chainPem: string;
  readonly keyPem: string;
  readonly rootPem: string;
}

export function makePki(): DemoPki {
  const builder = new CertificateBuilder();
  const root = builder.root({
    subject: 'CN=tls-kit demo root CA,O=tls-kit demo',
    key: { type: 'ec', curve: 'P-384' },
  });
  const intermediate = builder.intermediate(root, {
    subject: 'CN=tls-kit demo intermediate CA,O=tls-kit demo',
    key: { type: 'ec', curve: 'P-256' },
    pathLength: 0,
  });
  const leaf = builder.leaf(intermediate, {
    subject: 'CN=localhost',
    key: { type: 'ec', curve: 'P-256' },
    subjectAltNames: ['DNS:localhost', 'IP:127.0.0.1'],
    extendedKeyUsage: ['serverAuth'],
  });
  return {
    root: root.withoutPrivateKey(),
    intermediate: intermediate.withoutPrivateKey(),
    leaf,
    chainPem: leaf.toPem() + intermediate.toPem(),
    keyPem: privateKeyToPem(leaf.privateKey!),
    rootPem: root.toPem(),
  };
}

/** "ECDSA P-256", "RSA 2048", "Ed25519". */
export function keyDescription(cert: Certificate): string {
  const k = cert.publicKey;
  switch (k.type) {
    case 'ec':
      return `ECDSA ${k.curve}`;
    case 'rsa':
    case 'rsa-pss':
      return `${k.type.toUpperCase()} ${k.bits}`;
    case 'ed25519':
      return 'Ed25519';
    default:
      return k.type;
  }
}
