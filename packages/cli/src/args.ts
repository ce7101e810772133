// Flag parsing for the subcommands: a declared set of flags, `--flag value`, `--flag=value` and
// the single-dash spelling openssl users type (`-connect host:443`). Wrong input is one line
// (UsageError); a command made by `command` prints it, pointing at --help, and returns exit status 2.
import { readFileSync } from 'node:fs';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Placeholder shown in the usage, e.g. 'FILE', 'HOST:PORT'. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  /** e.g. 's_client' */
  readonly name: string;
  /** One line after the name: '--connect HOST:PORT [options]'. */
  readonly synopsis: string;
  /** A paragraph said before the options. */
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Said after the options: exit statuses, examples. */
  readonly epilog?: string;
}

/** A flag naming a file, shown as FILE in the usage. */
export function fileFlag(help: string): FlagSpec {
  return { type: 'string', value: 'FILE', help };
}

export type FlagValues = Record<string, string | boolean | undefined>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A usage error as the user sees it: one line, pointing at the usage (`command` '' for the dispatcher). */
export function usageErrorLine(command: string, message: string): string {
  return `error: ${message} (see tls-kit ${command ? `${command} ` : ''}--help)`;
}

/** Where a command reads and writes: the process's streams, or test doubles. */
export interface CommandIO {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Stops long-running commands (s_server) when aborted, for embedding and tests. */
  readonly signal?: AbortSignal;
}

export const processIO: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

export function usage(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags).map(([name, f]) => [
    `--${name}${f.value ? ` ${f.value}` : ''}`,
    f.help,
  ]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return [
    `usage: tls-kit ${spec.name} ${spec.synopsis}`,
    '',
    spec.description,
    '',
    'options:',
    ...rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`),
    ...(spec.epilog ? ['', spec.epilog] : []),
  ].join('\n');
}

/** Parses `argv` against `spec`; positionals are refused (no subcommand here takes any). */
function parseFlags(spec: CommandSpec, argv: readonly string[]): FlagValues {
  const values: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--?([A-Za-z0-9_][A-Za-z0-9_-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument '${arg}'`);
    const name = match[1]!;
    if (name === 'help' || name === 'h') {
      values.help = true;
      continue;
    }
    const flag = spec.flags[name];
    if (!flag) throw new UsageError(`unknown option '${arg.replace(/=.*$/s, '')}'`);
    if (values[name] !== undefined) throw new UsageError(`option --${name} given twice`);
    if (flag.type === 'boolean') {
      if (match[2] !== undefined) throw new UsageError(`option --${name} takes no value`);
      values[name] = true;
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined)
        throw new UsageError(`option --${name} needs a value (${flag.value ?? 'VALUE'})`);
    }
    values[name] = value;
  }
  return values;
}

/** A subcommand's entry point: `run(argv, io)` resolves to the exit status. */
export type CommandRun = (argv: readonly string[], io?: CommandIO) => Promise<number>;

/**
 * The `run` of a command whose body gets the parsed flags (and the streams and arguments):
 * --help prints the usage (exit 0); a UsageError prints one "error: ... (see tls-kit NAME --help)"
 * line to stderr (exit 2); any other error prints "error: ..." (exit 1). `io` defaults to the process's streams.
 */
export function command(
  spec: CommandSpec,
  body: (flags: FlagValues, io: CommandIO, argv: readonly string[]) => Promise<number>,
): CommandRun {
  return (argv, io = processIO) => runCommand(spec, argv, io, body);
}

async function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  io: CommandIO,
  body: (flags: FlagValues, io: CommandIO, argv: readonly string[]) => Promise<number>,
): Promise<number> {
  let flags: FlagValues;
  try {
    flags = parseFlags(spec, argv);
  } catch (error) {
    io.stderr.write(`${usageErrorLine(spec.name, (error as Error).message)}\n`);
    return 2;
  }
  if (flags.help) {
    io.stdout.write(`${usage(spec)}\n`);
    return 0;
  }
  try {
    return await body(flags, io, argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${usageErrorLine(spec.name, error.message)}\n`);
      return 2;
    }
    io.stderr.write(`error: ${oneLine(error)}\n`);
    return 1;
  }
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
};

/** A file's bytes; a failure is "<what>: no such file" and the like. */
export function readNamedFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new Error(`${what}: ${FILE_ERRORS[code] ?? oneLine(error)}`);
  }
}

/** An error as one line of text. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}

/** HOST:PORT, [IPv6]:PORT, or PORT alone (host = `defaultHost`). */
export function parseHostPort(
  text: string,
  flag: string,
  defaultHost?: string,
): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? (defaultHost ? /^()()(\d+)$/.exec(text) : null);
  const host = m ? m[1] || m[2] || defaultHost : undefined;
  const port = m ? Number(m[3]) : Number.NaN;
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--${flag} wants ${defaultHost ? '[HOST:]PORT' : 'HOST:PORT'}, got '${text}'`);
  }
  return { host, port };
}

/** A positive integer flag; undefined when not given (or given empty). */
export function countFlag(flags: FlagValues, name: string): number | undefined {
  const text = str(flags, name);
  if (!text) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--${name} wants a positive integer, got '${text}'`);
  return Number(text);
}

/** 'a,b' or 'a:b' -> ['a', 'b']. */
export function parseList(text: string, flag: string): string[] {
  const items = text.split(/[,:]/).map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--${flag} wants a comma-separated list, got '${text}'`);
  return items;
}

export const str = (flags: FlagValues, name: string): string | undefined => {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
};
