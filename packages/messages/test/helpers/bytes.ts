import { type Codec, IncompleteDataError, WireError } from '@tls-kit/wire';
import type { ExecutionContext } from 'ava';

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const bytes = (n: number, fill = 0xab): Uint8Array => new Uint8Array(n).fill(fill);
export const concat = (...parts: (Uint8Array | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => [...p]));

/** build -> parse gives the value back, and parse -> build gives the bytes back. */
export function roundTrip<T>(
  t: ExecutionContext,
  codec: Codec<T>,
  value: T,
  expected?: Uint8Array,
): Uint8Array {
  const built = codec.build(value);
  if (expected !== undefined)
    t.deepEqual(Buffer.from(built).toString('hex'), Buffer.from(expected).toString('hex'));
  t.deepEqual(codec.parse(built), value);
  t.deepEqual(codec.build(codec.parse(built)), built);
  return built;
}

/** Every proper prefix of a top-level encoding is an IncompleteDataError with a positive need. */
export function truncationsAreIncomplete<T>(t: ExecutionContext, codec: Codec<T>, encoded: Uint8Array): void {
  for (let n = 0; n < encoded.length; n++) {
    const error = t.throws(
      () => codec.parse(encoded.subarray(0, n)),
      { instanceOf: WireError },
      `prefix ${n}`,
    );
    if (error instanceof IncompleteDataError) t.true(error.needed > 0);
    else t.fail(`prefix ${n}: ${error?.name} ${error?.message} instead of IncompleteDataError`);
  }
}
