// '@tls-kit/engine' and '@tls-kit/engine/web' must run without Node built-ins. As in
// packages/crypto/test/browser-safe.test.ts, a child process imports them with a resolve hook
// that throws on any node: / built-in import made from a workspace package's src or @noble/*;
// the hook also drops the "node" export condition for @tls-kit/* packages, as a browser bundler
// would (so @tls-kit/crypto/default is the noble provider).
import { fileURLToPath } from 'node:url';
import { runWithNodeBlocked } from '@tls-kit/test-helpers';
import test from 'ava';

const runAsBrowser = (script: string): string =>
  runWithNodeBlocked(script, {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    guarded: /\/packages\/[a-z]+\/src\/|\/@noble\//,
    dropNodeCondition: true,
  });

// A PKI made in the child (certs is browser-safe too), trusted explicitly: TrustStore.system()
// is the only engine default that needs Node (lazily, through process.getBuiltinModule).
const pki = `
  const { CertificateBuilder, ServerCertificateChain, TrustStore } = await import('@tls-kit/certs');
  const builder = new CertificateBuilder();
  const root = builder.root({ subject: 'CN=browser root', key: { type: 'ec', curve: 'P-256' } });
  const leaf = builder.leaf(root, { subject: 'CN=localhost', key: { type: 'ed25519' }, subjectAltNames: ['DNS:localhost'] });
  const trustRoot = new TrustStore([root.withoutPrivateKey()]);
  const certificates = new ServerCertificateChain([leaf]);
`;

test('@tls-kit/engine/web: secureStreams completes a handshake and echoes with node: blocked', (t) => {
  const output = runAsBrowser(`
    const { ClientTLS, ServerTLS, secureStreams } = await import('@tls-kit/engine/web');
    ${pki}
    // Two byte pipes as the transport, as a WebSocket wrapper would give.
    const a = new TransformStream();
    const b = new TransformStream();
    const client = secureStreams({ readable: a.readable, writable: b.writable }, new ClientTLS({ serverHostname: 'localhost', trustRoot }));
    const server = secureStreams({ readable: b.readable, writable: a.writable }, new ServerTLS({ certificates }));
    const [c] = await Promise.all([client.handshake, server.handshake]);
    const w = client.writable.getWriter();
    await w.write(new TextEncoder().encode('hello'));
    const { value } = await server.readable.getReader().read();
    console.log(JSON.stringify({ version: c.tlsVersion, group: c.namedGroup, text: new TextDecoder().decode(value), verified: c.peerVerification }));
    process.exit(0);
  `);
  t.deepEqual(JSON.parse(output), {
    version: 'TLSv1.3',
    group: 'x25519mlkem768',
    text: 'hello',
    verified: { ok: true },
  });
});

test('@tls-kit/engine (the sans-IO main entry) runs a handshake with node: blocked', (t) => {
  const output = runAsBrowser(`
    const { ClientTLS, ServerTLS } = await import('@tls-kit/engine');
    ${pki}
    const toServer = [], toClient = [];
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot, versions: ['TLSv1.2'] }).start((d) => toServer.push(d), () => {});
    const server = new ServerTLS({ certificates }).start((d) => toClient.push(d), () => {});
    for (let i = 0; i < 10; i++) {
      for (const d of toServer.splice(0)) server.dataFromWire(d);
      for (const d of toClient.splice(0)) client.dataFromWire(d);
    }
    console.log(JSON.stringify({ client: client.state, server: server.state, version: server.tlsVersion }));
  `);
  t.deepEqual(JSON.parse(output), { client: 'open', server: 'open', version: 'TLSv1.2' });
});

test('the hook really blocks: the Node adapter cannot load under it', (t) => {
  const error = t.throws(() => runAsBrowser(`await import('@tls-kit/engine/node');`));
  t.regex(String((error as { stderr?: string }).stderr), /BLOCKED node:/);
});
