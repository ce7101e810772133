// Node's test/parallel/test-tls-ticket.js: server.getTicketKeys() and setTicketKeys(), run with
// node:tls and with our adapter. New keys make tickets sealed under the old ones fall back to a
// full handshake; the old keys back make them resume again.
import { randomBytes } from 'node:crypto';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, readAll, type TlsModule } from '../helpers/node-compat.js';

const trusting = { ca: fixtures.ca1, servername: 'localhost' };

/** One connection to `port`: whether it resumed `session`, and the session it ends with. */
async function visit(impl: TlsModule, port: number, version: string, session?: Buffer) {
  const c = impl.connect({ port, host: '127.0.0.1', ...trusting, maxVersion: version, session });
  let latest: Buffer | undefined;
  let reused: boolean | undefined;
  c.on('session', (s: Buffer) => {
    latest = s;
  });
  c.on('secureConnect', () => {
    reused = c.isSessionReused();
  });
  await readAll(c);
  return { reused, session: latest };
}

for (const version of ['TLSv1.3', 'TLSv1.2']) {
  test(`ticket (${version}): getTicketKeys returns the keys; setTicketKeys rotates them for new and old tickets`, async (t) => {
    const { node, ours } = await both(async (impl) => {
      const keys = randomBytes(48);
      const server = impl.createServer({ ...fixtures.agent1, ticketKeys: keys }, (s: tls.TLSSocket) =>
        s.on('error', () => {}).end('x'),
      );
      const { port, close } = await listen(server);
      const given = server.getTicketKeys().equals(keys);
      const first = await visit(impl, port, version);
      const again = await visit(impl, port, version, first.session);
      server.setTicketKeys(randomBytes(48));
      const underNewKeys = await visit(impl, port, version, first.session);
      server.setTicketKeys(keys);
      const oldKeysBack = await visit(impl, port, version, first.session);
      const newKeysTicket = await visit(impl, port, version, underNewKeys.session);
      await close();
      return {
        given,
        again: again.reused,
        underNewKeys: underNewKeys.reused,
        oldKeysBack: oldKeysBack.reused,
        newKeysTicket: newKeysTicket.reused,
      };
    });
    t.deepEqual(node, {
      given: true,
      again: true,
      underNewKeys: false,
      oldKeysBack: true,
      newKeysTicket: false,
    });
    t.deepEqual(ours, node);
  });
}

test('ticket: a server without ticketKeys has 48 random bytes of its own; setTicketKeys checks its argument', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = impl.createServer({ ...fixtures.agent1 });
    const a = server.getTicketKeys();
    const b = impl.createServer({ ...fixtures.agent1 }).getTicketKeys();
    const thrown = (keys: unknown) => {
      try {
        server.setTicketKeys(keys as Buffer);
        return 'accepted';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    return {
      length: a.length,
      stable: a.equals(server.getTicketKeys()),
      distinct: !a.equals(b),
      text: thrown('x'.repeat(48)),
      short: thrown(Buffer.alloc(10)) !== 'accepted',
      bytes: thrown(new Uint8Array(48)),
    };
  });
  t.deepEqual(node, {
    length: 48,
    stable: true,
    distinct: true,
    text: 'ERR_INVALID_ARG_TYPE',
    short: true,
    bytes: 'accepted',
  });
  t.deepEqual(ours, node);
});
