// Whole inputs -> transcripts: a raw TLS byte stream (one direction) or a pcap/pcapng capture
// (TCP reassembled per direction, both directions fed in capture order so that the client's
// messages are decoded with what the server negotiated).
import { WireError } from '@tls-kit/wire';
import { decodeTcp } from '../capture/packet.js';
import { detectCaptureFormat, readCapture } from '../capture/pcap.js';
import { type TcpConnection, TcpReassembler } from '../capture/tcp.js';
import { ContentType } from '../registry/content-type.js';
import { HandshakeType } from '../registry/handshake-type.js';
import { type Direction, type DissectEvent, type RecordDecryptor, TLSDissector } from './dissector.js';
import { describeEnum, toHex, toJson, treeLines } from './render.js';

export interface Transcript {
  input: 'stream' | 'pcap' | 'pcapng';
  connections: TcpConnection[];
  events: DissectEvent[];
  /** A fault in the capture file itself (not in the TLS inside it). */
  captureError?: { error: WireError; fileOffset: number };
  /** Stream holes left by missing TCP segments. */
  gaps: { connection: number; from: Direction; offset: number; pendingBytes: number }[];
}

/**
 * Dissects a raw TLS byte stream holding one direction of a connection. The sender is taken to be
 * the client if the stream starts with a ClientHello, else the server.
 */
export function dissectStream(bytes: Uint8Array, decrypt?: RecordDecryptor): Transcript {
  const from: Direction =
    bytes[0] === ContentType.handshake && bytes[5] === HandshakeType.client_hello ? 'client' : 'server';
  const dissector = new TLSDissector(decrypt);
  const events = [...dissector.push(0, from, bytes), ...dissector.finish()];
  return { input: 'stream', connections: [], events, gaps: [] };
}

/** Dissects every TCP connection of a pcap or pcapng capture. */
export function dissectCapture(bytes: Uint8Array, decrypt?: RecordDecryptor): Transcript {
  const capture = readCapture(bytes);
  const tcp = new TcpReassembler();
  const dissector = new TLSDissector(decrypt);
  const events: DissectEvent[] = [];
  const transcript: Transcript = { input: capture.format, connections: tcp.connections, events, gaps: [] };
  const stop = (error: WireError, fileOffset: number) => {
    transcript.captureError = { error, fileOffset };
  };
  for (const packet of capture.packets) {
    try {
      const segment = decodeTcp(packet);
      if (segment === undefined) continue;
      for (const d of tcp.push(segment)) {
        events.push(...dissector.push(d.connection, d.fromClient ? 'client' : 'server', d.data, d.packet));
      }
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      stop(e, packet.fileOffset + (e.offset ?? 0));
      break;
    }
  }
  if (transcript.captureError === undefined && capture.error !== undefined)
    stop(capture.error, capture.errorOffset ?? bytes.length);
  events.push(...dissector.finish());
  transcript.gaps = tcp.gaps().map((g) => ({
    connection: g.connection,
    from: g.fromClient ? 'client' : 'server',
    offset: g.offset,
    pendingBytes: g.pendingBytes,
  }));
  return transcript;
}

/** A pcap/pcapng capture (by magic number) or else a raw TLS stream. */
export function dissect(bytes: Uint8Array, decrypt?: RecordDecryptor): Transcript {
  return detectCaptureFormat(bytes) === undefined
    ? dissectStream(bytes, decrypt)
    : dissectCapture(bytes, decrypt);
}

