// Fuzz targets: each takes arbitrary bytes and throws only when a property fails (an exception
// that is not one of the documented error types, state used after a fatal error, unbounded
// output). The coverage-guided runner (run.ts, `pnpm fuzz`) and the corpus replay test share them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Certificate,
  CertificateError,
  loadCertificateChainPem,
  loadTrustStorePem,
  ServerCertificateChain,
} from '@tls-kit/certs';
import type { CryptoProvider, KeyExchangeGroup } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { nodeProvider } from '@tls-kit/crypto/node';
import {
  ContentType,
  dissect,
  Handshake,
  HandshakeSplitter,
  HandshakeType,
  MAX_PLAINTEXT_LENGTH,
  ProtocolVersion,
  RecordSplitter,
} from '@tls-kit/messages';
import { WireError } from '@tls-kit/wire';
import type { ConnectionCore } from '../../src/core.js';
import { frameHandshake } from '../../src/handshake/messages.js';
import {
  BadTLSDataError,
  ClientTLS,
  type Connection,
  InvalidatedError,
  ServerTLS,
  TLSAlertError,
  type TLSVersion,
} from '../../src/index.js';
import { pki } from '../helpers/pki.js';

/** A property a target found broken: what the runner and the replay test report. */
export class PropertyViolation extends Error {}

export interface FuzzTarget {
  readonly name: string;
  /** Inputs to start from: recorded handshakes. */
  seeds(): Uint8Array[];
  run(data: Uint8Array): void;
}

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(here, 'corpus');
const CAPTURES = join(here, '../../../messages/test/fixtures');

/** The committed corpus of a target (files named by content hash). */
export function corpusOf(name: string): Uint8Array[] {
  const dir = join(CORPUS_DIR, name);
  try {
    return readdirSync(dir)
      .sort()
      .map((f) => new Uint8Array(readFileSync(join(dir, f))));
  } catch {
    return [];
  }
}

/** The recorded byte streams of one direction of the capture fixtures (real OpenSSL, GnuTLS, Node). */
function captures(direction: 'c2s' | 's2c', version: '12' | '13'): Uint8Array[] {
  return readdirSync(CAPTURES)
    .filter((f) => f.endsWith(`.${direction}.bin`) && f.includes(`tls${version}`))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(CAPTURES, f))));
}

// --- Parsers: @tls-kit/messages and @tls-kit/certs ---

const handshakeCodecs = [
  Handshake(),
  Handshake({ version: ProtocolVersion.TLS1_3 }),
  Handshake({ version: ProtocolVersion.TLS1_2, keyExchange: 'ECDHE' }),
  Handshake({ version: ProtocolVersion.TLS1_2, keyExchange: 'DHE' }),
];

/** Only the codecs' documented errors (WireError: DecodeError, IncompleteDataError). */
function wireErrorsOnly(f: () => void): void {
  try {
    f();
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
  }
}

const records: FuzzTarget = {
  name: 'records',
  seeds: () => [
    ...captures('c2s', '13'),
    ...captures('s2c', '13'),
    ...captures('c2s', '12'),
    ...captures('s2c', '12'),
  ],
  run(data) {
    const splitter = new RecordSplitter();
    const messages = new HandshakeSplitter();
    wireErrorsOnly(() => {
      splitter.push(data);
      for (let r = splitter.next(); r; r = splitter.next()) {
        if (r.record.type !== ContentType.handshake) continue;
        messages.push(r.record.fragment);
        for (let m = messages.next(); m; m = messages.next()) {
          for (const codec of handshakeCodecs) wireErrorsOnly(() => codec.parse(m.bytes));
        }
      }
    });
    // The dissector reports what it cannot parse in its output instead of throwing.
    wireErrorsOnly(() => dissect(data));
  },
};

