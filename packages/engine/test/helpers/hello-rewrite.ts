// Rewrites a ClientHello or ServerHello for bad-input tests: its extensions are handled as raw
// bytes, so a test can put in anything (duplicates aside: the builders refuse those).
import {
  ClientHello,
  type ClientHelloExtension,
  type ClientHelloMessage,
  HandshakeType,
  ServerHello,
  type ServerHelloExtension,
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

/** Rebuilds a ServerHello (framed) after `change`. */
export function rewriteServerHello(
  message: Uint8Array,
  change: (
    sh: ServerHelloMessage,
    list: RawExtension[],
  ) => Partial<ServerHelloMessage> & { extensions?: RawExtension[] },
): Uint8Array {
  const body = message.subarray(4);
  const sh = ServerHello.parse(body);
  const list = rawExtensions(body, 2 + 32 + 1 + sh.legacySessionIdEcho.length + 3);
  const rebuilt = { ...sh, extensions: list, ...change(sh, list) };
  return frameHandshake(
    HandshakeType.server_hello,
    ServerHello.build({
      ...rebuilt,
      extensions: rebuilt.extensions as ServerHelloExtension[],
    } as ServerHelloMessage),
  );
}

/** Rebuilds a ClientHello (framed) after `change`. */
export function rewriteClientHello(
  message: Uint8Array,
  change: (
    ch: ClientHelloMessage,
    list: RawExtension[],
  ) => Partial<ClientHelloMessage> & { extensions?: RawExtension[] },
): Uint8Array {
  const body = message.subarray(4);
  const ch = ClientHello.parse(body);
  const list = rawExtensions(
    body,
    2 +
      32 +
      1 +
      ch.legacySessionId.length +
      2 +
      2 * ch.cipherSuites.length +
      1 +
      ch.legacyCompressionMethods.length,
  );
  const rebuilt = { ...ch, extensions: list, ...change(ch, list) };
  return frameHandshake(
    HandshakeType.client_hello,
    ClientHello.build({
      ...rebuilt,
      extensions: rebuilt.extensions as ClientHelloExtension[],
    } as ClientHelloMessage),
  );
}
