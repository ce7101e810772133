// Node's test/parallel/test-tls-sni-option.js (and test-tls-sni-server-client.js's addContext):
// a server with requestCert judges a client's certificate by the `ca` of the SNI context it
// chose, by node's default roots for a context without `ca`, and by its own `ca` when no context
// matched; run with node:tls' server and with ours. The client is node:tls' in both runs: ours
// sends a certificate only when it chains to a CA the server named, node's always does.
import { once } from 'node:events';
import tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, type TlsModule } from '../helpers/node-compat.js';

const ca2Client = { cert: fixtures.agent2.cert + fixtures.ca2Intermediate, key: fixtures.agent2.key };
const contexts: Record<string, object> = {
  'a.example.com': { ...fixtures.agent1, ca: fixtures.ca2 },
  'b.example.com': { ...fixtures.agent1 },
};

/** What the server saw of a client with `client`'s certificate asking for `servername`. */
async function clientSeen(port: number, servername: string, client: object, seen: Promise<unknown>) {
  const c = tls.connect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false, ...client });
  c.on('error', () => {});
  await once(c, 'secureConnect');
  const result = await seen;
  c.destroy();
  return result;
}

async function scenario(impl: TlsModule, how: 'SNICallback' | 'addContext', maxVersion: string) {
  let report: (value: unknown) => void = () => {};
  const options = {
    ...fixtures.agent1,
    ca: fixtures.ca1,
    requestCert: true,
    rejectUnauthorized: false,
    ...(how === 'SNICallback'
      ? {
          SNICallback: (name: string, cb: (e: Error | null, ctx?: tls.SecureContext) => void) => {
            const context = contexts[name];
            // Asynchronous, as node's test answers.
            setImmediate(() => cb(null, context ? impl.createSecureContext(context) : undefined));
          },
        }
      : {}),
  };
  const server = impl.createServer(options, (s: tls.TLSSocket) => {
    s.on('error', () => {});
    report({ sni: s.servername, authorized: s.authorized, error: s.authorizationError ?? null });
    s.end();
  });
  if (how === 'addContext')
    for (const [name, context] of Object.entries(contexts)) server.addContext(name, context);
  const { port, close } = await listen(server);
  const results: unknown[] = [];
  for (const [servername, client] of [
    ['a.example.com', fixtures.agent1],
    ['a.example.com', ca2Client],
    ['b.example.com', fixtures.agent1],
    ['c.wrong.com', fixtures.agent1],
    ['c.wrong.com', ca2Client],
  ] as const) {
    const seen = new Promise((resolve) => {
      report = resolve;
    });
    results.push(await clientSeen(port, servername, { ...client, maxVersion }, seen));
  }
  await close();
  return results;
}

for (const [how, version] of [
  ['SNICallback', 'TLSv1.3'],
  ['addContext', 'TLSv1.3'],
  ['SNICallback', 'TLSv1.2'],
] as const) {
  test(`sni-option (${how}, ${version}): client certificates are judged by the chosen context's ca`, async (t) => {
    const { node, ours } = await both((impl) => scenario(impl, how, version));
    t.deepEqual(
      node.map((r) => (r as { authorized: boolean }).authorized),
      [false, true, false, true, false],
    );
    t.deepEqual(ours, node);
  });
}
