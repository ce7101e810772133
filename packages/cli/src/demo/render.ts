// The demo's transcript: the captured bytes of both directions through the @tls-kit/messages
// dissector, with the key log decrypting the encrypted records, as text for a person.
import { Certificate } from '@tls-kit/certs';
import { TLS12_SUITES } from '@tls-kit/engine';
import {
  ContentType,
  type Direction,
  type DissectEvent,
  describeEnum,
  enumName,
  HandshakeType,
  type KeyLogEntry,
  messageName,
  TLSDissector,
  type TLSRecord,
  treeLines,
} from '@tls-kit/messages';
import { type DecryptedRecord, keylogDecryptor } from '../keylog-decrypt.js';
import { keyDescription } from './pki.js';
import type { CapturedChunk } from './relay.js';

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly yellow: (s: string) => string;
}

export function style(color: boolean): Style {
  const sgr = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: sgr(1), dim: sgr(2), green: sgr(32), red: sgr(31), cyan: sgr(36), yellow: sgr(33) };
}

export interface TranscriptSummary {
  readonly lines: string[];
  readonly records: number;
  /** Encrypted records the key log could not open. */
  readonly undecrypted: number;
  /** Dissector faults (malformed or truncated data). */
  readonly faults: number;
  readonly bytes: Record<'client' | 'server', number>;
}

const TLS12_IDS = new Set(TLS12_SUITES.map((suite) => suite.id));

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The Certificate message with each certData replaced by what it is. */
function describeCertificates(body: unknown): unknown {
  const b = body as { certificateList?: { certData?: Uint8Array }[] };
  if (!Array.isArray(b.certificateList)) return body;
  return {
    ...b,
    certificateList: b.certificateList.map((entry) => {
      if (!(entry.certData instanceof Uint8Array)) return entry;
      try {
        const cert = Certificate.fromDer(entry.certData);
        const what = `${cert.subject} (${keyDescription(cert)}), issued by ${cert.issuer}, ${entry.certData.length} bytes DER`;
        return { ...entry, certData: what };
      } catch {
        return entry;
      }
    }),
  };
}

/** A character as the terminal may show it: CR and LF as \\r \\n, other controls as \\xNN. */
function printable(c: string): string {
  if (c === '\r') return '\\r';
  if (c === '\n') return '\\n';
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
}

/** Printable text of application data, escaped, cut at `max` characters. */
function textPreview(content: Uint8Array, max = 600): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return shown.split(/(?<=\n)/).map((line) => Array.from(line, printable).join(''));
}

/**
 * Decodes the captured chunks (both directions, in the order seen) with `keylog` and renders
 * every record and message. `brief` shows message names without their fields.
 */
export function renderTranscript(
  chunks: readonly CapturedChunk[],
  keylog: readonly KeyLogEntry[],
  s: Style,
  brief = false,
): TranscriptSummary {
  const renderer = new TranscriptRenderer(keylog, s, brief);
  const lines = chunks.flatMap((chunk) => renderer.push(chunk.from, chunk.data));
  lines.push(...renderer.finish());
  return { lines, ...renderer.counts };
}

/**
 * The transcript as the bytes come (s_client -msg): `push` returns the lines of what became
 * complete. `keylog` may grow meanwhile (a live connection's key log): the decryptor reads it
 * when a record needs a key.
 */
export class TranscriptRenderer {
  readonly counts = { records: 0, undecrypted: 0, faults: 0, bytes: { client: 0, server: 0 } };
  private readonly decrypted = new Map<TLSRecord, DecryptedRecord>();
  private readonly dissector: TLSDissector;
  // The ServerHello's suite tells how to describe ChangeCipherSpec (TLS 1.2 or 1.3).
  private helloSuite: number | undefined;

  constructor(
    keylog: readonly KeyLogEntry[],
    private readonly s: Style,
    private readonly brief: boolean,
  ) {
    const decrypt = keylogDecryptor(keylog, { observe: (r, d) => this.decrypted.set(r, d) });
    this.dissector = new TLSDissector(decrypt);
  }

  push(from: Direction, data: Uint8Array): string[] {
    this.counts.bytes[from] += data.length;
    return this.dissector.push(0, from, data).flatMap((e) => this.render(e));
  }

  finish(): string[] {
    return this.dissector.finish().flatMap((e) => this.render(e));
  }

  private render(e: DissectEvent): string[] {
    const { s, counts } = this;
    const lines: string[] = [];
    const arrow = (from: Direction) =>
      from === 'client' ? s.cyan('client → server') : s.yellow('server → client');
    switch (e.kind) {
      case 'record': {
        counts.records++;
        const size = plural(e.record.fragment.length, 'byte');
        const outer = enumName(ContentType, e.record.type, 2);
        const d = this.decrypted.get(e.record);
        this.decrypted.delete(e.record);
        if (d) {
          const inner = enumName(ContentType, d.type, 2);
          lines.push(
            '',
            `${arrow(e.from)}  ${s.bold(`${outer} record`)}, ${size} ${s.dim(`at offset ${e.offset}`)}`,
            `  ${s.green('decrypted')} with the ${d.from} ${d.key} key ${s.dim(`(${d.suite}, sequence ${d.seq})`)}: ` +
              `${s.bold(inner)}, ${plural(d.content.length, 'byte')}`,
          );
          if (d.type === ContentType.application_data) {
            for (const line of textPreview(d.content)) lines.push(`    ${s.green('│')} ${line}`);
          }
        } else if (e.encrypted) {
          counts.undecrypted++;
          lines.push(
            '',
            `${arrow(e.from)}  ${s.bold(`${outer} record`)}, ${size} ${s.dim(`at offset ${e.offset}`)}`,
          );
          lines.push(`  ${s.red('encrypted, no key in the key log')}`);
        } else {
          const version = describeEnum('version', e.record.version);
          lines.push(
            '',
            `${arrow(e.from)}  ${s.bold(`${outer} record`)}, ${size} ${s.dim(`at offset ${e.offset}, plaintext, record version ${version}`)}`,
          );
        }
        break;
      }
      case 'handshake': {
        const m = e.message;
        if (!m.unknown && m.msgType === HandshakeType.server_hello && !m.body.isHelloRetryRequest) {
          this.helloSuite = m.body.cipherSuite;
        }
        const name = messageName(e);
        lines.push(`  ${s.bold(name)} ${s.dim(`(${plural(e.length, 'byte')})`)}`);
        if (!this.brief && !m.unknown) {
          const body = name === 'Certificate' ? describeCertificates(m.body) : m.body;
          lines.push(...treeLines(body, '      '));
        }
        break;
      }
      case 'alert': {
        const level = describeEnum('level', e.alert.level);
        const description = describeEnum('description', e.alert.description);
        lines.push(`  ${s.bold('Alert')} ${description}, level ${level}`);
        break;
      }
      case 'change_cipher_spec':
        lines.push(
          `  ${s.bold('ChangeCipherSpec')} ${s.dim(
            this.helloSuite !== undefined && TLS12_IDS.has(this.helloSuite)
              ? '(TLS 1.2: what follows from this side is encrypted)'
              : '(ignored in TLS 1.3: middlebox compatibility, RFC 8446 §D.4)',
          )}`,
        );
        break;
      case 'error':
        counts.faults++;
        lines.push(
          s.red(
            `  fault at ${e.from} @${e.offset}${e.error.path ? ` ${e.error.path}` : ''}: ${e.error.reason}`,
          ),
        );
        break;
    }
    return lines;
  }
}
