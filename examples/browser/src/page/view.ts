// The page's sections, built from a finished session: what was negotiated, the timeline, the
// verified chain, the HTTP exchange and the transcript as a collapsible tree (a <details> per
// record, message and structured field, as in Wireshark's packet-detail pane).
import type { Certificate } from '@tls-kit/certs';
import { keyDescription } from '@tls-kit/cli/demo/pki';
import type { Connection } from '@tls-kit/engine/web';
import { describeEnum, NamedGroup, type TreeNode } from '@tls-kit/messages';
import { type Mark, SERVER_NAME } from './session.js';
import type { Flight, TranscriptRecord } from './transcript.js';

type Child = Node | string | undefined;

/** An element with attributes (`class`, `data-*`, ...) and children. */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

export function show(id: string, ...children: Child[]): HTMLElement {
  const node = document.getElementById(id)!;
  node.replaceChildren(...children.filter((c) => c !== undefined));
  node.closest('section')?.removeAttribute('hidden');
  return node;
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

/** The IANA name of the engine's group name, with its code point: "X25519MLKEM768 (0x11ec)". */
function groupName(group: string): string {
  const iana = Object.keys(NamedGroup).find((k) => k.toLowerCase() === group);
  const code = iana === undefined ? undefined : (NamedGroup as unknown as Record<string, number>)[iana];
  return (code !== undefined && describeEnum('group', code)) || group;
}

/** Version, suite, group, ALPN...: each `<dd data-field=...>` is what a test reads. */
export function negotiated(connection: Connection): Node[] {
  const verification = connection.peerVerification;
  const rows: [string, string, string][] = [
    ['version', 'Version', connection.tlsVersion ?? '?'],
    ['suite', 'Cipher suite', connection.cipherSuite ?? '?'],
    ['group', 'Key exchange group', connection.namedGroup ? groupName(connection.namedGroup) : '(none)'],
    ['signature', 'Server signature', connection.signatureScheme ?? '(none)'],
    ['alpn', 'ALPN', connection.alpnProtocol ?? '(none)'],
    ['sni', 'Server name sent', SERVER_NAME],
    [
      'verified',
      'Chain',
      verification?.ok ? 'verified up to the given root' : (verification?.message ?? '?'),
    ],
  ];
  return rows.flatMap(([field, term, value]) => [
    el('dt', {}, term),
    el('dd', { 'data-field': field }, value),
  ]);
}

/** The flights and the page's marks in time order, each with a bar on a common time axis. */
export function timeline(flights: readonly Flight[], marks: readonly Mark[]): Node[] {
  const end = Math.max(1, ...marks.map((m) => m.at), ...flights.map((f) => f.last));
  const steps: { at: number; until: number; text: string; kind: string }[] = [
    ...marks.map((m) => ({ at: m.at, until: m.at, text: m.what, kind: 'mark' })),
    ...flights.map((f) => ({
      at: f.first,
      until: f.last,
      text: `${f.from === 'client' ? 'page → server' : 'server → page'}: ${f.contents.join(', ') || '(partial record)'}, ${f.bytes} bytes`,
      kind: f.from,
    })),
  ].sort((a, b) => a.at - b.at);
  // The page's own work (building key shares, verifying the chain, signatures and Finished)
  // shows as the time between the step before a flight of ours and that flight.
  const rows: Node[] = [];
  let previousEnd: number | undefined;
  for (const step of steps) {
    const gap =
      step.kind === 'client' && previousEnd !== undefined
        ? `${ms(step.at - previousEnd)} of work in the page since the step above`
        : undefined;
    previousEnd = step.until;
    const bar = el('span', { class: `bar ${step.kind}` });
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    bar.style.left = `${(100 * step.at) / end}%`;
    bar.style.width = `${Math.max(0.6, (100 * (step.until - step.at)) / end)}%`;
    rows.push(
      el(
        'li',
        { class: step.kind },
        el('span', { class: 'at' }, ms(step.at)),
        el('span', { class: 'axis' }, bar),
        el('span', { class: 'what' }, step.text, gap ? el('small', {}, ` (${gap})`) : undefined),
      ),
    );
  }
  return rows;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One row per certificate of the verified path, leaf first. */
export function chainRows(chain: readonly Certificate[]): Node[] {
  const head = el(
    'tr',
    {},
    ...['#', 'role', 'subject', 'issuer', 'valid', 'key', 'names'].map((h) => el('th', {}, h)),
  );
  return [
    head,
    ...chain.map((cert, i) => {
      const role =
        i === 0 ? 'leaf' : i === chain.length - 1 ? 'trust anchor (the given root)' : 'intermediate CA';
      const names = cert.subjectAltNames
        .map((n) => ('value' in n ? `${n.type}:${n.value}` : n.type))
        .join(' ');
      return el(
        'tr',
        { 'data-cert': String(i) },
        el('td', {}, String(i)),
        el('td', {}, role),
        el('td', { class: 'subject' }, String(cert.subject)),
        el('td', {}, String(cert.issuer)),
        el('td', {}, `${day(cert.notBefore)} .. ${day(cert.notAfter)}`),
        el('td', {}, keyDescription(cert)),
        el('td', {}, names || '-'),
      );
    }),
  ];
}

/** "name: value" labels show the name apart, as Wireshark does. */
function labelOf(node: TreeNode): Node {
  const colon = node.item ? -1 : node.label.indexOf(': ');
  if (colon < 0 && node.label.endsWith(':')) return el('span', { class: 'name' }, node.label.slice(0, -1));
  if (colon < 0) return el('span', { class: 'value' }, node.label);
  return el(
    'span',
    {},
    el('span', { class: 'name' }, node.label.slice(0, colon)),
    ': ',
    el('span', { class: 'value' }, node.label.slice(colon + 2)),
  );
}

/** A structure in a list has no label of its own: it is named by its first field. */
function treeNode(node: TreeNode, open: boolean): Node {
  let label = node;
  let children = node.children;
  if (node.item && node.label === '' && children.length > 0) {
    label = children[0]!;
    children = [...label.children, ...children.slice(1)];
  }
  if (children.length === 0) return el('div', { class: 'leaf' }, labelOf(label));
  const details = el(
    'details',
    {},
    el('summary', {}, labelOf(label)),
    ...children.map((c) => treeNode(c, false)),
  );
  if (open) details.setAttribute('open', '');
  return details;
}

/** The transcript: records open (their messages visible), messages closed (fields one click away). */
export function transcriptTree(records: readonly TranscriptRecord[]): Node[] {
  return records.map((r) => {
    const arrow = r.from === 'client' ? 'page → server' : 'server → page';
    const summary = el(
      'summary',
      {},
      el('span', { class: 'when' }, ms(r.at)),
      el('span', { class: `dir ${r.from}` }, arrow),
      el('span', { class: 'title' }, r.title),
    );
    return el(
      'details',
      { class: `record ${r.from}`, open: '' },
      summary,
      r.decryption ? el('div', { class: 'decryption' }, r.decryption) : undefined,
      r.problem ? el('div', { class: 'problem' }, r.problem) : undefined,
      ...r.messages.map((m) => treeNode(m, false)),
      r.text !== undefined ? el('pre', { class: 'plaintext' }, r.text) : undefined,
    );
  });
}
