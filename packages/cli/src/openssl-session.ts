// TLS 1.2 sessions in openssl's file format ("SSL SESSION PARAMETERS" PEM, what `openssl s_client
// -sess_out` writes and `-sess_in` reads): the DER SEQUENCE of openssl's ssl/ssl_asn1.c, version 1:
//   version INTEGER (1), sslVersion INTEGER (0x0303), cipher OCTET STRING (the 2-byte suite),
//   sessionID OCTET STRING, masterKey OCTET STRING, then context-tagged EXPLICIT fields:
//   [1] time (s), [2] timeout (s), [3] peer Certificate, [4] sessionIDContext, [5] verifyResult,
//   [6] hostName, [9] ticketLifetimeHint (s), [10] ticket, [13] flags (1: extended master secret).
// Other fields (PSK, SRP, ALPN, ...) are skipped when read and not written.
import { createHash } from 'node:crypto';
import { Certificate, decodePem, encodePem } from '@tls-kit/certs';
import { toHex } from '@tls-kit/crypto/bytes';
import { DerReader, derError, Tag } from '@tls-kit/crypto/der';
import { explicit, octetString, sequence, smallInteger } from '@tls-kit/crypto/der-writer';
import { TLS12_SUITES } from '@tls-kit/engine';
import type { DecodedSession } from '@tls-kit/engine/node';

const LABEL = 'SSL SESSION PARAMETERS';
const TLS1_2 = 0x0303;
/** SSL_SESS_FLAG_EXTMS: the session's master secret is an extended one (RFC 7627). */
const FLAG_EXTENDED_MASTER_SECRET = 1;

type Session12 = Extract<DecodedSession, { version: 'TLSv1.2' }>;

/** Whether a session file's text is openssl's PEM rather than our format. */
export function isOpensslSession(text: string): boolean {
  return text.includes(`-----BEGIN ${LABEL}-----`);
}

/**
 * openssl's client tells a resumed ticket session by the server echoing the session ID it sent
 * (RFC 5077 §3.4) and gives a ticket without one the SHA-256 of the ticket as its ID: the same here,
 * or openssl would offer the ticket with an empty ID and take the resumption for a new session.
 */
function sessionIdFor(session: Session12['session']): Uint8Array {
  if (session.sessionId.length > 0 || !session.ticket) return session.sessionId;
  return new Uint8Array(createHash('sha256').update(session.ticket).digest());
}

/** A TLS 1.2 session as openssl's PEM. */
export function encodeOpensslSession({ serverName, session }: Session12): string {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const [leaf] = session.peerCertificates;
  const der = sequence(
    smallInteger(1),
    smallInteger(TLS1_2),
    octetString(Uint8Array.of(session.suite >> 8, session.suite & 0xff)),
    octetString(sessionIdFor(session)),
    octetString(session.masterSecret),
    explicit(1, smallInteger(Math.floor(session.createdAt / 1000))),
    explicit(2, smallInteger(Math.floor(session.lifetimeMs / 1000))),
    ...(leaf ? [explicit(3, leaf.getAsn1Bytes())] : []),
    explicit(4, octetString(new Uint8Array(0))),
    ...(serverName ? [explicit(6, octetString(utf8(serverName)))] : []),
    ...(session.ticket
      ? [
          explicit(9, smallInteger(Math.floor(session.lifetimeMs / 1000))),
          explicit(10, octetString(session.ticket)),
        ]
      : []),
    ...(session.extendedMasterSecret ? [explicit(13, smallInteger(FLAG_EXTENDED_MASTER_SECRET))] : []),
  );
  return encodePem(LABEL, der);
}

/**
 * openssl's PEM session -> our session. `serverName` is used when the file names none (openssl
 * writes no host name for its TLS 1.2 client sessions): the session is offered to that name.
 */
export function decodeOpensslSession(text: string, serverName: string): Session12 {
  const blocks = decodePem(text).filter((b) => b.label === LABEL);
  if (blocks.length !== 1) throw new Error(`expected one "${LABEL}" PEM block, found ${blocks.length}`);
  const r = new DerReader(blocks[0]!.der, derError).enter(Tag.SEQUENCE, 'SSL_SESSION');
  if (r.smallInteger('version') !== 1) throw new Error('unknown openssl session version');
  const version = r.smallInteger('sslVersion');
  if (version !== TLS1_2) {
    throw new Error(
      `a ${version === 0x0304 ? 'TLS 1.3' : `0x${version.toString(16)}`} session: only TLS 1.2 sessions are read in openssl's format`,
    );
  }
  const cipher = r.octetString('cipher');
  const id = cipher.length === 2 ? (cipher[0]! << 8) | cipher[1]! : -1;
  const suite = TLS12_SUITES.find((s) => s.id === id);
  if (!suite) throw new Error(`cipher suite ${toHex(cipher)} is not one we have`);
  const sessionId = r.octetString('sessionID');
  const masterSecret = r.octetString('masterKey');
  if (masterSecret.length !== 48) throw new Error('the master key is not 48 bytes');
  const fields = new Map<number, DerReader>();
  while (!r.done) {
    const el = r.read();
    // [0] is openssl's obsolete IMPLICIT keyArg; the others are EXPLICIT.
    if ((el.tag & 0xe0) === 0xa0) fields.set(el.tag & 0x1f, DerReader.inside(el));
  }
  const integer = (n: number, what: string) => fields.get(n)?.smallInteger(what);
  const bytes = (n: number, what: string) => fields.get(n)?.octetString(what);
  const verifyResult = integer(5, 'verifyResult') ?? 0;
  if (verifyResult !== 0)
    throw new Error(`the server's certificate did not verify (openssl code ${verifyResult})`);
  const peer = fields.get(3)?.read();
  const host = bytes(6, 'hostName');
  const ticket = bytes(10, 'ticket');
  const extendedMasterSecret = ((integer(13, 'flags') ?? 0) & FLAG_EXTENDED_MASTER_SECRET) !== 0;
  // RFC 7627 §5.3: a session without the extended master secret is not resumed.
  if (!extendedMasterSecret) throw new Error('the session has no extended master secret (RFC 7627)');
  const time = integer(1, 'time');
  const timeout = integer(2, 'timeout');
  if (time === undefined || timeout === undefined) throw new Error('the session has no time or timeout');
  return {
    serverName: host ? new TextDecoder().decode(host) : serverName,
    version: 'TLSv1.2',
    session: {
      suite: suite.id,
      sessionId,
      ticket,
      masterSecret,
      extendedMasterSecret,
      createdAt: time * 1000,
      lifetimeMs: timeout * 1000,
      peerCertificates: peer
        ? [Certificate.fromDer(peer.bytes.subarray(peer.offset, peer.contentOffset + peer.length))]
        : [],
    },
  };
}
