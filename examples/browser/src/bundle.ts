// The page's JavaScript: src/page/*.ts bundled by esbuild for browsers, in memory. Workspace
// packages come from their sources (the @tls-kit/source condition) without their "node"
// entries, so @tls-kit/crypto/default is the pure-JS (@noble) provider.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Entry name -> source, relative to src/page. */
const ENTRIES = { app: 'main.ts', bench: 'bench.ts' } as const;

export type BundleName = keyof typeof ENTRIES;

/** Bundles the page's entries; resolves with each entry's JavaScript. */
export async function bundlePage(): Promise<Record<BundleName, string>> {
  const page = (file: string) => fileURLToPath(new URL(`page/${file}`, import.meta.url));
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, page(file)])),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@tls-kit/source'],
    outdir: 'out',
    write: false,
    logLevel: 'silent',
  });
  const text = (name: string) => result.outputFiles.find((f) => f.path.endsWith(`/${name}.js`))!.text;
  return { app: text('app'), bench: text('bench') };
}
