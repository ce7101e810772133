// Node's test-tls-peer-certificate.js: getPeerCertificate(true) of a certificate with every field
// node reports (repeated OU, emailAddress, DNS/IP/email/URI names, Authority Information Access,
// extended key usages, an RSA key), compared whole with node:assert's deepStrictEqual, which also
// compares prototypes: node's subject, issuer and infoAccess are objects without one.
import { deepStrictEqual } from 'node:assert';
import { once } from 'node:events';
import type tls from 'node:tls';
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import test from 'ava';
import { both, listen } from '../helpers/node-compat.js';

/** A DER TLV (short or long definite length). */
function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...body]);
}
const seq = (...parts: Uint8Array[]) => tlv(0x30, Uint8Array.from(parts.flatMap((p) => [...p])));
/** id-ad-ocsp (1.3.6.1.5.5.7.48.1) or id-ad-caIssuers (.2), with a URI (GeneralName [6]). */
const accessDescription = (method: 1 | 2, uri: string) =>
  seq(
    Uint8Array.of(0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, method),
    tlv(0x86, new TextEncoder().encode(uri)),
  );

const builder = new CertificateBuilder();
const root = builder.root({
  subject: 'CN=shape root,O=Node.js Test CA',
  key: { type: 'ec', curve: 'P-256' },
});
const leaf = builder.leaf(root, {
  subject: 'C=US,ST=CA,O=Node.js Test,OU=first,OU=second,CN=localhost,emailAddress=leaf@example.org',
  key: { type: 'rsa', bits: 2048 },
  subjectAltNames: ['DNS:localhost', 'IP:127.0.0.1', 'email:leaf@example.org', 'URI:http://x.example/'],
  extendedKeyUsage: ['serverAuth', 'clientAuth', '1.2.3.4'],
  extensions: [
    {
      oid: '1.3.6.1.5.5.7.1.1',
      critical: false,
      value: seq(
        accessDescription(1, 'http://ocsp.example/'),
        accessDescription(2, 'http://ca.example/ca.crt'),
      ),
    },
  ],
});

test('peer-certificate: getPeerCertificate(true) deep-equals node’s, prototypes included', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = impl.createServer(
      { cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!) },
      (s: tls.TLSSocket) => {
        s.on('error', () => {});
        s.resume();
      },
    );
    server.on('tlsClientError', () => {});
    const { port, close } = await listen(server);
    const c = impl.connect({ port, host: '127.0.0.1', ca: root.toPem(), servername: 'localhost' });
    await once(c, 'secureConnect');
    const detailed = c.getPeerCertificate(true);
    const plain = c.getPeerCertificate();
    c.destroy();
    await close();
    return { detailed, plain };
  });
  t.like(node.detailed, {
    infoAccess: { 'OCSP - URI': ['http://ocsp.example/'], 'CA Issuers - URI': ['http://ca.example/ca.crt'] },
    ext_key_usage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '1.2.3.4'],
    subject: { emailAddress: 'leaf@example.org' },
  });
  t.deepEqual([...(node.detailed.subject.OU ?? [])].sort(), ['first', 'second']);
  t.is(Object.getPrototypeOf(node.detailed.subject), null);
  t.notThrows(() => deepStrictEqual(ours.plain, node.plain));
  t.notThrows(() => deepStrictEqual(ours.detailed, node.detailed));
  t.deepEqual(Object.keys(ours.detailed).sort(), Object.keys(node.detailed).sort());
});
