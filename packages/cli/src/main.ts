// The `tls-kit` command: a dispatcher over one module per subcommand. Each module
// exports `run(argv) -> exit status`; modules load lazily so `tls-kit --help` is instant.
import { usageErrorLine } from './args.js';

interface Command {
  readonly summary: string;
  readonly load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const commands: Record<string, Command> = {
  bench: {
    summary: 'handshakes/s, bulk MB/s, memory per connection: tls-kit vs node:tls and node-forge',
    load: () => import('./commands/bench.js'),
  },
  dissect: {
    summary: 'decode a raw TLS stream or a pcap/pcapng capture into a readable transcript',
    load: () => import('./commands/dissect.js'),
  },
  s_client: {
    summary: 'connect to a TLS server, print the negotiated parameters, relay stdin/stdout (openssl style)',
    load: () => import('./commands/s_client.js'),
  },
  s_server: {
    summary: 'serve TLS connections: echo to stdout, or --www status pages (openssl style)',
    load: () => import('./commands/s_server.js'),
  },
  demo: {
    summary: 'a complete TLS exchange on loopback, decoded and decrypted, with no setup',
    load: () => import('./commands/demo.js'),
  },
  verify: {
    summary: 'verify a certificate chain (openssl verify style)',
    load: () => import('./commands/verify.js'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  const head = 'usage: tls-kit <command> [options]   (tls-kit <command> --help for details)';
  return [head, '', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(usageErrorLine('', `unknown command '${name}'`));
    return 2;
  }
  let module: Awaited<ReturnType<Command['load']>>;
  try {
    module = await command.load();
  } catch (error) {
    // An optional dependency (node-forge, for bench) left out of the install.
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !missing) throw error;
    console.error(`error: tls-kit ${name} needs the package ${missing}, which is not installed`);
    return 1;
  }
  return module.run(rest);
}
