// Interop with GnuTLS: our client against `gnutls-serv`, `gnutls-cli` against our server, over
// loopback. Facts are checked on both sides: the "- Description:" line GnuTLS prints and our
// Connection's tlsVersion / cipherSuite / namedGroup / signatureScheme.
import { randomBytes } from 'node:crypto';
import { type Child, gnutlsClient, gnutlsServer, haveGnutls } from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import { ClientTLS, type Connection, ServerTLS, TLS12_SUITES, type TLSVersion } from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { HelloCounter } from './helpers/hello-counter.js';
import { pemFiles } from './helpers/openssl.js';
import { type KeyKind, pki } from './helpers/pki.js';
import { connect, listen, type Session } from './helpers/socket.js';

const available = haveGnutls();
const maybe = available ? test.serial : test.skip;
if (!available) test('GnuTLS is absent', (t) => t.log('gnutls-bin not installed: GnuTLS interop skipped'));

/** TLS 1.2 cases run once the engine accepts a TLS 1.2-only configuration. */
function engineHasTls12(): boolean {
  try {
    new ClientTLS({ serverHostname: 'localhost', versions: ['TLSv1.2'], trustRoot: pki().trustStore });
    return TLS12_SUITES.length > 0;
  } catch {
    return false;
  }
}
const tls12 = available && engineHasTls12();
const maybe12 = tls12 ? test.serial : test.skip;
if (available && !tls12)
  test('TLS 1.2 is absent', (t) => t.log('engine has no TLS 1.2: GnuTLS 1.2 cases skipped'));

const TLS13 = 'NORMAL:-VERS-ALL:+VERS-TLS1.3';
const TLS12 = 'NORMAL:-VERS-ALL:+VERS-TLS1.2';
const SUITES = [
  ['TLS_AES_128_GCM_SHA256', 'AES-128-GCM'],
  ['TLS_AES_256_GCM_SHA384', 'AES-256-GCM'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'CHACHA20-POLY1305'],
] as const;
const GROUPS = [
  ['x25519', 'X25519'],
  ['secp256r1', 'SECP256R1'],
  ['secp384r1', 'SECP384R1'],
] as const;

type ClientOptions = Partial<ConstructorParameters<typeof ClientTLS>[0]>;
type ServerOptions = Partial<ConstructorParameters<typeof ServerTLS>[0]>;

/** `gnutls-serv --echo` with the leaf of `kind` (on the wildcard address: we connect to 127.0.0.1). */
function gnutlsServ(args: string[], kind: KeyKind = 'ecdsa'): Promise<{ child: Child; port: number }> {
  const files = pemFiles(kind);
  return gnutlsServer(files.cert, files.key, args);
}

/** Waits for the `n`th "- Description:" line of a GnuTLS tool and returns it. */
async function description(child: Child, n = 1): Promise<string> {
  const m = await child.waitFor(new RegExp(`(?:[\\s\\S]*?- Description: ([^\\n]*)\\n){${n}}`));
  return m[1]!;
}

/**
 * One connection of `client` to gnutls-serv --echo: sends a line of `size` random hex digits, checks
 * the echo, then closes with close_notify and waits for the socket to close.
 */
async function echoOnce(
  t: ExecutionContext,
  port: number,
  client: ClientTLS,
  size = 2000,
  during?: (c: Connection) => void,
): Promise<{ connection: Connection; clientHellos: number }> {
  const payload = Buffer.from(`${randomBytes(size / 2).toString('hex')}\n`);
  const hellos = new HelloCounter();
  const session: Session = await connect(
    port,
    (w, c, e) => client.start(hellos.counting(w), c, undefined, e),
    (_d, s) => {
      if (s.received() >= payload.length) s.connection.applicationFinished();
    },
  );
  await session.handshake;
  during?.(session.connection);
  session.connection.dataFromApplication(payload);
  const echoed = await session.done;
  t.true(echoed.equals(payload), `echo of ${payload.length} bytes matches (got ${echoed.length})`);
  return { connection: session.connection, clientHellos: hellos.clientHellos };
}

function newClient(options: ClientOptions = {}): ClientTLS {
  return new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...options });
}

