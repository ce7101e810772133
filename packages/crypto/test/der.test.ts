// The strict DER reader (X.690 §10) and writer shared by crypto's key parsers and certs.

import { DerError } from '@tls-kit/crypto';
import {
  DerReader,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeString,
  decodeTime,
  derError,
  MAX_DEPTH,
  parseDerTree,
  readSingle,
  Tag,
} from '@tls-kit/crypto/der';
import { bitString, oid, sequence, time, unsignedInteger } from '@tls-kit/crypto/der-writer';
import { nestedDerSequences } from '@tls-kit/test-helpers';
import test from 'ava';
import fc from 'fast-check';
import { unhex } from './helpers.js';

const el = (s: string) => readSingle(unhex(s), 'test value', derError);

function refuses(t: import('ava').ExecutionContext, fn: () => unknown, offset: number, pattern: RegExp) {
  const e = t.throws(fn, { instanceOf: DerError });
  t.is(e?.offset, offset);
  t.regex(e?.message ?? '', pattern);
}

test('lengths: definite, minimal, bounded', (t) => {
  t.is(readSingle(unhex(`04 81 80${'00'.repeat(128)}`), 'x', derError).length, 128);
  refuses(t, () => readSingle(unhex('30 80 00 00'), 'x', derError), 1, /indefinite/);
  refuses(t, () => readSingle(unhex('04 81 05 0000000000'), 'x', derError), 1, /minimal/);
  refuses(t, () => readSingle(unhex(`04 82 00 80${'00'.repeat(128)}`), 'x', derError), 2, /minimal/);
  refuses(t, () => readSingle(unhex('04 05 0000'), 'x', derError), 0, /runs past/);
  refuses(t, () => readSingle(unhex('04'), 'x', derError), 1, /end of data/);
  refuses(t, () => readSingle(unhex('04 85 0102030405'), 'x', derError), 1, /too large/);
  refuses(t, () => readSingle(unhex('04 01 00 00'), 'x', derError), 3, /after/);
  refuses(t, () => readSingle(unhex('1f 81 00 00'), 'x', derError), 0, /multi-byte tags/);
});

test('primitive values: DER rules', (t) => {
  t.is(decodeInteger(el('02 01 7f')), 127n);
  t.is(decodeInteger(el('02 02 00 80')), 128n);
  t.is(decodeInteger(el('02 01 80')), -128n);
  refuses(t, () => decodeInteger(el('02 02 00 7f')), 2, /minimally/);
  refuses(t, () => decodeInteger(el('02 02 ff 80')), 2, /minimally/);
  refuses(t, () => decodeInteger(el('02 00')), 0, /empty/);
  t.true(decodeBoolean(el('01 01 ff')));
  refuses(t, () => decodeBoolean(el('01 01 01')), 2, /0xFF/);
  t.is(decodeOid(el('06 09 2a 86 48 86 f7 0d 01 01 0b')), '1.2.840.113549.1.1.11');
  t.is(decodeOid(el('06 03 88 37 01')), '2.999.1');
  refuses(t, () => decodeOid(el('06 03 2a 80 01')), 3, /minimally/);
  refuses(t, () => decodeOid(el('06 02 2a 86')), 3, /ends inside/);
  // A 128-bit UUID arc (2.25.x, X.667) is the longest accepted: 19 bytes of base 128.
  const uuid = 2n ** 128n - 1n;
  t.is(decodeOid(readSingle(oid(`2.25.${uuid}`), 'x', derError)), `2.25.${uuid}`);
  refuses(t, () => decodeOid(el(`06 15 2a ${'81'.repeat(19)} 01`)), 22, /longer than 19 bytes/);
  t.is(decodeString(el('13 02 41 42')), 'AB');
  refuses(t, () => decodeString(el('13 01 40')), 2, /PrintableString/);
  refuses(t, () => decodeString(el('0c 02 c3 28')), 2, /encoding/);
  t.is(decodeString(el('1e 04 00 41 00 e9')), 'Aé');
  refuses(t, () => decodeString(el('1e 02 d8 00')), 2, /encoding/);
  refuses(t, () => decodeString(el('24 00')), 0, /primitive/);
  refuses(t, () => DerReader.inside(el('03 02 07 80')).read(), 0, /not constructed/);
});

