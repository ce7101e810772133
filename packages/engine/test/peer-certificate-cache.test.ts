// The peer certificate cache of a ClientTLS / ServerTLS (config.certificateCache): a chain seen
// again is not parsed, imported or signature-checked again, while validity and the handshake
// signature are checked on every handshake, and a different chain is fully verified. (Hostname
// and usage checks on cached objects: packages/certs/test/certificate-cache.test.ts.)

import {
  type Certificate,
  CertificateBuilder,
  ClientCertificateStore,
  ServerCertificateChain,
  TrustStore,
} from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { toHex } from '@tls-kit/crypto/bytes';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { BadTLSDataError, ClientTLS, ServerTLS } from '../src/index.js';
import { handshake } from './helpers/pipe.js';

/** nodeProvider, counting verify() calls by the hex of the signature checked. */
function countingProvider(): { provider: CryptoProvider; verified: string[] } {
  const verified: string[] = [];
  const provider: CryptoProvider = {
    ...nodeProvider,
    verify(scheme, key, data, signature) {
      verified.push(toHex(signature));
      return nodeProvider.verify(scheme, key, data, signature);
    },
  };
  return { provider, verified };
}

/** The signature field of a certificate (its last BIT STRING, without the unused-bits byte). */
function signatureOf(cert: Certificate): string {
  return toHex(cert.parsed.signature);
}

const builder = new CertificateBuilder();
const notBefore = new Date(Date.now() - 3600_000);
const notAfter = new Date(Date.now() + 24 * 3600_000);
const root = builder.root({ subject: 'CN=cache test root', notBefore, notAfter });
const trustStore = new TrustStore([root.withoutPrivateKey()]);

function chainVia(intermediateName: string): { intermediate: Certificate; leaf: Certificate } {
  const intermediate = builder.intermediate(root, { subject: `CN=${intermediateName}`, notBefore, notAfter });
  const leaf = builder.leaf(intermediate, {
    subject: 'CN=localhost',
    subjectAltNames: ['DNS:localhost'],
    notBefore,
    notAfter,
  });
  return { intermediate, leaf };
}

test('a second handshake with the same chain verifies no certificate signature again', (t) => {
  const { provider, verified } = countingProvider();
  const { intermediate, leaf } = chainVia('cache test intermediate A');
  const server = new ServerTLS({
    certificates: new ServerCertificateChain([leaf, intermediate.withoutPrivateKey()]),
  });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: trustStore,
    provider,
    sessionCache: false,
  });
  const chainSignatures = [signatureOf(leaf), signatureOf(intermediate)];

  const first = handshake(client, server);
  t.is(first.client.connection.state, 'open');
  t.deepEqual(
    verified.filter((s) => chainSignatures.includes(s)).sort(),
    [...chainSignatures].sort(),
    'first handshake: the leaf and the intermediate signatures are verified',
  );
  const handshakeSignatures = verified.filter((s) => !chainSignatures.includes(s)).length;
  t.is(handshakeSignatures, 1, 'and the CertificateVerify signature');

  verified.length = 0;
  const second = handshake(client, server);
  t.is(second.client.connection.state, 'open');
  t.false(second.client.connection.resumed);
  t.deepEqual(
    verified.filter((s) => chainSignatures.includes(s)),
    [],
    'no chain signature verified again',
  );
  t.is(verified.length, 1, 'CertificateVerify is verified on every handshake');
  // The same parsed objects, and still the certificates the server sent.
  const [a, b] = [first.client.connection.peerCertificates, second.client.connection.peerCertificates];
  t.is(a[0], b[0]);
  t.is(a[1], b[1]);
  t.is(toHex(b[0]!.getAsn1Bytes()), toHex(leaf.getAsn1Bytes()));
});

test('a different chain through the same ClientTLS is fully verified', (t) => {
  const { provider, verified } = countingProvider();
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: trustStore,
    provider,
    sessionCache: false,
  });
  for (const name of ['cache test intermediate B', 'cache test intermediate C']) {
    const { intermediate, leaf } = chainVia(name);
    const server = new ServerTLS({
      certificates: new ServerCertificateChain([leaf, intermediate.withoutPrivateKey()]),
    });
    verified.length = 0;
    const p = handshake(client, server);
    t.is(p.client.connection.state, 'open');
    t.true(verified.includes(signatureOf(intermediate)), `${name}: intermediate verified`);
    t.true(verified.includes(signatureOf(leaf)), `${name}: leaf verified`);
    t.is(p.client.connection.peerCertificates[1]?.subject.toString(), `CN=${name}`);
  }
});

test('validity is checked on every handshake, cached chain or not', (t) => {
  let now = Date.now();
  const { intermediate, leaf } = chainVia('cache test intermediate D');
  const server = new ServerTLS({
    certificates: new ServerCertificateChain([leaf, intermediate.withoutPrivateKey()]),
  });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: trustStore,
    sessionCache: false,
    clock: () => now,
  });
  t.is(handshake(client, server).client.connection.state, 'open');
  now = notAfter.getTime() + 1000;
  const error = t.throws(() => handshake(client, server), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'CertificateExpired');
  t.is(error?.alertCode, 45, 'certificate_expired for the cached chain');
  now = Date.now();
  t.is(handshake(client, server).client.connection.state, 'open', 'and accepted again in its validity');
});

test('the server caches client certificate chains the same way', (t) => {
  const { provider, verified } = countingProvider();
  const { intermediate, leaf } = chainVia('cache test client intermediate');
  const server = new ServerTLS({
    certificates: new ServerCertificateChain([
      builder.leaf(root, {
        subject: 'CN=localhost',
        subjectAltNames: ['DNS:localhost'],
        notBefore,
        notAfter,
      }),
      root.withoutPrivateKey(),
    ]),
    clientAuth: 'require',
    clientTrustRoot: trustStore,
    provider,
  });
  const clientCertificateStore = new (class extends ClientCertificateStore {
    getCertificateChainForRoots(_roots: unknown, callback: (chain: Iterable<Certificate> | null) => void) {
      callback([leaf, intermediate.withoutPrivateKey()]);
    }
    getDefaultCertificateChain(callback: (chain: Iterable<Certificate> | null) => void) {
      callback([leaf, intermediate.withoutPrivateKey()]);
    }
  })();
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: trustStore,
    sessionCache: false,
    clientCertificateStore,
  });
  const chainSignatures = [signatureOf(leaf), signatureOf(intermediate)];
  for (const round of [1, 2]) {
    verified.length = 0;
    const p = handshake(client, server);
    t.is(p.server.connection.state, 'open', `round ${round}`);
    const seen = verified.filter((s) => chainSignatures.includes(s)).length;
    t.is(seen, round === 1 ? 2 : 0, `round ${round}: chain signatures verified`);
  }
});
