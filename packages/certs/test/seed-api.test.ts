// The design's certificate API: TrustStore, ServerCertificates, ClientCertificateStore,
// the callback rules and every chapter-3 exception in the situations the design names.

import {
  type Certificate,
  CertificateBuilder,
  type CertificateChainCallback,
  CertificateNotInChainError,
  type ChainDelivery,
  type ClientCertificateRoot,
  ClientCertificateStore,
  ExtraneousPrivateKeyError,
  InvalidatedError,
  LeafCertificateHasNoPrivateKeyError,
  MoreThanOneLeafCertificateError,
  NoCertificateChainError,
  NoLeafCertificateError,
  requestClientCertificateChain,
  requestServerCertificateChain,
  ServerCertificateChain,
  ServerCertificates,
  SNIServerCertificates,
  TrustStore,
} from '@tls-kit/certs';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';

const b = new CertificateBuilder({ provider: nodeProvider });
const root = b.root({ subject: 'CN=Seed Root' });
const inter = b.intermediate(root, { subject: 'CN=Seed Intermediate' });
const leafA = b.leaf(inter, { subject: 'CN=a.example', subjectAltNames: ['DNS:a.example'] });
const leafB = b.leaf(inter, { subject: 'CN=b.example', subjectAltNames: ['DNS:*.b.example'] });
const otherRoot = b.root({ subject: 'CN=Other Root' });
const leafOther = b.leaf(otherRoot, { subject: 'CN=other.example', subjectAltNames: ['DNS:other.example'] });
const keyless = (c: Certificate) => c.withoutPrivateKey();
const subjects = (chain: readonly Certificate[] | null) => chain?.map((c) => c.subject.toString()) ?? null;

test('TrustStore refuses certificates with private keys', (t) => {
  t.throws(() => new TrustStore([keyless(root), inter]), { instanceOf: ExtraneousPrivateKeyError });
  t.is(new TrustStore([keyless(root), keyless(root)]).certificates.length, 1);
});

test('TrustStore.system() holds the platform roots', (t) => {
  const system = TrustStore.system();
  t.true(system.certificates.length > 100);
  t.is(TrustStore.system(), system);
});

test('ServerCertificateChain: one leaf with its key, ordered leaf first', (t) => {
  const chain = new ServerCertificateChain([keyless(root), keyless(inter), leafA]);
  t.deepEqual(subjects(chain.chain), ['CN=a.example', 'CN=Seed Intermediate', 'CN=Seed Root']);
  t.throws(() => new ServerCertificateChain([keyless(inter), keyless(root)]), {
    instanceOf: NoLeafCertificateError,
  });
  t.throws(() => new ServerCertificateChain([leafA, leafB, keyless(inter)]), {
    instanceOf: MoreThanOneLeafCertificateError,
  });
  t.throws(() => new ServerCertificateChain([keyless(leafA), keyless(inter)]), {
    instanceOf: LeafCertificateHasNoPrivateKeyError,
  });
  t.throws(() => new ServerCertificateChain([leafA, inter]), { instanceOf: ExtraneousPrivateKeyError });
  t.throws(() => new ServerCertificateChain([leafA, keyless(inter), keyless(otherRoot)]), {
    instanceOf: CertificateNotInChainError,
  });
  t.throws(() => new ServerCertificateChain([]), { instanceOf: NoLeafCertificateError });
  // No non-CA certificate: the CA certificate carrying its key is the leaf.
  t.deepEqual(subjects(new ServerCertificateChain([keyless(root), inter]).chain), [
    'CN=Seed Intermediate',
    'CN=Seed Root',
  ]);
});

function serverDelivery(certs: ServerCertificates, name: string | null): ChainDelivery[] {
  const out: ChainDelivery[] = [];
  requestServerCertificateChain(certs, name, (d) => out.push(d));
  return out;
}

test('SNIServerCertificates chooses by server name, else the default', (t) => {
  const sni = new SNIServerCertificates([leafA, leafB, keyless(inter)], [leafOther]);
  const pick = (name: string | null) => {
    const [d] = serverDelivery(sni, name);
    return d && 'chain' in d ? subjects(d.chain)?.[0] : 'error';
  };
  t.is(pick('a.example'), 'CN=a.example');
  t.is(pick('www.b.example'), 'CN=b.example');
  t.is(pick('b.example'), 'CN=other.example');
  t.is(pick(null), 'CN=other.example');
  const noDefault = new SNIServerCertificates([leafA, keyless(inter)]);
  t.deepEqual(serverDelivery(noDefault, 'x.example'), [{ chain: null }]);
});

test('SNIServerCertificates enforces the design rules', (t) => {
  t.throws(() => new SNIServerCertificates([keyless(leafA), keyless(inter)]), {
    instanceOf: LeafCertificateHasNoPrivateKeyError,
  });
  t.throws(() => new SNIServerCertificates([leafA, inter]), { instanceOf: ExtraneousPrivateKeyError });
  t.throws(() => new SNIServerCertificates([leafA, keyless(inter), keyless(otherRoot)]), {
    instanceOf: CertificateNotInChainError,
  });
  t.throws(() => new SNIServerCertificates([leafA, keyless(inter)], [leafB, leafOther]), {
    instanceOf: MoreThanOneLeafCertificateError,
  });
});

