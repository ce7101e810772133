// TCP reassembly per direction: orders segments by sequence number, drops retransmitted bytes,
// holds out-of-order segments (bounded) until the gap before them is filled.
import { DecodeError } from '@tls-kit/wire';
import { TCP_ACK, TCP_SYN, type TcpSegment } from './packet.js';

/** Contiguous new bytes of one direction of a connection, in capture order. */
export interface StreamDelivery {
  connection: number;
  fromClient: boolean;
  /** Offset of `data` in the direction's byte stream. */
  offset: number;
  data: Uint8Array;
  /** Index of the packet that completed these bytes. */
  packet: number;
  timestamp: number;
}

/** A TCP connection seen in the capture. */
export interface TcpConnection {
  index: number;
  /** "address:port" of the side that sent the SYN (or spoke first when the SYN is missing). */
  client: string;
  server: string;
}

interface Direction {
  /** Next expected sequence number; undefined until the SYN or the first data segment. */
  next: number | undefined;
  /** Bytes delivered so far. */
  delivered: number;
  /** Out-of-order segments waiting for the gap before them. */
  pending: { seq: number; data: Uint8Array }[];
  pendingBytes: number;
}

/** Signed distance from `b` to `a` in 32-bit sequence space (RFC 9293 §3.4). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpReassembler {
  readonly connections: TcpConnection[] = [];
  private readonly byKey = new Map<
    string,
    { connection: TcpConnection; toServer: Direction; toClient: Direction }
  >();

  /** Out-of-order bytes held per direction before giving up (a capture with a huge hole). */
  constructor(readonly maxPendingBytes = 8 * 1024 * 1024) {}

  /** Feeds one segment; returns the bytes it made contiguous (possibly none). */
  push(segment: TcpSegment): StreamDelivery[] {
    const from = `${segment.src}:${segment.srcPort}`;
    const to = `${segment.dst}:${segment.dstPort}`;
    const key = from < to ? `${from}|${to}` : `${to}|${from}`;
    let state = this.byKey.get(key);
    if (state === undefined) {
      // The SYN (without ACK) comes from the client; otherwise the first speaker is taken as one.
      const fromIsServer = (segment.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
      const connection: TcpConnection = {
        index: this.connections.length,
        client: fromIsServer ? to : from,
        server: fromIsServer ? from : to,
      };
      this.connections.push(connection);
      const fresh = (): Direction => ({ next: undefined, delivered: 0, pending: [], pendingBytes: 0 });
      state = { connection, toServer: fresh(), toClient: fresh() };
      this.byKey.set(key, state);
    }
    const fromClient = from === state.connection.client;
    const dir = fromClient ? state.toServer : state.toClient;
    let seq = segment.seq;
    if (segment.flags & TCP_SYN) {
      seq = (seq + 1) >>> 0; // the SYN occupies one sequence number
      dir.next = seq;
    }
    if (segment.payload.length === 0) return [];
    if (dir.next === undefined) dir.next = seq;
    dir.pending.push({ seq, data: segment.payload });
    dir.pendingBytes += segment.payload.length;
    if (dir.pendingBytes > this.maxPendingBytes) {
      throw new DecodeError(
        `more than ${this.maxPendingBytes} bytes out of order after stream offset ${dir.delivered}`,
      ).prependPath('tcp');
    }
    return this.drain(dir, state.connection.index, fromClient, segment);
  }

  private drain(
    dir: Direction,
    connection: number,
    fromClient: boolean,
    segment: TcpSegment,
  ): StreamDelivery[] {
    const out: StreamDelivery[] = [];
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (let i = 0; i < dir.pending.length; i++) {
        const p = dir.pending[i]!;
        const start = seqDiff(p.seq, dir.next!);
        if (start > 0) continue;
        dir.pending.splice(i, 1);
        dir.pendingBytes -= p.data.length;
        // Bytes before `next` were already delivered (a retransmission or overlap).
        if (-start < p.data.length) {
          const data = p.data.subarray(-start);
          out.push({
            connection,
            fromClient,
            offset: dir.delivered,
            data,
            packet: segment.packet,
            timestamp: segment.timestamp,
          });
          dir.delivered += data.length;
          dir.next = (dir.next! + data.length) >>> 0;
        }
        progressed = true;
        break;
      }
    }
    return out;
  }

  /** Directions that still hold bytes after a hole: what the capture is missing. */
  gaps(): { connection: number; fromClient: boolean; offset: number; pendingBytes: number }[] {
    const out = [];
    for (const { connection, toServer, toClient } of this.byKey.values()) {
      for (const [fromClient, dir] of [
        [true, toServer],
        [false, toClient],
      ] as const) {
        if (dir.pending.length > 0)
          out.push({
            connection: connection.index,
            fromClient,
            offset: dir.delivered,
            pendingBytes: dir.pendingBytes,
          });
      }
    }
    return out;
  }
}
