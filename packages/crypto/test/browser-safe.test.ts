// The '@tls-kit/crypto' entry (index + nobleProvider) must run without Node built-ins: it is
// imported in a child process whose module resolution throws on any node: / built-in import made
// from this package's src or from @noble/* (see runWithNodeBlocked in @tls-kit/test-helpers).
import { fileURLToPath } from 'node:url';
import { runWithNodeBlocked } from '@tls-kit/test-helpers';
import test from 'ava';

const runBlocked = (script: string): string =>
  runWithNodeBlocked(script, {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    guarded: /\/packages\/crypto\/src\/|\/@noble\//,
  });

test('the index entry and nobleProvider load and work with node: built-ins blocked', (t) => {
  const output = runBlocked(`
    const { nobleProvider: p, hkdfExpandLabel } = await import('@tls-kit/crypto');
    const { defaultProvider } = await import('./src/default-browser.ts');
    const a = p.startKeyExchange('x25519mlkem768');
    const b = p.respondKeyExchange('x25519mlkem768', a.publicKey);
    const same = a.complete(b.publicKey).every((x, i) => x === b.sharedSecret[i]);
    const key = p.importAeadKey('chacha20-poly1305', hkdfExpandLabel(p, 'sha256', new Uint8Array(32), 'key', new Uint8Array(0), 32));
    const nonce = p.randomBytes(12);
    const opened = key.open(nonce, key.seal(nonce, new Uint8Array([1, 2, 3]), new Uint8Array(0)), new Uint8Array(0));
    const signer = p.generateKeyPair({ type: 'ed25519' });
    const verified = p.verify('ed25519', signer.publicKey, opened, p.sign('ed25519', signer, opened));
    console.log(JSON.stringify({ same, opened: [...opened], verified, name: defaultProvider.name }));
  `);
  t.deepEqual(JSON.parse(output), { same: true, opened: [1, 2, 3], verified: true, name: 'noble' });
});

test('the blocking hook really blocks: the node entry cannot load under it', (t) => {
  const error = t.throws(() => runBlocked(`await import('@tls-kit/crypto/node');`));
  t.regex(String((error as { stderr?: string }).stderr), /BLOCKED node:crypto/);
});
