import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { run } from '../src/commands/dissect.js';

const fixtures = new URL('../../messages/test/fixtures/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tls-kit-dissect-'));
test.after.always(() => rmSync(work, { recursive: true, force: true }));

/** Runs the command with console output captured. */
async function dissect(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...args: unknown[]) => out.push(args.join(' '));
  console.error = (...args: unknown[]) => err.push(args.join(' '));
  try {
    const status = await run(argv);
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test.serial('dissect prints a readable transcript of a real openssl handshake', async (t) => {
  const { status, stdout } = await dissect([join(fixtures, 'openssl-tls12-ecdhe-rsa.pcap')]);
  t.is(status, 0);
  for (const expected of [
    /connection #0: client 127\.0\.0\.1:49152 -> server 127\.0\.0\.2:443/,
    /ClientHello \(\d+ bytes\)/,
    /hostName: "rsa\.example\.test"/,
    /cipherSuite: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \(0xc030\)/,
    /ServerKeyExchange \(\d+ bytes\)\n {4}params:\n {6}curveParams:\n {8}curveType: named_curve \(0x03\)\n {8}namedCurve: secp256r1 \(0x0017\)/,
    /ClientKeyExchange \(\d+ bytes\)\n {4}ecdhYc: 04/,
    /ChangeCipherSpec/,
    /record handshake \(0x16\) TLS1_2 \(0x0303\) length 40 \[encrypted\]/,
  ])
    t.regex(stdout, expected);
});

test.serial('a truncated capture prints what decoded, then the fault; exit 1, no stack trace', async (t) => {
  const whole = readFileSync(join(fixtures, 'openssl-tls13-x25519.pcap'));
  const truncated = join(work, 'truncated.pcap');
  writeFileSync(truncated, whole.subarray(0, 700));
  const { status, stdout, stderr } = await dissect([truncated]);
  t.is(status, 1);
  t.regex(stdout, /ClientHello/);
  t.regex(
    stdout,
    /error: capture file offset 700 at pcap\.record\[\d+\]: input ended early: \d+ more byte\(s\) needed$/,
  );
  t.notRegex(stdout + stderr, /\n\s+at /);
});

test.serial('a truncated raw stream reports the stream offset of the fault', async (t) => {
  const whole = readFileSync(join(fixtures, 'node-tls13.s2c.bin'));
  const truncated = join(work, 'truncated.bin');
  writeFileSync(truncated, whole.subarray(0, 50));
  const { status, stdout } = await dissect([truncated]);
  t.is(status, 1);
  t.regex(stdout, /^error: server stream offset 50 at TLSRecord: input ended early/m);
});

test.serial('--json prints the transcript as JSON with enum names and hex bytes', async (t) => {
  const { status, stdout } = await dissect(['--json', join(fixtures, 'openssl-tls13-x25519.pcapng')]);
  t.is(status, 0);
  const json = JSON.parse(stdout) as {
    input: string;
    events: { message?: string; body?: { cipherSuite?: unknown } }[];
  };
  t.is(json.input, 'pcapng');
  const sh = json.events.find((e) => e.message === 'ServerHello');
  t.deepEqual(sh?.body?.cipherSuite, { value: 0x1301, name: 'TLS_AES_128_GCM_SHA256' });
});

test.serial(
  '--keylog with a wrong secret: matched, nothing decrypted, still exit 0; a bad file is exit 1',
  async (t) => {
    const json = JSON.parse((await dissect(['--json', join(fixtures, 'node-tls13.pcap')])).stdout) as {
      events: { message?: string; body?: { random?: string } }[];
    };
    const random = json.events.find((e) => e.message === 'ClientHello')!.body!.random!;
    const keylog = join(work, 'keys.log');
    writeFileSync(keylog, `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${random} ${'00'.repeat(48)}\n`);
    const { status, stdout } = await dissect(['--keylog', keylog, join(fixtures, 'node-tls13.pcap')]);
    t.is(status, 0);
    // The secret names this connection but is wrong: the AEAD refuses it and records stay encrypted.
    t.regex(
      stdout,
      /keylog: 1 secret\(s\), 1 for this input's connections; 0 record\(s\) decrypted, [1-9]\d* left encrypted/,
    );
    t.regex(stdout, /\[encrypted\]/);
    writeFileSync(keylog, 'garbage\n');
    const bad = await dissect(['--keylog', keylog, join(fixtures, 'node-tls13.pcap')]);
    t.is(bad.status, 1);
    t.regex(bad.stderr, /keylog: line 1/);
  },
);

test.serial('--help, usage errors and unreadable files', async (t) => {
  const help = await dissect(['--help']);
  t.is(help.status, 0);
  t.regex(help.stdout, /usage: tls-kit dissect FILE \[--json\] \[--keylog FILE\]/);
  t.regex(help.stdout, /--keylog FILE +NSS key log \(SSLKEYLOGFILE format\) to decrypt with/);
  t.notRegex(help.stdout, /not implemented/);
  t.is((await dissect([])).status, 2);
  t.is((await dissect(['--bogus', 'x'])).status, 2);
  const missing = await dissect([join(work, 'does-not-exist.pcap')]);
  t.is(missing.status, 1);
  t.regex(missing.stderr, /^error: \S+does-not-exist\.pcap: no such file$/);
});
