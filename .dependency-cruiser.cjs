// `pnpm run cycles` (part of `pnpm run check`): no import cycles anywhere, type-only imports
// included, and imports that follow the layering of CONTRIBUTING.md.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two files are one concept, or a type lives in the wrong file.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'packages-flow-one-way',
      comment: 'wire <- messages <- engine, crypto <- certs <- engine, cli on top.',
      severity: 'error',
      from: { path: '^packages/(wire|crypto)/src/' },
      to: { path: '^packages/(?!$1/)[^/]+/' },
    },
    {
      name: 'messages-uses-wire-only',
      severity: 'error',
      from: { path: '^packages/messages/src/' },
      to: { path: '^packages/(crypto|certs|engine|cli)/' },
    },
    {
      name: 'certs-uses-crypto-only',
      severity: 'error',
      from: { path: '^packages/certs/src/' },
      to: { path: '^packages/(wire|messages|engine|cli)/' },
    },
    {
      name: 'engine-below-cli',
      severity: 'error',
      from: { path: '^packages/engine/src/' },
      to: { path: '^packages/cli/' },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'A packed package must not depend on the private test helpers or on tests.',
      severity: 'error',
      from: { path: '^packages/(?!test-helpers/)[^/]+/src/' },
      to: { path: '^packages/(test-helpers/|[^/]+/test/)' },
    },
    {
      name: 'engine-roles-apart',
      comment: 'What client and server share lives in handshake/ or the engine root, not in either role.',
      severity: 'error',
      from: { path: '^packages/engine/src/(client|server)/' },
      to: { path: '^packages/engine/src/(client|server)/', pathNot: '^packages/engine/src/$1/' },
    },
    {
      name: 'tls12-not-on-tls13',
      comment: 'TLS 1.2 uses the version-neutral handshake files (expect.ts, peer-certificates.ts...).',
      severity: 'error',
      from: { path: '(handshake12|common12)\\.ts$' },
      to: { path: '^packages/engine/src/handshake/(common13|traffic13)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // Type-only imports count: a cycle through a type is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['@tls-kit/source', 'import', 'types', 'default'] },
  },
};
