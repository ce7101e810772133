// X448 and secp521r1 key exchange (RFC 8446 §4.2.7, RFC 8422 §5.1.1) against peers we did not
// write: `openssl s_server`/`s_client`, Node's tls and `gnutls-serv`/`gnutls-cli`, in TLS 1.3 and
// TLS 1.2, both roles, with both crypto providers; HelloRetryRequest to X448; an ECDSA P-521
// certificate chain made by the openssl CLI; our server's default groups and signature schemes.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import {
  loadCertificateChainPem,
  loadTrustStorePem,
  ServerCertificateChain,
  type TrustStore,
} from '@tls-kit/certs';
import { type CryptoProvider, type NamedGroupName, nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import {
  have,
  haveGnutls,
  outputAtExit,
  gnutlsClient as spawnGnutlsClient,
  gnutlsServer as spawnGnutlsServer,
  opensslClient as spawnOpensslClient,
  opensslServer as spawnOpensslServer,
} from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import {
  type ClientOptions,
  ClientTLS,
  type Connection,
  type ServerOptions,
  ServerTLS,
} from '../src/index.js';
import {
  connect as adapterConnect,
  createServer,
  groupDisplayName,
  type TLSSocket,
} from '../src/node/index.js';
import { HelloCounter } from './helpers/hello-counter.js';
import { pemFiles, typeLines } from './helpers/openssl.js';
import { pki } from './helpers/pki.js';
import { connect, listen } from './helpers/socket.js';

/** Certificate files for the peers and the same chain for our side. */
interface Credentials {
  readonly cert: string;
  readonly key: string;
  readonly root: string;
  readonly chain: ServerCertificateChain;
  readonly trustStore: TrustStore;
}

const ecdsaP256: Credentials = {
  ...pemFiles('ecdsa'),
  chain: pki().chain('ecdsa'),
  trustStore: pki().trustStore,
};

/**
 * An ECDSA P-521 root and leaf made by the openssl CLI (ecdsa-with-SHA512), the leaf key in SEC1
 * ("EC PRIVATE KEY") form: our certificate and key loaders read what OpenSSL writes.
 */
function opensslP521(): Credentials {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-p521-'));
  const file = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521', '-out', file('root.key'));
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    file('root.key'),
    '-sha512',
    '-days',
    '2',
    '-subj',
    '/CN=P-521 root',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
    '-out',
    file('root.crt'),
  );
  run('ecparam', '-name', 'secp521r1', '-genkey', '-noout', '-out', file('leaf.key'));
  writeFileSync(
    file('leaf.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  run('req', '-new', '-key', file('leaf.key'), '-subj', '/CN=localhost', '-out', file('leaf.csr'));
  run(
    'x509',
    '-req',
    '-in',
    file('leaf.csr'),
    '-CA',
    file('root.crt'),
    '-CAkey',
    file('root.key'),
    '-CAcreateserial',
    '-sha512',
    '-days',
    '2',
    '-extfile',
    file('leaf.ext'),
    '-out',
    file('leaf.crt'),
  );
  const rootPem = readFileSync(file('root.crt'), 'utf8');
  const certs = loadCertificateChainPem(readFileSync(file('leaf.crt'), 'utf8') + rootPem, {
    key: readFileSync(file('leaf.key'), 'utf8'),
  });
  return {
    cert: file('leaf.crt'),
    key: file('leaf.key'),
    root: file('root.crt'),
    chain: new ServerCertificateChain(certs),
    trustStore: loadTrustStorePem(rootPem),
  };
}

interface GroupNames {
  readonly group: NamedGroupName;
  readonly openssl: string;
  readonly gnutls: string;
  /** Its name in Node's getEphemeralKeyInfo(). */
  readonly nodeName: string;
  /** The line `s_client` prints for it. */
  readonly tempKey: RegExp;
}

const GROUPS: readonly GroupNames[] = [
  {
    group: 'x448',
    openssl: 'X448',
    gnutls: 'X448',
    nodeName: 'X448',
    tempKey: /Server Temp Key: X448, 448 bits/,
  },
  {
    group: 'secp521r1',
    openssl: 'P-521',
    gnutls: 'SECP521R1',
    nodeName: 'secp521r1',
    tempKey: /Server Temp Key: ECDH, secp521r1, 521 bits/,
  },
];

const VERSIONS = [
  { version: 'TLSv1.3', flag: '-tls1_3', gnutls: 'VERS-TLS1.3', description: 'TLS1.3' },
  { version: 'TLSv1.2', flag: '-tls1_2', gnutls: 'VERS-TLS1.2', description: 'TLS1.2' },
] as const;
type Version = (typeof VERSIONS)[number];

const PROVIDERS: readonly CryptoProvider[] = [nodeProvider, nobleProvider];

/** Our client sends a line to `port` and waits for `reply(line)`; returns the connection. */
async function ourClient(
  port: number,
  options: Partial<ClientOptions>,
  reply: (line: string) => string,
  hellos = new HelloCounter(),
): Promise<Connection> {
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...options });
  const line = randomBytes(50).toString('hex');
  const expected = reply(line);
  let text = '';
  const session = await connect(
    port,
    (w, c, e) => client.start(hellos.counting(w), c, undefined, e),
    (d, s) => {
      text += new TextDecoder().decode(d);
      if (text.includes(expected)) s.connection.applicationFinished();
    },
  );
  await session.handshake;
  session.connection.dataFromApplication(new TextEncoder().encode(`${line}\n`));
  await session.done;
  if (!text.includes(expected)) throw new Error(`no reply; got ${JSON.stringify(text)}`);
  return session.connection;
}

