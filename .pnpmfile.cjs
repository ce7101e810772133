// The manifests pnpm packs carry what a consumer of the package needs: no devDependencies (the
// private @tls-kit/test-helpers among them), no test runner configuration, no test script.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      const { ava, devDependencies, ...published } = pkg;
      if (published.scripts) {
        const { test, ...scripts } = published.scripts;
        published.scripts = scripts;
      }
      return published;
    },
  },
};
