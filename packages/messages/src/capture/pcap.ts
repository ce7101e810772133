// Readers for the two capture file formats, on wire's bounds-checked Reader:
// pcap (tcpdump's pcap-savefile(5)) and pcapng (IETF draft-ietf-opsawg-pcapng). Only what a TLS dissector needs: link type, timestamp and frame bytes.
import { DecodeError, IncompleteDataError, Reader, WireError } from '@tls-kit/wire';

/** One captured frame. */
export interface CapturedPacket {
  /** Position in the capture, from 0. */
  index: number;
  /** Byte offset of the frame's data in the capture file. */
  fileOffset: number;
  /** LINKTYPE_* value of the interface (1 Ethernet, 0 BSD loopback, 101 raw IP, 113/276 Linux SLL). */
  linkType: number;
  /** Seconds since the epoch (fractional). */
  timestamp: number;
  data: Uint8Array;
}

/** The packets read, and the fault that stopped the reading early, if any. */
export interface CaptureReadResult {
  format: 'pcap' | 'pcapng';
  packets: CapturedPacket[];
  error?: WireError;
  /** File offset where the fault was found. */
  errorOffset?: number;
}

const PCAP_MICROS = 0xa1b2c3d4;
const PCAP_NANOS = 0xa1b23c4d;
const PCAPNG_SECTION = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
function swap16(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}

/** A Reader reading u16/u32 in the capture's byte order. */
class EndianReader {
  constructor(
    readonly r: Reader,
    public littleEndian: boolean,
  ) {}
  u16(): number {
    const v = this.r.u16();
    return this.littleEndian ? swap16(v) : v;
  }
  u32(): number {
    const v = this.r.u32();
    return this.littleEndian ? swap32(v) : v;
  }
}

/** What kind of file `bytes` is, from its magic number. */
export function detectCaptureFormat(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const be = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (be === PCAPNG_SECTION) return 'pcapng';
  if (be === PCAP_MICROS || be === PCAP_NANOS || swap32(be) === PCAP_MICROS || swap32(be) === PCAP_NANOS)
    return 'pcap';
  return undefined;
}

/** Runs `step`, turning a WireError into the result's fault (with `path` and file offset). */
function guarded(result: CaptureReadResult, r: Reader, path: (string | number)[], step: () => void): boolean {
  const start = r.pos;
  try {
    step();
    return true;
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    for (const segment of [...path].reverse()) e.prependPath(segment);
    result.error = e;
    result.errorOffset = e instanceof IncompleteDataError ? r.buf.length : Math.max(start, r.pos);
    return false;
  }
}

function readPcap(bytes: Uint8Array): CaptureReadResult {
  const result: CaptureReadResult = { format: 'pcap', packets: [] };
  const r = new Reader(bytes);
  const er = new EndianReader(r, false);
  let linkType = 0;
  let nanos = false;
  const headerOk = guarded(result, r, ['pcap', 'header'], () => {
    const magic = r.u32();
    er.littleEndian = magic === swap32(PCAP_MICROS) || magic === swap32(PCAP_NANOS);
    nanos = (er.littleEndian ? swap32(magic) : magic) === PCAP_NANOS;
    er.u16(); // version major
    er.u16(); // version minor
    r.bytes(8); // thiszone, sigfigs
    er.u32(); // snaplen
    linkType = er.u32() & 0xffff; // the upper bits carry FCS information
  });
  if (!headerOk) return result;
  while (r.pos < r.end) {
    const index = result.packets.length;
    const ok = guarded(result, r, ['pcap', 'record', index], () => {
      const seconds = er.u32();
      const fraction = er.u32();
      const captured = er.u32();
      er.u32(); // original length
      if (captured > 0x4000000) throw new DecodeError(`captured length ${captured} is not plausible`);
      const fileOffset = r.pos;
      const data = r.bytes(captured);
      const timestamp = seconds + fraction / (nanos ? 1e9 : 1e6);
      result.packets.push({ index, fileOffset, linkType, timestamp, data });
    });
    if (!ok) break;
  }
  return result;
}

interface PcapngInterface {
  linkType: number;
  /** Timestamp units per second. */
  resolution: number;
}