/** Our client against a fresh gnutls-serv; returns our connection and gnutls-serv's description. */
async function ourClient(
  t: ExecutionContext,
  serverArgs: string[],
  clientOptions: ClientOptions = {},
  kind: KeyKind = 'ecdsa',
  size?: number,
): Promise<{ connection: Connection; clientHellos: number; described: string; output: string }> {
  const { child, port } = await gnutlsServ(['-a', ...serverArgs], kind);
  try {
    const result = await echoOnce(t, port, newClient(clientOptions), size);
    const described = await description(child);
    return { ...result, described, output: child.output() };
  } finally {
    child.kill();
  }
}

// --- TLS 1.3: our client -> gnutls-serv ---

for (const [suite, cipher] of SUITES) {
  maybe(`our client -> gnutls-serv: ${suite}`, async (t) => {
    const { connection, described } = await ourClient(t, ['--priority', `${TLS13}:-CIPHER-ALL:+${cipher}`]);
    t.is(connection.tlsVersion, 'TLSv1.3');
    t.is(connection.cipherSuite, suite);
    t.regex(described, new RegExp(`^\\(TLS1\\.3-X\\.509\\)-.*-\\(${cipher}\\)$`));
  });
}

for (const [group, gnutlsGroup] of GROUPS) {
  maybe(`our client -> gnutls-serv: group ${gnutlsGroup}`, async (t) => {
    const { connection, described, clientHellos } = await ourClient(
      t,
      ['--priority', `${TLS13}:-GROUP-ALL:+GROUP-${gnutlsGroup}`],
      { groups: [group] },
    );
    t.is(connection.namedGroup, group);
    t.is(clientHellos, 1);
    t.regex(described, new RegExp(`-\\(ECDHE-${gnutlsGroup}\\)-`));
  });
}

for (const [kind, scheme, gnutlsScheme] of [
  ['ecdsa', 'ecdsa_secp256r1_sha256', 'ECDSA-SECP256R1-SHA256'],
  ['ecdsa384', 'ecdsa_secp384r1_sha384', 'ECDSA-SECP384R1-SHA384'],
  ['rsa', 'rsa_pss_rsae_sha256', 'RSA-PSS-RSAE-SHA256'],
  ['ed25519', 'ed25519', 'EdDSA-Ed25519'],
] as const) {
  maybe(`our client -> gnutls-serv: ${kind} certificate`, async (t) => {
    const { connection, described } = await ourClient(t, ['--priority', TLS13], {}, kind);
    t.is(connection.signatureScheme, scheme);
    t.is(connection.peerCertificates.length, 2, 'validated chain: leaf and our root');
    t.regex(described, new RegExp(`-\\(${gnutlsScheme}\\)-`));
  });
}

maybe('our client -> gnutls-serv: ALPN', async (t) => {
  const { connection, output } = await ourClient(t, ['--priority', TLS13, '--alpn', 'h2'], {
    alpnProtocols: ['http/1.1', 'h2'],
  });
  t.is(connection.alpnProtocol, 'h2');
  t.regex(output, /- Application protocol: h2/);
});

maybe('our client -> gnutls-serv: HelloRetryRequest to SECP384R1 (server precedence)', async (t) => {
  // We share x25519mlkem768 + x25519; the server prefers secp384r1, which we support but did not share.
  const { connection, described, clientHellos } = await ourClient(t, [
    '--priority',
    `${TLS13}:-GROUP-ALL:+GROUP-SECP384R1:+GROUP-X25519:%SERVER_PRECEDENCE`,
  ]);
  t.is(clientHellos, 2);
  t.is(connection.namedGroup, 'secp384r1');
  t.regex(described, /-\(ECDHE-SECP384R1\)-/);
});

maybe('our client -> gnutls-serv: 256 KB echoed, close_notify answered', async (t) => {
  const { child, port } = await gnutlsServ(['-a', '--priority', TLS13]);
  try {
    const { connection } = await echoOnce(t, port, newClient(), 256 * 1024);
    t.true(connection.ended, "gnutls-serv's close_notify seen");
    t.is(connection.state, 'closed');
  } finally {
    child.kill();
  }
});

