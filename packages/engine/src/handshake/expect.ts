// The check every handshake state of either version makes first: is this the message it waits for?
// Anything else is unexpected_message (RFC 8446 §6.2, RFC 5246 §7.2.2).
import { AlertDescription } from '@tls-kit/messages';
import { fail } from '../errors.js';
import { type HandshakeMessage, handshakeName } from './messages.js';

export function expectMessage(message: HandshakeMessage, type: number, state: string): void {
  if (message.type !== type) {
    fail(
      AlertDescription.unexpected_message,
      `${state}: got ${handshakeName(message.type)}, expected ${handshakeName(type)}`,
    );
  }
}
