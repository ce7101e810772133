// The baseline: what one would write by hand with a DataView, for the same shapes and with the
// same checks (lengths within their container, nothing trailing, bounds) and the same output
// objects. Errors are plain Errors: a baseline needs no error taxonomy.
import type { RawRecord } from './common.js';
import type { HandshakeRecord } from './shapes.js';

type RawHello = RawRecord['fragment']['body'];
type RawExt = NonNullable<RawHello['extensions']>[number];

class In {
  readonly view: DataView;
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    public end = buf.length,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  check(n: number): void {
    if (this.pos + n > this.end) throw new Error('short');
  }
  u8(): number {
    this.check(1);
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    this.check(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u24(): number {
    this.check(3);
    const v = (this.view.getUint8(this.pos) << 16) | this.view.getUint16(this.pos + 1);
    this.pos += 3;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.check(n);
    const p = this.pos;
    this.pos += n;
    return this.buf.subarray(p, p + n);
  }
  /** Enters a length-prefixed region; returns the outer end. */
  enter(n: number): number {
    this.check(n);
    const outer = this.end;
    this.end = this.pos + n;
    return outer;
  }
  leave(outer: number): void {
    if (this.pos !== this.end) throw new Error('trailing');
    this.end = outer;
  }
}

function u16List(r: In, lengthBytes: 1 | 2, min: number, max: number): number[] {
  const n = lengthBytes === 1 ? r.u8() : r.u16();
  if (n < min || n > max || n % 2 !== 0) throw new Error('bad list');
  const outer = r.enter(n);
  const out: number[] = [];
  while (r.pos < r.end) out.push(r.u16());
  r.leave(outer);
  return out;
}

function helloPrefix(r: In) {
  const legacy_version = r.u16();
  const random = r.bytes(32);
  const sid = r.u8();
  if (sid > 32) throw new Error('session id');
  const legacy_session_id = r.bytes(sid);
  const cipher_suites = u16List(r, 2, 2, 0xfffe);
  const cm = r.u8();
  if (cm < 1) throw new Error('compression');
  const legacy_compression_methods = r.bytes(cm);
  return { legacy_version, random, legacy_session_id, cipher_suites, legacy_compression_methods };
}

function recordHeader(r: In): { type: number; version: number; outer: number } {
  const type = r.u8();
  const version = r.u16();
  const len = r.u16();
  if (len > 2 ** 14) throw new Error('record too long');
  return { type, version, outer: r.enter(len) };
}

/** Hand-written decoder of the common shape. */
export function decodeRaw(bytes: Uint8Array): RawRecord {
  const r = new In(bytes);
  const { type, version, outer } = recordHeader(r);
  const msg_type = r.u8();
  const hsOuter = r.enter(r.u24());
  const p = helloPrefix(r);
  let extensions: RawExt[] | undefined;
  if (r.pos < r.end) {
    const extOuter = r.enter(r.u16());
    extensions = [];
    while (r.pos < r.end) {
      const t = r.u16();
      extensions.push({ type: t, data: r.bytes(r.u16()) });
    }
    r.leave(extOuter);
  }
  r.leave(hsOuter);
  r.leave(outer);
  if (r.pos !== bytes.length) throw new Error('trailing');
  return { type, version, fragment: { msg_type, body: { ...p, extensions } } };
}

/** Hand-written decoder of the typed shape (known extension bodies decoded). */
export function decodeTyped(bytes: Uint8Array): HandshakeRecord {
  const r = new In(bytes);
  const { type, version, outer } = recordHeader(r);
  const msg_type = r.u8();
  if (msg_type !== 1) throw new Error('not a ClientHello');
  const hsOuter = r.enter(r.u24());
  const p = helloPrefix(r);
  // biome-ignore lint/suspicious/noExplicitAny: the union is assembled by hand below
  let extensions: any[] | undefined;
  if (r.pos < r.end) {
    const extOuter = r.enter(r.u16());
    extensions = [];
    while (r.pos < r.end) {
      const t = r.u16();
      const dataOuter = r.enter(r.u16());
      switch (t) {
        case 0: {
          const o = r.enter(r.u16());
          const names = [];
          while (r.pos < r.end) names.push({ name_type: r.u8(), host_name: r.bytes(r.u16()) });
          r.leave(o);
          extensions.push({ type: t, value: names });
          break;
        }
        case 10:
        case 13:
          extensions.push({ type: t, value: u16List(r, 2, 2, 0xffff) });
          break;
        case 43:
          extensions.push({ type: t, value: u16List(r, 1, 2, 254) });
          break;
        case 51: {
          const o = r.enter(r.u16());
          const shares = [];
          while (r.pos < r.end) {
            const group = r.u16();
            const n = r.u16();
            if (n < 1) throw new Error('empty key');
            shares.push({ group, key_exchange: r.bytes(n) });
          }
          r.leave(o);
          extensions.push({ type: t, value: shares });
          break;
        }
        default:
          extensions.push({ type: t, value: r.bytes(r.end - r.pos), unknown: true });
      }
      r.leave(dataOuter);
    }
    r.leave(extOuter);
  }
  r.leave(hsOuter);
  r.leave(outer);
  if (r.pos !== bytes.length) throw new Error('trailing');
  return {
    type,
    legacy_record_version: version,
    fragment: { type: msg_type, value: { ...p, extensions } },
  } as HandshakeRecord;
}

/** Hand-written encoder of the common shape: size first, then one DataView pass. */
export function encodeRaw(v: RawRecord): Uint8Array {
  const h = v.fragment.body;
  let extLen = 0;
  for (const e of h.extensions ?? []) extLen += 4 + e.data.length;
  const helloLen =
    2 +
    32 +
    1 +
    h.legacy_session_id.length +
    2 +
    2 * h.cipher_suites.length +
    1 +
    h.legacy_compression_methods.length +
    (h.extensions ? 2 + extLen : 0);
  const out = new Uint8Array(5 + 4 + helloLen);
  const dv = new DataView(out.buffer);
  let p = 0;
  dv.setUint8(p, v.type);
  dv.setUint16(p + 1, v.version);
  dv.setUint16(p + 3, 4 + helloLen);
  dv.setUint8(p + 5, v.fragment.msg_type);
  dv.setUint8(p + 6, helloLen >> 16);
  dv.setUint16(p + 7, helloLen & 0xffff);
  p = 9;
  dv.setUint16(p, h.legacy_version);
  out.set(h.random, p + 2);
  p += 34;
  dv.setUint8(p++, h.legacy_session_id.length);
  out.set(h.legacy_session_id, p);
  p += h.legacy_session_id.length;
  dv.setUint16(p, 2 * h.cipher_suites.length);
  p += 2;
  for (const s of h.cipher_suites) {
    dv.setUint16(p, s);
    p += 2;
  }
  dv.setUint8(p++, h.legacy_compression_methods.length);
  out.set(h.legacy_compression_methods, p);
  p += h.legacy_compression_methods.length;
  if (h.extensions) {
    dv.setUint16(p, extLen);
    p += 2;
    for (const e of h.extensions) {
      dv.setUint16(p, e.type);
      dv.setUint16(p + 2, e.data.length);
      out.set(e.data, p + 4);
      p += 4 + e.data.length;
    }
  }
  return out;
}
