// Node's test-tls-set-sigalgs.js: getSharedSigalgs() lists the schemes both sides accept, in the
// peer's order and OpenSSL's names; a client has none unless the server asked for a certificate.
import { once } from 'node:events';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen } from '../helpers/node-compat.js';

const serverSigalgs = 'RSA-PSS+SHA256:ECDSA+SHA256';
const clientSigalgs = 'RSA-PSS+SHA256:RSA-PSS+SHA512:ECDSA+SHA256';

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  for (const requestCert of [true, false]) {
    test(`set-sigalgs (${version}, requestCert ${requestCert}): the shared signature algorithms of both ends`, async (t) => {
      const { node, ours } = await both(async (impl) => {
        let onServer: string[] | undefined;
        const server = impl.createServer(
          {
            ...fixtures.agent1,
            sigalgs: serverSigalgs,
            maxVersion: version,
            ...(requestCert ? { requestCert, ca: fixtures.ca1 } : {}),
          },
          (s: tls.TLSSocket) => {
            onServer = s.getSharedSigalgs();
            s.on('error', () => {});
            s.end();
          },
        );
        server.on('tlsClientError', () => {});
        const { port, close } = await listen(server);
        const c = impl.connect({
          ...fixtures.agent1,
          port,
          host: '127.0.0.1',
          ca: fixtures.ca1,
          servername: 'localhost',
          sigalgs: clientSigalgs,
        });
        await once(c, 'secureConnect');
        const onClient = c.getSharedSigalgs();
        const protocol = c.getProtocol();
        c.resume();
        await once(c, 'end');
        c.destroy();
        await close();
        return { onClient, onServer, protocol };
      });
      const shared = ['RSA-PSS+SHA256', 'ECDSA+SHA256'];
      t.deepEqual(node, { onClient: requestCert ? shared : [], onServer: shared, protocol: version });
      t.deepEqual(ours, node);
    });
  }
}

test('set-sigalgs: without sigalgs options, ours lists the defaults the client offered, RSA-PSS twice as node', async (t) => {
  const { ours } = await both(async (impl) => {
    let onServer: string[] | undefined;
    const server = impl.createServer(fixtures.agent1, (s: tls.TLSSocket) => {
      onServer = s.getSharedSigalgs();
      s.end();
    });
    const { port, close } = await listen(server);
    const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca1, servername: 'localhost' });
    await once(c, 'secureConnect');
    c.resume();
    await once(c, 'end');
    await close();
    return onServer;
  });
  // rsa_pss_rsae_* and rsa_pss_pss_* both print as RSA-PSS+SHA*, as in node's list.
  t.is(ours?.filter((s) => s === 'RSA-PSS+SHA256').length, 2);
  t.true(ours?.includes('ECDSA+SHA256') && ours.includes('Ed25519+UNDEF'), String(ours));
});
