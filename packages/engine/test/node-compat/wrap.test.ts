// Node's test/parallel/test-tls-wrap-* and test-tls-socket-* behaviours: TLSSocket over sockets
// and streams made elsewhere, timeouts, writes around the handshake; each run with node:tls and
// with our adapter: ours must answer as node's does.
import { once } from 'node:events';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, outcome, readAll, type TlsModule } from '../helpers/node-compat.js';

const ca = fixtures.ca1;
const trusting = { ca, servername: 'localhost' };

/** A server of `impl` that hands each secure socket to `onSocket` (default: echo). */
async function serverOf(impl: TlsModule, onSocket?: (s: tls.TLSSocket) => void, options: object = {}) {
  const server = impl.createServer({ ...fixtures.agent1, ...options }, (s: tls.TLSSocket) => {
    s.on('error', () => {});
    if (onSocket) onSocket(s);
    else s.pipe(s);
  });
  const errors: (string | undefined)[] = [];
  server.on('tlsClientError', (e: Error & { code?: string }) => errors.push(e.code));
  return { server, errors, ...(await listen(server)) };
}

/** A plain TCP server whose accepted sockets go to `onSocket`. */
function plainServer(onSocket: (s: net.Socket) => void) {
  return listen(
    net.createServer((s) => {
      s.on('error', () => {});
      onSocket(s);
    }),
  );
}

test('wrap-econnreset: a server that drops the connection before the handshake is ECONNRESET', async (t) => {
  const { port, close } = await plainServer((s) => s.destroy());
  const { node, ours } = await both(async (impl) => {
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const { event, code } = await outcome(c, 'secureConnect');
    return { event, code };
  });
  await close();
  t.deepEqual(node, { event: 'error', code: 'ECONNRESET' });
  t.deepEqual(ours, node);
});

test('wrap-timeout / socket setTimeout: an idle secure socket emits timeout, and setTimeout returns it', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, (s) => s.resume());
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    await once(c, 'secureConnect');
    const same = c.setTimeout(30) === c;
    await once(c, 'timeout');
    c.destroy();
    await close();
    return { same, destroyed: c.destroyed };
  });
  t.deepEqual(node, { same: true, destroyed: true });
  t.deepEqual(ours, node);
});

test('starttls-server: plain text first, then TLSSocket on both ends of the same TCP connection', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const secureContext = impl.createSecureContext(fixtures.agent1);
    const { port, close } = await plainServer((socket) => {
      socket.once('data', () => {
        socket.write('go ahead\n', () => {
          const s = new impl.TLSSocket(socket, { isServer: true, secureContext });
          s.on('error', () => {});
          s.on('secure', () => s.end('upgraded'));
        });
      });
    });
    const socket = net.connect(port, '127.0.0.1').on('error', () => {});
    socket.write('STARTTLS\n');
    const [greeting] = (await once(socket, 'data')) as [Buffer];
    const c = impl.connect({ socket, ...trusting });
    const text = await readAll(c);
    await close();
    return { greeting: greeting.toString(), text, authorized: c.authorized };
  });
  t.deepEqual(node, { greeting: 'go ahead\n', text: 'upgraded', authorized: true });
  t.deepEqual(ours, node);
});

/** A Duplex that is not a net.Socket, carrying bytes over `socket`. */
function jsStream(socket: net.Socket): Duplex {
  const stream = new Duplex({
    read() {},
    write(chunk, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
  });
  socket.on('data', (d) => stream.push(d));
  socket.on('end', () => stream.push(null));
  return stream;
}

test('generic-stream / js-stream: connect({ socket }) over a plain Duplex stream', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, (s) => s.end('over a stream'));
    const socket = net.connect(port, '127.0.0.1').on('error', () => {});
    const c = impl.connect({ socket: jsStream(socket), ...trusting });
    const text = await readAll(c);
    socket.destroy();
    await close();
    return { text, authorized: c.authorized };
  });
  t.deepEqual(node, { text: 'over a stream', authorized: true });
  t.deepEqual(ours, node);
});

test('socket-allow-half-open-option: allowHalfOpen is false unless given', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const plain = new impl.TLSSocket(undefined);
    const half = new impl.TLSSocket(undefined, { allowHalfOpen: true });
    const facts = [plain.allowHalfOpen, half.allowHalfOpen];
    plain.destroy();
    half.destroy();
    return facts;
  });
  t.deepEqual(node, [false, true]);
  t.deepEqual(ours, node);
});

test('delayed-attach: a TLSSocket attached later to an accepted socket still reads the ClientHello', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const secureContext = impl.createSecureContext(fixtures.agent1);
    const { port, close } = await plainServer((socket) => {
      // Attached once the ClientHello is already waiting in the socket.
      socket.once('readable', () => {
        const s = new impl.TLSSocket(socket, { isServer: true, secureContext });
        s.on('error', () => {});
        s.on('secure', () => s.end('late'));
      });
    });
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const text = await readAll(c);
    await close();
    return text;
  });
  t.is(node, 'late');
  t.is(ours, node);
});

