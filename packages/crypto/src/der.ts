// A minimal, strict DER reader and writer (X.690 §10) for key containers: SPKI, PKCS#8, PKCS#1,
// SEC1, PKCS#3 DHParameter. No recursion, definite minimal lengths only, no trailing bytes.
// (packages/certs has the full X.509 parser; this package must not depend on it.)
import { bigIntToBytes, byteLengthOf, bytesToBigInt, concat } from './bytes.js';
import { DerError } from './errors.js';

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;

export class DerReader {
  private offset: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.offset = start;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.offset];
  }

  /** Reads one TLV with the expected tag and returns its contents. */
  read(expectedTag: number): Uint8Array {
    const tag = this.byte();
    if (tag !== expectedTag) {
      throw new DerError(`expected tag 0x${expectedTag.toString(16)}, found 0x${tag.toString(16)}`);
    }
    let length = this.byte();
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0) throw new DerError('indefinite length is not DER');
      if (count > 4) throw new DerError('length too large');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.byte();
      if (length < 0x80 || length < 256 ** (count - 1)) throw new DerError('non-minimal length');
    }
    if (length > this.end - this.offset) throw new DerError('truncated DER');
    const contents = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return contents;
  }

  sequence(): DerReader {
    const contents = this.read(TAG.sequence);
    return new DerReader(contents);
  }

  /** A non-negative INTEGER, minimally encoded, returned as its unsigned magnitude bytes. */
  unsignedIntegerBytes(): Uint8Array {
    const contents = this.read(TAG.integer);
    if (contents.length === 0) throw new DerError('empty INTEGER');
    const first = contents[0] as number;
    if (first & 0x80) throw new DerError('negative INTEGER');
    if (contents.length > 1 && first === 0 && !((contents[1] as number) & 0x80)) {
      throw new DerError('non-minimal INTEGER');
    }
    return first === 0 && contents.length > 1 ? contents.subarray(1) : contents;
  }

  unsignedInteger(): bigint {
    return bytesToBigInt(this.unsignedIntegerBytes());
  }

  smallInteger(): number {
    const value = this.unsignedInteger();
    if (value > 0xffffn) throw new DerError('INTEGER too large');
    return Number(value);
  }

  oid(): string {
    const contents = this.read(TAG.oid);
    if (contents.length === 0) throw new DerError('empty OID');
    const arcs: number[] = [];
    let value = 0;
    for (let i = 0; i < contents.length; i++) {
      const byte = contents[i] as number;
      if (value === 0 && byte === 0x80) throw new DerError('non-minimal OID arc');
      value = value * 128 + (byte & 0x7f);
      if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
      if (!(byte & 0x80)) {
        arcs.push(value);
        value = 0;
      } else if (i === contents.length - 1) {
        throw new DerError('truncated OID');
      }
    }
    const first = arcs.shift() as number;
    const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
    return [...head, ...arcs].join('.');
  }

  octetString(): Uint8Array {
    return this.read(TAG.octetString);
  }

  /** A BIT STRING holding whole bytes (unused bits = 0), as keys always are. */
  bitString(): Uint8Array {
    const contents = this.read(TAG.bitString);
    if (contents.length === 0 || contents[0] !== 0) throw new DerError('BIT STRING with unused bits');
    return contents.subarray(1);
  }

  null(): void {
    if (this.read(TAG.null).length !== 0) throw new DerError('NULL with contents');
  }

  /** An optional context-specific constructed [n] wrapper. */
  optionalExplicit(tagNumber: number): DerReader | undefined {
    const tag = 0xa0 | tagNumber;
    if (this.peekTag() !== tag) return undefined;
    return new DerReader(this.read(tag));
  }

  finish(): void {
    if (!this.done) throw new DerError('trailing bytes in DER');
  }

  private byte(): number {
    if (this.offset >= this.end) throw new DerError('truncated DER');
    return this.bytes[this.offset++] as number;
  }
}

export const der = {
  tlv(tag: number, contents: Uint8Array): Uint8Array {
    const length = contents.length;
    let header: number[];
    if (length < 0x80) header = [tag, length];
    else {
      const lengthBytes: number[] = [];
      for (let l = length; l > 0; l = Math.floor(l / 256)) lengthBytes.unshift(l & 0xff);
      header = [tag, 0x80 | lengthBytes.length, ...lengthBytes];
    }
    return concat([Uint8Array.from(header), contents]);
  },
  sequence(...parts: Uint8Array[]): Uint8Array {
    return der.tlv(TAG.sequence, concat(parts));
  },
  /** A non-negative INTEGER from a bigint or unsigned big-endian bytes. */
  integer(value: bigint | Uint8Array): Uint8Array {
    const n = typeof value === 'bigint' ? value : bytesToBigInt(value);
    const magnitude = n === 0n ? new Uint8Array(1) : bigIntToBytes(n, byteLengthOf(n));
    const contents = (magnitude[0] as number) & 0x80 ? concat([new Uint8Array(1), magnitude]) : magnitude;
    return der.tlv(TAG.integer, contents);
  },
  oid(dotted: string): Uint8Array {
    const arcs = dotted.split('.').map(Number);
    const values = [(arcs[0] as number) * 40 + (arcs[1] as number), ...arcs.slice(2)];
    const out: number[] = [];
    for (const value of values) {
      const chunk = [value & 0x7f];
      for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
      out.push(...chunk);
    }
    return der.tlv(TAG.oid, Uint8Array.from(out));
  },
  octetString(contents: Uint8Array): Uint8Array {
    return der.tlv(TAG.octetString, contents);
  },
  bitString(contents: Uint8Array): Uint8Array {
    return der.tlv(TAG.bitString, concat([new Uint8Array(1), contents]));
  },
  null(): Uint8Array {
    return Uint8Array.of(TAG.null, 0);
  },
  explicit(tagNumber: number, contents: Uint8Array): Uint8Array {
    return der.tlv(0xa0 | tagNumber, contents);
  },
};
