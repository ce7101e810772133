// The captured chunks of one connection through @tls-kit/messages' dissector, with the key log
// opening the encrypted records: a list of records (each with its messages as trees of fields)
// and the flights (consecutive chunks one way), both with the time the page saw their bytes.
import { Certificate } from '@tls-kit/certs';
import { keyDescription } from '@tls-kit/cli/demo/pki';
import { type DecryptedRecord, keylogDecryptor } from '@tls-kit/cli/keylog-decrypt';
import {
  AlertDescription,
  ContentType,
  type Direction,
  describeEnum,
  describeError,
  ExtensionType,
  enumName,
  findExtension,
  HandshakeType,
  messageName,
  parseKeyLog,
  TLSDissector,
  type TLSRecord,
  type TreeNode,
  treeNodes,
} from '@tls-kit/messages';
import type { CapturedChunk } from './session.js';

export interface TranscriptRecord {
  readonly at: number;
  readonly from: Direction;
  /** "handshake record, 1234 bytes, plaintext" */
  readonly title: string;
  /** How it was opened: "decrypted with the server handshake key (TLS_AES_128_GCM_SHA256, record 0)". */
  readonly decryption?: string;
  /** Its messages (handshake messages, alerts, ChangeCipherSpec), each with its fields. */
  readonly messages: TreeNode[];
  /** Decrypted application data as text. */
  readonly text?: string;
  /** Set when the record stayed encrypted or the dissector found a fault. */
  readonly problem?: string;
}

/** Chunks sent one way in a row, with their first and last times. */
export interface Flight {
  readonly from: Direction;
  readonly first: number;
  last: number;
  bytes: number;
  /** What it carried: "ServerHello", "Certificate", "application data (213 bytes)"... */
  readonly contents: string[];
}

export interface Transcript {
  readonly records: TranscriptRecord[];
  readonly flights: Flight[];
  readonly undecrypted: number;
  readonly faults: number;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A certificate in a Certificate message, shown as what it is rather than as DER bytes. */
function describeCertificate(der: Uint8Array): unknown {
  try {
    const cert = Certificate.fromDer(der);
    return {
      subject: String(cert.subject),
      issuer: String(cert.issuer),
      validity: `${cert.notBefore.toISOString()} .. ${cert.notAfter.toISOString()}`,
      key: keyDescription(cert),
      der,
    };
  } catch {
    return der;
  }
}

function describeCertificates(body: unknown): unknown {
  const b = body as { certificateList?: { certData?: unknown }[] };
  if (!Array.isArray(b.certificateList)) return body;
  return {
    ...b,
    certificateList: b.certificateList.map((entry) =>
      entry.certData instanceof Uint8Array
        ? { ...entry, certData: describeCertificate(entry.certData) }
        : entry,
    ),
  };
}

/** Decrypted application data as text, control characters other than CR LF shown as \xNN. */
function plaintext(content: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  return Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    const control = (code < 0x20 && c !== '\r' && c !== '\n') || code === 0x7f;
    return control ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }).join('');
}

/** Decodes `chunks` (both directions, in the order the page saw them) with the NSS key log `keyLog`. */
export function decodeTranscript(chunks: readonly CapturedChunk[], keyLog: string): Transcript {
  const opened = new Map<TLSRecord, DecryptedRecord>();
  const dissector = new TLSDissector(
    keylogDecryptor(parseKeyLog(keyLog), { observe: (r, d) => opened.set(r, d) }),
  );
  const records: TranscriptRecord[] = [];
  const flights: Flight[] = [];
  let current: TranscriptRecord | undefined;
  // Whether a ChangeCipherSpec starts encryption (TLS 1.2) or is a TLS 1.3 no-op.
  let tls12 = false;
  let undecrypted = 0;
  let faults = 0;

  const push = (from: Direction, at: number, data: Uint8Array | undefined) => {
    let flight = flights.at(-1);
    if (data !== undefined) {
      if (flight?.from !== from) {
        flight = { from, first: at, last: at, bytes: 0, contents: [] };
        flights.push(flight);
      }
      flight.last = at;
      flight.bytes += data.length;
    }
    const events = data === undefined ? dissector.finish() : dissector.push(0, from, data);
    for (const e of events) {
      const add = (node: TreeNode, content: string) => {
        current?.messages.push(node);
        flight?.contents.push(content);
      };
      switch (e.kind) {
        case 'record': {
          const d = opened.get(e.record);
          const outer = enumName(ContentType, e.record.type, 2);
          const inner = d ? enumName(ContentType, d.type, 2) : undefined;
          const shown = inner && inner !== outer ? `${inner} in an ${outer} record` : `${outer} record`;
          const record: TranscriptRecord = {
            at,
            from: e.from,
            title: `${shown}, ${plural(e.record.fragment.length, 'byte')}${d || e.encrypted ? '' : ', plaintext'}`,
            messages: [],
            ...(d
              ? {
                  decryption: `decrypted with the ${d.from} ${d.key} key (${d.suite}, record ${d.seq})`,
                }
              : {}),
            ...(d?.type === ContentType.application_data ? { text: plaintext(d.content) } : {}),
            ...(e.encrypted ? { problem: 'encrypted: no key in the key log opens it' } : {}),
          };
          if (e.encrypted) undecrypted++;
          if (d?.type === ContentType.application_data)
            flight?.contents.push(`application data (${plural(d.content.length, 'byte')})`);
          records.push(record);
          current = record;
          break;
        }
        case 'handshake': {
          const name = messageName(e);
          const m = e.message;
          // RFC 8446 §4.2.1: a TLS 1.3 ServerHello always carries supported_versions.
          if (!m.unknown && m.msgType === HandshakeType.server_hello)
            tls12 = findExtension(m.body.extensions, ExtensionType.supported_versions) === undefined;
          const body = m.unknown ? m : name === 'Certificate' ? describeCertificates(m.body) : m.body;
          add(
            { label: `${name} (${plural(e.length, 'byte')})`, item: false, children: treeNodes(body) },
            name,
          );
          break;
        }
        case 'alert': {
          const description = describeEnum('description', e.alert.description);
          add(
            { label: `Alert: ${description}`, item: false, children: treeNodes(e.alert) },
            `Alert ${enumName(AlertDescription, e.alert.description, 2)}`,
          );
          break;
        }
        case 'change_cipher_spec':
          add(
            {
              label: tls12
                ? 'ChangeCipherSpec: what follows from this side is encrypted'
                : 'ChangeCipherSpec: ignored in TLS 1.3, sent for middlebox compatibility (RFC 8446 §D.4)',
              item: false,
              children: [],
            },
            'ChangeCipherSpec',
          );
          break;
        case 'error':
          faults++;
          records.push({
            at,
            from: e.from,
            title: 'the dissector stopped',
            messages: [],
            problem: describeError(e.error, `${e.from} @${e.offset}`),
          });
          break;
      }
    }
  };
  for (const c of chunks) push(c.from, c.at, c.data);
  push('client', chunks.at(-1)?.at ?? 0, undefined);
  return { records, flights, undecrypted, faults };
}
