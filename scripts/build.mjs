#!/usr/bin/env node
// Builds with one `tsc -b` (TypeScript project references): each package's tsconfig.build.json is
// composite and references the workspace packages it imports, the root tsconfig.build.json
// references them all. So one process builds what a package needs first, each package once, and
// leaves alone a package whose build info says its dist/ is current.
// That build info (tsconfig.build.tsbuildinfo, beside the package's tsconfig, never packed) is all
// tsc -b looks at: it does not notice a dist/ removed by hand, and never removes the outputs of a
// deleted source. So first, every package whose dist/ is not exactly what its src/ compiles to loses
// dist/ and its build info, and is built from scratch.
// Usage: node scripts/build.mjs   (in a package: that package and what it needs; at the root: all)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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

/** What tsc emits for src/: a .js, a .d.ts and their maps per .ts file (a .d.ts source emits nothing). */
function expectedOutputs(src) {
  return walk(src)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .flatMap((file) => ['.js', '.js.map', '.d.ts', '.d.ts.map'].map((ext) => file.replace(/\.ts$/, ext)));
}

/**
 * Removes dist/ and the build info of every package whose dist/ is not what its src/ compiles to
 * (of every package, with `everything`), so that tsc -b builds those from scratch.
 */
export function clearStaleBuilds({ everything = false } = {}) {
  for (const name of readdirSync(join(root, 'packages'))) {
    const home = join(root, 'packages', name);
    if (!existsSync(join(home, 'tsconfig.build.json'))) continue;
    const dist = join(home, 'dist');
    const present = existsSync(dist) ? walk(dist).sort() : [];
    if (everything || present.join('\n') !== expectedOutputs(join(home, 'src')).sort().join('\n')) {
      rmSync(dist, { recursive: true, force: true });
      rmSync(join(home, 'tsconfig.build.tsbuildinfo'), { force: true });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  clearStaleBuilds();
  const { status } = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  process.exitCode = status ?? 1;
}
