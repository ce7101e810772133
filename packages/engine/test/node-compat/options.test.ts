// Node's test/parallel/test-tls-* and test-https-* behaviours around options (PSK, key formats,
// OCSP, environment and flags, https integration), each run with node:tls and with our adapter.
import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { Agent } from '../../src/node/index.js';
import { both, fixtures, implementations, listen, readAll, type TlsModule } from '../helpers/node-compat.js';

const ca = fixtures.ca1;

async function okServer(impl: TlsModule, options: object) {
  const server = impl.createServer(options, (s: tls.TLSSocket) => {
    s.on('error', () => {});
    s.end('ok');
  });
  server.on('tlsClientError', () => {});
  return { server, ...(await listen(server)) };
}

test('psk-circuit / psk-server: TLS 1.3 external PSK with pskCallback on both sides, no certificates', async (t) => {
  const key = Buffer.from('d731ef57be09e5204f0b205b60627028', 'hex');
  const { node, ours } = await both(async (impl) => {
    const identities: string[] = [];
    const { port, close } = await okServer(impl, {
      pskCallback: (_socket: unknown, identity: string) => {
        identities.push(identity);
        return identity === 'TestUser' ? key : null;
      },
      minVersion: 'TLSv1.3',
    });
    const c = impl.connect({
      port,
      host: '127.0.0.1',
      minVersion: 'TLSv1.3',
      checkServerIdentity: () => undefined,
      pskCallback: () => ({ psk: key, identity: 'TestUser' }),
    });
    const text = await readAll(c);
    await close();
    return { text, identities };
  });
  t.deepEqual(node, { text: 'ok', identities: ['TestUser'] });
  t.deepEqual(ours, node);
});

test('ecdh-params / ec-parameters-block: an "EC PARAMETERS" block before the EC key', async (t) => {
  const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, {
      cert: fixtures.agent1.cert,
      key: params + fixtures.agent1.key,
    });
    const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
    const text = await readAll(c);
    await close();
    return text;
  });
  t.is(node, 'ok');
  t.is(ours, node);
});

test('min-version-tlsv1: minVersion TLSv1 is accepted and TLS 1.3 negotiated', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, { ...fixtures.agent1, minVersion: 'TLSv1' });
    const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost', minVersion: 'TLSv1.1' });
    await once(c, 'secureConnect');
    const version = c.getProtocol();
    c.destroy();
    await close();
    return version;
  });
  t.is(node, 'TLSv1.3');
  t.is(ours, node);
});

test('ocsp-callback / request-ocsp: requestOCSP against a server that staples nothing: no response, or null', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost', requestOCSP: true });
    const responses: unknown[] = [];
    c.on('OCSPResponse', (r: unknown) => responses.push(r));
    await once(c, 'secureConnect');
    c.destroy();
    await close();
    return (
      responses.length === 0 || responses.every((r) => r === null || (Buffer.isBuffer(r) && r.length === 0))
    );
  });
  t.true(node);
  t.is(ours, node);
});

test('https-agent-create-connection: https.request with createConnection from tls.connect', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = https.createServer(fixtures.agent1, (_req, res) => res.end('via createConnection'));
    const { port, close } = await listen(server);
    const request = https.request({
      host: '127.0.0.1',
      port,
      path: '/',
      createConnection: () =>
        impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' }) as net.Socket,
    });
    request.end();
    const [response] = (await once(request, 'response')) as [NodeJS.ReadableStream];
    const text = await readAll(response);
    await close();
    return text;
  });
  t.is(node, 'via createConnection');
  t.is(ours, node);
});

test('https-agent: our https.Agent for https.get against node https and against our TLS server', async (t) => {
  for (const impl of implementations) {
    const server = impl.createServer(fixtures.agent1, (s: tls.TLSSocket) => {
      s.on('error', () => {});
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nagent'));
    });
    const { port, close } = await listen(server);
    const agent = new Agent({ ca, servername: 'localhost' });
    const request = https.get({ host: '127.0.0.1', port, path: '/', agent: agent as unknown as https.Agent });
    const [response] = (await once(request, 'response')) as [NodeJS.ReadableStream];
    t.is(await readAll(response), 'agent', `server: ${impl.name}`);
    await close();
  }
});

test('undici-connect: undici requests over connections from our connect', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const server = https.createServer(fixtures.agent1, (_req, res) => res.end('undici'));
    const { port, close } = await listen(server);
    const dispatcher = new UndiciAgent({
      connect: (options, callback) => {
        const socket = impl.connect({
          port: Number(options.port),
          host: options.hostname,
          ca,
          servername: 'localhost',
        });
        socket.once('secureConnect', () => callback(null, socket as unknown as net.Socket));
        socket.once('error', (error) => callback(error, null));
        return socket as unknown as net.Socket;
      },
    });
    const response = await undiciRequest(`https://127.0.0.1:${port}/`, { dispatcher });
    const text = await response.body.text();
    await dispatcher.close();
    await close();
    return text;
  });
  t.is(node, 'undici');
  t.is(ours, node);
});

