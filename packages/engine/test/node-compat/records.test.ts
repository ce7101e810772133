// Node's test/parallel/test-tls-* behaviours of records, alerts and tickets after the handshake
// (max-send-fragment, ticket, alert), each run with node:tls and with our adapter: ours must
// answer as node's does.

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import tls from 'node:tls';
import { AlertDescription, AlertLevel } from '@tls-kit/messages';
import test from 'ava';
import type { TLSSocket } from '../../src/node/index.js';
import { both, fixtures, listen, readAll, type TlsModule } from '../helpers/node-compat.js';

const ca = fixtures.ca1;
const trusting = { ca, servername: 'localhost' };

test('max-send-fragment: after setMaxSendFragment(512) no record of the server carries more', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let accepted = false;
    const server = impl.createServer({ ...fixtures.agent1 }, (s: tls.TLSSocket) => {
      s.on('error', () => {});
      accepted = s.setMaxSendFragment(512);
      s.end(Buffer.alloc(4096, 'x'));
    });
    const { port, close } = await listen(server);
    // node:tls' client hands each record's plaintext to 'data' on its own.
    const c = tls.connect({ port, host: '127.0.0.1', ...trusting });
    const sizes: number[] = [];
    c.on('data', (d: Buffer) => sizes.push(d.length));
    await once(c, 'end');
    await close();
    return { accepted, total: sizes.reduce((a, b) => a + b, 0), largest: Math.max(...sizes) };
  });
  t.deepEqual(node, { accepted: true, total: 4096, largest: 512 });
  t.deepEqual(ours, node);
});

/** Whether a second connection to a second server resumes the session of a first server. */
async function resumedAcross(impl: TlsModule, first: object, second: object): Promise<boolean> {
  const a = await listen(
    impl.createServer({ ...fixtures.agent1, ...first }, (s: tls.TLSSocket) =>
      s.on('error', () => {}).end('a'),
    ),
  );
  const b = await listen(
    impl.createServer({ ...fixtures.agent1, ...second }, (s: tls.TLSSocket) =>
      s.on('error', () => {}).end('b'),
    ),
  );
  const c1 = impl.connect({ port: a.port, host: '127.0.0.1', ...trusting });
  let session: Buffer | undefined;
  c1.on('session', (s: Buffer) => {
    session = s;
  });
  await readAll(c1);
  const c2 = impl.connect({ port: b.port, host: '127.0.0.1', ...trusting, session });
  await once(c2, 'secureConnect');
  const reused = c2.isSessionReused();
  c2.destroy();
  await a.close();
  await b.close();
  return reused;
}

test('ticket / ticket-keys: servers given the same 48 bytes resume each other; other bytes do not', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const keys = randomBytes(48);
    return [
      await resumedAcross(impl, { ticketKeys: keys }, { ticketKeys: keys }),
      await resumedAcross(impl, { ticketKeys: keys }, { ticketKeys: randomBytes(48) }),
    ];
  });
  t.deepEqual(node, [true, false]);
  t.deepEqual(ours, node);
});

test('ticket-keys validation: a ticketKeys Buffer that is not 48 bytes is ERR_INVALID_ARG_VALUE', async (t) => {
  const { node, ours } = await both(async (impl) => {
    try {
      impl.createServer({ ...fixtures.agent1, ticketKeys: Buffer.alloc(32) });
      return 'accepted';
    } catch (error) {
      return (error as Error & { code?: string }).code;
    }
  });
  t.is(node, 'ERR_INVALID_ARG_VALUE');
  t.is(ours, node);
});

test('alert / tls 1.2 warning alert: a warning from the peer is ignored, the data after it arrives', async (t) => {
  // Our server sends the warning (node's API cannot); the clients compared are node's and ours.
  const ourModule = await import('../../src/node/index.js');
  const server = ourModule.createServer({ ...fixtures.agent1, maxVersion: 'TLSv1.2' }, (s: TLSSocket) => {
    s.connection.sendAlert(AlertDescription.unrecognized_name, AlertLevel.warning);
    s.end('after the warning');
  });
  const { port, close } = await listen(server as unknown as tls.Server);
  const { node, ours } = await both(async (impl) => {
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.message));
    let protocol: string | null = null;
    c.on('secureConnect', () => {
      protocol = c.getProtocol();
    });
    const text = await readAll(c);
    return { text, errors, protocol };
  });
  await close();
  t.deepEqual(node, { text: 'after the warning', errors: [], protocol: 'TLSv1.2' });
  t.deepEqual(ours, node);
});
