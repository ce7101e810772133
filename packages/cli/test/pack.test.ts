// Every package works as published. scripts/pack-check.mjs builds the six packages (one `tsc -b`),
// packs them with pnpm, installs the tarballs with npm in a fresh folder, imports every entry point
// from plain Node, runs real operations and the installed `tls-kit` bin, and type-checks a consumer
// .ts file.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const script = fileURLToPath(new URL('../../../scripts/pack-check.mjs', import.meta.url));

function runPackCheck(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A plain node, not this worker's tsx + source-condition flags: the check is about what a
    // consumer without them gets.
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

test('pnpm pack tarballs install in a fresh folder, import, run and type-check (scripts/pack-check.mjs)', async (t) => {
  t.timeout(300_000);
  const { status, output } = await runPackCheck();
  t.is(status, 0, output);
  t.notRegex(output, /^not ok/m);
  for (const line of [
    /^ok - build: `pnpm build` built the 6 packages from scratch in one `tsc -b`; each tsconfig\.build\.json references the packages its package depends on /m,
    /^ok - pack: packed 6 tarballs with pnpm /m,
    /^ok - install: npm installed the 6 tarballs \(\+ \d+ packages from the registry: @noble\/ciphers, /m,
    /^ok - files: @tls-kit\/crypto@[\d.]+ ships .*exports \. \.\/node \.\/bytes \.\/der \.\/der-writer \.\/default resolve; no undeclared imports$/m,
    /^ok - import @tls-kit\/engine\/node: \d+ exports$/m,
    /^ok - @tls-kit\/wire: Struct round trip/m,
    /^ok - @tls-kit\/messages: parsed the engine's ClientHello/m,
    /^ok - @tls-kit\/crypto: sha256\("abc"\) from nodeProvider and nobleProvider/m,
    /^ok - @tls-kit\/certs: CertificateBuilder made a root and a leaf$/m,
    /^ok - @tls-kit\/engine: in-memory ClientTLS<->ServerTLS handshake \(TLSv1\.3, /m,
    /^ok - bin: `npx tls-kit --help` prints the usage$/m,
    /^ok - bin: `tls-kit <command> --help` loads every command/m,
    /^ok - manifests: the private @tls-kit\/test-helpers is a devDependency at most in every package\.json$/m,
    /^ok - bin: `npx @tls-kit\/cli demo` completes a TLS 1\.3 exchange/m,
    /^ok - bin: `tls-kit demo \| head -3` ends quietly/m,
    /^ok - bin: start-up, median of 5: /m,
    /^ok - bin: without the optional node-forge, `tls-kit bench` says it is missing; the other commands run$/m,
    /^ok - types: a consumer \.ts type-checks against the shipped \.d\.ts files/m,
    /^pack-check: all \d+ checks passed in [\d.]+s$/m,
  ]) {
    t.regex(output, line);
  }
  t.log(output.trim().split('\n').at(-1));
  t.log(output.match(/^ok - bin: start-up.*$/m)?.[0]);
});
