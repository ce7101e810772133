// Types for the comparison libraries: binary-parser ships a .d.ts its "exports" map hides from
// NodeNext resolution; restructure ships none (only the parts the benchmarks use are declared).
// packages/messages/bench references this file rather than declaring restructure again.
declare module 'binary-parser' {
  export { Parser } from 'binary-parser/dist/binary_parser.js';
}

declare module 'restructure' {
  interface Type<T = unknown> {
    fromBuffer(buffer: Uint8Array): T;
    toBuffer(value: T): Uint8Array;
  }
  type Length = number | Type<number>;
  export const uint8: Type<number>;
  export const uint16: Type<number>;
  export const uint24: Type<number>;
  export class Struct implements Type<Record<string, unknown>> {
    constructor(fields: Record<string, Type>);
    fromBuffer(buffer: Uint8Array): Record<string, unknown>;
    toBuffer(value: Record<string, unknown>): Uint8Array;
  }
  class ArrayT implements Type<unknown[]> {
    constructor(type: Type, length: Length, lengthType?: 'count' | 'bytes');
    fromBuffer(buffer: Uint8Array): unknown[];
    toBuffer(value: unknown[]): Uint8Array;
  }
  class BufferT implements Type<Uint8Array> {
    constructor(length: Length);
    fromBuffer(buffer: Uint8Array): Uint8Array;
    toBuffer(value: Uint8Array): Uint8Array;
  }

  export { ArrayT as Array, BufferT as Buffer };
}