class ManualServerCertificates extends ServerCertificates {
  callback: CertificateChainCallback | undefined;
  override getCertificateChainForServerName(_name: string | null, callback: CertificateChainCallback): void {
    this.callback = callback;
  }
}

test('server callback: may be invoked later, once only, else InvalidatedError', async (t) => {
  const certs = new ManualServerCertificates();
  const deliveries: ChainDelivery[] = [];
  requestServerCertificateChain(certs, 'a.example', (d) => deliveries.push(d));
  t.is(deliveries.length, 0);
  await new Promise((resolve) => setTimeout(resolve, 5));
  certs.callback!([keyless(inter), leafA]);
  t.deepEqual(
    deliveries.map((d) => ('chain' in d ? subjects(d.chain) : 'error')),
    [['CN=a.example', 'CN=Seed Intermediate']],
  );
  t.throws(() => certs.callback!([keyless(inter), leafA]), { instanceOf: InvalidatedError });
  t.throws(() => certs.callback!(null), { instanceOf: InvalidatedError });
  t.is(deliveries.length, 1);
});

test('server callback: a bad chain raises the design exception and fails the delivery', (t) => {
  for (const [chain, error] of [
    [[keyless(leafA), keyless(inter)], LeafCertificateHasNoPrivateKeyError],
    [[keyless(inter)], NoLeafCertificateError],
    [[leafA, leafB], MoreThanOneLeafCertificateError],
  ] as const) {
    const certs = new ManualServerCertificates();
    const deliveries: ChainDelivery[] = [];
    requestServerCertificateChain(certs, null, (d) => deliveries.push(d));
    t.throws(() => certs.callback!(chain), { instanceOf: error });
    t.true(deliveries.length === 1 && 'error' in deliveries[0]! && deliveries[0].error instanceof error);
    t.throws(() => certs.callback!([leafA]), { instanceOf: InvalidatedError });
  }
});

class TestClientStore extends ClientCertificateStore {
  rootsSeen: ReadonlySet<ClientCertificateRoot> | undefined;
  callback: CertificateChainCallback | undefined;
  usedDefault = false;
  override getCertificateChainForRoots(
    roots: ReadonlySet<ClientCertificateRoot>,
    callback: CertificateChainCallback,
  ): void {
    this.rootsSeen = roots;
    this.callback = callback;
  }
  override getDefaultCertificateChain(callback: CertificateChainCallback): void {
    this.usedDefault = true;
    this.callback = callback;
  }
}

function clientRequest(roots: ClientCertificateRoot[] | null) {
  const store = new TestClientStore();
  const deliveries: ChainDelivery[] = [];
  requestClientCertificateChain(store, roots, (d) => deliveries.push(d));
  return { store, deliveries };
}

test('client store: a chain to one of the server roots (as certificates or names)', (t) => {
  for (const roots of [[keyless(otherRoot), keyless(root)], [root.subject]]) {
    const { store, deliveries } = clientRequest(roots);
    t.false(store.usedDefault);
    t.is(store.rootsSeen!.size, roots.length);
    store.callback!([keyless(inter), leafA]);
    t.deepEqual(
      deliveries.map((d) => ('chain' in d ? subjects(d.chain) : 'error')),
      [['CN=a.example', 'CN=Seed Intermediate']],
    );
    t.throws(() => store.callback!(null), { instanceOf: InvalidatedError });
  }
});

test('client store: NoCertificateChainError when the chain reaches none of the roots', (t) => {
  const { store, deliveries } = clientRequest([keyless(otherRoot)]);
  t.throws(() => store.callback!([keyless(inter), leafA]), { instanceOf: NoCertificateChainError });
  t.true('error' in deliveries[0]!);
  t.throws(() => store.callback!([leafOther]), { instanceOf: InvalidatedError });
});

test('client store: default chain when the server names no roots; null means none', (t) => {
  const { store, deliveries } = clientRequest(null);
  t.true(store.usedDefault);
  store.callback!(null);
  t.deepEqual(deliveries, [{ chain: null }]);
  t.throws(() => store.callback!([leafA, keyless(inter)]), { instanceOf: InvalidatedError });
});

test('client store: the chain rules apply to client chains', (t) => {
  for (const [chain, error] of [
    [[keyless(leafA), keyless(inter)], LeafCertificateHasNoPrivateKeyError],
    [[leafA, leafB, keyless(inter)], MoreThanOneLeafCertificateError],
    [[keyless(inter)], NoLeafCertificateError],
  ] as const) {
    const { store } = clientRequest([]);
    t.throws(() => store.callback!(chain), { instanceOf: error });
  }
});
