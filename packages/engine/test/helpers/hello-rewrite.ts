// Rewrites a ClientHello or ServerHello for bad-input tests: its extensions are handled as raw
// bytes, so a test can put in anything (duplicates aside: the builders refuse those).
import {
  ClientHello,
  type ClientHelloMessage,
  HandshakeType,
  ServerHello,
  type ServerHelloMessage,
} from '@tls-kit/messages';
import { frameHandshake } from '../../src/handshake/messages.js';

export type RawExtension = { extensionType: number; extensionData: Uint8Array; unknown: true };

export const raw = (extensionType: number, bytes: number[]): RawExtension => ({
  extensionType,
  extensionData: new Uint8Array(bytes),
  unknown: true,
});

export const withoutType = (list: RawExtension[], type: number) =>
  list.filter((e) => e.extensionType !== type);

/** The extensions of a hello as raw bytes, from the offset of the extensions block. */
export function rawExtensions(body: Uint8Array, at: number): RawExtension[] {
  const out: RawExtension[] = [];
  const end = at + 2 + ((body[at]! << 8) | body[at + 1]!);
  for (let p = at + 2; p < end; ) {
    const len = (body[p + 2]! << 8) | body[p + 3]!;
    out.push({
      extensionType: (body[p]! << 8) | body[p + 1]!,
      extensionData: body.slice(p + 4, p + 4 + len),
      unknown: true,
    });
    p += 4 + len;
  }
  return out;
}

type Change<M> = (hello: M, list: RawExtension[]) => Partial<M> & { extensions?: RawExtension[] };

/** Rebuilds a hello (framed) with `codec` after `change`; its extensions start at `extensionsAt`. */
function rebuild<M>(
  codec: { parse(body: Uint8Array): M; build(message: M): Uint8Array },
  type: number,
  message: Uint8Array,
  extensionsAt: (hello: M) => number,
  change: Change<M>,
): Uint8Array {
  const body = message.subarray(4);
  const hello = codec.parse(body);
  const list = rawExtensions(body, extensionsAt(hello));
  return frameHandshake(type, codec.build({ ...hello, extensions: list, ...change(hello, list) } as M));
}

/** Rebuilds a ServerHello (framed) after `change`. */
export const rewriteServerHello = (message: Uint8Array, change: Change<ServerHelloMessage>): Uint8Array =>
  rebuild(
    ServerHello,
    HandshakeType.server_hello,
    message,
    (sh) => 2 + 32 + 1 + sh.legacySessionIdEcho.length + 3,
    change,
  );

/** Rebuilds a ClientHello (framed) after `change`. */
export const rewriteClientHello = (message: Uint8Array, change: Change<ClientHelloMessage>): Uint8Array =>
  rebuild(
    ClientHello,
    HandshakeType.client_hello,
    message,
    (ch) =>
      2 +
      32 +
      1 +
      ch.legacySessionId.length +
      2 +
      2 * ch.cipherSuites.length +
      1 +
      ch.legacyCompressionMethods.length,
    change,
  );
