// node:tls' enableTrace: every record that crosses the socket, decoded by @tls-kit/messages'
// dissector and written to stderr as it goes (the handshake messages that travel in the clear,
// records and alerts; what is encrypted is shown as such: the keys stay in the engine).
import { formatTranscript, TLSDissector } from '@tls-kit/messages';

export class Tracer {
  private readonly dissector = new TLSDissector();

  constructor(
    private readonly ourSide: 'client' | 'server',
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
  ) {}

  /** Bytes we sent (`sent`) or received, in order; each line names the side that sent it. */
  record(sent: boolean, bytes: Uint8Array): void {
    const peer = this.ourSide === 'client' ? 'server' : 'client';
    const events = this.dissector.push(0, sent ? this.ourSide : peer, bytes);
    const lines = formatTranscript({ input: 'stream', connections: [], events, gaps: [] });
    if (lines.length > 0) this.write(`${lines.join('\n')}\n`);
  }
}
