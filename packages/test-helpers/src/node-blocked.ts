// Proves an entry point browser-safe: a child Node process runs a script under a module resolve
// hook that throws on any node: / built-in import made from a guarded module (a package's src,
// @noble/*), so a built-in reached through any import chain fails the run, not just a direct one.
import { execFileSync } from 'node:child_process';

export interface NodeBlockedOptions {
  /** The folder the script runs in: its bare imports (`@tls-kit/...`) resolve from there. */
  readonly cwd: string;
  /** Modules whose built-in imports are refused, matched against the importing module's URL. */
  readonly guarded: RegExp;
  /** Also drop the "node" export condition for @tls-kit/* imports, as a browser bundler would. */
  readonly dropNodeCondition?: boolean;
}

function resolveHook({ guarded, dropNodeCondition = false }: NodeBlockedOptions): string {
  return `
import { builtinModules } from 'node:module';
const guarded = new RegExp(${JSON.stringify(guarded.source)}, ${JSON.stringify(guarded.flags)});
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (guarded.test(parent) && (specifier.startsWith('node:') || builtinModules.includes(bare))) {
    throw new Error('BLOCKED ' + specifier + ' from ' + parent);
  }
  if (${dropNodeCondition} && specifier.startsWith('@tls-kit/')) {
    return next(specifier, { ...context, conditions: context.conditions.filter((c) => c !== 'node') });
  }
  return next(specifier, context);
}`;
}

/**
 * Runs the ESM `script` (TypeScript sources through tsx, the "@tls-kit/source" condition) under the
 * blocking hook; returns its stdout. A failed run throws execFileSync's error, whose `stderr` holds
 * the "BLOCKED <specifier> from <module>" message.
 */
export function runWithNodeBlocked(script: string, options: NodeBlockedOptions): string {
  const hook = `data:text/javascript,${encodeURIComponent(resolveHook(options))}`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`;
  return execFileSync(
    process.execPath,
    [
      '--conditions=@tls-kit/source',
      '--import=tsx',
      `--import=data:text/javascript,${encodeURIComponent(register)}`,
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: options.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
