// The same common shape in restructure and binary-parser, for comparison only (dev dependencies).
import { Parser } from 'binary-parser';
import * as r from 'restructure';

const RExtension = new r.Struct({ type: r.uint16, data: new r.Buffer(r.uint16) });
const RClientHello = new r.Struct({
  legacy_version: r.uint16,
  random: new r.Buffer(32),
  legacy_session_id: new r.Buffer(r.uint8),
  cipher_suites: new r.Array(r.uint16, r.uint16, 'bytes'),
  legacy_compression_methods: new r.Buffer(r.uint8),
  extensions: new r.Array(RExtension, r.uint16, 'bytes'),
});
/** restructure: no container lengths, so the record and handshake lengths are plain fields. */
export const restructureRecord = new r.Struct({
  type: r.uint8,
  version: r.uint16,
  length: r.uint16,
  msg_type: r.uint8,
  body_length: r.uint24,
  body: RClientHello,
});

const BExtension = new Parser().uint16('type').uint16('length').buffer('data', { length: 'length' });
const BClientHello = new Parser()
  .uint16('legacy_version')
  .buffer('random', { length: 32 })
  .uint8('sid_length')
  .buffer('legacy_session_id', { length: 'sid_length' })
  .uint16('cs_length')
  .array('cipher_suites', { type: 'uint16be', lengthInBytes: 'cs_length' })
  .uint8('cm_length')
  .buffer('legacy_compression_methods', { length: 'cm_length' })
  .uint16('ext_length')
  .array('extensions', { type: BExtension, lengthInBytes: 'ext_length' });
/** binary-parser (decode only; it compiles the parser with `new Function`). */
export const binaryParserRecord = new Parser()
  .endianness('big')
  .uint8('type')
  .uint16('version')
  .uint16('length')
  .uint8('msg_type')
  .bit24('body_length')
  .nest('body', { type: BClientHello });
