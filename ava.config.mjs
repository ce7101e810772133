// ava for the whole workspace (`pnpm test`, scripts/test.mjs). Each test file runs in its own Node
// process; most interop files spend their time waiting for openssl, GnuTLS or Node's tls, so more
// files run at once than there are cores, and the slowest files start first so that none of them
// is left running alone at the end (measured per file with ava's TAP output on 2 cores; see
// CONTRIBUTING.md, "Test times").
const slowestFirst = [
  'cli/test/bench.test.ts',
  'cli/test/pack.test.ts',
  'crypto/test/key-exchange.test.ts',
  'engine/test/tls12-interop-openssl.test.ts',
  'engine/test/record-limits.test.ts',
  'messages/test/splitter.test.ts',
  'cli/test/cli-errors.test.ts',
  'engine/test/groups-interop.test.ts',
  'engine/test/interop-gnutls.test.ts',
  'engine/test/interop-openssl.test.ts',
  'engine/test/receive-in-place.test.ts',
  'engine/test/groups-bad-share.test.ts',
  'engine/test/node-web-streams.test.ts',
  'engine/test/ocsp-interop.test.ts',
  'crypto/test/signatures.test.ts',
  'engine/test/half-close.test.ts',
  'cli/test/s_client.test.ts',
  'cli/test/s_server.test.ts',
  'engine/test/flood.test.ts',
  'engine/test/anchors.test.ts',
];

const rank = (file) => {
  const i = slowestFirst.findIndex((suffix) => file.replace(/\.mjs$/, '.ts').endsWith(suffix));
  return i === -1 ? slowestFirst.length : i;
};

// scripts/test.mjs (`pnpm test`) bundles the test files into TLS_KIT_TEST_BUILD first (see
// scripts/build-tests.mjs); ava run directly loads the TypeScript files through tsx.
const build = process.env.TLS_KIT_TEST_BUILD;

export default {
  ...(build
    ? {
        files: [`${build}/**/*.test.mjs`],
        nodeArguments: ['--conditions=@tls-kit/source', '--enable-source-maps'],
      }
    : {
        files: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
        extensions: { ts: 'module' },
        nodeArguments: ['--conditions=@tls-kit/source', '--import=tsx'],
      }),
  // Worker threads break tsx (uncaught exceptions); each file runs in its own process.
  workerThreads: false,
  // Files at once: 4 keeps 2 cores busy while interop files wait on their peers; ava's default is
  // the core count (2 when CI is set), which left both slots waiting on the two longest files.
  concurrency: 4,
  sortTestFiles: (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  timeout: '120s',
};
