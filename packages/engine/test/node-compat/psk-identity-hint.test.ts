// Node's test-tls-psk-circuit.js and test-tls-psk-server.js give the server a pskIdentityHint: in
// TLS 1.3 node accepts it and the client's pskCallback gets a null hint; a hint that is not a
// string is ERR_INVALID_ARG_TYPE.
import type tls from 'node:tls';
import test from 'ava';
import { both, listen, readAll } from '../helpers/node-compat.js';

const key = Buffer.from('d731ef57be09e5204f0b205b60627028', 'hex');

test('psk-circuit: a server pskIdentityHint is accepted; the TLS 1.3 client callback gets null', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = impl.createServer(
      { pskCallback: () => key, pskIdentityHint: 'TestServer', minVersion: 'TLSv1.3' },
      (s: tls.TLSSocket) => {
        s.on('error', () => {});
        s.end(String(s.getProtocol()));
      },
    );
    server.on('tlsClientError', () => {});
    const { port, close } = await listen(server);
    const hints: unknown[] = [];
    const c = impl.connect({
      port,
      host: '127.0.0.1',
      checkServerIdentity: () => undefined,
      pskCallback: (hint: unknown) => {
        hints.push(hint);
        return { psk: key, identity: 'TestUser' };
      },
    });
    const text = await readAll(c);
    await close();
    let code: string | undefined;
    try {
      impl.createServer({ pskCallback: () => key, pskIdentityHint: 42 });
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    return { text, hints, code };
  });
  t.deepEqual(node, { text: 'TLSv1.3', hints: [null], code: 'ERR_INVALID_ARG_TYPE' });
  t.deepEqual(ours, node);
});
