// The TLS 1.3 post-handshake state of both roles (RFC 8446 §4.6): KeyUpdate in both
// directions, NewSessionTicket for clients; every other handshake message, including a
// renegotiation attempt (ClientHello, HelloRequest), is unexpected_message (§4.1.2, §4.6).
import {
  AlertDescription,
  ContentType,
  ExtensionType,
  HandshakeType,
  KeyUpdate,
  KeyUpdateRequest,
  NewSessionTicket13,
  type NewSessionTicket13Message,
} from '@tls-kit/messages';
import type { ConnectionCore, HandshakeState } from '../core.js';
import { fail } from '../errors.js';
import { exportKeyingMaterial, nextTrafficSecret } from '../keyschedule/key-schedule.js';
import type { CipherSuite } from '../suites.js';
import { decode, frameHandshake, type HandshakeMessage, handshakeName } from './messages.js';

/** RFC 8446 §4.6.1: ticket lifetimes over seven days are illegal_parameter. */
const MAX_TICKET_LIFETIME = 604800;

export class Traffic13 implements HandshakeState {
  readonly name = 'Traffic';

  constructor(
    private readonly core: ConnectionCore,
    private readonly suite: CipherSuite,
    private readSecret: Uint8Array,
    private writeSecret: Uint8Array,
    private readonly exporterSecret: Uint8Array,
    private readonly onTicket: ((ticket: NewSessionTicket13Message) => void) | undefined,
  ) {}

  handle(message: HandshakeMessage): HandshakeState {
    switch (message.type) {
      case HandshakeType.key_update: {
        const { requestUpdate } = decode(KeyUpdate, message.body);
        // RFC 8446 §4.6.3: any other value is illegal_parameter.
        if (
          requestUpdate !== KeyUpdateRequest.update_requested &&
          requestUpdate !== KeyUpdateRequest.update_not_requested
        ) {
          fail(AlertDescription.illegal_parameter, `KeyUpdate request_update ${requestUpdate}`);
        }
        this.readSecret = nextTrafficSecret(this.core.config.provider, this.suite, this.readSecret);
        this.core.setReadSecret(this.suite, this.readSecret);
        // RFC 8446 §4.6.3: answer update_requested with our own update (not requesting one back).
        if (requestUpdate === KeyUpdateRequest.update_requested && this.core.status !== 'closing')
          this.updateKeys(false);
        return this;
      }
      case HandshakeType.new_session_ticket:
        if (this.onTicket) {
          const ticket = decode(NewSessionTicket13, message.body);
          if (ticket.ticketLifetime > MAX_TICKET_LIFETIME) {
            fail(AlertDescription.illegal_parameter, 'ticket lifetime over 7 days');
          }
          // RFC 8446 §4.6.1: early_data is the only extension defined for NewSessionTicket;
          // unknown ones are ignored.
          for (const e of ticket.extensions) {
            if (e.unknown && e.extensionType in ExtensionType) {
              fail(AlertDescription.illegal_parameter, `NewSessionTicket with extension ${e.extensionType}`);
            }
          }
          if (ticket.ticketLifetime > 0) this.onTicket(ticket);
          return this;
        }
        break;
    }
    return fail(AlertDescription.unexpected_message, `${handshakeName(message.type)} after the handshake`);
  }

  /** Sends KeyUpdate and switches to the next write secret (RFC 8446 §4.6.3, §7.2). */
  updateKeys(requestPeer: boolean): void {
    const requestUpdate = requestPeer
      ? KeyUpdateRequest.update_requested
      : KeyUpdateRequest.update_not_requested;
    this.core.sendRaw(
      ContentType.handshake,
      frameHandshake(HandshakeType.key_update, KeyUpdate.build({ requestUpdate })),
    );
    this.writeSecret = nextTrafficSecret(this.core.config.provider, this.suite, this.writeSecret);
    this.core.setWriteSecret(this.suite, this.writeSecret);
  }

  /** Automatic update when our key has protected enough records (core, RFC 8446 §5.5). */
  rekey(): void {
    this.updateKeys(false);
  }

  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    return exportKeyingMaterial(
      this.core.config.provider,
      this.suite,
      this.exporterSecret,
      label,
      context,
      length,
    );
  }
}
