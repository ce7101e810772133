// scripts/test.mjs, the workspace's runner, on a file with a test that hangs until ava's inactivity
// timeout: the hung test is a named 'not ok', the other test still counts, and the closing line that
// CI reads is right. (ava 7's TAP reporter used to throw there, losing every name and count;
// patches/ava@7.0.0.patch fixes it.)
import { fileURLToPath } from 'node:url';
import { outputAtExit, spawnChild } from '@tls-kit/test-helpers';
import test from 'ava';

const runner = fileURLToPath(new URL('../../../scripts/test.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/runner-timeout.fixture.ts', import.meta.url));

// The inactivity timeout must outlast the fixture worker's start (~0.4 s here) with room for a
// loaded machine, or it would fire before the passing test registers.
test('a test that hangs until the timeout is reported by name, and the run still counts the rest', async (t) => {
  const child = spawnChild(process.execPath, [runner, fixture, '--timeout=8s'], 60_000);
  const output = await outputAtExit(child);
  t.is(await child.exited, 1, output);
  t.regex(output, /^ok \d+ - passes$/m, output);
  // The failure's YAML block, up to its closing '  ...'.
  const failure = output.match(/^not ok \d+ - never ends\n( {2}---\n[\s\S]*?\n {2}\.\.\.)$/m);
  t.truthy(failure, output);
  t.regex(failure?.[1] ?? '', /message: .*\n?.*Timed out while running tests/, output);
  t.notRegex(output, /TypeError|AggregateError/, output);
  t.regex(output, /\n1 passed, 1 failed\n$/, output);
});
