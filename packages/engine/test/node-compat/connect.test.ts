// Node's test/parallel/test-tls-connect-*.js behaviours (call forms, net options, the `socket`
// option), each run with node:tls and with our adapter: ours must do what node's does.
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { both, fixtures, listen, outcome, readAll, type TlsModule } from '../helpers/node-compat.js';

/** An echo server of `impl` with agent1's certificate. */
async function echoServer(impl: TlsModule, options: object = {}) {
  const server = impl.createServer({ ...fixtures.agent1, ...options }, (s: net.Socket) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  server.on('tlsClientError', () => {});
  return { server, ...(await listen(server)) };
}

const ca = fixtures.ca1;

test('connect-simple: two clients, both secureConnect, the server sees both', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { server, port, close } = await echoServer(impl);
    let accepted = 0;
    server.on('secureConnection', () => accepted++);
    const results: string[] = [];
    for (const _ of [1, 2]) {
      const c = impl.connect({ port, ca, servername: 'localhost' });
      await once(c, 'secureConnect');
      c.end('hi');
      results.push(await readAll(c));
    }
    await close();
    return { results, accepted };
  });
  t.deepEqual(node, { results: ['hi', 'hi'], accepted: 2 });
  t.deepEqual(ours, node);
});

test('connect-positional: connect(port, host, options, cb) and connect(port, options, cb)', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const forms: string[] = [];
    await new Promise<void>((resolve) => {
      const c = impl.connect(port, '127.0.0.1', { ca, servername: 'localhost' }, () => {
        forms.push(`${c.remoteAddress}`);
        c.destroy();
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      const c = impl.connect(port, { ca, host: '127.0.0.1', servername: 'localhost' }, () => {
        forms.push(`${c.remotePort === port}`);
        c.destroy();
        resolve();
      });
    });
    await close();
    return forms;
  });
  t.deepEqual(node, ['127.0.0.1', 'true']);
  t.deepEqual(ours, node);
});

test('connect-no-host: host defaults to localhost', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const c = impl.connect({ port, ca });
    const result = await outcome(c, 'secureConnect');
    c.destroy();
    await close();
    return { ...result, authorized: c.authorized };
  });
  t.deepEqual(node, { event: 'secureConnect', authorized: true });
  t.deepEqual(ours, node);
});

test('connect-pipe: connect(path) over a Unix socket', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-pipe-'));
  const { node, ours } = await both(async (impl) => {
    const path = join(dir, `${impl.name}.sock`);
    const server = impl.createServer(fixtures.agent1, (s: net.Socket) => s.end('over a pipe'));
    server.listen(path);
    await once(server, 'listening');
    const c = impl.connect(path, { ca, servername: 'localhost' });
    const text = await readAll(c);
    server.close();
    return text;
  });
  t.is(node, 'over a pipe');
  t.is(ours, node);
});

test('connect-given-socket: a connected socket, and one connected after connect() was called', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const raw = net.connect(port, '127.0.0.1');
    await once(raw, 'connect');
    const a = impl.connect({ socket: raw, ca, servername: 'localhost' });
    await once(a, 'secureConnect');
    a.end('given');
    const first = await readAll(a);
    // Not connected yet: the handshake waits for 'connect'.
    const later = new net.Socket();
    const b = impl.connect({ socket: later, ca, servername: 'localhost' });
    later.connect(port, '127.0.0.1');
    await once(b, 'secureConnect');
    b.end('later');
    const second = await readAll(b);
    await close();
    return [first, second];
  });
  t.deepEqual(node, ['given', 'later']);
  t.deepEqual(ours, node);
});

test('connect-secure-context: the ca of a secureContext is used', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const secureContext = impl.createSecureContext({ ca });
    const c = impl.connect({ port, secureContext, servername: 'localhost' });
    const result = await outcome(c, 'secureConnect');
    c.destroy();
    await close();
    return result;
  });
  t.deepEqual(node, { event: 'secureConnect' });
  t.deepEqual(ours, node);
});

test('connect-lookup: the net lookup option is used to resolve host', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const asked: string[] = [];
    const lookup = (host: string, options: object, cb: (...a: unknown[]) => void) => {
      asked.push(host);
      net.isIP('127.0.0.1');
      if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    };
    const c = impl.connect({ host: 'tls-kit.invalid', port, ca, servername: 'localhost', lookup });
    const result = await outcome(c, 'secureConnect');
    c.destroy();
    await close();
    return { result, asked };
  });
  t.deepEqual(node, { result: { event: 'secureConnect' }, asked: ['tls-kit.invalid'] });
  t.deepEqual(ours, node);
});

test('connect-timeout-option: the timeout option emits timeout on an idle connection', async (t) => {
  const { node, ours } = await both(async (impl) => {
    // A TCP server that never answers: the client idles in the handshake.
    const silent = net.createServer((s) => {
      s.on('error', () => {});
      s.resume(); // reads the client's FIN, so that close() can complete
    });
    const { port, close } = await listen(silent);
    const c = impl.connect({ port, ca, timeout: 50 });
    c.on('error', () => {});
    await once(c, 'timeout');
    const timeout = c.timeout;
    c.destroy();
    await close();
    return timeout;
  });
  t.is(node, 50);
  t.is(ours, node);
});

test('connect-hwm-option: highWaterMark sets both sides of the stream', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const c = impl.connect({ port, ca, highWaterMark: 128000 });
    await once(c, 'secureConnect');
    const hwm = [c.readableHighWaterMark, c.writableHighWaterMark];
    c.destroy();
    await close();
    return hwm;
  });
  t.deepEqual(node, [128000, 128000]);
  t.deepEqual(ours, node);
});

test('connect-abort-controller: an aborted signal destroys the socket with AbortError', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await echoServer(impl);
    const controller = new AbortController();
    const c = impl.connect({ port, ca, signal: controller.signal });
    controller.abort();
    const [error] = (await once(c, 'error')) as [Error & { code?: string }];
    await close();
    return { name: error.name, code: error.code };
  });
  t.deepEqual(node, { name: 'AbortError', code: 'ABORT_ERR' });
  t.deepEqual(ours, node);
});

test('onread-static-buffer: onread copies plaintext into the given buffer', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = impl.createServer(fixtures.agent1, (s: net.Socket) => s.end('abcdefghij'));
    const { port, close } = await listen(server);
    const buffer = Buffer.alloc(4);
    let text = '';
    const c = impl.connect({
      port,
      ca,
      onread: {
        buffer,
        callback: (n: number, buf: Buffer) => {
          text += buf.toString('latin1', 0, n);
        },
      },
    });
    await once(c, 'end');
    c.destroy();
    await close();
    return text;
  });
  t.is(node, 'abcdefghij');
  t.is(ours, node);
});

test('connect-bad-port: ERR_SOCKET_BAD_PORT for a port out of range', async (t) => {
  const { node, ours } = await both(async (impl) => {
    try {
      impl.connect({ port: 70000 });
      return 'no error';
    } catch (e) {
      return (e as { code?: string }).code;
    }
  });
  t.is(node, 'ERR_SOCKET_BAD_PORT');
  t.is(ours, node);
});

test('connect-econnrefused: a refused dial is an error event with ECONNREFUSED', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const free = net.createServer();
    const { port, close } = await listen(free);
    await close();
    const c = impl.connect({ port, host: '127.0.0.1' });
    const [error] = (await once(c, 'error')) as [Error & { code?: string }];
    return error.code;
  });
  t.is(node, 'ECONNREFUSED');
  t.is(ours, node);
});
