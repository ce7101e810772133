#!/usr/bin/env node
// Runs every package's ava tests with TAP output, echoes it, and ends with the
// one line CI reads: "N passed, M failed". Exit status is ava's.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// ava's package exports hide its CLI; find it next to the resolved main entry.
const avaCli = join(dirname(fileURLToPath(import.meta.resolve('ava'))), 'cli.mjs');
const child = spawn(process.execPath, [avaCli, '--tap', ...process.argv.slice(2)], {
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
  if (pending) count(pending);
  const status = code ?? 1;
  // A crashed runner with no failing line still has to fail CI.
  if (status !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(status);
});