maybe('our client -> gnutls-serv: our KeyUpdate (update_requested) is answered', async (t) => {
  // -d 4 makes gnutls-serv log the KeyUpdate messages it receives and sends.
  const { child, port } = await gnutlsServ(['-a', '--priority', TLS13, '-d', '4']);
  try {
    const { connection } = await echoOnce(t, port, newClient(), 2000, (c) => c.keyUpdate(true));
    t.true(connection.ended);
    t.regex(child.output(), /received TLS 1\.3 key update \(1\)/);
    t.regex(child.output(), /sending key update \(0\)/);
  } finally {
    child.kill();
  }
});

maybe('our client -> gnutls-serv: resumption with its ticket', async (t) => {
  const { child, port } = await gnutlsServ(['-a', '--priority', TLS13]);
  try {
    const client = newClient();
    const first = await echoOnce(t, port, client);
    const second = await echoOnce(t, port, client);
    t.false(first.connection.resumed);
    t.true(second.connection.resumed);
    t.is(second.connection.tlsVersion, 'TLSv1.3');
    await description(child, 2);
    t.regex(child.output(), /\*\*\* This is a resumed session/);
  } finally {
    child.kill();
  }
});

// GnuTLS's TLS 1.3 CertificateRequest carries an empty status_request extension
// (RFC 8446 §4.4.2.1); it once made our client fail with decode_error.
maybe('our client -> gnutls-serv requesting a client certificate (its default)', async (t) => {
  const { child, port } = await gnutlsServ(['--priority', TLS13]);
  try {
    const { connection } = await echoOnce(t, port, newClient());
    t.is(connection.tlsVersion, 'TLSv1.3');
  } finally {
    child.kill();
  }
});

/**
 * Our client, with the leaf of `kind` as its certificate, against gnutls-serv (`priority`)
 * requiring and verifying one; checks the version, returns gnutls-serv's output.
 */
async function clientCertificateToGnutlsServ(
  t: ExecutionContext,
  priority: string,
  options: ClientOptions,
  kind: KeyKind,
  version: TLSVersion,
): Promise<string> {
  const files = pemFiles('ecdsa');
  const { child, port } = await gnutlsServ([
    '--priority',
    priority,
    '-r',
    '--verify-client-cert',
    '--x509cafile',
    files.root,
  ]);
  try {
    const store = new PkiStore(kind);
    const { connection } = await echoOnce(t, port, newClient({ ...options, clientCertificateStore: store }));
    t.is(connection.tlsVersion, version);
    await description(child);
    return child.output();
  } finally {
    child.kill();
  }
}

maybe('our client -> gnutls-serv requiring and verifying a client certificate', async (t) => {
  const output = await clientCertificateToGnutlsServ(t, TLS13, {}, 'ed25519', 'TLSv1.3');
  t.regex(output, /- Client Signature: EdDSA-Ed25519/);
  t.regex(output, /Subject Public Key Algorithm: EdDSA \(Ed25519\)/);
});

// --- TLS 1.3: gnutls-cli -> our server ---

interface CliRun {
  output: string;
  connections: Connection[];
  received: string[];
}

/**
 * gnutls-cli against our ServerTLS: our server greets on handshake completion and echoes; "BYE"
 * makes it close (close_notify). `script` writes to gnutls-cli's stdin once it is connected.
 */
async function cliToOurServer(
  serverOptions: ServerOptions,
  cliArgs: string[],
  script: (cli: Child) => Promise<void>,
  kind: KeyKind = 'ecdsa',
): Promise<CliRun> {
  const files = pemFiles(kind);
  const server = new ServerTLS({ certificates: pki().chain(kind), ...serverOptions });
  const connections: Connection[] = [];
  const received: string[] = [];
  const listener = await listen(
    (w, c, e) => server.start(w, c, undefined, e),
    (s) => {
      const index = connections.push(s.connection) - 1;
      received[index] = '';
      // A client that closes with its Finished (gnutls-cli --resume, which has its ticket from our
      // flight, RFC 8446 §4.6.1) gets no greeting.
      s.handshake.then(
        () => {
          if (s.connection.state === 'open')
            s.connection.dataFromApplication(new TextEncoder().encode(`greetings ${index} from tls-kit\n`));
        },
        () => {},
      );
    },
    (d, s) => {
      const index = connections.indexOf(s.connection);
      received[index] += new TextDecoder().decode(d);
      s.connection.dataFromApplication(d);
      if (received[index]!.includes('BYE')) s.connection.applicationFinished();
    },
  );
  const cli = gnutlsClient(listener.port, files.root, cliArgs);
  try {
    await script(cli);
    await cli.exited;
    return { output: cli.output(), connections, received };
  } finally {
    cli.kill();
    await listener.close();
  }
}

