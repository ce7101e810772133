#!/usr/bin/env node
// Runs the workspace's ava tests with TAP output, echoes it, and ends with the one line CI reads:
// "N passed, M failed". Exit status is ava's.
// Usage: node scripts/test.mjs [test files or folders...] [ava flags...]
// The test files are bundled first (scripts/build-tests.mjs), so that ava's workers load plain
// JavaScript instead of compiling and resolving every module through tsx.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTests } from './build-tests.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Test files under `dir` (relative to the root), as ava.config.mjs's `files` patterns find them. */
function testFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}
const testDirs = ['packages', 'examples'].flatMap((top) =>
  readdirSync(join(root, top))
    .map((name) => `${top}/${name}/test`)
    .filter((dir) => existsSync(join(root, dir))),
);

// Paths name test files (or folders of them); everything else goes to ava as it is.
const paths = [];
const avaArgs = [];
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('-') || !existsSync(arg)) avaArgs.push(arg);
  else {
    const path = relative(root, resolve(arg)).split('\\').join('/');
    paths.push(...(statSync(arg).isDirectory() ? testFiles(path) : [path]));
  }
}
const files = process.argv.slice(2).some((arg) => !arg.startsWith('-') && existsSync(arg))
  ? paths
  : testDirs.flatMap(testFiles);

const buildDir = join(root, '.tmp', `test-build-${process.pid}`);
const bundles = await buildTests(files, buildDir);

// ava's CLI: its package exports hide it; find it next to the resolved main entry.
const avaCli = join(dirname(fileURLToPath(import.meta.resolve('ava'))), 'cli.mjs');
const child = spawn(process.execPath, [avaCli, '--tap', ...avaArgs, ...bundles], {
  cwd: root,
  env: { ...process.env, TLS_KIT_TEST_BUILD: relative(root, buildDir) },
  stdio: ['ignore', 'pipe', 'inherit'],
});

let passed = 0;
let failed = 0;
let skipped = 0;
let pending = '';
const count = (line) => {
  if (/^not ok \d+/.test(line)) failed++;
  else if (/^ok \d+.*# SKIP/i.test(line)) skipped++;
  else if (/^ok \d+/.test(line)) passed++;
};
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) count(line);
});
child.on('close', (code) => {
  rmSync(buildDir, { recursive: true, force: true });
  if (pending) count(pending);
  const status = code ?? 1;
  // A crashed runner with no failing line still has to fail CI.
  if (status !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(status);
});
