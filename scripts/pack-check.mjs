#!/usr/bin/env node
// Proves the packages work as published: `pnpm build` (scripts/build.mjs, one `tsc -b`) builds every
// package from scratch, `pnpm -r pack` packs them (each package's prepack runs that build, which
// finds them current; workspace:* ranges become versions), npm installs the tarballs
// into a fresh folder where @tls-kit/* can only come from those tarballs (their scope points at a
// closed port; @noble/* come from the npm registry), and then, with plain Node (no tsx, no custom
// conditions): every export of every package is imported, a few real operations run, the installed
// `tls-kit` bin runs, and a consumer .ts file is type-checked against the shipped .d.ts files.
// Prints one line per check; exits non-zero on the first failure.
// Usage: node scripts/pack-check.mjs [--keep]   (--keep leaves the temporary folder for inspection)
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearStaleBuilds, references, tsc, walk } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const started = Date.now();
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

class CheckFailed extends Error {}
let checks = 0;
function ok(message) {
  checks++;
  console.log(`ok - ${message}`);
}
function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

// Children that stand for "a consumer" get none of the variables a package manager or a test runner
// sets (npm_config_local_prefix would even redirect `npm install` into the workspace), only the
// registry/proxy/TLS settings a user may need to reach the npm registry.
const keptNpmSettings =
  /^npm_config_(registry|cafile|ca|cert|key|strict_ssl|proxy|https_proxy|noproxy|cache|userconfig)$/i;
const consumerEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !(/^(npm_|pnpm_|init_cwd$|node_options$|node_path$)/i.test(name) && !keptNpmSettings.test(name)),
  ),
);

/** A finished child's output, or a CheckFailed if it did not exit with 0. */
function outcome(command, args, cwd, { status, signal, error, stdout = '', stderr = '' }) {
  const output = `${stdout}${stderr}`;
  if (status !== 0) {
    throw new CheckFailed(
      `\`${[command, ...args].join(' ')}\` in ${cwd} exited with ${status ?? signal ?? error}\n${output}`,
    );
  }
  return { stdout, output };
}

function run(command, args, { cwd, env = process.env }) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
  return outcome(command, args, cwd, result);
}

/** run() without waiting: the child, and a promise of what run() would return. */
function start(command, args, { cwd, env = process.env }) {
  const child = spawn(command, args, { cwd, env, shell: process.platform === 'win32' });
  const streams = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (text) => (streams.stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (streams.stderr += text));
  const result = new Promise((settle) => {
    child.on('error', (error) => settle({ status: null, error, ...streams }));
    child.on('close', (status, signal) => settle({ status, signal, ...streams }));
  }).then((ended) => outcome(command, args, cwd, ended));
  // Awaited later; a failure elsewhere first must not leave it an unhandled rejection.
  result.catch(() => {});
  return { child, result };
}

/** The file targets of an exports entry, with the condition path that leads to each. */
function exportTargets(entry, conditions = []) {
  if (typeof entry === 'string') return [{ conditions, target: entry }];
  return Object.entries(entry).flatMap(([condition, value]) =>
    exportTargets(value, [...conditions, condition]),
  );
}

/** Every condition object of an exports entry must offer the three ways in we promise. */
function checkConditions(name, entry) {
  const keys = Object.keys(entry);
  const nested = keys.filter((key) => typeof entry[key] === 'object');
  for (const key of nested) checkConditions(`${name}[${key}]`, entry[key]);
  for (const condition of ['@tls-kit/source', 'types', 'default']) {
    check(typeof entry[condition] === 'string', `${name} has no "${condition}" condition`);
  }
  // Node and TypeScript take the first matching condition: "default" last, "types" before it.
  check(keys.at(-1) === 'default', `${name}: "default" must be the last condition`);
}

