// `tls-kit dissect FILE [--json] [--keylog FILE]`: prints every record and handshake message of a
// raw TLS stream or a pcap/pcapng capture, or the same as JSON.
import { parseArgs } from 'node:util';
import { toHex } from '@tls-kit/crypto/bytes';
import {
  dissect,
  formatTranscript,
  HandshakeType,
  hasErrors,
  type KeyLogEntry,
  parseKeyLog,
  type Transcript,
  transcriptToJson,
} from '@tls-kit/messages';
import { WireError } from '@tls-kit/wire';
import { oneLine, readNamedFile, usageErrorLine } from '../args.js';
import { keylogDecryptor } from '../keylog-decrypt.js';

const HELP = `usage: tls-kit dissect FILE [--json] [--keylog FILE]

Decodes FILE, either a raw TLS byte stream (one direction of a connection) or a pcap/pcapng
capture (recognised by its magic number; TCP streams are reassembled per direction), and prints
every record and handshake message as an indented tree with field and enum names.

options:
  --json          print the transcript as JSON (enums as {value, name}, bytes as hex)
  --keylog FILE   NSS key log (SSLKEYLOGFILE format) to decrypt with: TLS 1.3 traffic secrets
                  and TLS 1.2 CLIENT_RANDOM lines, matched by the ClientHello random. Decrypted
                  records are tagged [decrypted] and show what they carry (handshake messages,
                  alerts, application data); records without a usable secret stay [encrypted].
  -h, --help      show this help

exit status: 0 when everything decoded, 1 when the input is truncated or malformed (what decoded
before the fault is printed, then the fault with its byte offset and field path), 2 on usage errors.`;

function clientRandoms(t: Transcript): string[] {
  const out: string[] = [];
  for (const e of t.events) {
    if (e.kind === 'handshake' && !e.message.unknown && e.message.msgType === HandshakeType.client_hello)
      out.push(toHex(e.message.body.random));
  }
  return out;
}

function keylogSummary(entries: KeyLogEntry[], t: Transcript): string {
  const randoms = new Set(clientRandoms(t));
  const matching = entries.filter((e) => randoms.has(e.clientRandom));
  let decrypted = 0;
  let encrypted = 0;
  for (const e of t.events) {
    if (e.kind !== 'record') continue;
    if (e.decrypted) decrypted++;
    else if (e.encrypted) encrypted++;
  }
  return `keylog: ${entries.length} secret(s), ${matching.length} for this input's connections; ${decrypted} record(s) decrypted, ${encrypted} left encrypted`;
}

export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        json: { type: 'boolean' };
        keylog: { type: 'string' };
        help: { type: 'boolean'; short: 'h' };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        keylog: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(usageErrorLine('dissect', oneLine(e)));
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(usageErrorLine('dissect', `expected one FILE, got ${positionals.length}`));
    return 2;
  }
  let bytes: Uint8Array;
  let keylog: KeyLogEntry[] | undefined;
  const file = positionals[0]!;
  try {
    bytes = new Uint8Array(readNamedFile(file, file));
    if (values.keylog !== undefined)
      keylog = parseKeyLog(readNamedFile(values.keylog, `--keylog ${values.keylog}`).toString('utf8'));
  } catch (e) {
    console.error(`error: ${oneLine(e)}`);
    return 1;
  }
  let transcript: Transcript;
  try {
    transcript = dissect(bytes, keylog && keylogDecryptor(keylog));
  } catch (e) {
    // Only an unrecognisable file gets here; faults inside a capture are part of the transcript.
    if (!(e instanceof WireError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
  if (values.json) {
    const json = transcriptToJson(transcript) as Record<string, unknown>;
    if (keylog !== undefined) json.keylog = keylogSummary(keylog, transcript);
    console.log(JSON.stringify(json, null, 2));
  } else {
    for (const line of formatTranscript(transcript)) console.log(line);
    if (keylog !== undefined) console.log(keylogSummary(keylog, transcript));
  }
  if (!hasErrors(transcript)) return 0;
  console.error(`error: ${file}: malformed TLS data (the faults are shown in the transcript)`);
  return 1;
}
