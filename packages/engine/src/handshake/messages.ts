// The engine's thin adapter over @tls-kit/messages' codecs: decoding failures become the alert
// RFC 8446 §6.2 asks for, and a few helpers shared by both roles.

import { concat } from '@tls-kit/crypto/bytes';
import { DuplicateExtensionError, ExtensionType, enumName, HandshakeType } from '@tls-kit/messages';
import { type Codec, WireError } from '@tls-kit/wire';
import { refuse } from '../errors.js';

export type { HandshakeMessage } from '../record/handshake-joiner.js';

/**
 * Decodes a message body: malformed input is decode_error ("a message could not be decoded
 * because some field was out of the specified range or the length of the message was
 * incorrect"); a repeated extension type is illegal_parameter (RFC 8446 §4.2).
 */
export function decode<T>(codec: Codec<T>, body: Uint8Array, what = codec.name ?? 'message'): T {
  try {
    return codec.parse(body);
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    const duplicate = error instanceof DuplicateExtensionError;
    return refuse(duplicate ? 'DuplicateExtension' : 'InvalidHandshakeMessage', `${what}: ${error.message}`);
  }
}

/** Handshake header (msg_type, uint24 length) and body (RFC 8446 §4). */
export function frameHandshake(type: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  return concat([new Uint8Array([type, n >>> 16, (n >>> 8) & 0xff, n & 0xff]), body]);
}

export function handshakeName(type: number): string {
  return enumName(HandshakeType, type, 2);
}

export function extensionName(type: number): string {
  return enumName(ExtensionType, type);
}

/** Text <-> bytes for host names and ALPN ids, which messages holds as one char per byte. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