test('server-chain-from-ca: a server whose cert is only the leaf sends the intermediate found in ca', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, {
      ...fixtures.agent2,
      ca: fixtures.ca2Intermediate + fixtures.ca2,
    });
    const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca2, servername: 'localhost' });
    await once(c, 'secureConnect');
    const issuer = c.getPeerCertificate(true).issuerCertificate?.subject.CN;
    c.destroy();
    await close();
    return { authorized: c.authorized, issuer };
  });
  t.deepEqual(node, { authorized: true, issuer: 'ca2 intermediate' });
  t.deepEqual(ours, node);
});

/** `openssl pkcs12 -export` of agent1 and ca1 (OpenSSL 3's defaults: PBES2, AES-256-CBC, SHA-256 MAC). */
function pkcs12(passphrase: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-pfx-'));
  writeFileSync(join(dir, 'cert.pem'), fixtures.agent1.cert + ca);
  writeFileSync(join(dir, 'key.pem'), fixtures.agent1.key);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-in',
    join(dir, 'cert.pem'),
    '-inkey',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'a.pfx'),
    '-passout',
    `pass:${passphrase}`,
  ]);
  return readFileSync(join(dir, 'a.pfx'));
}

test('pfx-passphrase / pfx: a PKCS#12 file with its passphrase; a wrong one is refused', async (t) => {
  const pfx = pkcs12('sample');
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, { pfx, passphrase: 'sample' });
    const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
    const text = await readAll(c);
    await close();
    let wrong = 'accepted';
    try {
      impl.createSecureContext({ pfx, passphrase: 'not it' });
    } catch {
      wrong = 'refused';
    }
    const listed = impl.createSecureContext({ pfx: [{ buf: pfx, passphrase: 'sample' }] }) ? 'ok' : 'none';
    return { text, wrong, listed };
  });
  t.deepEqual(node, { text: 'ok', wrong: 'refused', listed: 'ok' });
  t.deepEqual(ours, node);
});

/** Runs a script in a child node with the test's loader conditions; resolves with its stdout and stderr. */
function runChildOutput(
  script: string,
  env: NodeJS.ProcessEnv,
  flags: string[] = [],
): Promise<{ stdout: string; stderr: string }> {
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--conditions=@tls-kit/source', '--import', tsx, ...flags, '--input-type=module', '-e', script],
      { env: { ...process.env, ...env }, cwd: fileURLToPath(new URL('.', import.meta.url)), timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    ),
  );
}

const runChild = async (script: string, env: NodeJS.ProcessEnv, flags: string[] = []) =>
  (await runChildOutput(script, env, flags)).stdout.trim();
const runChildStderr = async (script: string) => (await runChildOutput(script, {})).stderr;

const adapterUrl = new URL('../../src/node/index.ts', import.meta.url).href;

/** A child script: connect to `port` with the implementation `which`, print authorized or the code. */
const childScript = (which: string, port: number) => `
  const impl = ${which === 'node' ? "await import('node:tls')" : `await import(${JSON.stringify(adapterUrl)})`};
  const c = impl.connect({ port: ${port}, host: '127.0.0.1', servername: 'localhost' });
  c.on('secureConnect', () => { console.log('authorized', c.authorized); c.destroy(); });
  c.on('error', (e) => console.log('error', e.code));
`;

test('env-extra-ca / NODE_EXTRA_CA_CERTS: an extra CA file is trusted besides the bundled roots', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-extra-ca-'));
  const file = join(dir, 'ca.pem');
  writeFileSync(file, ca);
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const withExtra = await runChild(childScript(impl.name, port), { NODE_EXTRA_CA_CERTS: file });
    await close();
    return withExtra;
  });
  t.is(node, 'authorized true');
  t.is(ours, node);
});

test('env-bad-extra-ca: a NODE_EXTRA_CA_CERTS file that cannot be read is a warning, the bundled roots stay', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const out = await runChild(childScript(impl.name, port), {
      NODE_EXTRA_CA_CERTS: '/nonexistent/tls-kit-ca.pem',
    });
    await close();
    return out;
  });
  // The bundled roots do not know ca1.
  t.is(node, 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  t.is(ours, node);
});

test('tls-keylog-flag / --tls-keylog: key log lines written to the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-keylog-'));
  const { node, ours } = await both(async (impl) => {
    const file = join(dir, `${impl.name}.log`);
    const { port, close } = await okServer(impl, fixtures.agent1);
    writeFileSync(join(dir, 'ca.pem'), ca);
    await runChild(childScript(impl.name, port), { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }, [
      `--tls-keylog=${file}`,
    ]);
    await close();
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0])
      .sort();
  });
  t.deepEqual(node, [
    'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
    'CLIENT_TRAFFIC_SECRET_0',
    'EXPORTER_SECRET',
    'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    'SERVER_TRAFFIC_SECRET_0',
  ]);
  t.deepEqual(ours, node);
});

test('enable-trace: enableTrace writes the handshake to stderr as it happens', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const script = `
      const impl = ${impl.name === 'node' ? "await import('node:tls')" : `await import(${JSON.stringify(adapterUrl)})`};
      const c = impl.connect({ port: ${port}, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false, enableTrace: true });
      c.on('secureConnect', () => c.destroy());
    `;
    const stderr = await runChildStderr(script);
    await close();
    // node prints OpenSSL's trace, ours the dissector's: both name the ClientHello and ServerHello.
    return [/ClientHello/i.test(stderr), /ServerHello/i.test(stderr)];
  });
  t.deepEqual(node, [true, true]);
  t.deepEqual(ours, node);
});
