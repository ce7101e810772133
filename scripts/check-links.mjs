// Checks the Markdown files of the repository for references to files that do not exist:
// relative links `[text](path#anchor)` (the file, and the heading the anchor names) and paths
// written as code (`src/record/layer.ts`, `test/der.test.ts`), which are looked up from the
// Markdown file's folder, its package and the repository root. Exits non-zero on any miss.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.includes('node_modules/'));

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens. */
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(file) {
  const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} +(.+)$/gm)].map((m) => slug(m[1])));
}

const packages = readdirSync(join(root, 'packages')).map((p) => `packages/${p}`);
const examples = readdirSync(join(root, 'examples')).map((p) => `examples/${p}`);

/**
 * Folders a code path may be relative to: the file's, its package's, the repository's, and, as
 * the READMEs name files of one package from another ("engine/src/core.ts", the engine map's
 * "record/layer.ts"), the packages folder and each package and its src.
 */
function bases(file) {
  const pkg = file.match(/^(packages|examples)\/[^/]+/);
  return [
    dirname(file),
    ...(pkg ? [pkg[0]] : []),
    '.',
    'packages',
    ...packages,
    ...packages.map((p) => `${p}/src`),
    ...examples,
  ];
}

/** Paths of other projects and of build output, named as such in the text. */
const NOT_OURS = new Set([
  'lib/tls.js', // node-forge's TLS implementation (BENCHMARKS.md)
  'dist/bin.js', // the CLI's binary once built (packages/cli/README.md)
  'dist/', // a package's build output, absent from a fresh clone (CONTRIBUTING.md)
]);

const CODE_PATH = /^(?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.*-]+)*\/?$/;
const FILE_LIKE = /\.(?:ts|mjs|cjs|js|json|md|sh|yml|yaml|txt|pem)$|\/$/;

const misses = [];
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const lines = text.split('\n');
  let fenced = false;
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith('```')) fenced = !fenced;
    if (fenced) return;
    const where = `${file}:${i + 1}`;
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const [path, anchor] = target.split('#');
      const resolved = path ? join(dirname(file), path) : file;
      if (!existsSync(join(root, resolved))) {
        misses.push(`${where}: link to missing ${target}`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
        misses.push(`${where}: no heading for #${anchor} in ${relative('.', resolved)}`);
    }
    for (const m of line.matchAll(/`([^`\s]+)`/g)) {
      const path = m[1];
      if (!CODE_PATH.test(path) || !FILE_LIKE.test(path) || !path.includes('/') || path.includes('*'))
        continue;
      if (NOT_OURS.has(path) || path.startsWith('@') || path.startsWith('/')) continue;
      if (!bases(file).some((base) => existsSync(join(root, base, path))))
        misses.push(`${where}: no file ${path}`);
    }
  });
}
if (misses.length) {
  console.error(`${misses.length} reference(s) to missing files:\n${misses.join('\n')}`);
  process.exit(1);
}
console.log(`links: ${files.length} Markdown files, every relative link and code path resolves`);
