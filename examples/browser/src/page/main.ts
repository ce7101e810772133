// The example page: reads its choices from the URL (server, versions, root), fetches the root it
// is told to trust, connects through the relay, and shows what happened. <body data-state> ends
// as "done" or "failed" for whoever waits on the page (a person, or the test).
import { Certificate, TrustStore } from '@tls-kit/certs';
import { alertName, BadTLSDataError, TLSAlertError, type TLSVersion } from '@tls-kit/engine/web';
import { runSession } from './session.js';
import { decodeTranscript } from './transcript.js';
import { chainRows, el, negotiated, show, timeline, transcriptTree } from './view.js';

const REQUEST = 'GET / HTTP/1.0\r\nHost: localhost\r\nUser-Agent: tls-kit example page\r\n\r\n';

const VERSIONS: Record<string, readonly TLSVersion[] | undefined> = {
  any: undefined,
  '1.3': ['TLSv1.3'],
  '1.2': ['TLSv1.2'],
};

interface ServerInfo {
  readonly name: string;
  readonly title: string;
}

/** The certificates of the PEM file at `path` (same origin) as the only trusted roots. */
async function fetchRoot(path: string): Promise<TrustStore> {
  const response = await fetch(new URL(path, location.href));
  if (!response.ok) throw new Error(`cannot fetch the root ${path}: HTTP ${response.status}`);
  return new TrustStore(Certificate.fromPem(await response.text()));
}

function setUpForm(servers: readonly ServerInfo[], params: URLSearchParams): void {
  const select = document.getElementById('choose-server') as HTMLSelectElement;
  select.replaceChildren(...servers.map((s) => el('option', { value: s.name }, s.title)));
  const form = document.getElementById('choices') as HTMLFormElement;
  for (const [name, value] of params) {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLSelectElement) field.value = value;
  }
}

function setUpTreeButtons(): void {
  const all = (open: boolean) => {
    document.querySelectorAll<HTMLDetailsElement>('#transcript details').forEach((d) => {
      d.open = open;
    });
  };
  document.getElementById('expand')!.addEventListener('click', () => all(true));
  document.getElementById('collapse')!.addEventListener('click', () => all(false));
}

/** What a failure means, in words: who refused the connection, with which alert. */
function explain(error: Error): string {
  if (error instanceof BadTLSDataError)
    return `The page refused the connection and told the server why with the alert ${alertName(error.alertCode)}.`;
  if (error instanceof TLSAlertError)
    return `The server refused the connection with the alert ${alertName(error.alertCode)}.`;
  return 'The connection ended before the exchange completed.';
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const servers = (await (await fetch('servers.json')).json()) as ServerInfo[];
  setUpForm(servers, params);
  setUpTreeButtons();
  const server = servers.find((s) => s.name === params.get('server')) ?? servers[0]!;
  const versionChoice = params.get('version') ?? 'any';
  const rootPath = params.get('root') ?? 'root.pem';
  show('status', el('p', {}, `Connecting to ${server.title}…`));

  const trustRoot = await fetchRoot(rootPath);
  const result = await runSession({
    relayUrl: new URL(`relay/${server.name}`, location.href.replace(/^http/, 'ws')).href,
    trustRoot,
    request: REQUEST,
    ...(VERSIONS[versionChoice] ? { versions: VERSIONS[versionChoice] } : {}),
  });
  const transcript = decodeTranscript(result.chunks, result.keyLog);
  const c = result.connection;

  if (result.error) {
    show(
      'status',
      el('p', { class: 'failed' }, '✘ The connection failed'),
      el('p', { class: 'error', 'data-field': 'error' }, `${result.error.name}: ${result.error.message}`),
      el(
        'p',
        {},
        `${explain(result.error)} Server: ${server.title}. Trusted root: ${rootPath}. ` +
          (c ? 'The request was sent; the response did not complete.' : 'No request was sent.'),
      ),
    );
  } else if (c) {
    const done = result.marks.find((m) => m.what.startsWith('handshake complete'));
    show(
      'status',
      el('p', { class: 'ok' }, `✔ ${c.tlsVersion} with ${server.title}`),
      el(
        'p',
        {},
        `Handshake in ${done ? done.at.toFixed(1) : '?'} ms, the chain verified up to ${rootPath}, ` +
          `the response read to the server's close_notify. Every record below was decrypted with the key log ` +
          `(${transcript.undecrypted} left encrypted, ${transcript.faults} dissector faults).`,
      ),
    );
  }
  if (c) {
    show('negotiated', ...negotiated(c));
    show('chain', ...chainRows(c.peerCertificates));
  }
  if (!result.error) {
    show('request', REQUEST);
    show('response', result.response);
  }
  show('timings', ...timeline(transcript.flights, result.marks));
  show('transcript', ...transcriptTree(transcript.records));
  document.body.dataset.state = result.error ? 'failed' : 'done';
}

main().catch((error: unknown) => {
  show('status', el('p', { class: 'error', 'data-field': 'error' }, String(error)));
  document.body.dataset.state = 'failed';
});