const echo = (line: string) => line;
const reverse = (line: string) => [...line].reverse().join('');

// --- Peer servers: each takes only `group`, in one version ---

interface PeerServer {
  readonly port: number;
  readonly reply: (line: string) => string;
  /** The peer's report of the handshake, if it prints one. */
  output(): string;
  close(): Promise<void>;
}

async function opensslServer(
  version: Version,
  groups: string,
  credentials: Credentials,
): Promise<PeerServer> {
  const { child, port } = await spawnOpensslServer([
    version.flag,
    '-groups',
    groups,
    '-cert',
    credentials.cert,
    '-key',
    credentials.key,
    '-rev',
  ]);
  return { port, reply: reverse, output: child.output, close: async () => child.kill() };
}

async function nodeServer(version: Version, groups: string, credentials: Credentials): Promise<PeerServer> {
  const server = tls.createServer(
    {
      key: readFileSync(credentials.key),
      cert: readFileSync(credentials.cert),
      minVersion: version.version,
      maxVersion: version.version,
      ecdhCurve: groups,
    },
    (socket) => {
      socket.on('data', (d) => socket.write(d));
      socket.on('end', () => socket.end());
      socket.on('error', () => {});
    },
  );
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return {
    port: (server.address() as net.AddressInfo).port,
    reply: echo,
    output: () => '',
    close: () => new Promise((res) => server.close(() => res())),
  };
}

const gnutlsPriority = (version: Version, groups: string) =>
  `NORMAL:-VERS-ALL:+${version.gnutls}:-GROUP-ALL:${groups}`;

/** gnutls-serv --echo (it listens on the wildcard address; we connect to 127.0.0.1). */
async function gnutlsServer(version: Version, groups: string, credentials: Credentials): Promise<PeerServer> {
  const { child, port } = await spawnGnutlsServer(credentials.cert, credentials.key, [
    '-a',
    '--priority',
    gnutlsPriority(version, groups),
  ]);
  return { port, reply: echo, output: child.output, close: async () => child.kill() };
}

// --- Peer clients against our echo server ("BYE" makes it close) ---

interface OurServer {
  readonly port: number;
  readonly connections: Connection[];
  readonly hellos: HelloCounter;
  close(): Promise<void>;
}

async function ourServer(options: Partial<ServerOptions>, credentials: Credentials): Promise<OurServer> {
  const server = new ServerTLS({ certificates: credentials.chain, ...options });
  const connections: Connection[] = [];
  const hellos = new HelloCounter();
  let seen = '';
  const listener = await listen(
    (w, c, e) => server.start(hellos.counting(w), c, undefined, e),
    (s) => connections.push(s.connection),
    (d, s) => {
      s.connection.dataFromApplication(d);
      seen += new TextDecoder().decode(d);
      if (seen.includes('BYE')) s.connection.applicationFinished();
    },
  );
  return { port: listener.port, connections, hellos, close: () => listener.close() };
}