// A fixed Ed25519 chain (made once with the openssl CLI, valid 2026-2036) and a fixed clock:
// handshakes, and so the committed corpus, are the same in every run.
const pem = (file: string) => readFileSync(join(here, 'pki', file), 'utf8');
const chainPem = pem('chain.pem');
const chain = new ServerCertificateChain(loadCertificateChainPem(chainPem, { key: pem('leaf.key') }));
const trustStore = loadTrustStorePem(pem('root.crt'));

const x509: FuzzTarget = {
  name: 'x509',
  // The fixed chain, and the test PKI's ECDSA and RSA leaves (other key types, other paths).
  seeds: () =>
    [...Certificate.fromPem(chainPem), pki().leaf('ecdsa'), pki().leaf('rsa')].map(
      (c) => new Uint8Array(Buffer.from(c.derHex, 'hex')),
    ),
  run(data) {
    try {
      const c = Certificate.fromDer(data);
      // The lazily read parts too.
      void [
        c.subject.toString(),
        c.issuer.toString(),
        c.subjectAltNames,
        c.extensions,
        c.keyUsage,
        c.extendedKeyUsage,
        c.basicConstraints,
        c.nameConstraints,
        c.certificatePolicies,
        c.authorityKeyIdentifier,
        c.isSelfIssued,
        c.publicKey,
      ];
    } catch (error) {
      if (!(error instanceof CertificateError)) throw error;
    }
  },
};

// --- Engines: deterministic endpoints, so that recorded flights replay into deep states ---

const fixed = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);
const NOW = Date.UTC(2027, 0, 1);
const FIXED_KEYS: Partial<Record<string, Uint8Array>> = {
  x25519: new Uint8Array(32).fill(7),
};

/** nodeProvider whose TLS 1.2 ECDHE shares are fixed too (TLS 1.3 takes keySharePrivateKeys). */
const fixedProvider: CryptoProvider = {
  ...nodeProvider,
  startKeyExchange: (group: KeyExchangeGroup, privateKey?: Uint8Array) =>
    nodeProvider.startKeyExchange(
      group,
      privateKey ?? (typeof group === 'string' ? FIXED_KEYS[group] : undefined),
    ),
  respondKeyExchange(group, peer) {
    const own = typeof group === 'string' ? FIXED_KEYS[group] : undefined;
    if (!own) return nodeProvider.respondKeyExchange(group, peer);
    const kx = nodeProvider.startKeyExchange(group, own);
    return { publicKey: kx.publicKey, sharedSecret: kx.complete(peer) };
  },
};

const common = (version: TLSVersion) => ({
  versions: [version],
  provider: fixedProvider,
  groups: ['x25519' as const, 'secp256r1' as const],
  keySharePrivateKeys: { x25519: FIXED_KEYS.x25519! },
  clock: () => NOW,
});

const clients = new Map<TLSVersion, ClientTLS>();
const servers = new Map<TLSVersion, ServerTLS>();

function client(version: TLSVersion): ClientTLS {
  let tls = clients.get(version);
  if (!tls) {
    tls = new ClientTLS({
      ...common(version),
      serverHostname: 'localhost',
      trustRoot: trustStore,
      random: fixed(1),
      sessionCache: false,
    });
    clients.set(version, tls);
  }
  return tls;
}

function server(version: TLSVersion): ServerTLS {
  let tls = servers.get(version);
  if (!tls) {
    // Ed25519 signatures are deterministic; no tickets, no session cache: nothing carries over.
    tls = new ServerTLS({
      ...common(version),
      certificates: chain,
      random: fixed(2),
      ticketKeys: false,
      sessionCache: false,
      clientAuth: 'request',
      clientTrustRoot: trustStore,
    });
    servers.set(version, tls);
  }
  return tls;
}

interface Endpoint {
  readonly connection: Connection;
  readonly out: Uint8Array[];
}

function start(tls: ClientTLS | ServerTLS): Endpoint {
  const out: Uint8Array[] = [];
  const connection = tls.start(
    (d) => out.push(d.slice()),
    () => {},
  );
  return { connection, out };
}

