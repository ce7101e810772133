#!/usr/bin/env node
// Builds with one `tsc -b` (TypeScript project references): each package's tsconfig.build.json is
// composite and references the workspace packages it imports, the root tsconfig.build.json
// references them all. So one process builds what a package needs first, each package once, and
// leaves alone a package whose build info says its dist/ is current.
// That build info (tsconfig.build.tsbuildinfo, beside the package's tsconfig, never packed) is all
// tsc -b looks at: it does not notice a dist/ removed by hand, and never removes the outputs of a
// deleted source. So first, every project of the build whose dist/ is not exactly what its src/
// compiles to loses dist/ and its build info, and is built from scratch. Only the projects of this
// build: `pnpm -r` builds packages that do not need each other at the same time.
// Usage: node scripts/build.mjs   (in a package: that package and what it needs; at the root: all)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The TypeScript compiler of the workspace. */
export const tsc = join(
  dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')),
  'bin',
  'tsc',
);

/** Every file under `dir`, as paths relative to it. */
export function walk(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(dir, path) : [path];
  });
}

/** The tsconfig files a tsconfig references, as absolute paths. */
export function references(config) {
  return (readJson(config).references ?? []).map(({ path }) => resolve(dirname(config), path));
}

/** A tsconfig and every tsconfig its references reach. */
function buildGraph(config, seen = new Set()) {
  if (!seen.has(config)) {
    seen.add(config);
    for (const reference of references(config)) buildGraph(reference, seen);
  }
  return seen;
}

/** What tsc emits for a source folder: a .js, a .d.ts and their maps per .ts file (.d.ts emit nothing). */
function expectedOutputs(sources) {
  return walk(sources)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .flatMap((file) => ['.js', '.js.map', '.d.ts', '.d.ts.map'].map((ext) => file.replace(/\.ts$/, ext)));
}

/**
 * Removes the outputs and the build info of every project `config` builds whose outputs are not
 * what its sources compile to (of every one, with `everything`), so that tsc -b builds those from
 * scratch.
 */
export function clearStaleBuilds(config, { everything = false } = {}) {
  for (const project of buildGraph(resolve(config))) {
    const options = readJson(project).compilerOptions ?? {};
    if (!options.rootDir || !options.outDir || !options.tsBuildInfoFile) continue; // the root solution
    const home = dirname(project);
    const outDir = join(home, options.outDir);
    const present = existsSync(outDir) ? walk(outDir).sort() : [];
    const expected = expectedOutputs(join(home, options.rootDir)).sort();
    if (everything || present.join('\n') !== expected.join('\n')) {
      rmSync(outDir, { recursive: true, force: true });
      rmSync(join(home, options.tsBuildInfoFile), { force: true });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  clearStaleBuilds('tsconfig.build.json');
  const { status } = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  process.exitCode = status ?? 1;
}