/** Runs a peer client to the end; returns what it printed (or reported) and the echo it got. */
type PeerClient = (
  port: number,
  version: Version,
  groups: string,
  credentials: Credentials,
) => Promise<string>;

const opensslClient: PeerClient = async (port, version, groups, credentials) => {
  const child = spawnOpensslClient(port, credentials.root, [version.flag, '-groups', groups]);
  try {
    await typeLines(child, ['hello from openssl', 'BYE']);
    return await outputAtExit(child);
  } finally {
    child.kill();
  }
};

const nodeClient: PeerClient = (port, version, groups, credentials) =>
  new Promise((resolve, reject) => {
    let text = '';
    let group = '';
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: readFileSync(credentials.root),
        minVersion: version.version,
        maxVersion: version.version,
        ecdhCurve: groups,
      },
      () => {
        const info = socket.getEphemeralKeyInfo();
        group = info && 'name' in info ? String(info.name) : '';
        socket.write('hello from node\nBYE\n');
      },
    );
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(`group ${group}\n${text}`));
  });

const gnutlsClient: PeerClient = async (port, version, groups, credentials) => {
  const child = spawnGnutlsClient(port, credentials.root, ['--priority', gnutlsPriority(version, groups)]);
  try {
    await child.waitFor(/- Handshake was completed/);
    child.process.stdin.write('hello from gnutls\nBYE\n');
    return await outputAtExit(child);
  } finally {
    child.kill();
  }
};

interface Peer {
  readonly name: string;
  readonly available: boolean;
  server(version: Version, g: GroupNames, credentials: Credentials): Promise<PeerServer>;
  client(port: number, version: Version, g: GroupNames, credentials: Credentials): Promise<string>;
  /** How the peer's own report names the group it used. */
  reports(g: GroupNames, version: Version): RegExp;
}

const PEERS: readonly Peer[] = [
  {
    name: 'openssl',
    available: have('openssl'),
    server: (v, g, c) => opensslServer(v, g.openssl, c),
    client: (port, v, g, c) => opensslClient(port, v, `${g.openssl}:P-256`, c),
    reports: (g) => g.tempKey,
  },
  {
    name: 'node',
    available: true,
    server: (v, g, c) => nodeServer(v, g.openssl, c),
    client: (port, v, g, c) => nodeClient(port, v, `${g.openssl}:P-256`, c),
    reports: (g) => new RegExp(`^group ${g.nodeName}$`, 'm'),
  },
  {
    name: 'gnutls',
    available: haveGnutls(),
    server: (v, g, c) => gnutlsServer(v, `+GROUP-${g.gnutls}`, c),
    client: (port, v, g, c) => gnutlsClient(port, v, `+GROUP-${g.gnutls}:+GROUP-SECP256R1`, c),
    reports: (g, v) =>
      new RegExp(
        `- Description: \\(${v.description.replace('.', '\\.')}-X\\.509\\)-\\(ECDHE-${g.gnutls}\\)-`,
      ),
  },
];

for (const peer of PEERS) {
  if (!peer.available)
    test(`${peer.name} is absent`, (t) => t.log(`${peer.name} not installed: its cases are skipped`));
}

/** Our client against the peer's server, then the peer's client against our server. */
async function bothRoles(
  t: ExecutionContext,
  peer: Peer,
  version: Version,
  g: GroupNames,
  provider: CryptoProvider,
  credentials: Credentials,
): Promise<{ client: Connection; server: Connection }> {
  const peerServer = await peer.server(version, g, credentials);
  let client: Connection;
  try {
    // TLS 1.2 peers (OpenSSL, GnuTLS) want the curve of their ECDSA certificate in the client's
    // supported_groups (RFC 8422 §5.3): our client lists P-256 after the group under test, which
    // is the only one the peer server takes.
    client = await ourClient(
      peerServer.port,
      {
        provider,
        versions: [version.version],
        groups: [g.group, 'secp256r1'],
        trustRoot: credentials.trustStore,
      },
      peerServer.reply,
    );
  } finally {
    await peerServer.close();
  }
  t.is(client.tlsVersion, version.version);
  t.is(client.namedGroup, g.group, 'our client');

  const server = await ourServer({ provider, versions: [version.version], groups: [g.group] }, credentials);
  try {
    const output = await peer.client(server.port, version, g, credentials);
    t.regex(output, peer.reports(g, version), output);
    t.regex(output, /hello from \w+/, 'echo received');
    t.is(server.connections.length, 1);
    t.is(server.connections[0]!.namedGroup, g.group, 'our server');
    t.is(server.connections[0]!.tlsVersion, version.version);
    return { client, server: server.connections[0]! };
  } finally {
    await server.close();
  }
}

