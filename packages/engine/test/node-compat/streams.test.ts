// Node's test/parallel/test-tls-* behaviours of the plaintext stream (writes before the
// handshake, encodings, pausing, closing) and of replacing a server's context, each run with
// node:tls and with our adapter: ours must behave as node's does.
import { once } from 'node:events';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, readAll, type TlsModule } from '../helpers/node-compat.js';

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
