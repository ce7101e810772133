// Node's test/parallel/test-tls-ocsp-callback.js: the server's 'OCSPRequest' event gets the DER
// certificate and issuer and a callback it answers later; the client with requestOCSP gets the
// response in 'OCSPResponse' (null when none), and no event without requestOCSP. An error given to
// the callback ends the handshake with that error on the server. Run with node:tls and with ours,
// in TLS 1.3 and TLS 1.2.
import { once } from 'node:events';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, outcome, type TlsModule } from '../helpers/node-compat.js';

const trusting = { ca: fixtures.ca1, servername: 'localhost' };
const leafDer = Buffer.from(fixtures.agent1.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');

type Answer = { response: string | null } | { error: string };

async function scenario(impl: TlsModule, maxVersion: string, requestOCSP: boolean, answer: Answer) {
  const requests: unknown[] = [];
  const server = impl.createServer({ ...fixtures.agent1, ca: fixtures.ca1, maxVersion }, (s: tls.TLSSocket) =>
    s.on('error', () => {}).end(),
  );
  const serverErrors: string[] = [];
  server.on('tlsClientError', (e: Error) => serverErrors.push(e.message));
  server.on(
    'OCSPRequest',
    (certificate: Buffer, issuer: Buffer | null, callback: (...args: unknown[]) => void) => {
      requests.push({
        leaf: Buffer.isBuffer(certificate) && certificate.equals(leafDer),
        issuer: Buffer.isBuffer(issuer),
      });
      // Later, to show the handshake waits for it.
      setImmediate(() =>
        'error' in answer
          ? callback(new Error(answer.error))
          : callback(null, answer.response === null ? null : Buffer.from(answer.response)),
      );
    },
  );
  const { port, close } = await listen(server);
  const c = impl.connect({ port, host: '127.0.0.1', ...trusting, requestOCSP });
  const responses: unknown[] = [];
  c.on('OCSPResponse', (r: Buffer | null) => responses.push(r === null ? null : r.toString()));
  const { event } = await outcome(c, 'secureConnect');
  // The server ends a connection it accepted; the client waits for that (a client leaving first
  // is a 'socket hang up' of node's TLS 1.3 server).
  if (event === 'secureConnect') await once(c.resume(), 'close');
  c.destroy();
  if ('error' in answer && serverErrors.length === 0) await once(server, 'tlsClientError');
  await close();
  return { requests, responses, client: event, serverErrors };
}

for (const version of ['TLSv1.3', 'TLSv1.2']) {
  test(`ocsp-callback (${version}): the response answered later is stapled; none without requestOCSP`, async (t) => {
    const { node, ours } = await both(async (impl) => ({
      stapled: await scenario(impl, version, true, { response: 'hello world' }),
      none: await scenario(impl, version, true, { response: null }),
      notAsked: await scenario(impl, version, false, { response: 'hello world' }),
    }));
    const asked = [{ leaf: true, issuer: true }];
    t.deepEqual(node, {
      stapled: { requests: asked, responses: ['hello world'], client: 'secureConnect', serverErrors: [] },
      none: { requests: asked, responses: [null], client: 'secureConnect', serverErrors: [] },
      notAsked: { requests: [], responses: [], client: 'secureConnect', serverErrors: [] },
    });
    t.deepEqual(ours, node);
  });
}

test('ocsp-callback: an error given to the callback aborts the handshake with it on the server', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { requests, client, serverErrors } = await scenario(impl, 'TLSv1.3', true, {
      error: 'no responder',
    });
    return { requests: requests.length, client, serverErrors };
  });
  t.deepEqual(node, { requests: 1, client: 'error', serverErrors: ['no responder'] });
  t.deepEqual(ours, node);
});