/** Waits for the handshake and greeting, sends a line and BYE. */
async function helloBye(cli: Child): Promise<void> {
  await cli.waitFor(/greetings 0 from tls-kit/);
  cli.process.stdin.write('hello from gnutls\nBYE\n');
}

for (const [suite, cipher] of SUITES) {
  maybe(`gnutls-cli -> our server: ${suite}, data both ways, our close_notify`, async (t) => {
    const { output, connections, received } = await cliToOurServer(
      {},
      ['--priority', `${TLS13}:-CIPHER-ALL:+${cipher}`],
      helloBye,
    );
    const [connection] = connections;
    t.is(connections.length, 1);
    t.is(connection!.tlsVersion, 'TLSv1.3');
    t.is(connection!.cipherSuite, suite);
    t.regex(output, new RegExp(`- Description: \\(TLS1\\.3-X\\.509\\)-.*-\\(${cipher}\\)\\n`));
    t.regex(output, /- Status: The certificate is trusted/);
    t.is(received[0], 'hello from gnutls\nBYE\n');
    t.regex(output, /hello from gnutls/);
    // gnutls-cli reports our close_notify and exits without answering it.
    t.regex(output, /Peer has closed the GnuTLS connection/);
    t.is(connection!.state, 'closing');
  });
}

for (const [group, gnutlsGroup] of GROUPS) {
  maybe(`gnutls-cli -> our server: group ${gnutlsGroup}`, async (t) => {
    const { output, connections } = await cliToOurServer(
      {},
      ['--priority', `${TLS13}:-GROUP-ALL:+GROUP-${gnutlsGroup}`],
      helloBye,
    );
    t.is(connections[0]!.namedGroup, group);
    t.regex(output, new RegExp(`- Description: \\(TLS1\\.3-X\\.509\\)-\\(ECDHE-${gnutlsGroup}\\)-`));
  });
}

for (const [kind, gnutlsScheme] of [
  ['rsa', 'RSA-PSS-RSAE-SHA256'],
  ['ed25519', 'EdDSA-Ed25519'],
  ['ecdsa384', 'ECDSA-SECP384R1-SHA384'],
] as const) {
  maybe(`gnutls-cli -> our server: ${kind} certificate`, async (t) => {
    const { output } = await cliToOurServer({}, ['--priority', TLS13], helloBye, kind);
    t.regex(output, new RegExp(`- Description: .*-\\(${gnutlsScheme}\\)-`));
    t.regex(output, /- Status: The certificate is trusted/);
  });
}

maybe('gnutls-cli -> our server: HelloRetryRequest (it shares X25519 + P-256, we want P-384)', async (t) => {
  // gnutls-cli sends one share per curve family (X25519, then the first NIST curve); -d 4 logs the HRR.
  const { output, connections } = await cliToOurServer(
    { groups: ['secp384r1'] },
    ['-d', '4', '--priority', `${TLS13}:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1`],
    helloBye,
  );
  t.is(connections[0]!.namedGroup, 'secp384r1');
  t.regex(output, /HELLO RETRY REQUEST \(\d+\) was received/);
  t.regex(output, /HRR key share with SECP384R1/);
  t.regex(output, /- Description: \(TLS1\.3-X\.509\)-\(ECDHE-SECP384R1\)-/);
});

maybe('gnutls-cli -> our server: ALPN', async (t) => {
  const { output, connections } = await cliToOurServer(
    { alpnProtocols: ['h2', 'http/1.1'] },
    ['--priority', TLS13, '--alpn', 'http/1.1'],
    helloBye,
  );
  t.is(connections[0]!.alpnProtocol, 'http/1.1');
  t.regex(output, /- Application protocol: http\/1\.1/);
});

