// Node's test/parallel/test-tls-* behaviours of the plaintext stream (writes before the
// handshake, encodings, pausing, closing) and of replacing a server's context, each run with
// node:tls and with our adapter: ours must behave as node's does.
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import test from 'ava';
import { both, fixtures, implementations, listen, readAll, type TlsModule } from '../helpers/node-compat.js';

const ca = fixtures.ca1;

async function serverOf(impl: TlsModule, onSocket: (s: tls.TLSSocket) => void, options: object = {}) {
  const server = impl.createServer({ ...fixtures.agent1, ...options }, (s: tls.TLSSocket) => {
    s.on('error', () => {});
    onSocket(s);
  });
  server.on('tlsClientError', () => {});
  return { server, ...(await listen(server)) };
}

const connectTo = (impl: TlsModule, port: number, options: object = {}) =>
  impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost', ...options });

test('connect-stream-writes: writes made before secureConnect arrive in order', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, (s) => s.pipe(s));
    const c = connectTo(impl, port);
    for (const part of ['one ', 'two ', 'three']) c.write(part);
    c.end();
    const text = await readAll(c);
    await close();
    return text;
  });
  t.is(node, 'one two three');
  t.is(ours, node);
});

test('set-encoding: setEncoding gives strings', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, (s) => s.end('héllo'));
    const c = connectTo(impl, port);
    c.setEncoding('utf8');
    const parts: unknown[] = [];
    c.on('data', (d) => parts.push(d));
    await once(c, 'end');
    await close();
    return { types: [...new Set(parts.map((p) => typeof p))], text: parts.join('') };
  });
  t.deepEqual(node, { types: ['string'], text: 'héllo' });
  t.deepEqual(ours, node);
});

test('pause: a paused client loses nothing of a large answer', async (t) => {
  const size = 3 * 1024 * 1024;
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, (s) => s.end(Buffer.alloc(size, 7)));
    const c = connectTo(impl, port);
    await once(c, 'secureConnect');
    c.pause();
    await new Promise((r) => setTimeout(r, 50));
    let received = 0;
    c.on('data', (d: Buffer) => {
      received += d.length;
    });
    c.resume();
    await once(c, 'end');
    await close();
    return received;
  });
  t.is(node, size);
  t.is(ours, node);
});

test('close-notify: the server ends, the client gets end and close without error', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, (s) => s.end());
    const c = connectTo(impl, port);
    const events: string[] = [];
    c.on('error', () => events.push('error'));
    c.on('end', () => events.push('end'));
    c.resume();
    const [hadError] = (await once(c, 'close')) as [boolean];
    await close();
    return { events, hadError };
  });
  t.deepEqual(node, { events: ['end'], hadError: false });
  t.deepEqual(ours, node);
});

test('connect-allow-half-open: an allowHalfOpen client reads the server to its end, then ends itself', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let received: Promise<string> | undefined;
    const { port, close } = await serverOf(
      impl,
      (s) => {
        received = readAll(s);
        s.end('server done');
      },
      { allowHalfOpen: true },
    );
    const c = connectTo(impl, port, { allowHalfOpen: true });
    const fromServer = await readAll(c);
    c.end('client after server end');
    const text = await received;
    await close();
    return { fromServer, text };
  });
  // node's server does not read after its own end (its close_notify went out): nothing arrives.
  t.deepEqual(node, { fromServer: 'server done', text: '' });
  t.deepEqual(ours, node);
});

test('server-setsecurecontext: setSecureContext changes the certificate for later connections', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { server, port, close } = await serverOf(impl, (s) => s.end());
    const names: string[] = [];
    for (const next of [fixtures.cnOnly, undefined]) {
      const c = connectTo(impl, port);
      await once(c, 'secureConnect');
      names.push(c.getPeerCertificate().subject.CN as string);
      c.resume();
      await once(c, 'end');
      if (next) (server as tls.Server).setSecureContext(next);
    }
    await close();
    return names;
  });
  t.deepEqual(node, ['agent1', 'localhost']);
  t.deepEqual(ours, node);
});

