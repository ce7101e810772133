// Bounded fuzzing in `pnpm test` (seconds): the targets of `pnpm fuzz` (test/fuzz/targets.ts:
// record and handshake codecs, X.509, the TLS 1.3 and TLS 1.2 client and server) replay their
// seeds and the committed corpus, then take a few hundred random mutations of their seeds. Each
// run checks the properties: only our documented exceptions, no use after a fatal error
// (InvalidatedError), bounded output.

import { concat } from '@tls-kit/crypto/bytes';
import test from 'ava';
import fc from 'fast-check';
import { corpusOf, TARGETS } from './fuzz/targets.js';

const RUNS = 100;

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  if (input.length === 0) return m.kind === 'insert' ? m.bytes : input;
  const at = m.at % input.length;
  switch (m.kind) {
    case 'flip': {
      const out = input.slice();
      out[at]! ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      const out = input.slice();
      out[at] = m.value;
      return out;
    }
    case 'truncate':
      return input.slice(0, at);
    case 'insert':
      return concat([input.subarray(0, at), m.bytes, input.subarray(at)]);
  }
}

for (const target of TARGETS) {
  test(`${target.name}: the seeds and the committed corpus keep every property`, (t) => {
    const inputs = [...target.seeds(), ...corpusOf(target.name)];
    for (const [i, input] of inputs.entries()) {
      t.notThrows(() => target.run(input), `input ${i} of ${inputs.length}`);
    }
  });

  test(`${target.name}: mutated seeds and random bytes keep every property`, (t) => {
    const seeds = target.seeds();
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 600 }),
        fc.boolean(),
        (pick, ms, random, useRandom) => {
          target.run(useRandom ? random : ms.reduce(mutate, seeds[pick % seeds.length]!));
        },
      ),
      { numRuns: RUNS },
    );
    t.pass();
  });
}
