// The demo's work once its flags are parsed (commands/demo.ts declares them): make the PKI, run
// the legs, print the parameters, the chain, the HTTP exchange and the decoded transcript, and
// the checks. Exit 0 only if every check passed.
import { execFileSync } from 'node:child_process';
import type { Certificate } from '@tls-kit/certs';
import { type CommandIO, type FlagValues, str, UsageError } from '../args.js';
import { negotiationOptions } from '../tls-flags.js';
import { type Check, type LegResult, opensslToOurs, oursToOpenssl, oursToOurs } from './legs.js';
import { keyDescription, makePki } from './pki.js';
import { renderTranscript, type Style, style } from './render.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Lines of an HTTP response shown before "… more lines". */
const MAX_RESPONSE_LINES = 12;

const date = (d: Date) => d.toISOString().slice(0, 10);

function chainLines(chain: readonly Certificate[], s: Style): string[] {
  return chain.map((cert, i) => {
    const role = i === 0 ? 'leaf' : i === chain.length - 1 ? 'trust anchor' : 'intermediate';
    const sans = cert.subjectAltNames.map((n) =>
      'value' in n ? `${n.type.toUpperCase()}:${n.value}` : n.type,
    );
    return (
      `  ${i}  ${s.bold(String(cert.subject))}  ${s.dim(`[${role}] ${keyDescription(cert)}, ` + `${date(cert.notBefore)} .. ${date(cert.notAfter)}`)}` +
      (sans.length ? s.dim(`, ${sans.join(' ')}`) : '')
    );
  });
}

function section(title: string, s: Style): string[] {
  return ['', s.bold(`── ${title} ${'─'.repeat(Math.max(0, 76 - title.length))}`)];
}

function printLeg(leg: LegResult, s: Style, brief: boolean, out: (lines: string[]) => void): Check[] {
  out(['', s.bold(s.cyan(`▶ ${leg.title}`))]);
  out(section('Negotiated', s));
  out(leg.parameters.map((l) => `  ${l}`));
  if (leg.chain.length > 0) {
    out(section('Verified chain (as our client validated it)', s));
    out(chainLines(leg.chain, s));
  }
  out(section('HTTP', s));
  out(
    leg.request
      .split('\r\n')
      .filter(Boolean)
      .map((l) => `  ${s.cyan('>')} ${l}`),
  );
  const response = leg.response.split(/\r?\n/).filter(Boolean);
  const shown = response.slice(0, MAX_RESPONSE_LINES).map((l) => `  ${s.yellow('<')} ${l}`);
  if (response.length > MAX_RESPONSE_LINES)
    shown.push(s.dim(`  < … ${response.length - MAX_RESPONSE_LINES} more lines`));
  out(shown);

  const t = renderTranscript(leg.chunks, leg.keylog, s, brief);
  out(section('Transcript: the bytes that crossed the wire, decoded', s));
  out([
    s.dim(
      `  client → server ${t.bytes.client} bytes, server → client ${t.bytes.server} bytes, ${t.records} records; ` +
        `key log: ${leg.keylog.length} secret${leg.keylog.length === 1 ? '' : 's'}`,
    ),
  ]);
  out(t.lines);
  return [
    ...leg.checks,
    {
      what: `every encrypted record decrypted with the key log (${t.records} records in all)`,
      ok: t.undecrypted === 0 && t.records > 0,
      detail: `${t.undecrypted} left encrypted`,
    },
    {
      what: 'the dissector decoded every record and message',
      ok: t.faults === 0,
      detail: `${t.faults} faults`,
    },
  ];
}

/** The demo once its flags are parsed. */
export async function demo(flags: FlagValues, io: CommandIO): Promise<number> {
  const peer = str(flags, 'peer') ?? 'ours';
  if (peer !== 'ours' && peer !== 'openssl')
    throw new UsageError(`--peer wants ours or openssl, got '${peer}'`);
  if (peer === 'openssl' && !hasOpenssl())
    throw new Error('--peer openssl: the openssl command was not found');
  const color =
    !flags['no-color'] && !process.env.NO_COLOR && Boolean((io.stdout as { isTTY?: boolean }).isTTY);
  const s = style(color);
  const brief = Boolean(flags.brief);
  const negotiation = negotiationOptions(flags);
  const out = (lines: string[]) => {
    for (const line of lines) io.stdout.write(`${line}\n`);
  };

  out([
    s.bold('tls-kit demo'),
    s.dim(
      `${negotiation.maxVersion === 'TLSv1.2' ? 'TLS 1.2' : 'TLS 1.3'} on 127.0.0.1, every byte decoded. ` +
        'Nothing is read from or written to disk.',
    ),
  ]);
  const pki = makePki();
  out(section('PKI, made just now with @tls-kit/certs CertificateBuilder', s));
  out(chainLines([pki.leaf, pki.intermediate, pki.root], s));
  out([s.dim('  The client trusts only the root; the server sends leaf + intermediate.')]);

  const legs =
    peer === 'openssl'
      ? [() => oursToOpenssl(pki, negotiation), () => opensslToOurs(pki, negotiation)]
      : [() => oursToOurs(pki, negotiation)];
  const checks: Check[] = [];
  for (const leg of legs) checks.push(...printLeg(await leg(), s, brief, out));

  out(section('Checks', s));
  for (const c of checks) {
    out([
      `  ${c.ok ? s.green('✔') : s.red('✘')} ${c.what}${c.ok || !c.detail ? '' : s.red(`: ${c.detail}`)}`,
    ]);
  }
  const ok = checks.every((c) => c.ok);
  out(['', ok ? s.green(s.bold('Everything verified.')) : s.red(s.bold('Some checks failed.'))]);
  return ok ? 0 : 1;
}