for (const peer of PEERS) {
  const maybe = peer.available ? test.serial : test.skip;
  for (const g of GROUPS) {
    for (const version of VERSIONS) {
      for (const provider of PROVIDERS) {
        maybe(
          `${g.group} ${version.version} with ${peer.name}, both roles (${provider.name} provider)`,
          async (t) => {
            await bothRoles(t, peer, version, g, provider, ecdsaP256);
          },
        );
      }
    }
  }
}

// --- HelloRetryRequest: our client shares X25519, the server wants X448 (RFC 8446 §4.1.4) ---

for (const peer of PEERS) {
  const maybe = peer.available ? test.serial : test.skip;
  for (const provider of PROVIDERS) {
    maybe(`HelloRetryRequest to x448 from ${peer.name}'s server (${provider.name} provider)`, async (t) => {
      const x448 = GROUPS[0]!;
      const peerServer = await peer.server(VERSIONS[0], x448, ecdsaP256);
      const hellos = new HelloCounter();
      try {
        const connection = await ourClient(
          peerServer.port,
          { provider, groups: ['x25519', 'x448'], versions: ['TLSv1.3'] },
          peerServer.reply,
          hellos,
        );
        t.is(connection.namedGroup, 'x448');
        t.is(hellos.clientHellos, 2, 'a second ClientHello after the HelloRetryRequest');
      } finally {
        await peerServer.close();
      }
    });
  }
}

const maybeOpenssl = have('openssl') ? test.serial : test.skip;

for (const provider of PROVIDERS) {
  maybeOpenssl(
    `HelloRetryRequest to x448 from our server, s_client sharing X25519 (${provider.name} provider)`,
    async (t) => {
      const server = await ourServer({ provider, groups: ['x448'] }, ecdsaP256);
      try {
        // s_client sends a key share for its first group only.
        const output = await opensslClient(server.port, VERSIONS[0], 'X25519:X448', ecdsaP256);
        t.regex(output, GROUPS[0]!.tempKey, output);
        t.is(server.hellos.helloRetryRequests, 1);
        t.is(server.connections[0]!.namedGroup, 'x448');
      } finally {
        await server.close();
      }
    },
  );
}

// --- Our server with its default groups: a client offering one group only is served ---

const ONLY: readonly { group: NamedGroupName; openssl: string; gnutls: string }[] = [
  { group: 'x448', openssl: 'X448', gnutls: 'X448' },
  { group: 'secp521r1', openssl: 'P-521', gnutls: 'SECP521R1' },
  { group: 'ffdhe2048', openssl: 'ffdhe2048', gnutls: 'FFDHE2048' },
  { group: 'ffdhe4096', openssl: 'ffdhe4096', gnutls: 'FFDHE4096' },
];

for (const peer of PEERS.filter((p) => p.name !== 'node')) {
  const maybe = peer.available ? test.serial : test.skip;
  for (const only of ONLY) {
    maybe(`our server by default serves ${peer.name} offering ${only.group} only (TLS 1.3)`, async (t) => {
      const server = await ourServer({}, ecdsaP256);
      try {
        const output =
          peer.name === 'openssl'
            ? await opensslClient(server.port, VERSIONS[0], only.openssl, ecdsaP256)
            : await gnutlsClient(server.port, VERSIONS[0], `+GROUP-${only.gnutls}`, ecdsaP256);
        t.regex(output, /hello from \w+/, output);
        t.is(server.connections[0]?.namedGroup, only.group);
        t.is(server.hellos.helloRetryRequests, 0, 'no HelloRetryRequest: the only share offered was taken');
      } finally {
        await server.close();
      }
    });
  }
}

