// Record size negotiation, shared by both versions and both roles: record_size_limit (RFC 8449)
// and the older max_fragment_length (RFC 6066 §4), which small clients and OpenSSL still use.
// A client may offer both; RFC 8449 §5: a server that knows record_size_limit answers that one.
import { type ClientHelloExtension, ExtensionType, findExtension } from '@tls-kit/messages';
import type { ResolvedConfig } from '../config.js';
import { refuse } from '../errors.js';
import { MAX_PLAINTEXT } from '../protocol.js';
import type { HandshakeContext } from './context.js';

/** RFC 6066 §4: max_fragment_length code -> bytes. */
export function maxFragmentLengthBytes(code: number): number | undefined {
  return code >= 1 && code <= 4 ? 1 << (8 + code) : undefined;
}

/**
 * The max_fragment_length code a client asks for: the largest of 2^9..2^12 within both what it
 * accepts (recordSizeLimit, which counts the content type byte in TLS 1.3, RFC 8449 §4) and
 * what it sends (maxFragmentSize); none when both allow full records.
 */
export function maxFragmentLengthCode(config: ResolvedConfig, offersTls13: boolean): number | undefined {
  const limit = Math.min(config.recordSizeLimit - (offersTls13 ? 1 : 0), config.maxFragmentSize);
  if (limit >= MAX_PLAINTEXT) return undefined;
  for (let code = 4; code >= 1; code--) if (maxFragmentLengthBytes(code)! <= limit) return code;
  return undefined;
}

/** The extensions of a limit: what a server answers with, and what a client finds in that answer. */
type Extensions = readonly { extensionType: number; extensionData?: unknown }[] | undefined;

/** A server's answer, as ServerHello (TLS 1.2) and EncryptedExtensions (TLS 1.3) carry it. */
type LimitExtension =
  | { extensionType: typeof ExtensionType.record_size_limit; extensionData: { recordSizeLimit: number } }
  | { extensionType: typeof ExtensionType.max_fragment_length; extensionData: { maxFragmentLength: number } };

function find(extensions: Extensions) {
  const list = extensions as ClientHelloExtension[] | undefined;
  return {
    recordSizeLimit: findExtension(list, ExtensionType.record_size_limit)?.extensionData.recordSizeLimit,
    maxFragmentLength: findExtension(list, ExtensionType.max_fragment_length)?.extensionData
      .maxFragmentLength,
  };
}

/** RFC 8449 §4: TLS 1.3 limits count the content type byte (at most 2^14 + 1), TLS 1.2's do not. */
function applyRecordSizeLimit(conn: HandshakeContext, peerLimit: number, tls13: boolean): void {
  if (peerLimit < 64) refuse('BadRecordSizeLimit', `record_size_limit ${peerLimit}`);
  const max = tls13 ? MAX_PLAINTEXT + 1 : MAX_PLAINTEXT;
  conn.records.setLimits(Math.min(conn.config.recordSizeLimit, max), Math.min(peerLimit, max));
}

/** RFC 6066 §4: the limit binds both directions from now on, handshake records included. */
function applyMaxFragmentLength(conn: HandshakeContext, bytes: number, tls13: boolean): void {
  const limit = tls13 ? bytes + 1 : bytes;
  conn.records.setLimits(limit, limit);
  // TLS 1.2 goes on with unprotected handshake records; TLS 1.3's next keys take the limit.
  if (!tls13) conn.records.limitPlaintextWrites(bytes);
}

/** Server: applies the client's offer; returns the extension that answers it, if any. */
export function answerRecordLimits(
  conn: HandshakeContext,
  clientExtensions: Extensions,
  tls13: boolean,
): LimitExtension | undefined {
  const offer = find(clientExtensions);
  if (offer.recordSizeLimit !== undefined) {
    applyRecordSizeLimit(conn, offer.recordSizeLimit, tls13);
    return {
      extensionType: ExtensionType.record_size_limit,
      extensionData: { recordSizeLimit: conn.records.recordReadLimit! },
    };
  }
  if (offer.maxFragmentLength === undefined) return undefined;
  const bytes = maxFragmentLengthBytes(offer.maxFragmentLength);
  // RFC 6066 §4: an unknown value is illegal_parameter.
  if (bytes === undefined) refuse('BadMaxFragmentLength', `max_fragment_length ${offer.maxFragmentLength}`);
  applyMaxFragmentLength(conn, bytes, tls13);
  return {
    extensionType: ExtensionType.max_fragment_length,
    extensionData: { maxFragmentLength: offer.maxFragmentLength },
  };
}

/**
 * Client: applies the server's answer (ServerHello in TLS 1.2, EncryptedExtensions in 1.3).
 * `sentCode` is the max_fragment_length we offered; the caller has checked that only offered
 * extensions came back.
 */
export function acceptRecordLimits(
  conn: HandshakeContext,
  serverExtensions: Extensions,
  sentCode: number | undefined,
  tls13: boolean,
): void {
  const answer = find(serverExtensions);
  if (answer.recordSizeLimit !== undefined) applyRecordSizeLimit(conn, answer.recordSizeLimit, tls13);
  if (answer.maxFragmentLength === undefined) return;
  // RFC 8449 §5: both answers at once is illegal_parameter; RFC 6066 §4: the echo is our value.
  if (answer.recordSizeLimit !== undefined)
    refuse('BothRecordLimits', 'both record_size_limit and max_fragment_length');
  if (answer.maxFragmentLength !== sentCode)
    refuse('BadMaxFragmentLength', `max_fragment_length ${answer.maxFragmentLength} is not the one we sent`);
  applyMaxFragmentLength(conn, maxFragmentLengthBytes(answer.maxFragmentLength)!, tls13);
}