const take = (e: Endpoint) => concat(e.out.splice(0));

/** The flights of one recorded handshake: [ClientHello, server flight, client flight]. */
export function recordedFlights(version: TLSVersion): Uint8Array[] {
  const c = start(client(version));
  const s = start(server(version));
  const hello = take(c);
  s.connection.dataFromWire(hello);
  const serverFlight = take(s);
  c.connection.dataFromWire(serverFlight);
  const clientFlight = take(c);
  s.connection.dataFromWire(clientFlight);
  const serverLast = take(s);
  if (serverLast.length > 0) c.connection.dataFromWire(serverLast);
  if (s.connection.state !== 'open' || c.connection.state !== 'open')
    throw new Error(`recording the ${version} handshake failed`);
  return [hello, concat([serverFlight, serverLast]), clientFlight];
}

const isOurs = (error: unknown) =>
  error instanceof BadTLSDataError || error instanceof TLSAlertError || error instanceof InvalidatedError;

/** Output an endpoint may write for `input` bytes: its own flight plus a bounded answer per byte. */
const outputBound = (input: number) => 64 * 1024 + 8 * input;

/**
 * Feeds `chunks` to a fresh endpoint (after `prefix`, its own recorded earlier flights). Properties:
 * only our exceptions; after one, the connection is invalidated and refuses further use with
 * InvalidatedError; the bytes written stay under outputBound.
 */
function feed(endpoint: Endpoint, chunks: Uint8Array[]): void {
  let input = 0;
  let written = 0;
  const countOutput = () => {
    written += endpoint.out.reduce((n, o) => n + o.length, 0);
    endpoint.out.length = 0;
    if (written > outputBound(input))
      throw new PropertyViolation(`${written} bytes written for ${input} bytes of input`);
  };
  for (const chunk of chunks) {
    input += chunk.length;
    let failed: unknown;
    try {
      endpoint.connection.dataFromWire(chunk);
    } catch (error) {
      if (!isOurs(error)) throw error;
      failed = error;
    }
    countOutput();
    if (failed !== undefined) {
      refusesUseAfter(endpoint, failed as Error);
      return;
    }
  }
}

/** After a fatal error: invalidated, and every further use is InvalidatedError. */
function refusesUseAfter(endpoint: Endpoint, error: Error): void {
  if (endpoint.connection.state !== 'invalidated')
    throw new PropertyViolation(`state ${endpoint.connection.state} after ${error.name}`);
  for (const use of [
    () => endpoint.connection.dataFromWire(new Uint8Array([23, 3, 3, 0, 1, 0])),
    () => endpoint.connection.dataFromApplication(new Uint8Array(1)),
  ]) {
    try {
      use();
    } catch (again) {
      if (again instanceof InvalidatedError) continue;
      throw again;
    }
    throw new PropertyViolation('a connection was used after a fatal error');
  }
  if (endpoint.out.length > 0) throw new PropertyViolation('output after a fatal error');
}

/** The first byte picks where the input is cut in two (records split across reads). */
function chunks(data: Uint8Array): Uint8Array[] {
  if (data.length < 2) return [data];
  const body = data.subarray(1);
  const at = Math.floor((data[0]! / 256) * body.length);
  return [body.subarray(0, at), body.subarray(at)];
}

const withCut = (bytes: Uint8Array) => concat([new Uint8Array([255]), bytes]);

function clientTarget(version: TLSVersion): FuzzTarget {
  return {
    name: `client${version === 'TLSv1.3' ? '13' : '12'}`,
    // The server's flight to the ClientHello this client always sends; real servers' streams too.
    seeds: () =>
      [recordedFlights(version)[1]!, ...captures('s2c', version === 'TLSv1.3' ? '13' : '12')].map(withCut),
    run(data) {
      const c = start(client(version));
      c.out.length = 0;
      feed(c, chunks(data));
    },
  };
}

