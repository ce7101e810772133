// Node's test/parallel/test-tls-honorcipherorder.js: the server picks the suite by its own
// `ciphers` order (a tls.Server's default, honorCipherOrder true) or by the client's
// (honorCipherOrder false, and a bare `new TLSSocket(socket, { isServer: true })`), in TLS 1.3
// and TLS 1.2, run with node:tls and with our adapter.
import { once } from 'node:events';
import net from 'node:net';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, type TlsModule } from '../helpers/node-compat.js';

const trusting = { ca: fixtures.ca1, servername: 'localhost' };
const serverOrder =
  'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256';
const clientOrder =
  'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384';

/** The suite a client preferring clientOrder gets from `port`. */
async function chosen(impl: TlsModule, port: number, maxVersion: string): Promise<string | undefined> {
  const c = impl.connect({ port, host: '127.0.0.1', ...trusting, ciphers: clientOrder, maxVersion });
  await once(c, 'secureConnect');
  const name = c.getCipher()?.name;
  c.destroy();
  return name;
}

test('honorcipherorder: the server order by default and with true, the client order with false', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const results: Record<string, string | undefined> = {};
    for (const honorCipherOrder of [undefined, true, false]) {
      const server = impl.createServer(
        { ...fixtures.agent1, ciphers: serverOrder, honorCipherOrder },
        (s: tls.TLSSocket) => s.on('error', () => {}).end(),
      );
      const { port, close } = await listen(server);
      for (const version of ['TLSv1.3', 'TLSv1.2'])
        results[`${honorCipherOrder} ${version}`] = await chosen(impl, port, version);
      await close();
    }
    return results;
  });
  t.deepEqual(node, {
    'undefined TLSv1.3': 'TLS_AES_256_GCM_SHA384',
    'undefined TLSv1.2': 'ECDHE-ECDSA-AES256-GCM-SHA384',
    'true TLSv1.3': 'TLS_AES_256_GCM_SHA384',
    'true TLSv1.2': 'ECDHE-ECDSA-AES256-GCM-SHA384',
    'false TLSv1.3': 'TLS_AES_128_GCM_SHA256',
    'false TLSv1.2': 'ECDHE-ECDSA-AES128-GCM-SHA256',
  });
  t.deepEqual(ours, node);
});

test('honorcipherorder: a TLSSocket made server without a tls.Server follows the client order', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = net.createServer((raw) => {
      const s = new impl.TLSSocket(raw, { isServer: true, ...fixtures.agent1, ciphers: serverOrder });
      s.on('error', () => {});
      s.on('secure', () => s.end());
    });
    const { port, close } = await listen(server);
    const result = await chosen(impl, port, 'TLSv1.3');
    await close();
    return result;
  });
  t.is(node, 'TLS_AES_128_GCM_SHA256');
  t.is(ours, node);
});