// Module specifiers in emitted JS and .d.ts: static imports/re-exports (one statement, no `;` in
// between), side-effect imports, and dynamic import() / import("x").Type.
const specifierPatterns = [
  /^(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /^import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const work = mkdtempSync(join(tmpdir(), 'tls-kit-pack-check-'));
const tarballDir = join(work, 'tarballs');
const consumer = join(work, 'consumer');
let typeCheck; // step 4, running beside steps 5-7

try {
  const pnpmVersion = readJson(join(root, 'package.json')).packageManager.replace(/^pnpm@/, '');
  const packages = readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJson(join(root, 'packages', dir, 'package.json')) }))
    .filter(({ manifest }) => !manifest.private);
  console.log(`pack-check: ${packages.length} packages, temporary folder ${work}`);

  // 0. A private workspace package (test-helpers) is at most a devDependency of any package.
  const workspace = readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .map((dir) => readJson(join(root, 'packages', dir, 'package.json')));
  const privateNames = workspace.filter((m) => m.private).map((m) => m.name);
  for (const manifest of workspace) {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const name of privateNames) {
        check(!(name in (manifest[field] ?? {})), `${manifest.name} has the private ${name} in ${field}`);
      }
    }
  }
  ok(`manifests: the private ${privateNames.join(', ')} is a devDependency at most in every package.json`);

  // 1. Build every package from scratch with one `tsc -b` (`pnpm build`). Each package's
  // tsconfig.build.json references the workspace packages it depends on, so that its build alone
  // (its prepack) builds those first; the root tsconfig.build.json references every package.
  let since = Date.now();
  const names = packages.map(({ manifest }) => manifest.name);
  const referenced = (home) =>
    references(join(home, 'tsconfig.build.json'))
      .map((config) => readJson(join(dirname(config), 'package.json')).name)
      .sort();
  check(
    referenced(root).join() === [...names].sort().join(),
    `tsconfig.build.json references ${referenced(root).join(', ')}, not ${names.join(', ')}`,
  );
  for (const { dir, manifest } of packages) {
    const needs = Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
      ...manifest.peerDependencies,
    })
      .filter((name) => names.includes(name))
      .sort();
    const built = referenced(join(root, 'packages', dir));
    check(
      built.join() === needs.join(),
      `packages/${dir}/tsconfig.build.json references [${built.join(', ')}], ${manifest.name} depends on [${needs.join(', ')}]`,
    );
  }
  clearStaleBuilds(join(root, 'tsconfig.build.json'), { everything: true });
  run('node', [join(root, 'scripts', 'build.mjs')], { cwd: root });
  ok(
    `build: \`pnpm build\` built the ${names.length} packages from scratch in one \`tsc -b\`; each tsconfig.build.json references the packages its package depends on (${seconds(since)})`,
  );

  // 2. Pack. `pnpm -r` runs each prepack (scripts/build.mjs again), which finds its build current.
  since = Date.now();
  run('npx', ['-y', `pnpm@${pnpmVersion}`, '-r', 'pack', '--pack-destination', tarballDir], { cwd: root });
  const tarballs = new Map();
  for (const { manifest } of packages) {
    const file = `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
    check(existsSync(join(tarballDir, file)), `pnpm pack made no ${file}`);
    tarballs.set(manifest.name, file);
  }
  ok(`pack: packed ${tarballs.size} tarballs with pnpm ${pnpmVersion} (${seconds(since)})`);

  // 3. Install into a fresh folder. The @tls-kit scope's registry is a closed port, so a package
  // that did not come from a tarball fails the install instead of arriving from npmjs.org.
  since = Date.now();
  const dependencies = Object.fromEntries(
    [...tarballs].map(([name, file]) => [name, `file:../tarballs/${file}`]),
  );
  // overrides: the tarballs also answer the packages' dependencies on each other (without it npm asks
  // the registry about them); step 5 checks that those ranges name the packed versions.
  const consumerManifest = {
    name: 'pack-check-consumer',
    private: true,
    type: 'module',
    dependencies,
    overrides: dependencies,
  };
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify(consumerManifest, null, 2)}\n`);
  writeFileSync(
    join(consumer, '.npmrc'),
    '@tls-kit:registry=http://127.0.0.1:9/\nfetch-retries=0\naudit=false\nfund=false\n',
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer, env: consumerEnv });
  const lock = readJson(join(consumer, 'package-lock.json'));
  const installed = Object.entries(lock.packages).filter(([path]) => /node_modules\/@tls-kit\//.test(path));
  for (const [path, entry] of installed) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    check(path === `node_modules/${name}`, `${name} was installed twice (nested at ${path})`);
    check(tarballs.has(name), `${name} is not one of the packed packages`);
    check(String(entry.resolved).includes(tarballs.get(name)), `${name} came from ${entry.resolved}`);
  }
  check(
    installed.length === tarballs.size,
    `npm installed ${installed.length} @tls-kit packages, not ${tarballs.size}`,
  );
  for (const name of privateNames) {
    check(!existsSync(join(consumer, 'node_modules', name)), `npm installed the private ${name}`);
  }
  const thirdParty = Object.keys(lock.packages).filter((path) => path && !path.includes('@tls-kit/'));
  ok(
    `install: npm installed the ${tarballs.size} tarballs (+ ${thirdParty.length} packages from the registry: ${thirdParty
      .map((path) => path.replace(/^.*node_modules\//, ''))
      .join(', ')}) (${seconds(since)})`,
  );

  // 4. TypeScript consumer against the shipped .d.ts: nodenext, no custom conditions, lib check on.
  // It takes a few seconds of one core, so it runs while steps 5-7 check the rest.
  const typesSince = Date.now();
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const typesNode = dirname(dirname(requireFromRoot.resolve('@types/node/package.json')));
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      verbatimModuleSyntax: true,
      typeRoots: [typesNode],
      types: ['node'],
    },
    files: ['consumer.ts'],
  };
  writeFileSync(join(consumer, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(join(consumer, 'consumer.ts'), consumerSource());
  typeCheck = start('node', [tsc, '-p', 'tsconfig.json'], { cwd: consumer, env: consumerEnv });

  // 5. What each installed package ships.
  const versions = new Map(packages.map(({ manifest }) => [manifest.name, manifest.version]));
  for (const { name } of packages.map(({ manifest }) => manifest)) {
    const home = join(consumer, 'node_modules', name);
    const manifest = readJson(join(home, 'package.json'));
    const files = walk(home);
    const depRanges = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    for (const [dep, range] of Object.entries(depRanges)) {
      check(!String(range).startsWith('workspace:'), `${name} depends on ${dep}@${range}`);
      if (versions.has(dep)) {
        check(
          range.replace(/^[\^~=]/, '') === versions.get(dep),
          `${name} wants ${dep}@${range}, packed ${versions.get(dep)}`,
        );
      }
    }
    // .pnpmfile.cjs strips what only the workspace uses from the packed manifest.
    for (const field of ['devDependencies', 'ava']) check(!(field in manifest), `${name} ships "${field}"`);
    check(!manifest.scripts?.test, `${name} ships a "test" script`);
    for (const dep of Object.keys(depRanges)) {
      check(!privateNames.includes(dep), `${name} depends on the private ${dep}`);
    }
    check(files.includes('README.md'), `${name} ships no README.md`);
    const stray = files.filter((file) => /^(test|bench)\/|^tsconfig|\.tsbuildinfo$/.test(file));
    check(stray.length === 0, `${name} ships ${stray.join(', ')}`);

    // exports: every condition present, every target shipped.
    const exportsMap = manifest.exports;
    check(exportsMap && typeof exportsMap === 'object', `${name} has no exports map`);
    for (const [subpath, entry] of Object.entries(exportsMap)) {
      checkConditions(`${name} exports["${subpath}"]`, entry);
      for (const { conditions, target } of exportTargets(entry)) {
        const file = target.replace(/^\.\//, '');
        check(
          files.includes(file),
          `${name} exports["${subpath}"][${conditions.join('][')}] -> ${target} is not shipped`,
        );
      }
    }

    // bin: shebang and executable.
    for (const [command, target] of Object.entries(manifest.bin ?? {})) {
      const file = join(home, target);
      check(existsSync(file), `${name} bin ${command} -> ${target} is not shipped`);
      check(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n'), `${target} has no node shebang`);
      if (process.platform !== 'win32') {
        check((statSync(file).mode & 0o111) !== 0, `${target} is not executable after npm install`);
      }
      check(existsSync(join(consumer, 'node_modules', '.bin', command)), `npm linked no .bin/${command}`);
    }

    // Every bare import in shipped JS and .d.ts is a declared dependency (or a Node builtin):
    // the workspace hoists devDependencies, a consumer does not have them.
    const undeclared = new Set();
    for (const file of files.filter((f) => f.startsWith('dist/') && /\.(js|d\.ts)$/.test(f))) {
      const text = readFileSync(join(home, file), 'utf8');
      for (const pattern of specifierPatterns) {
        for (const [, specifier] of text.matchAll(pattern)) {
          if (specifier.startsWith('.') || isBuiltin(specifier)) continue;
          const dep = packageOf(specifier);
          if (dep !== name && !(dep in depRanges)) undeclared.add(`${dep} (${file})`);
        }
      }
    }
    check(undeclared.size === 0, `${name} imports undeclared packages: ${[...undeclared].join(', ')}`);

    // Source maps and declaration maps point at shipped sources.
    for (const file of files.filter((f) => f.startsWith('dist/') && f.endsWith('.map'))) {
      for (const source of readJson(join(home, file)).sources) {
        const target = relative(home, resolve(dirname(join(home, file)), source))
          .split('\\')
          .join('/');
        check(files.includes(target), `${name} ${file} maps to ${source}, which is not shipped`);
      }
    }
    const counts = ['dist', 'src'].map((d) => `${files.filter((f) => f.startsWith(`${d}/`)).length} ${d}`);
    ok(
      `files: ${name}@${manifest.version} ships ${counts.join(' + ')} files, README.md; exports ${Object.keys(exportsMap).join(' ')} resolve; no undeclared imports`,
    );
  }

  // 6. Plain Node ESM: every entry point, then real work through the public API.
  since = Date.now();
  writeFileSync(join(consumer, 'smoke.mjs'), smokeScript([...tarballs.keys()]));
  const smoke = run('node', ['smoke.mjs'], { cwd: consumer, env: consumerEnv });
  for (const line of smoke.stdout.trim().split('\n')) ok(line);
  ok(`node: imports and smoke checks passed (${seconds(since)})`);

  // 7. The installed bin.
  since = Date.now();
  const help = run('npx', ['--no', '--', 'tls-kit', '--help'], { cwd: consumer, env: consumerEnv });
  check(help.stdout.includes('usage: tls-kit <command>'), `tls-kit --help printed:\n${help.output}`);
  ok('bin: `npx tls-kit --help` prints the usage');
  const bin = join(consumer, 'node_modules', '.bin', 'tls-kit');
  const commands = [...help.stdout.matchAll(/^ {2}(\w+) {2}/gm)].map(([, command]) => command);
  check(commands.length > 0, 'tls-kit --help lists no commands');
  for (const command of commands) {
    const out = run(bin, [command, '--help'], { cwd: consumer, env: consumerEnv });
    check(
      out.stdout.includes(`usage: tls-kit ${command}`),
      `tls-kit ${command} --help printed:\n${out.output}`,
    );
  }
  ok(`bin: \`tls-kit <command> --help\` loads every command (${commands.join(', ')})`);
  const demo = run('npx', ['--no', '@tls-kit/cli', 'demo', '--brief', '--no-color'], {
    cwd: consumer,
    env: consumerEnv,
  });
  check(demo.stdout.includes('Everything verified.'), `npx @tls-kit/cli demo printed:\n${demo.output}`);
  ok(`bin: \`npx @tls-kit/cli demo\` completes a TLS 1.3 exchange over 127.0.0.1 (${seconds(since)})`);

  // A reader that goes away early ends the output quietly: no EPIPE stack trace.
  const head = run('sh', ['-c', `"${bin}" demo --no-color | head -3`], { cwd: consumer, env: consumerEnv });
  check(head.stdout.split('\n').length === 4, `tls-kit demo | head -3 printed:\n${head.stdout}`);
  check(head.output === head.stdout, `tls-kit demo | head -3 wrote to stderr:\n${head.output}`);
  ok('bin: `tls-kit demo | head -3` ends quietly (nothing on stderr)');

  // The consumer's type-check (step 4), before the start-up measure below, which it would slow down.
  await typeCheck.result;
  const ts = readJson(join(dirname(tsc), '..', 'package.json')).version;
  ok(
    `types: a consumer .ts type-checks against the shipped .d.ts files (typescript ${ts}, nodenext) (${seconds(typesSince)})`,
  );

  // Start-up from the built dist (a measure, not a check: machines differ): plain node, the usage
  // (commands load when named, their TLS code once the flags are parsed), and s_client up to its
  // first connection attempt (a closed port), which loads the whole stack.
  const startup = [
    ['node -e 0', ['-e', '0']],
    ['tls-kit --help', [bin, '--help']],
    ['tls-kit s_client --help', [bin, 's_client', '--help']],
    ['tls-kit s_client -connect 127.0.0.1:9', [bin, 's_client', '-connect', '127.0.0.1:9']],
  ].map(([label, args]) => {
    const times = Array.from({ length: 5 }, () => {
      const start = process.hrtime.bigint();
      spawnSync(process.execPath, args, { cwd: consumer, env: consumerEnv, stdio: 'ignore' });
      return Number(process.hrtime.bigint() - start) / 1e6;
    }).sort((a, b) => a - b);
    return `\`${label}\` ${Math.round(times[2])} ms`;
  });
  ok(`bin: start-up, median of 5: ${startup.join(', ')}`);

  // node-forge is optional (only bench uses it): without it bench says so in one line.
  const forge = join(consumer, 'node_modules', 'node-forge');
  check(existsSync(forge), 'npm did not install the optional node-forge');
  renameSync(forge, `${forge}.away`);
  try {
    const bench = spawnSync(bin, ['bench', '--help'], { cwd: consumer, env: consumerEnv, encoding: 'utf8' });
    check(
      bench.status === 1 &&
        bench.stderr === 'error: tls-kit bench needs the package node-forge, which is not installed\n',
      `tls-kit bench without node-forge: status ${bench.status}\n${bench.stderr}`,
    );
    const help = run(bin, ['s_client', '--help'], { cwd: consumer, env: consumerEnv });
    check(help.stdout.includes('usage: tls-kit s_client'), 's_client needs node-forge');
  } finally {
    renameSync(`${forge}.away`, forge);
  }
  ok('bin: without the optional node-forge, `tls-kit bench` says it is missing; the other commands run');

  console.log(`pack-check: all ${checks} checks passed in ${seconds(started)}`);
} catch (error) {
  console.log(`not ok - ${error instanceof CheckFailed ? error.message : error?.stack}`);
  console.log(`pack-check: FAILED after ${checks} checks (${seconds(started)})`);
  process.exitCode = 1;
} finally {
  if (typeCheck && typeCheck.child.exitCode === null && typeCheck.child.signalCode === null) {
    typeCheck.child.kill();
  }
  if (keep) console.log(`pack-check: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

// Runs inside the consumer folder with plain `node`: only what the tarballs installed is reachable.
function smokeScript(names) {
  return `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const names = ${JSON.stringify(names)};
const hex = (bytes) => Buffer.from(bytes).toString('hex');
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// Every subpath by its public name, and every "default" file target by path (so the variants this
// Node does not pick, e.g. crypto's browser default, load too).
for (const name of names) {
  const manifestPath = join(process.cwd(), 'node_modules', name, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  for (const subpath of Object.keys(manifest.exports)) {
    const specifier = name + subpath.slice(1);
    const module = await import(specifier);
    assert(Object.keys(module).length > 0, specifier + ' exports nothing');
    console.log('import ' + specifier + ': ' + Object.keys(module).length + ' exports');
  }
  const defaults = [];
  const collect = (entry) => {
    if (typeof entry === 'string') return;
    for (const [condition, value] of Object.entries(entry)) {
      if (typeof value === 'string' && condition === 'default') defaults.push(value);
      else collect(value);
    }
  };
  collect(manifest.exports);
  for (const target of defaults) await import(new URL(target, pathToFileURL(manifestPath)).href);
  console.log('import ' + name + ': every "default" target loads (' + defaults.join(', ') + ')');
}

const wire = await import('@tls-kit/wire');
const Header = wire.Struct({ type: wire.UBInt8, body: wire.PrefixedBytes(wire.UBInt16) });
const encoded = Header.build({ type: 22, body: Uint8Array.of(1, 2, 3) });
assert(hex(encoded) === '160003010203', 'Struct.build gave ' + hex(encoded));
const decoded = Header.parse(encoded);
assert(decoded.type === 22 && hex(decoded.body) === '010203', 'Struct.parse round trip');
let incomplete;
try {
  Header.parse(encoded.subarray(0, 4));
} catch (error) {
  incomplete = error;
}
assert(incomplete instanceof wire.IncompleteDataError && incomplete instanceof wire.WireError, 'truncated input: ' + incomplete);
console.log('@tls-kit/wire: Struct round trip; truncated input raises IncompleteDataError');

const { nodeProvider } = await import('@tls-kit/crypto/node');
const { nobleProvider } = await import('@tls-kit/crypto');
const { defaultProvider } = await import('@tls-kit/crypto/default');
const abc = new TextEncoder().encode('abc');
const sha256abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'; // FIPS 180-2 B.1
assert(hex(nodeProvider.hash('sha256', abc)) === sha256abc, 'nodeProvider sha256');
assert(hex(nobleProvider.hash('sha256', abc)) === sha256abc, 'nobleProvider sha256');
assert(defaultProvider === nodeProvider, '@tls-kit/crypto/default is not the node provider under Node');
console.log('@tls-kit/crypto: sha256("abc") from nodeProvider and nobleProvider (@noble from the registry); /default is nodeProvider');

const certs = await import('@tls-kit/certs');
const builder = new certs.CertificateBuilder();
const root = builder.root({ subject: 'CN=pack-check root', key: { type: 'ec', curve: 'P-256' } });
const leaf = builder.leaf(root, { subject: 'CN=localhost', subjectAltNames: ['DNS:localhost'] });
assert(root.privateKey && leaf.privateKey, 'CertificateBuilder returned certificates without keys');
console.log('@tls-kit/certs: CertificateBuilder made a root and a leaf');

const engine = await import('@tls-kit/engine');
const client = new engine.ClientTLS({
  serverHostname: 'localhost',
  trustRoot: new certs.TrustStore([root.withoutPrivateKey()]),
});
const server = new engine.ServerTLS({
  certificates: new certs.ServerCertificateChain([leaf, root.withoutPrivateKey()]),
});
const side = (tls) => {
  const s = { out: [], received: [] };
  s.connection = tls.start((bytes) => s.out.push(bytes.slice()), () => {});
  return s;
};
const c = side(client);
const clientHelloRecord = Buffer.concat(c.out);
const s = side(server);
const pump = () => {
  for (let i = 0; i < 100; i++) {
    const [from, to] = c.out.length > 0 ? [c, s] : s.out.length > 0 ? [s, c] : [];
    if (!from) return;
    const data = to.connection.dataFromWire(Buffer.concat(from.out.splice(0)));
    if (data.length > 0) to.received.push(data);
  }
  throw new Error('the handshake did not settle');
};
pump();
c.connection.dataFromApplication(new TextEncoder().encode('ping'));
s.connection.dataFromApplication(new TextEncoder().encode('pong'));
pump();
assert(c.connection.state === 'open' && s.connection.state === 'open', 'states ' + c.connection.state + '/' + s.connection.state);
assert(Buffer.concat(s.received).toString() === 'ping' && Buffer.concat(c.received).toString() === 'pong', 'application data');
console.log('@tls-kit/engine: in-memory ClientTLS<->ServerTLS handshake (' + c.connection.tlsVersion + ', ' +
  c.connection.cipherSuite + ', ' + c.connection.namedGroup + '), data both ways');

const messages = await import('@tls-kit/messages');
// record header (5 bytes) + handshake header (4 bytes) + ClientHello body
const hello = messages.ClientHello.parse(clientHelloRecord.subarray(9));
const sni = messages.findExtension(hello.extensions, messages.ExtensionType.server_name);
assert(hello.cipherSuites.includes(0x1301), 'ClientHello offers no TLS_AES_128_GCM_SHA256');
assert(sni?.extensionData.serverNameList[0]?.hostName === 'localhost', 'ClientHello server_name');
console.log('@tls-kit/messages: parsed the engine\\'s ClientHello (' + hello.cipherSuites.length + ' suites, ' +
  hello.extensions.length + ' extensions, SNI localhost)');

const cli = await import('@tls-kit/cli');
assert(typeof cli.main === 'function', '@tls-kit/cli has no main()');
console.log('@tls-kit/cli: main() exported');
`;
}

// Uses each entry point's types the way a consumer would; the @ts-expect-error lines fail the check if
// a type degraded to `any` (e.g. a .d.ts that did not resolve).
function consumerSource() {
  return `import { main } from '@tls-kit/cli';
import { type Certificate, CertificateBuilder, ServerCertificateChain, TrustStore } from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import { nodeProvider } from '@tls-kit/crypto/node';
import { ClientTLS, type Connection, ServerTLS } from '@tls-kit/engine';
import { connect, createServer, type TLSSocket } from '@tls-kit/engine/node';
import { ClientHello, type ClientHelloMessage } from '@tls-kit/messages';
import { type Codec, PrefixedBytes, Struct, UBInt8, UBInt16, WireError } from '@tls-kit/wire';

const Header = Struct({ type: UBInt8, body: PrefixedBytes(UBInt16) });
const codec: Codec<{ type: number; body: Uint8Array }> = Header;
const type: number = codec.parse(Uint8Array.of(22, 0, 0)).type;
// @ts-expect-error the parsed type is a number, not a string
const wrong: string = Header.parse(Uint8Array.of(22, 0, 0)).type;

const providers: CryptoProvider[] = [nodeProvider, defaultProvider];
const digest: Uint8Array = nodeProvider.hash('sha256', new Uint8Array());
// @ts-expect-error md5 is not a HashAlgorithm
nodeProvider.hash('md5', new Uint8Array());

const root: Certificate = new CertificateBuilder().root({ subject: 'CN=root' });
const trustRoot = new TrustStore([root.withoutPrivateKey()]);
const chain = new ServerCertificateChain([root]);
const client = new ClientTLS({ serverHostname: 'localhost', trustRoot });
const server = new ServerTLS({ certificates: chain });
const connection: Connection = client.start(
  (bytes: Uint8Array) => void bytes.length,
  (immediate: boolean) => void immediate,
);
const hello: ClientHelloMessage = ClientHello.parse(new Uint8Array());
const suites: number[] = hello.cipherSuites;
const sockets: [typeof connect, typeof createServer] = [connect, createServer];
let socket: TLSSocket | undefined;
const exitCode: Promise<number> = main(['--help']);

export { codec, connection, digest, exitCode, providers, socket, sockets, suites, type, WireError, wrong };
`;
}
