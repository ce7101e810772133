import {
  BaseCodec,
  EncodeError,
  type Infer,
  PrefixedBytes,
  type Reader,
  Struct,
  UBInt8,
  WireError,
  type Writer,
} from '@tls-kit/wire';
import { CipherSuiteCodec, OpenEnum, ProtocolVersionCodec, RandomCodec } from '../codecs/common.js';
import { describe } from '../codecs/describe.js';
import {
  type HelloRetryRequestExtension,
  HelloRetryRequestExtensionList,
  type ServerHelloExtension,
  ServerHelloExtensionList,
} from '../extensions/contexts.js';
import { CompressionMethod } from '../registry/misc.js';

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));
}

/** SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM: Uint8Array = fromHex(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
);
/** Last 8 bytes of a TLS 1.3 server's random when it negotiates TLS 1.2 (RFC 8446 §4.1.3). */
export const DOWNGRADE_TLS12: Uint8Array = fromHex('444f574e47524401');
/** Last 8 bytes of a TLS 1.3 server's random when it negotiates TLS 1.1 or below. */
export const DOWNGRADE_TLS11: Uint8Array = fromHex('444f574e47524400');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True if `random` is the special HelloRetryRequest value. */
export function isHelloRetryRequestRandom(random: Uint8Array): boolean {
  return sameBytes(random, HELLO_RETRY_REQUEST_RANDOM);
}

const ServerHelloHead = Struct({
  legacyVersion: ProtocolVersionCodec,
  random: RandomCodec,
  legacySessionIdEcho: PrefixedBytes(UBInt8, { max: 32 }),
  cipherSuite: CipherSuiteCodec,
  legacyCompressionMethod: OpenEnum(UBInt8, CompressionMethod),
});
type Head = Infer<typeof ServerHelloHead>;

/**
 * A ServerHello, or a TLS 1.3 HelloRetryRequest: the same message on the wire, recognised by its
 * random (RFC 8446 §4.1.3) and then decoded with the HRR's extensions (key_share carries only the
 * selected group). `isHelloRetryRequest` is derived from `random`; building checks they agree.
 */
export type ServerHelloMessage = Head &
  (
    | { isHelloRetryRequest: false; extensions?: ServerHelloExtension[] }
    | { isHelloRetryRequest: true; extensions?: HelloRetryRequestExtension[] }
  );

class ServerHelloCodec extends BaseCodec<ServerHelloMessage> {
  override name = 'ServerHello';

  read(r: Reader): ServerHelloMessage {
    const head = ServerHelloHead.read(r);
    const isHelloRetryRequest = isHelloRetryRequestRandom(head.random);
    // RFC 5246 §7.4.1.3: the extensions block is optional in TLS 1.2.
    // Object.assign, not a spread: see CONTRIBUTING.md, "Hot paths".
    if (r.pos === r.end) return Object.assign(head, { isHelloRetryRequest }) as ServerHelloMessage;
    try {
      const extensions = (
        isHelloRetryRequest ? HelloRetryRequestExtensionList : ServerHelloExtensionList
      ).read(r);
      return Object.assign(head, { isHelloRetryRequest, extensions }) as ServerHelloMessage;
    } catch (e) {
      if (e instanceof WireError) e.prependPath('extensions');
      throw e;
    }
  }

  write(w: Writer, v: ServerHelloMessage): void {
    if (typeof v !== 'object' || v === null) throw new EncodeError(`expected an object, got ${describe(v)}`);
    ServerHelloHead.write(w, v);
    const isHelloRetryRequest = v.random instanceof Uint8Array && isHelloRetryRequestRandom(v.random);
    if (v.isHelloRetryRequest !== isHelloRetryRequest) {
      throw new EncodeError(
        `isHelloRetryRequest is ${describe(v.isHelloRetryRequest)} but the random ${isHelloRetryRequest ? 'is' : 'is not'} the HelloRetryRequest value`,
      ).prependPath('isHelloRetryRequest');
    }
    if (v.extensions === undefined) return;
    try {
      if (v.isHelloRetryRequest) HelloRetryRequestExtensionList.write(w, v.extensions);
      else ServerHelloExtensionList.write(w, v.extensions);
    } catch (e) {
      if (e instanceof WireError) e.prependPath('extensions');
      throw e;
    }
  }
}

/** RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3, including HelloRetryRequest. */
export const ServerHello: BaseCodec<ServerHelloMessage> = new ServerHelloCodec();