/** if_tsresol (option 9): a power of 10, or of 2 when the top bit is set. */
function interfaceResolution(options: Uint8Array, er: EndianReader): number {
  const r = new Reader(options);
  const or = new EndianReader(r, er.littleEndian);
  while (r.remaining() >= 4) {
    const code = or.u16();
    const length = or.u16();
    if (code === 0) break;
    const value = r.bytes(Math.min(length, r.remaining()));
    r.bytes(Math.min((4 - (length % 4)) % 4, r.remaining()));
    if (code === 9 && value.length >= 1) {
      const v = value[0]!;
      return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
    }
  }
  return 1e6;
}

function readPcapng(bytes: Uint8Array): CaptureReadResult {
  const result: CaptureReadResult = { format: 'pcapng', packets: [] };
  const r = new Reader(bytes);
  const er = new EndianReader(r, false);
  let interfaces: PcapngInterface[] = [];
  let blockIndex = 0;
  while (r.pos < r.end) {
    const ok = guarded(result, r, ['pcapng', 'block', blockIndex], () => {
      const start = r.pos;
      const rawType = r.u32();
      if (rawType === PCAPNG_SECTION) {
        // The byte-order magic follows the length, so peek at it before reading the length.
        const magic = new Reader(bytes, r.pos + 4, Math.min(r.pos + 8, bytes.length)).u32();
        if (magic === PCAPNG_BYTE_ORDER) er.littleEndian = false;
        else if (magic === swap32(PCAPNG_BYTE_ORDER)) er.littleEndian = true;
        else throw new DecodeError(`bad byte-order magic 0x${magic.toString(16)}`);
        interfaces = [];
      }
      const type = er.littleEndian ? swap32(rawType) : rawType;
      const length = er.u32();
      if (length < 12 || length % 4 !== 0) throw new DecodeError(`block length ${length} is invalid`);
      const saved = r.enter(length - 12);
      switch (type) {
        case 1: {
          const linkType = er.u16();
          r.bytes(2); // reserved
          er.u32(); // snaplen
          interfaces.push({ linkType, resolution: interfaceResolution(r.rest(), er) });
          break;
        }
        case 6: {
          const id = er.u32();
          const high = er.u32();
          const low = er.u32();
          const captured = er.u32();
          er.u32(); // original length
          const iface = interfaces[id];
          if (iface === undefined) throw new DecodeError(`packet on undeclared interface ${id}`);
          const fileOffset = r.pos;
          const data = r.bytes(captured);
          r.rest(); // padding and options
          const timestamp = (high * 2 ** 32 + low) / iface.resolution;
          result.packets.push({
            index: result.packets.length,
            fileOffset,
            linkType: iface.linkType,
            timestamp,
            data,
          });
          break;
        }
        case 3: {
          const original = er.u32();
          const iface = interfaces[0];
          if (iface === undefined) throw new DecodeError('simple packet without an interface');
          const fileOffset = r.pos;
          const data = r.bytes(Math.min(original, r.remaining()));
          r.rest();
          result.packets.push({
            index: result.packets.length,
            fileOffset,
            linkType: iface.linkType,
            timestamp: 0,
            data,
          });
          break;
        }
        default:
          r.rest(); // section header body, statistics, name resolution, ...: not needed
      }
      r.leave(saved);
      const trailer = er.u32();
      if (trailer !== length)
        throw new DecodeError(`trailing length ${trailer} differs from ${length} (block at ${start})`);
    });
    if (!ok) break;
    blockIndex++;
  }
  return result;
}

/**
 * Reads every packet of a pcap or pcapng capture. A truncated or malformed file yields the
 * packets before the fault plus the fault (a WireError with its path, e.g.
 * `pcap.record[12]`, and the file offset) instead of throwing.
 */
export function readCapture(bytes: Uint8Array): CaptureReadResult {
  const format = detectCaptureFormat(bytes);
  if (format === 'pcap') return readPcap(bytes);
  if (format === 'pcapng') return readPcapng(bytes);
  throw new DecodeError('not a pcap or pcapng file (unknown magic number)');
}