// TLS 1.2 does not bind ECDSA schemes to the key's curve: a P-256 key serves any ECDSA hash.
for (const [sigalg, scheme] of [
  ['ECDSA+SHA384', 'ecdsa_secp384r1_sha384'],
  ['ECDSA+SHA512', 'ecdsa_secp521r1_sha512'],
] as const) {
  maybeOpenssl(
    `our server by default signs with ${scheme} for s_client -sigalgs ${sigalg} (TLS 1.2)`,
    async (t) => {
      const server = await ourServer({}, ecdsaP256);
      try {
        const child = spawnOpensslClient(server.port, ecdsaP256.root, ['-tls1_2', '-sigalgs', sigalg]);
        try {
          await typeLines(child, ['hello from openssl', 'BYE']);
          t.regex(await outputAtExit(child), /hello from openssl/);
        } finally {
          child.kill();
        }
        t.is(server.connections[0]?.signatureScheme, scheme);
      } finally {
        await server.close();
      }
    },
  );
}

// --- An ECDSA P-521 certificate (ecdsa_secp521r1_sha512), chain and key made by openssl ---

const p521 = have('openssl') ? opensslP521() : undefined;
test.after.always(() => {
  if (p521) rmSync(join(p521.root, '..'), { recursive: true, force: true });
});

for (const peer of PEERS) {
  const maybe = peer.available && p521 ? test.serial : test.skip;
  for (const version of VERSIONS) {
    for (const provider of PROVIDERS) {
      maybe(
        `ECDSA P-521 certificate over secp521r1, ${version.version} with ${peer.name} (${provider.name} provider)`,
        async (t) => {
          const { client, server } = await bothRoles(t, peer, version, GROUPS[1]!, provider, p521!);
          // TLS 1.3 binds the scheme to the curve (RFC 8446 §4.2.3); TLS 1.2 only to ECDSA.
          for (const scheme of [client.signatureScheme, server.signatureScheme]) {
            if (version.version === 'TLSv1.3') t.is(scheme, 'ecdsa_secp521r1_sha512');
            else t.regex(scheme ?? '', /^ecdsa_/);
          }
          t.is(client.peerCertificates.length, 2, 'leaf and the P-521 root');
        },
      );
    }
  }
}

// --- The Node adapter: node:tls's ecdhCurve names for the new groups, both roles ---

test('Node adapter: ecdhCurve X448 (connect) and P-521 (createServer) against node:tls', async (t) => {
  const peer = await nodeServer(VERSIONS[0], 'X448', ecdsaP256);
  try {
    const socket = adapterConnect({
      host: '127.0.0.1',
      port: peer.port,
      servername: 'localhost',
      ca: readFileSync(ecdsaP256.root, 'utf8'),
      ecdhCurve: 'X448',
    });
    await once(socket, 'secureConnect');
    t.is(socket.connection.namedGroup, 'x448');
    t.is(groupDisplayName(socket.connection.namedGroup), 'X448');
    socket.end();
    socket.resume();
    await once(socket, 'close');
  } finally {
    await peer.close();
  }

  const server = createServer(
    {
      key: readFileSync(ecdsaP256.key, 'utf8'),
      cert: readFileSync(ecdsaP256.cert, 'utf8'),
      ecdhCurve: 'P-521',
    },
    (socket) => {
      let seen = '';
      socket.on('data', (d: Buffer) => {
        socket.write(d);
        seen += d.toString('latin1');
        if (seen.includes('BYE')) socket.end();
      });
    },
  );
  const accepted = once(server, 'secureConnection') as Promise<[TLSSocket]>;
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  try {
    const { port } = server.address() as net.AddressInfo;
    const output = await nodeClient(port, VERSIONS[0], 'X25519:P-521', ecdsaP256);
    t.regex(output, /^group secp521r1$/m, 'HelloRetryRequest from X25519 to P-521');
    const [socket] = await accepted;
    t.is(socket.connection.namedGroup, 'secp521r1');
    t.is(groupDisplayName(socket.connection.namedGroup), 'P-521');
  } finally {
    await new Promise((res) => server.close(res));
  }
  t.throws(() => adapterConnect({ port: 1, ecdhCurve: 'X448:constructor' }), {
    message: /unknown group "constructor"/,
  });
});
