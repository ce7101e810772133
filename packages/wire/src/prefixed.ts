import { BaseCodec, type Codec, describe } from './codec.js';
import { EncodeError, WireError } from './errors.js';
import { UBInt16, type UIntCodec } from './int.js';
import { type Bounds, LengthPrefix } from './length.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

class OpaqueCodec<T> extends BaseCodec<T> {
  private readonly prefix: LengthPrefix;
  constructor(
    readonly codec: Codec<T>,
    lengthField: UIntCodec,
    bounds: Bounds | undefined,
  ) {
    super();
    this.prefix = new LengthPrefix(lengthField, bounds);
  }
  read(r: Reader): T {
    const saved = r.enter(this.prefix.read(r));
    const value = this.codec.read(r);
    r.leave(saved);
    return value;
  }
  write(w: Writer, v: T): void {
    const at = this.prefix.reserve(w);
    this.codec.write(w, v);
    this.prefix.patch(w, at);
  }
}

/**
 * A length-prefixed container holding exactly one value of `codec`: the value must fill the
 * container (leftover bytes are a DecodeError, running past it too). The prefix is back-patched
 * on `build`, and checked against `bounds` (in bytes) both ways.
 *
 * @example Opaque(ServerNameList, UBInt16) // extension_data holding a ServerNameList
 */
export function Opaque<T>(codec: Codec<T>, lengthField: UIntCodec = UBInt16, bounds?: Bounds): BaseCodec<T> {
  return new OpaqueCodec(codec, lengthField, bounds);
}

class TLSArrayCodec<T> extends BaseCodec<T[]> {
  private readonly prefix: LengthPrefix;
  constructor(
    readonly element: Codec<T>,
    lengthField: UIntCodec,
    bounds: Bounds | undefined,
  ) {
    super();
    this.prefix = new LengthPrefix(lengthField, bounds);
  }
  read(r: Reader): T[] {
    const saved = r.enter(this.prefix.read(r));
    const element = this.element;
    const out: T[] = [];
    try {
      // Elements must fill the vector exactly: one running past the end is a DecodeError
      // raised by the reader, never a silently shorter list.
      while (r.pos < r.end) out.push(element.read(r));
    } catch (e) {
      if (e instanceof WireError) e.prependPath(out.length);
      throw e;
    }
    r.leave(saved);
    return out;
  }
  write(w: Writer, v: T[]): void {
    if (!Array.isArray(v)) throw new EncodeError(`expected an array, got ${describe(v)}`);
    const at = this.prefix.reserve(w);
    const element = this.element;
    let i = 0;
    try {
      for (; i < v.length; i++) element.write(w, v[i] as T);
    } catch (e) {
      if (e instanceof WireError) e.prependPath(i);
      throw e;
    }
    this.prefix.patch(w, at);
  }
}

/**
 * The TLS vector `T x<min..max>`: a length prefix counting BYTES (not elements), then elements
 * that must fill it exactly (RFC 8446 §3.4). `bounds` are in bytes.
 *
 * @example TLSPrefixedArray(UBInt16, UBInt16, { min: 2, max: 0xfffe }) // CipherSuite cipher_suites<2..2^16-2>
 */
export function TLSPrefixedArray<T>(
  element: Codec<T>,
  lengthField: UIntCodec = UBInt16,
  bounds?: Bounds,
): BaseCodec<T[]> {
  return new TLSArrayCodec(element, lengthField, bounds);
}
