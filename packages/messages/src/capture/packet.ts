// Link layer -> IPv4/IPv6 -> TCP, enough to find TLS streams in a capture.
import { DecodeError, Reader, WireError } from '@tls-kit/wire';
import type { CapturedPacket } from './pcap.js';

/** A TCP segment with its endpoints. */
export interface TcpSegment {
  packet: number;
  timestamp: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  flags: number;
  payload: Uint8Array;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8];

function ipv4(bytes: Uint8Array): string {
  return Array.from(bytes).join('.');
}

function ipv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `[${groups.join(':')}]`;
}

/** Skips the link header; returns the EtherType-like protocol of what follows, or undefined. */
function linkPayload(r: Reader, linkType: number): number | undefined {
  switch (linkType) {
    case 1: {
      // Ethernet II, possibly VLAN-tagged.
      r.bytes(12);
      let type = r.u16();
      while (ETHERTYPE_VLAN.includes(type)) {
        r.bytes(2);
        type = r.u16();
      }
      return type;
    }
    case 0:
    case 108: {
      // BSD loopback: a 4-byte address family, host byte order (0) or network order (108).
      const b = r.bytes(4);
      const family = linkType === 0 && b[0] !== 0 ? b[0]! : b[3]!;
      if (family === 2) return ETHERTYPE_IPV4;
      if (family === 24 || family === 28 || family === 30) return ETHERTYPE_IPV6;
      return undefined;
    }
    case 101:
    case 12: {
      // Raw IP: the version nibble says which.
      const version = r.buf[r.pos]! >> 4;
      return version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : undefined;
    }
    case 228:
      return ETHERTYPE_IPV4;
    case 229:
      return ETHERTYPE_IPV6;
    case 113: {
      // Linux cooked capture v1: 16 bytes, protocol last.
      r.bytes(14);
      return r.u16();
    }
    case 276: {
      // Linux cooked capture v2: 20 bytes, protocol first.
      const protocol = r.u16();
      r.bytes(18);
      return protocol;
    }
    default:
      return undefined;
  }
}

/**
 * The TCP segment in a captured frame, or undefined for anything else (ARP, UDP, IP fragments,
 * unknown link types). A frame too short for the headers it announces is a DecodeError.
 */
export function decodeTcp(packet: CapturedPacket): TcpSegment | undefined {
  const r = new Reader(packet.data);
  let layer = 'link';
  try {
    const protocol = linkPayload(r, packet.linkType);
    let src: string;
    let dst: string;
    let end: number;
    if (protocol === ETHERTYPE_IPV4) {
      layer = 'ipv4';
      const start = r.pos;
      const versionIhl = r.u8();
      const headerLength = (versionIhl & 0x0f) * 4;
      if (versionIhl >> 4 !== 4 || headerLength < 20)
        throw new DecodeError('bad IPv4 version or header length');
      r.u8();
      const totalLength = r.u16();
      r.u16();
      const fragment = r.u16();
      r.u8();
      const next = r.u8();
      r.u16();
      src = ipv4(r.bytes(4));
      dst = ipv4(r.bytes(4));
      r.bytes(headerLength - 20);
      // Fragments are not reassembled: TLS over loopback and normal paths uses DF segments.
      if (next !== 6 || (fragment & 0x3fff) !== 0) return undefined;
      if (totalLength < headerLength) throw new DecodeError(`IPv4 total length ${totalLength} is too small`);
      // Ethernet pads short frames: the IP length says where the datagram ends.
      end = Math.min(start + totalLength, r.end);
    } else if (protocol === ETHERTYPE_IPV6) {
      layer = 'ipv6';
      if (r.u8() >> 4 !== 6) throw new DecodeError('bad IPv6 version');
      r.bytes(3);
      const payloadLength = r.u16();
      let next = r.u8();
      r.u8();
      src = ipv6(r.bytes(16));
      dst = ipv6(r.bytes(16));
      end = Math.min(r.pos + payloadLength, r.end);
      // Hop-by-hop, routing and destination options headers: skip; a fragment header: give up.
      while (next === 0 || next === 43 || next === 60) {
        next = r.u8();
        r.bytes(r.u8() * 8 + 6);
      }
      if (next !== 6) return undefined;
    } else {
      return undefined;
    }
    layer = 'tcp';
    const tcpStart = r.pos;
    const srcPort = r.u16();
    const dstPort = r.u16();
    const seq = r.u32();
    r.u32();
    const dataOffset = (r.u8() >> 4) * 4;
    const flags = r.u8();
    if (dataOffset < 20) throw new DecodeError(`TCP data offset ${dataOffset} is too small`);
    if (tcpStart + dataOffset > end) throw new DecodeError('TCP header runs past the packet');
    const payload = packet.data.subarray(tcpStart + dataOffset, end);
    return {
      packet: packet.index,
      timestamp: packet.timestamp,
      src,
      dst,
      srcPort,
      dstPort,
      seq,
      flags,
      payload,
    };
  } catch (e) {
    if (e instanceof WireError) e.prependPath(layer).prependPath(packet.index).prependPath('packet');
    throw e;
  }
}
