// Tools for anchors.test.ts: a man in the middle who holds a certificate key (so that it can make
// the server flight carry any chain and still sign and finish it), the classic signature
// forgeries, and TLS 1.2 flight rewriting.
import { generateKeyPairSync } from 'node:crypto';
import type { Certificate } from '@tls-kit/certs';
import type { PrivateKey, SignatureSchemeName } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import { Certificate13, CertificateVerify, ContentType, HandshakeType } from '@tls-kit/messages';
import { schemeCode } from '../../src/algorithms.js';
import { certificateVerifyContent } from '../../src/handshake/common13.js';
import type { ClientOptions } from '../../src/index.js';
import { finishedVerifyData } from '../../src/keyschedule/key-schedule.js';
import {
  type Endpoint,
  encodeServerFlight,
  makeClient,
  makeServer,
  message,
  records,
  serverFlight,
  suite,
} from './mitm.js';
import { plainHandshakeMessages, plainRecords } from './tls12-memory.js';

const sha256 = (parts: Uint8Array[]) => defaultProvider.hash('sha256', concat(parts));

export interface Flight13 {
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly clientHello: Uint8Array;
  readonly serverHello: Uint8Array;
  /** EncryptedExtensions, Certificate, CertificateVerify, Finished. */
  readonly messages: Uint8Array[];
}

/** A real TLS 1.3 client and server up to the server's first flight, decrypted. */
export function flight13(clientOptions: Partial<ClientOptions> = {}, serverOptions = {}): Flight13 {
  const client = makeClient(clientOptions);
  const server = makeServer(serverOptions);
  const clientHello = records(concat(client.out))[0]!.fragment.slice();
  const f = serverFlight(client, server);
  return { client, server, clientHello, ...f };
}

/**
 * The server flight with EncryptedExtensions, `certificate` and `certificateVerify`, closed by a
 * server Finished computed over them (RFC 8446 §4.4.4), so that the client's only reasons to refuse
 * it are in the certificate and the signature.
 */
export function finishedFlight(
  f: Flight13,
  certificate: Uint8Array,
  certificateVerify: Uint8Array,
): Uint8Array {
  const ee = f.messages[0]!;
  const secret = f.server.secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!;
  const hash = sha256([f.clientHello, f.serverHello, ee, certificate, certificateVerify]);
  const finished = message(HandshakeType.finished, finishedVerifyData(defaultProvider, suite, secret, hash));
  return encodeServerFlight(f.server, f.serverHello, [ee, certificate, certificateVerify, finished]);
}

/**
 * What a man in the middle holding `chain[0]`'s private key sends: `chain` as given (any order,
 * anything), a CertificateVerify made with that key, and a matching Finished.
 */
export function resignedFlight(
  chain: readonly Certificate[],
  scheme: SignatureSchemeName = 'ecdsa_secp256r1_sha256',
  clientOptions: Partial<ClientOptions> = {},
): Flight13 & { bytes: Uint8Array } {
  const f = flight13(clientOptions);
  const certificate = message(
    HandshakeType.certificate,
    Certificate13.build({
      certificateRequestContext: new Uint8Array(0),
      certificateList: chain.map((c) => ({ certData: c.getAsn1Bytes(), extensions: [] })),
    }),
  );
  const content = certificateVerifyContent(
    'server',
    sha256([f.clientHello, f.serverHello, f.messages[0]!, certificate]),
  );
  const signature = defaultProvider.sign(scheme, chain[0]!.privateKey!, content);
  const cv = message(
    HandshakeType.certificate_verify,
    CertificateVerify.build({ algorithm: schemeCode(scheme), signature }),
  );
  return { ...f, bytes: finishedFlight(f, certificate, cv) };
}

/** An RSA-2048 key with public exponent 3 (node:crypto makes it; the provider imports it). */
export function rsaE3Key(): PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
  return defaultProvider.importPrivateKey(
    new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
    'pkcs8',
  );
}

/** Ed25519's group order L (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The same Ed25519 signature with S replaced by S + L: equal modulo L, non-canonical (RFC 8032 §5.1.7). */
export function nonCanonicalEd25519(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.slice(32)).reverse().toString('hex')}`);
  const sPlusL = Buffer.from((s + L).toString(16).padStart(64, '0'), 'hex').reverse();
  return Uint8Array.from([...signature.subarray(0, 32), ...sPlusL]);
}

/** `depth` SEQUENCEs around a NULL: DER nested far deeper than any certificate needs. */
export function nestedSequences(depth: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 2;
  for (let i = 0; i < depth; i++) {
    const header =
      length < 0x80
        ? [0x30, length]
        : length < 0x100
          ? [0x30, 0x81, length]
          : length < 0x10000
            ? [0x30, 0x82, length >> 8, length & 0xff]
            : [0x30, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
    parts.push(Uint8Array.from(header));
    length += header.length;
  }
  return concat([...parts.reverse(), Uint8Array.of(0x05, 0x00)]);
}

/**
 * Rewrites the message of `type` among the unprotected handshake records of a TLS 1.2 flight;
 * records from the first ChangeCipherSpec on are kept as they are.
 */
export function rewrite12(
  flight: Uint8Array,
  type: number,
  change: (message: Uint8Array) => Uint8Array,
): Uint8Array {
  const recs = records(flight);
  const ccs = recs.findIndex((r) => r.type === ContentType.change_cipher_spec);
  const tail = ccs < 0 ? [] : recs.slice(ccs);
  const messages = plainHandshakeMessages(flight).map((m) => (m[0] === type ? change(m) : m));
  return concat([plainRecords(messages), ...tail.map((r) => concat([r.header, r.fragment]))]);
}
