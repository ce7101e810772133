// The main entry must stay importable in browsers: no node: module reachable from src.

import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';

test('no node: imports in src', (t) => {
  const dir = new URL('../src/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  t.true(files.length > 10);
  for (const file of files) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    t.notRegex(text, /from ['"]node:|import\(['"]node:|require\(/, file);
    t.notRegex(text, /\bBuffer\b/, file);
    // Only the default provider entry, which resolves to the noble provider outside Node, and the
    // byte helpers and DER reader and writer (plain Uint8Array code).
    for (const m of text.matchAll(/from '(@tls-kit\/crypto[^']*)'/g))
      t.true(
        [
          '@tls-kit/crypto',
          '@tls-kit/crypto/default',
          '@tls-kit/crypto/bytes',
          '@tls-kit/crypto/der',
          '@tls-kit/crypto/der-writer',
        ].includes(m[1]!),
        `${file}: ${m[1]}`,
      );
  }
});