/** "client_hello" -> "ClientHello"; a HelloRetryRequest is named as such. */
export function messageName(event: Extract<DissectEvent, { kind: 'handshake' }>): string {
  const m = event.message;
  if (!m.unknown && m.msgType === HandshakeType.server_hello && m.body.isHelloRetryRequest)
    return 'HelloRetryRequest';
  const name = HandshakeType[m.msgType];
  if (name === undefined) return `unknown handshake type ${m.msgType}`;
  return name
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function where(e: DissectEvent, multi: boolean): string {
  const conn = multi ? `#${e.connection} ` : '';
  const packet = e.packet === undefined ? '' : ` packet ${e.packet}`;
  return `${conn}${e.from} @${e.offset}${packet}`;
}

/** One line describing a fault, with its offset and field path. */
export function describeError(error: WireError, location: string): string {
  const path = error.path === '' ? '' : ` at ${error.path}`;
  return `error: ${location}${path}: ${error.reason}`;
}

/** Decrypted application data shown as text lines: printable ASCII kept, other bytes escaped. */
const MAX_PLAINTEXT_SHOWN = 2048;

function plaintextLines(content: Uint8Array, prefix: string): string[] {
  let text = '';
  for (const b of content.subarray(0, MAX_PLAINTEXT_SHOWN)) {
    if (b === 0x0a) text += '\\n\n';
    else if (b === 0x0d) text += '\\r';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) text += String.fromCharCode(b);
    else text += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const more = content.length - MAX_PLAINTEXT_SHOWN;
  if (more > 0) lines.push(`... ${more} more bytes`);
  return lines.map((l) => prefix + l);
}

/** The transcript as indented text, one tree per record and per message. */
export function formatTranscript(t: Transcript): string[] {
  const lines: string[] = [];
  const multi = t.connections.length > 1;
  for (const c of t.connections)
    lines.push(`connection #${c.index}: client ${c.client} -> server ${c.server}`);
  for (const e of t.events) {
    switch (e.kind) {
      case 'record': {
        const type = describeEnum('type', e.record.type);
        const version = describeEnum('version', e.record.version);
        const tag = e.encrypted
          ? ' [encrypted]'
          : e.decrypted
            ? ` [decrypted: ${describeEnum('type', e.decrypted.type)}, ${e.decrypted.content.length} bytes]`
            : '';
        lines.push(`${where(e, multi)} record ${type} ${version} length ${e.record.fragment.length}${tag}`);
        // Decrypted application data is shown (handshake messages and alerts follow as usual).
        if (e.decrypted?.type === ContentType.application_data)
          lines.push(...plaintextLines(e.decrypted.content, '    | '));
        break;
      }
      case 'handshake': {
        const unknown = e.message.unknown ? ' (body not decoded)' : '';
        lines.push(`  ${messageName(e)} (${e.length} bytes)${unknown}`);
        lines.push(...treeLines(e.message.body, '    '));
        break;
      }
      case 'alert':
        lines.push('  Alert', ...treeLines(e.alert, '    '));
        break;
      case 'change_cipher_spec':
        lines.push('  ChangeCipherSpec');
        break;
      case 'error': {
        const conn = multi ? `#${e.connection} ` : '';
        const packet = e.packet === undefined ? '' : ` (packet ${e.packet})`;
        lines.push(describeError(e.error, `${conn}${e.from} stream offset ${e.offset}${packet}`));
        break;
      }
    }
  }
  for (const g of t.gaps)
    lines.push(
      `note: #${g.connection} ${g.from} stream has a hole at offset ${g.offset} (${g.pendingBytes} bytes after it)`,
    );
  if (t.captureError !== undefined)
    lines.push(describeError(t.captureError.error, `capture file offset ${t.captureError.fileOffset}`));
  return lines;
}

function errorJson(error: WireError) {
  return { type: error.name, path: error.path, reason: error.reason, offset: error.offset };
}

/** The transcript as JSON-ready data (enums as { value, name }, bytes as hex). */
export function transcriptToJson(t: Transcript): unknown {
  const events = t.events.map((e) => {
    const base = { connection: e.connection, from: e.from, offset: e.offset, packet: e.packet, kind: e.kind };
    switch (e.kind) {
      case 'record':
        return {
          ...base,
          type: toJson(e.record.type, 'type'),
          version: toJson(e.record.version, 'version'),
          length: e.record.fragment.length,
          encrypted: e.encrypted,
          ...(e.encrypted ? { fragment: toHex(e.record.fragment) } : {}),
          ...(e.decrypted
            ? {
                decrypted: {
                  type: toJson(e.decrypted.type, 'type'),
                  length: e.decrypted.content.length,
                  ...(e.decrypted.type === ContentType.application_data
                    ? { content: toHex(e.decrypted.content) }
                    : {}),
                },
              }
            : {}),
        };
      case 'handshake':
        return {
          ...base,
          message: messageName(e),
          msgType: toJson(e.message.msgType, 'msgType'),
          length: e.length,
          ...(e.message.unknown ? { undecoded: true } : {}),
          body: toJson(e.message.body),
        };
      case 'alert':
        return { ...base, alert: toJson(e.alert) };
      case 'change_cipher_spec':
        return base;
      default:
        return { ...base, error: errorJson(e.error) };
    }
  });
  return {
    input: t.input,
    connections: t.connections,
    events,
    gaps: t.gaps,
    ...(t.captureError === undefined
      ? {}
      : { captureError: { ...errorJson(t.captureError.error), fileOffset: t.captureError.fileOffset } }),
  };
}

/** True if the transcript holds any fault (TLS or capture level). */
export function hasErrors(t: Transcript): boolean {
  return t.captureError !== undefined || t.events.some((e) => e.kind === 'error');
}