function serverTarget(version: TLSVersion): FuzzTarget {
  return {
    name: `server${version === 'TLSv1.3' ? '13' : '12'}`,
    // ClientHello and the client's second flight, in one stream.
    seeds: () => {
      const [hello, , clientFlight] = recordedFlights(version);
      return [concat([hello!, clientFlight!]), ...captures('c2s', version === 'TLSv1.3' ? '13' : '12')].map(
        withCut,
      );
    },
    run(data) {
      feed(start(server(version)), chunks(data));
    },
  };
}

// --- After the handshake: records the peer encrypts under the keys in force ---

/** A client and a server with a completed handshake. */
function connectedPair(version: TLSVersion): { client: Endpoint; server: Endpoint } {
  const c = start(client(version));
  const s = start(server(version));
  for (let i = 0; i < 4 && (c.out.length > 0 || s.out.length > 0); i++) {
    if (c.out.length > 0) s.connection.dataFromWire(take(c));
    if (s.out.length > 0) c.connection.dataFromWire(take(s));
  }
  return { client: c, server: s };
}

/**
 * The input as records (content type u8, length u16, body: the length is cut to what is left),
 * each protected by `peer` under its current keys; what it would send, not what it may send.
 */
function sealedBy(peer: Endpoint, data: Uint8Array): Uint8Array {
  const core = (peer.connection as unknown as { core: ConnectionCore }).core;
  for (let i = 0; i + 3 <= data.length; ) {
    const type = data[i]!;
    const body = data.subarray(
      i + 3,
      i + 3 + Math.min((data[i + 1]! << 8) | data[i + 2]!, MAX_PLAINTEXT_LENGTH),
    );
    core.perform(() => core.sendRaw(type, body));
    i += 3 + body.length;
  }
  return take(peer);
}

const record = (type: number, body: Uint8Array) =>
  concat([Uint8Array.of(type, body.length >> 8, body.length & 0xff), body]);
const handshakeRecord = (type: number, body: number[]) =>
  record(ContentType.handshake, frameHandshake(type, Uint8Array.from(body)));

function postHandshakeTarget(role: 'client' | 'server', version: TLSVersion): FuzzTarget {
  const tls13 = version === 'TLSv1.3';
  return {
    name: `${role}${tls13 ? '13' : '12'}-after-handshake`,
    seeds: () => [
      record(ContentType.application_data, new TextEncoder().encode('hello')),
      record(ContentType.alert, Uint8Array.of(1, 0)),
      record(ContentType.alert, Uint8Array.of(2, 10)),
      ...(tls13
        ? [
            handshakeRecord(HandshakeType.key_update, [1]),
            handshakeRecord(HandshakeType.new_session_ticket, [0, 0, 0, 60, 0, 0, 0, 1, 1, 0, 0, 1, 7, 0, 0]),
            handshakeRecord(HandshakeType.certificate_request, [0, 0, 8, 0, 13, 0, 4, 0, 2, 8, 7]),
          ]
        : [
            handshakeRecord(HandshakeType.hello_request, []),
            record(ContentType.handshake, recordedFlights(version)[0]!.subarray(5)),
          ]),
    ],
    run(data) {
      const pair = connectedPair(version);
      const [target, peer] = role === 'client' ? [pair.client, pair.server] : [pair.server, pair.client];
      feed(target, [sealedBy(peer, data)]);
    },
  };
}

export const TARGETS: readonly FuzzTarget[] = [
  records,
  x509,
  clientTarget('TLSv1.3'),
  serverTarget('TLSv1.3'),
  clientTarget('TLSv1.2'),
  serverTarget('TLSv1.2'),
  postHandshakeTarget('client', 'TLSv1.3'),
  postHandshakeTarget('server', 'TLSv1.3'),
  postHandshakeTarget('client', 'TLSv1.2'),
  postHandshakeTarget('server', 'TLSv1.2'),
];