maybe('gnutls-cli -> our server: its close_notify (stdin closed) is answered', async (t) => {
  const { output, connections, received } = await cliToOurServer({}, ['--priority', TLS13], async (cli) => {
    await cli.waitFor(/greetings 0 from tls-kit/);
    cli.process.stdin.end('last words\n');
  });
  t.is(received[0], 'last words\n');
  t.true(connections[0]!.ended, "gnutls-cli's close_notify seen");
  t.is(connections[0]!.state, 'closed');
  t.notRegex(output, /Fatal error/);
});

maybe('gnutls-cli -> our server: KeyUpdate asked by gnutls-cli (^rekey^) is answered', async (t) => {
  // ^rekey^ sends KeyUpdate(update_requested); -d 4 logs our KeyUpdate(update_not_requested) arriving.
  const { output, received } = await cliToOurServer(
    {},
    ['--priority', TLS13, '--inline-commands', '-d', '4'],
    async (cli) => {
      await cli.waitFor(/greetings 0 from tls-kit/);
      cli.process.stdin.write('before\n^rekey^\n');
      await cli.waitFor(/Rekey was completed[\s\S]*before\n|before\n[\s\S]*Rekey was completed/);
      cli.process.stdin.write('after\nBYE\n');
    },
  );
  t.regex(received[0]!, /before\n[\s\S]*after\nBYE\n/);
  t.regex(output, /sending key update \(1\)/);
  t.regex(output, /received TLS 1\.3 key update \(0\)/);
  t.regex(output, /\nafter\n/);
  t.notRegex(output, /Fatal error/);
});

maybe('gnutls-cli -> our server: client certificate required and verified', async (t) => {
  const files = pemFiles('ecdsa384');
  const { output, connections } = await cliToOurServer(
    { clientAuth: 'require', clientTrustRoot: pki().trustStore },
    ['--priority', TLS13, '--x509certfile', files.cert, '--x509keyfile', files.key],
    helloBye,
  );
  const peer = connections[0]!.peerCertificates;
  t.is(peer.length, 2, 'validated chain: leaf and root');
  t.is(peer[0]!.toPem(), pki().leaf('ecdsa384').toPem());
  t.regex(output, /hello from gnutls/);
});

maybe(
  'gnutls-cli -> our server: a missing required client certificate gets certificate_required',
  async (t) => {
    const { output, connections } = await cliToOurServer(
      { clientAuth: 'require', clientTrustRoot: pki().trustStore },
      ['--priority', TLS13],
      async (cli) => {
        await cli.waitFor(/Fatal error|Handshake has failed|closed/i);
      },
    );
    t.regex(output, /certificate is required/i);
    t.is(connections[0]!.state, 'invalidated');
  },
);

maybe('gnutls-cli --resume -> our server: resumed with our ticket', async (t) => {
  const { output, connections } = await cliToOurServer(
    {},
    ['--priority', TLS13, '--resume', '--waitresumption'],
    async (cli) => {
      await cli.waitFor(/Resume Handshake was completed/);
      await cli.waitFor(/greetings 1 from tls-kit/);
      cli.process.stdin.write('BYE\n');
    },
  );
  t.is(connections.length, 2);
  t.false(connections[0]!.resumed);
  t.true(connections[1]!.resumed);
  t.regex(output, /\*\*\* This is a resumed session/);
});

// --- TLS 1.2 (runs when the engine supports it) ---

const SUITES12 = [
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ecdsa', 'ECDHE-ECDSA', 'AES-128-GCM'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ecdsa', 'ECDHE-ECDSA', 'AES-256-GCM'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ed25519', 'ECDHE-ECDSA', 'CHACHA20-POLY1305'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'rsa', 'ECDHE-RSA', 'AES-128-GCM'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'rsa', 'ECDHE-RSA', 'CHACHA20-POLY1305'],
  ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'rsa', 'DHE-RSA', 'AES-256-GCM'],
] as const;

const priority12 = (kx: string, cipher: string) => `${TLS12}:-KX-ALL:+${kx}:-CIPHER-ALL:+${cipher}`;

