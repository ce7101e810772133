import { BaseCodec, type Codec } from './codec.js';
import { DecodeError, EncodeError, WireError } from './errors.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

class MappedCodec<T, U> extends BaseCodec<U> {
  constructor(
    readonly codec: Codec<T>,
    readonly decode: (value: T) => U,
    readonly encode: (value: U) => T,
  ) {
    super();
  }
  read(r: Reader): U {
    const at = r.pos;
    const raw = this.codec.read(r);
    try {
      return this.decode(raw);
    } catch (e) {
      if (e instanceof WireError) throw e;
      throw new DecodeError(e instanceof Error ? e.message : String(e), { cause: e, offset: at });
    }
  }
  write(w: Writer, v: U): void {
    let raw: T;
    try {
      raw = this.encode(v);
    } catch (e) {
      if (e instanceof WireError) throw e;
      throw new EncodeError(e instanceof Error ? e.message : String(e), { cause: e });
    }
    this.codec.write(w, raw);
  }
}

/**
 * Adapts a codec's value both ways. Errors thrown by `decode`/`encode` become DecodeError /
 * EncodeError (WireErrors pass through), so a validation can simply throw.
 *
 * @example const Version = Mapped(UBInt16, (v) => ({ major: v >> 8, minor: v & 0xff }), (v) => (v.major << 8) | v.minor);
 */
export function Mapped<T, U>(
  codec: Codec<T>,
  decode: (value: T) => U,
  encode: (value: U) => T,
): BaseCodec<U> {
  return new MappedCodec(codec, decode, encode);
}