/** A stream's 'end', 'finish' and 'error' events in order, ending with 'close' and its hadError. */
function eventsUntilClose(stream: NodeJS.EventEmitter): Promise<string[]> {
  const events: string[] = [];
  for (const name of ['end', 'finish', 'error']) stream.on(name, () => events.push(name));
  return new Promise((resolve) =>
    stream.once('close', (hadError) => resolve([...events, `close ${hadError}`])),
  );
}

/**
 * A server of `impl` that never reads its sockets: `accepted` resolves with the first secure
 * socket's events until it closes (a promise of its own, so that one can wait for the socket).
 */
async function unreadServer(
  impl: TlsModule,
  options: object = {},
  onSocket: (s: tls.TLSSocket) => void = () => {},
) {
  let resolveAccepted: (socket: { closed: Promise<string[]> }) => void = () => {};
  const accepted = new Promise<{ closed: Promise<string[]> }>((resolve) => {
    resolveAccepted = resolve;
  });
  const server = await serverOf(
    impl,
    (s) => {
      resolveAccepted({ closed: eventsUntilClose(s) });
      onSocket(s);
    },
    options,
  );
  return { ...server, accepted };
}

// A socket nobody reads (no 'data' listener, never resumed) still sees the peer's end when
// nothing of it is left unread: node emits 'end' and, allowHalfOpen being false, ends its side
// and closes. Each case with each client (or server) implementation against both servers.
for (const peer of implementations) {
  for (const maxVersion of ['TLSv1.3', 'TLSv1.2']) {
    test(`unread-end (${peer.name} client, ${maxVersion}): a server socket never read ends and closes after the client's end`, async (t) => {
      const { node, ours } = await both(async (impl) => {
        const { port, close, accepted } = await unreadServer(impl);
        const c = connectTo(peer, port, { maxVersion });
        await once(c, 'secureConnect');
        const { closed } = await accepted;
        const clientClosed = eventsUntilClose(c);
        c.resume();
        c.end();
        const result = { server: await closed, client: await clientClosed };
        await close();
        return result;
      });
      t.deepEqual(node, {
        server: ['end', 'finish', 'close false'],
        client: ['finish', 'end', 'close false'],
      });
      t.deepEqual(ours, node);
    });
  }

  test(`unread-end-half-open (${peer.name} client): with allowHalfOpen the unread server socket ends and may still write`, async (t) => {
    const { node, ours } = await both(async (impl) => {
      const { port, close, accepted } = await unreadServer(impl, { allowHalfOpen: true }, (s) =>
        s.once('end', () => s.end('after your end')),
      );
      const c = connectTo(peer, port);
      await once(c, 'secureConnect');
      c.end();
      const result = { text: await readAll(c), server: await (await accepted).closed };
      await close();
      return result;
    });
    t.deepEqual(node, { text: 'after your end', server: ['end', 'finish', 'close false'] });
    t.deepEqual(ours, node);
  });

  test(`unread-end-client (${peer.name} server): a client never read ends and closes after the server's end`, async (t) => {
    const { node, ours } = await both(async (impl) => {
      const { port, close } = await serverOf(peer, (s) => s.end());
      const c = connectTo(impl, port);
      const events = await eventsUntilClose(c);
      await close();
      return events;
    });
    t.deepEqual(node, ['end', 'finish', 'close false']);
    t.deepEqual(ours, node);
  });
}

test('unread-fin-without-close-notify: a server socket never read ends and closes after a bare TCP end', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close, accepted } = await unreadServer(impl);
    // node's client over a TCP socket of ours, ended under the TLS layer once the server has the
    // connection (the client's Finished is in): a FIN without close_notify.
    const raw = net.connect({ port, host: '127.0.0.1' });
    const c = tls.connect({ socket: raw, ca, servername: 'localhost' });
    c.on('error', () => {});
    const { closed } = await accepted;
    raw.end();
    const events = await closed;
    c.destroy();
    await close();
    return events;
  });
  t.deepEqual(node, ['end', 'finish', 'close false']);
  t.deepEqual(ours, node);
});
