// Sealed records in uninitialised memory (CryptoProvider.allocateUninitialized): every byte of the
// buffer must be written before it leaves the record layer. A provider whose "uninitialised"
// memory is full of a marker stands in for old bytes of the process: the records it seals must
// equal those sealed into zeroed memory (the AEADs are deterministic for a key, nonce and input),
// in every protection, with padding, fragment limits and empty data, and must open again.
import { randomBytes } from 'node:crypto';
import { fc, testProp } from '@fast-check/ava';
import { type CryptoProvider, composeProvider, nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import { ContentType } from '@tls-kit/messages';
import test from 'ava';
import { Deframer } from '../src/record/deframer.js';
import {
  PlaintextProtection,
  type RecordProtection,
  sealRecords,
  Tls13Protection,
} from '../src/record/protection.js';
import { LimitedPlaintextProtection, Tls12Protection } from '../src/record/protection12.js';
import { TLS12_SUITES, TLS13_SUITES } from '../src/suites.js';

const MARKER = 0xa5;

/** Hands out memory that holds old bytes (the marker), as uninitialised memory may. */
const dirty: Pick<CryptoProvider, 'allocateUninitialized'> = {
  allocateUninitialized: (length) => new Uint8Array(length).fill(MARKER),
};

type Make = () => { seal: RecordProtection; open: RecordProtection };

/** Protections of every kind, each made twice from the same keys (same nonces, same output). */
function protections(padTo: number): Record<string, Make> {
  const made: Record<string, Make> = {
    plaintext: () => ({ seal: new PlaintextProtection(), open: new PlaintextProtection() }),
    'plaintext, max_fragment_length 512': () => ({
      seal: new LimitedPlaintextProtection(512),
      open: new LimitedPlaintextProtection(512),
    }),
  };
  for (const suite of TLS13_SUITES) {
    const key = randomBytes(suite.keyLength);
    const iv = randomBytes(12);
    made[`TLS 1.3 ${suite.name}`] = () => ({
      seal: new Tls13Protection(nodeProvider, suite, key, iv, undefined, padTo),
      open: new Tls13Protection(nodeProvider, suite, key, iv),
    });
  }
  for (const suite of TLS12_SUITES.filter((s) => s.name.startsWith('TLS_ECDHE_ECDSA'))) {
    const key = randomBytes(suite.keyLength);
    const iv = randomBytes(suite.fixedIvLength);
    made[`TLS 1.2 ${suite.name}`] = () => ({
      seal: new Tls12Protection(nodeProvider, suite, key, iv),
      open: new Tls12Protection(nodeProvider, suite, key, iv),
    });
  }
  return made;
}

testProp(
  'records sealed into memory holding old bytes equal those sealed into zeroed memory, and open',
  [
    fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 3 }),
    fc.constantFrom(16_384, 1000, 64),
    fc.constantFrom(0, 64, 1000),
  ],
  (t, sizes, maxFragment, padTo) => {
    for (const [name, make] of Object.entries(protections(padTo))) {
      const zeroed = make().seal;
      const { seal: fromDirty, open } = make();
      const max = Math.min(maxFragment, fromDirty.maxFragment);
      for (const size of sizes) {
        const data = randomBytes(size);
        const expected = sealRecords(zeroed, ContentType.application_data, data, max);
        const records = sealRecords(fromDirty, ContentType.application_data, data, max, dirty);
        t.deepEqual(records, expected, name);
        // And they are records carrying exactly `data`.
        const deframer = new Deframer(1 << 20);
        deframer.push(records);
        const opened: Uint8Array[] = [];
        for (let record = deframer.next(); record; record = deframer.next())
          opened.push(open.open(record).fragment.slice());
        t.deepEqual(Buffer.concat(opened), data, name);
      }
    }
  },
  { numRuns: 12 },
);

test('the node provider: uninitialised memory is a plain Uint8Array of the length asked', (t) => {
  for (const length of [0, 1, 100, 4095, 4096, 16_406, 65_624]) {
    const memory = nodeProvider.allocateUninitialized?.(length);
    t.truthy(memory);
    t.is(memory?.length, length);
    // Core packages never see a Buffer (its slice() is a view, Uint8Array's a copy).
    t.is(Object.getPrototypeOf(memory), Uint8Array.prototype);
  }
});

test('a provider without uninitialised memory: sealRecords zeroes as before', (t) => {
  const suite = TLS13_SUITES[0]!;
  const key = randomBytes(suite.keyLength);
  const iv = randomBytes(12);
  const data = randomBytes(20_000);
  const a = sealRecords(new Tls13Protection(nodeProvider, suite, key, iv), 23, data, 16_384, {});
  const b = sealRecords(new Tls13Protection(nodeProvider, suite, key, iv), 23, data, 16_384, dirty);
  t.deepEqual(a, b);
});

test('a composed provider keeps the base provider uninitialised memory', (t) => {
  const composed = composeProvider(nodeProvider, { name: 'composed' });
  t.is(composed.allocateUninitialized?.(8192).length, 8192);
  t.is(composeProvider(nobleProvider, {}).allocateUninitialized, undefined);
});