for (const [suite, kind, kx, cipher] of SUITES12) {
  maybe12(`TLS 1.2: our client -> gnutls-serv: ${suite} (${kind})`, async (t) => {
    const { connection, described, output } = await ourClient(
      t,
      ['--priority', priority12(kx, cipher)],
      { versions: ['TLSv1.2'], groups: ['x25519', 'secp256r1', 'ffdhe2048'] },
      kind,
    );
    t.is(connection.tlsVersion, 'TLSv1.2');
    t.is(connection.cipherSuite, suite);
    t.regex(described, new RegExp(`^\\(TLS1\\.2-X\\.509\\)-\\(${kx.split('-')[0]}-.*-\\(${cipher}\\)$`));
    t.regex(output, /- Options: extended master secret, safe renegotiation/);
  });

  maybe12(`TLS 1.2: gnutls-cli -> our server: ${suite} (${kind})`, async (t) => {
    const { output, connections, received } = await cliToOurServer(
      { groups: ['x25519', 'secp256r1', 'ffdhe2048'] },
      ['--priority', priority12(kx, cipher)],
      helloBye,
      kind,
    );
    t.is(connections[0]!.tlsVersion, 'TLSv1.2');
    t.is(connections[0]!.cipherSuite, suite);
    t.regex(output, new RegExp(`- Description: \\(TLS1\\.2-X\\.509\\)-.*-\\(${cipher}\\)\\n`));
    t.is(received[0], 'hello from gnutls\nBYE\n');
    t.regex(output, /Peer has closed the GnuTLS connection/);
  });
}

maybe12('TLS 1.2: our default client (1.3 and 1.2) -> a TLS 1.2-only gnutls-serv', async (t) => {
  const { connection, described } = await ourClient(t, ['--priority', TLS12]);
  t.is(connection.tlsVersion, 'TLSv1.2');
  t.regex(described, /^\(TLS1\.2-X\.509\)-\(ECDHE-/);
});

for (const [how, args] of [
  ['session ID', ['--noticket']],
  ['ticket', ['--nodb']],
] as const) {
  maybe12(`TLS 1.2: our client -> gnutls-serv: resumption by ${how}`, async (t) => {
    const { child, port } = await gnutlsServ(['-a', '--priority', TLS12, ...args]);
    try {
      const client = newClient({ versions: ['TLSv1.2'] });
      const first = await echoOnce(t, port, client);
      const second = await echoOnce(t, port, client);
      t.false(first.connection.resumed);
      t.true(second.connection.resumed);
      await description(child, 2);
      t.regex(child.output(), /\*\*\* This is a resumed session/);
    } finally {
      child.kill();
    }
  });
}

maybe12('TLS 1.2: our client -> gnutls-serv requiring and verifying a client certificate', async (t) => {
  const output = await clientCertificateToGnutlsServ(t, TLS12, { versions: ['TLSv1.2'] }, 'rsa', 'TLSv1.2');
  t.regex(output, /- Client Signature: RSA-PSS-RSAE-SHA256/);
  t.regex(output, /Modulus \(bits 2048\)/);
});

maybe12('TLS 1.2: gnutls-cli -> our server: client certificate required and verified', async (t) => {
  const files = pemFiles('rsa');
  const { connections } = await cliToOurServer(
    { clientAuth: 'require', clientTrustRoot: pki().trustStore },
    ['--priority', TLS12, '--x509certfile', files.cert, '--x509keyfile', files.key],
    helloBye,
  );
  t.is(connections[0]!.tlsVersion, 'TLSv1.2');
  t.is(connections[0]!.peerCertificates[0]!.toPem(), pki().leaf('rsa').toPem());
});

maybe12('TLS 1.2: gnutls-cli --resume -> our server', async (t) => {
  const { output, connections } = await cliToOurServer({}, ['--priority', TLS12, '--resume'], async (cli) => {
    await cli.waitFor(/Resume Handshake was completed/);
    await cli.waitFor(/greetings 1 from tls-kit/);
    cli.process.stdin.write('BYE\n');
  });
  t.is(connections.length, 2);
  t.is(connections[1]!.tlsVersion, 'TLSv1.2');
  t.true(connections[1]!.resumed);
  t.regex(output, /\*\*\* This is a resumed session/);
});