test('zero-clear-in: an empty write sends nothing and the data after it arrives', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const written = await new Promise<boolean>((resolve) => c.write('', () => resolve(true)));
    c.end('after');
    const text = await readAll(c);
    await close();
    return { written, text };
  });
  t.deepEqual(node, { written: true, text: 'after' });
  t.deepEqual(ours, node);
});

test('write-error / socket-destroy: a write after destroy fails with ERR_STREAM_DESTROYED', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    await once(c, 'secureConnect');
    c.destroy();
    const code = await new Promise<string | undefined>((resolve) => {
      c.on('error', () => {});
      c.write('late', (e) => resolve((e as (Error & { code?: string }) | null | undefined)?.code));
    });
    await close();
    return code;
  });
  t.is(node, 'ERR_STREAM_DESTROYED');
  t.is(ours, node);
});

test('interleave: writes before and after secureConnect arrive in order, every callback runs', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const done: number[] = [];
    const parts = ['a', 'b', 'c', 'd', 'e', 'f'];
    const write = (i: number) => c.write(parts[i]!, () => done.push(i));
    for (const i of [0, 1, 2]) write(i);
    await once(c, 'secureConnect');
    for (const i of [3, 4, 5]) write(i);
    c.end();
    const text = await readAll(c);
    await close();
    return { text, done };
  });
  t.deepEqual(node, { text: 'abcdef', done: [0, 1, 2, 3, 4, 5] });
  t.deepEqual(ours, node);
});

test('fast-writing / large-push: a megabyte in small writes arrives whole', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let received = 0;
    const { port, close } = await serverOf(impl, (s) => {
      s.on('data', (d: Buffer) => {
        received += d.length;
      });
      s.on('end', () => s.end(String(received)));
    });
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const chunk = Buffer.alloc(1000, 'x');
    for (let i = 0; i < 1000; i++) c.write(chunk);
    c.end();
    const text = await readAll(c);
    await close();
    return text;
  });
  t.is(node, '1000000');
  t.is(ours, node);
});

test('request-timeout: setTimeout on the server socket emits timeout; the client sees the end', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let same = false;
    const { port, close } = await serverOf(impl, (s) => {
      same = s.setTimeout(30) === s;
      s.on('timeout', () => s.end('timed out'));
    });
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    const text = await readAll(c);
    await close();
    return { same, text };
  });
  t.deepEqual(node, { same: true, text: 'timed out' });
  t.deepEqual(ours, node);
});

test('connect-address-family: family 6 to ::1, remoteFamily IPv6', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = impl.createServer({ ...fixtures.agent1 }, (s: tls.TLSSocket) =>
      s.on('error', () => {}).end(),
    );
    server.listen(0, '::1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const c = impl.connect({ port, host: '::1', family: 6, ...trusting });
    await once(c, 'secureConnect');
    const facts = { family: c.remoteFamily, address: c.remoteAddress };
    c.destroy();
    await new Promise((resolve) => server.close(resolve));
    return facts;
  });
  t.deepEqual(node, { family: 'IPv6', address: '::1' });
  t.deepEqual(ours, node);
});

test('socket-destroy / client-destroy-soon: destroy before the handshake ends: close, no secureConnect', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = impl.connect({ port, host: '127.0.0.1', ...trusting });
    let secured = false;
    c.on('secureConnect', () => {
      secured = true;
    });
    c.destroy();
    const [hadError] = (await once(c, 'close')) as [boolean];
    await close();
    return { secured, hadError, destroyed: c.destroyed };
  });
  t.deepEqual(node, { secured: false, hadError: false, destroyed: true });
  t.deepEqual(ours, node);
});

test('socket-failed-handshake-emits-error: a server TLSSocket fed junk emits error with an SSL code', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const secureContext = impl.createSecureContext(fixtures.agent1);
    const errors: (string | undefined)[] = [];
    const closed = new Promise<void>((resolve) => {
      const raw = net.createServer((socket) => {
        const s = new impl.TLSSocket(socket, { isServer: true, secureContext });
        s.on('error', (e: Error & { code?: string }) => errors.push(e.code));
        s.on('close', () => resolve());
      });
      void listen(raw).then(({ port, close }) => {
        const c = net.connect(port, '127.0.0.1');
        c.on('error', () => {});
        c.end(Buffer.alloc(64, 0x01));
        c.resume();
        c.on('close', () => void close());
      });
    });
    await closed;
    return errors;
  });
  t.deepEqual(node, ['ERR_SSL_WRONG_VERSION_NUMBER']);
  t.deepEqual(ours, node);
});
