import { BaseCodec, type Codec } from './codec.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

export class OptionalCodec<T> extends BaseCodec<T | undefined> {
  /** Makes the field an optional property of a Struct's value. */
  readonly optional = true;
  constructor(readonly codec: Codec<T>) {
    super();
  }
  read(r: Reader): T | undefined {
    return r.pos === r.end ? undefined : this.codec.read(r);
  }
  write(w: Writer, v: T | undefined): void {
    if (v !== undefined) this.codec.write(w, v);
  }
}

/**
 * A trailing field that may be absent: when the enclosing container (or input) ends here it
 * parses as undefined, and undefined builds nothing. E.g. the extensions block of a ClientHello
 * or TLS 1.2 ServerHello (RFC 5246 §7.4.1.2).
 */
export function Optional<T>(codec: Codec<T>): OptionalCodec<T> {
  return new OptionalCodec(codec);
}
