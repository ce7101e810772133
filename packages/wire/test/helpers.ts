import type { ExecutionContext } from 'ava';
import { type Codec, DecodeError, IncompleteDataError, WireError } from '../src/index.js';

export { hex } from '../bench/shapes.js';

export const u8 = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

/** Parses, builds the result and checks both directions against `encoded`. */
export function roundTrip<T>(t: ExecutionContext, codec: Codec<T>, value: T, encoded: Uint8Array): void {
  t.deepEqual(codec.build(value), encoded, 'build');
  t.deepEqual(codec.parse(encoded), value, 'parse');
  t.deepEqual(codec.build(codec.parse(encoded)), encoded, 'build(parse(x))');
  t.deepEqual(codec.parse(codec.build(value)), value, 'parse(build(v))');
}

/**
 * The framing rule: `encoded` cut at every offset is IncompleteDataError with a
 * plausible `needed`, and one extra byte is a DecodeError naming the trailing byte.
 */
export function checkFraming<T>(t: ExecutionContext, codec: Codec<T>, encoded: Uint8Array): void {
  for (let cut = 0; cut < encoded.length; cut++) {
    const e = t.throws(() => codec.parse(encoded.subarray(0, cut)), { instanceOf: IncompleteDataError });
    t.true(e !== undefined && e.needed >= 1 && e.needed <= encoded.length - cut, `needed at cut ${cut}`);
  }
  const longer = new Uint8Array(encoded.length + 1);
  longer.set(encoded);
  t.throws(() => codec.parse(longer), { instanceOf: DecodeError, message: /1 unexpected trailing byte/ });
}

/** Runs `fn` and returns 'value' or the WireError; anything else thrown fails the property. */
export function valueOrWireError(fn: () => unknown): 'value' | WireError {
  try {
    fn();
    return 'value';
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
}
