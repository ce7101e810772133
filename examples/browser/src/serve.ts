// `pnpm example:browser [--openssl] [--port N]`: starts the TLS server(s), the relay and the
// static server on 127.0.0.1, prints the page's URL, and runs until interrupted.
import { parseArgs } from 'node:util';
import { startSite } from './site.js';

const { values } = parseArgs({
  options: {
    openssl: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: pnpm example:browser [--openssl] [--port N]\n\n' +
      'Starts tls-kit s_server --www (and with --openssl also openssl s_server -www), a WebSocket relay to\n' +
      'them and a static server for the page, all on 127.0.0.1; open the URL it prints.',
  );
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: --port wants a port number, got '${values.port}'`);
  process.exit(2);
}

const site = await startSite({ servers: values.openssl ? ['ours', 'openssl'] : ['ours'], port });
for (const s of site.servers) console.log(`TLS server: ${s.title} on 127.0.0.1:${s.port}`);
console.log(`relay:      ${site.url.replace(/^http/, 'ws')}relay/<server>`);
console.log(
  `\nOpen ${site.url} (TLS 1.2: ${site.url}?version=1.2; a wrong root: ${site.url}?root=wrong-root.pem)`,
);
console.log('Ctrl-C stops everything.');
const stop = () => {
  site.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