test('BIT STRINGs: padding bits zero, whole bytes where keys need them', (t) => {
  t.deepEqual(new DerReader(unhex('03 02 06 40'), derError).bitString(), {
    bytes: unhex('40'),
    unusedBits: 6,
  });
  refuses(t, () => new DerReader(unhex('03 02 06 41'), derError).bitString(), 3, /padding bits/);
  refuses(t, () => new DerReader(unhex('03 02 08 00'), derError).bitString(), 2, /unused-bits/);
  refuses(t, () => new DerReader(unhex('03 02 01 00'), derError).octetAlignedBitString('key'), 2, /whole/);
  t.deepEqual(new DerReader(unhex('03 02 00 ab'), derError).octetAlignedBitString(), unhex('ab'));
});

test('times: RFC 5280 §4.1.2.5 forms only', (t) => {
  t.is(decodeTime(el('17 0d 343930313031303030303030 5a')).toISOString(), '2049-01-01T00:00:00.000Z');
  t.is(decodeTime(el('17 0d 353030313031303030303030 5a')).toISOString(), '1950-01-01T00:00:00.000Z');
  const gt = (s: string) =>
    el(`18 ${s.length.toString(16).padStart(2, '0')} ${Buffer.from(s).toString('hex')}`);
  t.is(decodeTime(gt('20500101000000Z')).toISOString(), '2050-01-01T00:00:00.000Z');
  for (const bad of [
    '20500101000000',
    '20500101000000.5Z',
    '205001010000Z',
    '20500101000000+0100',
    '20501301000000Z',
    '20500230000000Z',
    '20500101240000Z',
  ]) {
    t.throws(() => decodeTime(gt(bad)), { instanceOf: DerError }, bad);
  }
});

test('the writer: minimal lengths and INTEGERs, times, OIDs, read back by the reader', (t) => {
  for (const [value, encoding] of [
    [0n, '020100'],
    [127n, '02017f'],
    [128n, '02020080'],
    [unhex('0000ff'), '020200ff'],
  ] as const) {
    t.is(Buffer.from(unsignedInteger(value)).toString('hex'), encoding);
  }
  const big = 2n ** 1000n + 1n;
  const seq = new DerReader(
    sequence(
      unsignedInteger(big),
      oid('2.25.1234567890123456789012345678901234567'),
      bitString(new Uint8Array(200)),
    ),
    derError,
  ).enter(Tag.SEQUENCE, 'test');
  t.is(seq.integer(), big);
  t.is(seq.oid(), '2.25.1234567890123456789012345678901234567');
  t.is(seq.octetAlignedBitString().length, 200);
  seq.finish('test');
  for (const iso of ['1950-01-01T00:00:00.000Z', '2049-12-31T23:59:59.000Z', '2050-01-01T00:00:00.000Z']) {
    const date = new Date(iso);
    t.is(decodeTime(readSingle(time(date), 'time', derError)).toISOString(), iso);
  }
  t.is(time(new Date('2049-12-31T23:59:59Z'))[0], Tag.UTC_TIME);
  t.is(time(new Date('2050-01-01T00:00:00Z'))[0], Tag.GENERALIZED_TIME);
});

test('nesting deeper than MAX_DEPTH is a DerError, not a stack overflow', (t) => {
  for (const depth of [MAX_DEPTH + 1, 100_000]) {
    t.throws(() => parseDerTree(nestedDerSequences(depth), derError), {
      instanceOf: DerError,
      message: /nesting deeper/,
    });
  }
  t.truthy(parseDerTree(nestedDerSequences(MAX_DEPTH), derError).children);
});

test('every error comes from the factory the caller passed, with its offset', (t) => {
  class OwnError extends Error {
    constructor(
      message: string,
      readonly at: number,
    ) {
      super(message);
    }
  }
  const own = (message: string, offset: number) => new OwnError(message, offset);
  const cases: [() => unknown, number][] = [
    [() => readSingle(unhex('30 80 00 00'), 'x', own), 1],
    [() => parseDerTree(nestedDerSequences(MAX_DEPTH + 1), own), 2 * (MAX_DEPTH + 1) - 2],
    [() => decodeString(readSingle(unhex('0c 02 c3 28'), 'x', own)), 2],
    [() => DerReader.inside(readSingle(unhex('30 03 02 01 05'), 'x', own)).oid(), 2],
    [() => DerReader.encapsulated(readSingle(unhex('04 02 30 80'), 'x', own)).read(), 3],
  ];
  for (const [fn, at] of cases) {
    const e = t.throws(fn, { instanceOf: OwnError });
    t.is(e?.at, at, e?.message);
  }
});

test('random bytes: only DerErrors', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
      try {
        parseDerTree(input, derError);
      } catch (e) {
        if (!(e instanceof DerError)) return false;
      }
      return true;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
