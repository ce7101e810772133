// Bundles test files (TypeScript, with the workspace packages' sources) into one ESM file each, so
// that ava's workers load plain JavaScript: under tsx every one of the ~150 modules an engine test
// imports goes through tsx's resolve and load hooks (about 1.2 CPU-s per file), a bundle loads in
// about 0.15 s. Third-party packages stay external, imported from where the workspace installed
// them; `import.meta.url` and `import.meta.resolve('x')` keep meaning the original source file.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const conditions = ['@tls-kit/source'];

/** Keeps third-party imports external, as absolute paths so they resolve from anywhere. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (
        args.pluginData === 'resolving' ||
        args.path.startsWith('@tls-kit/') ||
        args.path.startsWith('node:')
      ) {
        return undefined;
      }
      const found = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolving',
      });
      if (found.errors.length > 0) return { errors: found.errors };
      if (found.external) return { path: args.path, external: true };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};

/** Rewrites `import.meta.url` and `import.meta.resolve('x')` to what they mean in the source file. */
const importMeta = {
  name: 'import-meta',
  setup(b) {
    // The workspace's own files only (installed packages resolve to node_modules/.pnpm).
    const ours = new RegExp(
      `^${root.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[\\\\/](packages|examples)[\\\\/].*\\.[cm]?[jt]s$`,
    );
    b.onLoad({ filter: ours }, async (args) => {
      let text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const url = pathToFileURL(args.path).href;
      const resolveCall = /import\.meta\.resolve\((['"])([^'"]+)\1\)/g;
      const resolved = new Map();
      for (const [, , specifier] of text.matchAll(resolveCall)) {
        const found = await b.resolve(specifier, {
          kind: 'import-statement',
          resolveDir: dirname(args.path),
          pluginData: 'resolving',
        });
        if (found.errors.length > 0) return { errors: found.errors };
        resolved.set(specifier, pathToFileURL(found.path).href);
      }
      text = text
        .replace(resolveCall, (_m, _q, specifier) => JSON.stringify(resolved.get(specifier)))
        .replace(/import\.meta\.url\b/g, JSON.stringify(url))
        .replace(/import\.meta\.filename\b/g, JSON.stringify(args.path))
        .replace(/import\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents: text, loader: args.path.endsWith('ts') ? 'ts' : 'js' };
    });
  },
};

/**
 * Bundles `files` (paths relative to the root) into `outDir` (inside the root: ava runs files of its
 * project only), mirroring their paths; returns the bundles' paths relative to the root.
 */
export async function buildTests(files, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: files,
    outbase: root,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Modules shared by several test files go into shared chunks: a sixth of the output, built in a
    // sixth of the time.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions,
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [externals, importMeta],
  });
  return files.map((file) =>
    relative(root, join(outDir, file.replace(/\.ts$/, '.mjs')))
      .split('\\')
      .join('/'),
  );
}
