// The shared helpers do what the packages' tests rely on: a wait that fails fast when the peer
// exited, the whole output at exit, a hook that really blocks built-ins, a forgery that really is
// a cube with the PKCS#1 prefix.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  forgeE3Signature,
  freePort,
  have,
  nestedDerSequences,
  outputAtExit,
  runWithNodeBlocked,
  spawnChild,
} from '@tls-kit/test-helpers';
import test from 'ava';

const node = (script: string) => spawnChild(process.execPath, ['-e', script], 10_000);

test('have() finds node and not a made-up binary', (t) => {
  t.true(have('node'));
  t.false(have('tls-kit-no-such-binary'));
});

test('spawnChild: waitFor matches stdout and stderr, from an offset; kill ends the child', async (t) => {
  const child = node(
    `process.stdout.write('one\\ntwo\\none\\n'); console.error('err'); setInterval(() => {}, 1000);`,
  );
  await child.waitFor(/err/);
  await child.waitFor(/one\ntwo\none/);
  const from = child.output().indexOf('two');
  t.is((await child.waitFor(/one/, 10_000, from)).index, 4);
  child.kill();
  t.is(await child.exited, null);
});

test('spawnChild: waitFor rejects as soon as the program exited without the pattern', async (t) => {
  const child = node(`console.log('bye'); process.exitCode = 3;`);
  const error = await t.throwsAsync(child.waitFor(/never/, 10_000));
  t.regex(error.message, /exited before \/never\/:\nbye/);
  t.is(await child.exited, 3);
});

test('outputAtExit has everything the child wrote', async (t) => {
  const child = node(`process.stdout.write('x'.repeat(100000)); process.stderr.write('end');`);
  const output = await outputAtExit(child);
  t.is(output.length, 100003);
  t.true(output.includes('end'));
});

test('freePort gives a port on 127.0.0.1 that can be listened on', async (t) => {
  const port = await freePort();
  t.true(port > 0 && port < 65536);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  t.is((server.address() as net.AddressInfo).port, port);
  await new Promise((resolve) => server.close(resolve));
});

const cwd = fileURLToPath(new URL('..', import.meta.url));
const guarded = /\/packages\/test-helpers\/src\//;

test('runWithNodeBlocked runs a script whose guarded imports use no built-ins', (t) => {
  // Unguarded code (the script itself) may still use built-ins.
  t.is(
    runWithNodeBlocked(`const { sep } = await import('node:path'); console.log(sep);`, {
      cwd,
      guarded,
    }).trim(),
    '/',
  );
});

test('runWithNodeBlocked refuses a built-in imported by a guarded module', (t) => {
  const error = t.throws(() => runWithNodeBlocked(`await import('./src/ports.ts');`, { cwd, guarded }));
  t.regex(String((error as { stderr?: string }).stderr), /BLOCKED node:net from file:.*\/src\/ports\.ts/);
});

test('forgeE3Signature: its cube is 00 01 FF 00 DigestInfo SHA-256(message) followed by garbage', (t) => {
  const message = new TextEncoder().encode('forge me');
  const signature = forgeE3Signature(message, 256);
  t.is(signature.length, 256);
  const cube = BigInt(`0x${Buffer.from(signature).toString('hex')}`) ** 3n;
  const block = cube.toString(16).padStart(512, '0');
  const digest = createHash('sha256').update(message).digest('hex');
  t.true(block.startsWith(`0001ff003031300d060960864801650304020105000420${digest}`));
});

test('nestedDerSequences: minimal definite lengths at every level', (t) => {
  t.is(Buffer.from(nestedDerSequences(2)).toString('hex'), '300430020500');
  const deep = nestedDerSequences(70);
  // The inner 63 levels have short-form lengths (up to 126); from 128 bytes on, 0x81 and one byte.
  t.deepEqual([...deep.subarray(0, 3)], [0x30, 0x81, deep.length - 3]);
  t.is(deep.length, 2 + 2 * 63 + 3 * 7);
});
